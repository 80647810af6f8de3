//! Task templates (存为模板): saving a task's settings, the list, new tasks from a template.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::tasks::lists::TaskDetail;
use crate::services::tasks::templates::{self, TemplateSummary};
use crate::state::AppState;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(save_template))
        .routes(routes!(list_templates))
        .routes(routes!(create_from_template))
        .routes(routes!(delete_template))
}

#[derive(Deserialize, ToSchema)]
pub struct NameRequest {
    name: String,
}

/// Save a task's settings as a template (存为模板).
#[utoipa::path(post, path = "/api/tasks/{id}/template", tag = "tasks", request_body = NameRequest,
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 201, body = TemplateSummary), (status = 404, body = ErrorBody)))]
async fn save_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<NameRequest>,
) -> ApiResult<(StatusCode, Json<TemplateSummary>)> {
    caller.require(TASK_MANAGE)?;
    let template = templates::save(&state.db, &caller, id, &request.name).await?;
    Ok((StatusCode::CREATED, Json(template)))
}

/// The company's task templates.
#[utoipa::path(get, path = "/api/task-templates", tag = "tasks", responses((status = 200, body = Vec<TemplateSummary>)))]
async fn list_templates(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TemplateSummary>>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    Ok(Json(templates::list(&state.db, caller.tenant()).await?))
}

/// Create a task from a template; the validity period starts now, as long as the template's.
#[utoipa::path(post, path = "/api/task-templates/{id}/create", tag = "tasks", request_body = NameRequest,
    params(("id" = i64, Path, description = "Template id")),
    responses((status = 201, body = TaskDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_from_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<NameRequest>,
) -> ApiResult<(StatusCode, Json<TaskDetail>)> {
    caller.require(TASK_MANAGE)?;
    let detail = templates::create_task(&state.db, &caller, id, &request.name).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Delete a task template.
#[utoipa::path(delete, path = "/api/task-templates/{id}", tag = "tasks",
    params(("id" = i64, Path, description = "Template id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(TASK_MANAGE)?;
    templates::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
