//! Permission groups (权限组): which menus and actions a department's members may use.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use domain::permissions::{DEPARTMENT_MANAGE, GROUP_MANAGE};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::permission_group;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::departments::count_using_group;
use crate::audit;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::org;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
}

#[derive(Serialize, ToSchema)]
pub struct GroupView {
    id: i64,
    name: String,
    description: String,
    permissions: Vec<String>,
    /// The group of members and departments that set none.
    is_default: bool,
    /// Departments that set this group themselves.
    department_count: u64,
    created_at: DateTime<Utc>,
}

async fn view(state: &AppState, row: permission_group::Model) -> ApiResult<GroupView> {
    Ok(GroupView {
        department_count: count_using_group(state, row.tenant_id, row.id).await?,
        permissions: org::group_permissions(&row).into_iter().collect(),
        id: row.id,
        name: row.name,
        description: row.description,
        is_default: row.is_default,
        created_at: row.created_at,
    })
}

async fn find(state: &AppState, caller: &Caller, id: i64) -> ApiResult<permission_group::Model> {
    permission_group::Entity::find_by_id(id)
        .filter(permission_group::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("权限组"))
}

/// The company's permission groups.
#[utoipa::path(get, path = "/api/permission-groups", tag = "groups",
    responses((status = 200, body = Vec<GroupView>), (status = 403, body = ErrorBody)))]
async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<GroupView>>> {
    if !caller.can(GROUP_MANAGE) && !caller.can(DEPARTMENT_MANAGE) {
        return Err(ApiError::forbidden());
    }
    let rows = permission_group::Entity::find()
        .filter(permission_group::Column::TenantId.eq(caller.tenant()))
        .order_by_desc(permission_group::Column::IsDefault)
        .order_by_asc(permission_group::Column::Id)
        .all(&state.db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        views.push(view(&state, row).await?);
    }
    Ok(Json(views))
}

#[derive(Deserialize, ToSchema)]
pub struct GroupRequest {
    name: String,
    #[serde(default)]
    description: String,
    permissions: Vec<String>,
}

/// Validates a group; a non-owner may grant only permissions they hold themselves.
fn check(caller: &Caller, request: &GroupRequest) -> ApiResult<(String, String)> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(ApiError::validation(
            "name",
            "权限组名称不能为空，且不超过 50 个字",
        ));
    }
    if let Some(unknown) = request
        .permissions
        .iter()
        .find(|key| !domain::permissions::is_known(key))
    {
        return Err(
            ApiError::invalid("UNKNOWN_PERMISSION", format!("未知的权限：{unknown}"))
                .on_field("permissions"),
        );
    }
    if request.permissions.iter().any(|key| !caller.can(key)) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "不能授予自己没有的权限",
        ));
    }
    let mut permissions = request.permissions.clone();
    permissions.sort();
    permissions.dedup();
    Ok((
        name.to_owned(),
        serde_json::to_string(&permissions).map_err(|e| anyhow::anyhow!(e))?,
    ))
}

async fn check_name_free(
    state: &AppState,
    caller: &Caller,
    name: &str,
    except: Option<i64>,
) -> ApiResult<()> {
    let mut query = permission_group::Entity::find()
        .filter(permission_group::Column::TenantId.eq(caller.tenant()))
        .filter(permission_group::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(permission_group::Column::Id.ne(id));
    }
    if query.one(&state.db).await?.is_some() {
        return Err(ApiError::conflict("GROUP_NAME_TAKEN", "已有同名权限组").on_field("name"));
    }
    Ok(())
}

/// Create a permission group.
#[utoipa::path(post, path = "/api/permission-groups", tag = "groups", request_body = GroupRequest,
    responses((status = 201, body = GroupView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<GroupRequest>,
) -> ApiResult<(StatusCode, Json<GroupView>)> {
    caller.require(GROUP_MANAGE)?;
    let (name, permissions) = check(&caller, &request)?;
    check_name_free(&state, &caller, &name, None).await?;
    let now = Utc::now();
    let row = permission_group::ActiveModel {
        tenant_id: Set(caller.tenant()),
        name: Set(name),
        description: Set(request.description.trim().to_owned()),
        permissions: Set(permissions.clone()),
        is_default: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    audit::by(
        &state.db,
        &caller,
        "group.create",
        row.name.clone(),
        permissions,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(&state, row).await?)))
}

/// Edit a permission group.
#[utoipa::path(put, path = "/api/permission-groups/{id}", tag = "groups", request_body = GroupRequest,
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, body = GroupView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<GroupRequest>,
) -> ApiResult<Json<GroupView>> {
    caller.require(GROUP_MANAGE)?;
    let target = find(&state, &caller, id).await?;
    let (name, permissions) = check(&caller, &request)?;
    check_name_free(&state, &caller, &name, Some(id)).await?;
    let mut row = target.into_active_model();
    row.name = Set(name);
    row.description = Set(request.description.trim().to_owned());
    row.permissions = Set(permissions.clone());
    row.updated_at = Set(Utc::now());
    let row = row.update(&state.db).await?;
    audit::by(
        &state.db,
        &caller,
        "group.update",
        row.name.clone(),
        permissions,
    )
    .await?;
    Ok(Json(view(&state, row).await?))
}

/// Delete a permission group that no department uses (the default group stays).
#[utoipa::path(delete, path = "/api/permission-groups/{id}", tag = "groups",
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(GROUP_MANAGE)?;
    let target = find(&state, &caller, id).await?;
    if target.is_default {
        return Err(ApiError::conflict("DEFAULT_GROUP", "默认权限组不能删除"));
    }
    let used = count_using_group(&state, caller.tenant(), id).await?;
    if used > 0 {
        return Err(ApiError::conflict(
            "GROUP_IN_USE",
            format!("有 {used} 个部门正在使用该权限组，请先修改这些部门的权限组"),
        ));
    }
    permission_group::Entity::delete_by_id(id)
        .filter(permission_group::Column::TenantId.eq(caller.tenant()))
        .exec(&state.db)
        .await?;
    audit::by(&state.db, &caller, "group.delete", target.name, "").await?;
    Ok(StatusCode::NO_CONTENT)
}
