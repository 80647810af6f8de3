//! Blacklist groups (黑名单分组): list, add, rename, delete (its numbers go with it).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use domain::permissions::{BLACKLIST_MANAGE, BLACKLIST_VIEW};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Deserialize;
use store::entity::{blacklist_entry, blacklist_group};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{GroupView, check_group_name, find_group, group_name_taken, group_view, load_groups};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::audit;
use crate::state::AppState;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_groups, create_group))
        .routes(routes!(rename_group, delete_group))
}

/// The company's blacklist groups, the default one first, with their numbers' count.
#[utoipa::path(get, path = "/api/blacklist/groups", tag = "blacklist",
    responses((status = 200, body = Vec<GroupView>), (status = 403, body = ErrorBody)))]
async fn list_groups(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<GroupView>>> {
    caller.require_any(&[BLACKLIST_VIEW, BLACKLIST_MANAGE])?;
    Ok(Json(load_groups(&state, &caller).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct GroupRequest {
    name: String,
}

/// Add a group.
#[utoipa::path(post, path = "/api/blacklist/groups", tag = "blacklist", request_body = GroupRequest,
    responses((status = 201, body = GroupView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<GroupRequest>,
) -> ApiResult<(StatusCode, Json<GroupView>)> {
    caller.require(BLACKLIST_MANAGE)?;
    let name = check_group_name(&request.name)?;
    group_name_taken(&state, &caller, &name, None).await?;
    let row = blacklist_group::ActiveModel {
        tenant_id: Set(caller.tenant()),
        name: Set(name.clone()),
        is_default: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    audit::by(&state.db, &caller, "blacklist.group", name, "新增分组").await?;
    Ok((
        StatusCode::CREATED,
        Json(GroupView {
            id: row.id,
            name: row.name,
            is_default: false,
            entry_count: 0,
        }),
    ))
}

/// Rename a group.
#[utoipa::path(put, path = "/api/blacklist/groups/{id}", tag = "blacklist", request_body = GroupRequest,
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, body = GroupView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn rename_group(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<GroupRequest>,
) -> ApiResult<Json<GroupView>> {
    caller.require(BLACKLIST_MANAGE)?;
    let row = find_group(&state.db, &caller, id).await?;
    let name = check_group_name(&request.name)?;
    group_name_taken(&state, &caller, &name, Some(id)).await?;
    let old = row.name.clone();
    let mut active = row.into_active_model();
    active.name = Set(name.clone());
    active.update(&state.db).await?;
    audit::by(
        &state.db,
        &caller,
        "blacklist.group",
        name,
        format!("重命名分组（原名“{old}”）"),
    )
    .await?;
    Ok(Json(group_view(&state, &caller, id).await?))
}

/// Delete a group with its numbers; the default group stays.
#[utoipa::path(delete, path = "/api/blacklist/groups/{id}", tag = "blacklist",
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_group(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(BLACKLIST_MANAGE)?;
    let row = find_group(&state.db, &caller, id).await?;
    if row.is_default {
        return Err(ApiError::conflict("DEFAULT_GROUP", "默认分组不能删除"));
    }
    let txn = store::begin(&state.db).await?;
    let deleted = blacklist_entry::Entity::delete_many()
        .filter(blacklist_entry::Column::TenantId.eq(caller.tenant()))
        .filter(blacklist_entry::Column::GroupId.eq(id))
        .exec(&txn)
        .await?
        .rows_affected;
    blacklist_group::Entity::delete_by_id(id)
        .filter(blacklist_group::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(
        &txn,
        &caller,
        "blacklist.group",
        row.name,
        format!("删除分组及其中 {deleted} 个号码"),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
