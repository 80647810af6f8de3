//! Calling tasks (呼叫中台 → AI呼叫2.0, TASK-1..5): the list, a task's page and its form.
//! Starting, pausing and stopping live in [`lifecycle`], templates in [`templates`], numbers
//! and their import in [`numbers`], calls in [`calls`]; the rules in
//! [`crate::services::tasks`].

mod calls;
mod lifecycle;
mod numbers;
mod templates;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::paging::{Page, PageQuery};
use crate::services::tasks::edit;
use crate::services::tasks::lists::{self, ListQuery, TaskDetail, TaskSummary};
use crate::services::tasks::scope::TaskScope;
use crate::services::tasks::validation::TaskRequest;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(defaults))
        .routes(routes!(detail, update, delete))
        .routes(routes!(delete_many))
        .routes(routes!(copy))
        .merge(lifecycle::routes())
        .merge(templates::routes())
        .merge(numbers::routes())
        .merge(calls::routes())
}

/// The company's tasks, newest first.
#[utoipa::path(get, path = "/api/tasks", tag = "tasks", params(ListQuery, PageQuery),
    responses((status = 200, body = Page<TaskSummary>)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<Page<TaskSummary>>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    Ok(Json(
        lists::list(&state.db, &caller, &query, &paging).await?,
    ))
}

/// Create a task.
#[utoipa::path(post, path = "/api/tasks", tag = "tasks", request_body = TaskRequest,
    responses((status = 201, body = TaskDetail), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<TaskRequest>,
) -> ApiResult<(StatusCode, Json<TaskDetail>)> {
    caller.require(TASK_MANAGE)?;
    let detail = edit::create(&state.db, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// A new task's form, filled with what most tasks use: the simulated line, the newest
/// published script, the default working hours and a year of validity.
#[utoipa::path(get, path = "/api/tasks/defaults", tag = "tasks", responses((status = 200, body = Object)))]
async fn defaults(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<serde_json::Value>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(edit::defaults(&state.db, caller.tenant()).await?))
}

/// A task with its settings.
#[utoipa::path(get, path = "/api/tasks/{id}", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    Ok(Json(
        lists::detail(&state.db, &TaskScope::of(&caller), id).await?,
    ))
}

/// Change a task's settings (not while it runs).
#[utoipa::path(put, path = "/api/tasks/{id}", tag = "tasks", request_body = TaskRequest,
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<TaskRequest>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(edit::update(&state.db, &caller, id, request).await?))
}

/// Delete a task and its numbers.
#[utoipa::path(delete, path = "/api/tasks/{id}", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(TASK_MANAGE)?;
    edit::delete(&state.db, &caller, &[id]).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct IdsRequest {
    ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = TasksDeleted)]
pub struct Deleted {
    deleted: usize,
}

/// Delete several tasks at once (多选删除); nothing is deleted if one of them runs.
#[utoipa::path(post, path = "/api/tasks/delete", tag = "tasks", request_body = IdsRequest,
    responses((status = 200, body = Deleted), (status = 409, body = ErrorBody)))]
async fn delete_many(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<IdsRequest>,
) -> ApiResult<Json<Deleted>> {
    caller.require(TASK_MANAGE)?;
    let mut ids = request.ids;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > 500 {
        return Err(ApiError::validation(
            "ids",
            "请选择要删除的任务（一次最多 500 个）",
        ));
    }
    let deleted = edit::delete(&state.db, &caller, &ids).await?;
    Ok(Json(Deleted { deleted }))
}

/// Copy a task's settings into a new task (without its numbers).
#[utoipa::path(post, path = "/api/tasks/{id}/copy", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 201, body = TaskDetail), (status = 404, body = ErrorBody)))]
async fn copy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<TaskDetail>)> {
    caller.require(TASK_MANAGE)?;
    let detail = edit::copy(&state.db, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}
