//! Starting, pausing and stopping tasks, one or all at once.

use axum::Json;
use axum::extract::{Path, State};
use domain::permissions::TASK_MANAGE;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::tasks::bulk::{self, BulkResult};
use crate::services::tasks::lifecycle;
use crate::services::tasks::lists::TaskDetail;
use crate::state::AppState;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(pause))
        .routes(routes!(stop))
        .routes(routes!(pause_all))
        .routes(routes!(start_all))
}

/// Start (or resume) a task.
#[utoipa::path(post, path = "/api/tasks/{id}/start", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn start(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(lifecycle::start(&state.db, &caller, id).await?))
}

/// Pause a running task; calls in progress finish, no new ones start.
#[utoipa::path(post, path = "/api/tasks/{id}/pause", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 409, body = ErrorBody)))]
async fn pause(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(lifecycle::pause(&state.db, &caller, id).await?))
}

/// Stop a task for good (已停止); its numbers are no longer called.
#[utoipa::path(post, path = "/api/tasks/{id}/stop", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 409, body = ErrorBody)))]
async fn stop(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(lifecycle::stop(&state.db, &caller, id).await?))
}

/// Pause every running task (全部暂停).
#[utoipa::path(post, path = "/api/tasks/pause-all", tag = "tasks", responses((status = 200, body = BulkResult)))]
async fn pause_all(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BulkResult>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(bulk::pause_all(&state.db, &caller).await?))
}

/// Start every paused or not-started task that can start (全部开始); the others say why not.
#[utoipa::path(post, path = "/api/tasks/start-all", tag = "tasks", responses((status = 200, body = BulkResult)))]
async fn start_all(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BulkResult>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(bulk::start_all(&state.db, &caller).await?))
}
