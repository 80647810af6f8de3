//! Permission groups (权限组): which menus and actions a department's members may use.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::permissions::{DEPARTMENT_MANAGE, GROUP_MANAGE};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::org::groups::{self, GroupRequest, GroupView};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
}

/// The company's permission groups.
#[utoipa::path(get, path = "/api/permission-groups", tag = "groups",
    responses((status = 200, body = Vec<GroupView>), (status = 403, body = ErrorBody)))]
async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<GroupView>>> {
    caller.require_any(&[GROUP_MANAGE, DEPARTMENT_MANAGE])?;
    Ok(Json(groups::list(&state.db, caller.tenant()).await?))
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
    let view = groups::create(&state.db, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(view)))
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
    Ok(Json(groups::update(&state.db, &caller, id, request).await?))
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
    groups::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
