//! Blacklist groups (黑名单分组): list, add, rename, delete (its numbers go with it).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::permissions::{BLACKLIST_MANAGE, BLACKLIST_VIEW};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::blacklist::groups::{self, GroupView};
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
    Ok(Json(groups::list(&state.db, caller.tenant()).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = BlacklistGroupRequest)]
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
    let group = groups::create(&state.db, &caller, &request.name).await?;
    Ok((StatusCode::CREATED, Json(group)))
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
    Ok(Json(
        groups::rename(&state.db, &caller, id, &request.name).await?,
    ))
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
    groups::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
