//! Departments (部门 / 通讯录): the tree, its order, admins and inherited settings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::permissions::DEPARTMENT_MANAGE;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::org::departments::{
    self, CreateRequest, DepartmentView, MoveRequest, UpdateRequest,
};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
        .routes(routes!(move_department))
}

/// All departments of the company, flat, sorted by parent and order.
#[utoipa::path(get, path = "/api/departments", tag = "departments",
    responses((status = 200, body = Vec<DepartmentView>)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<DepartmentView>>> {
    Ok(Json(departments::list(&state.db, caller.tenant()).await?))
}

/// Create a department, last among its siblings.
#[utoipa::path(post, path = "/api/departments", tag = "departments", request_body = CreateRequest,
    responses((status = 201, body = DepartmentView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<CreateRequest>,
) -> ApiResult<(StatusCode, Json<DepartmentView>)> {
    caller.require(DEPARTMENT_MANAGE)?;
    let view = departments::create(&state.db, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Rename a department, set its admin, and set or clear (inherit) its settings.
#[utoipa::path(put, path = "/api/departments/{id}", tag = "departments", request_body = UpdateRequest,
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 200, body = DepartmentView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<UpdateRequest>,
) -> ApiResult<Json<DepartmentView>> {
    caller.require(DEPARTMENT_MANAGE)?;
    Ok(Json(
        departments::update(&state.db, &caller, id, request).await?,
    ))
}

/// Move a department (drag and drop): under another parent and/or to another position.
#[utoipa::path(post, path = "/api/departments/{id}/move", tag = "departments", request_body = MoveRequest,
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 200, body = Vec<DepartmentView>), (status = 422, body = ErrorBody)))]
async fn move_department(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<MoveRequest>,
) -> ApiResult<Json<Vec<DepartmentView>>> {
    caller.require(DEPARTMENT_MANAGE)?;
    Ok(Json(
        departments::move_to(&state.db, &caller, id, request).await?,
    ))
}

/// Delete a department without sub-departments; its members are released (no department).
#[utoipa::path(delete, path = "/api/departments/{id}", tag = "departments",
    params(("id" = i64, Path, description = "Department id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(DEPARTMENT_MANAGE)?;
    departments::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
