//! Scripts (话术, AI语音机器人): list, create, import/export, edit the draft, publish versions,
//! copy, delete, and the test chat that runs the draft.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::files::attachment;
use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::robot::script_chat::{self, ChatRequest, ChatResponse};
use crate::services::robot::scripts::{
    self, CreateRequest, ScriptDetail, ScriptSummary, UpdateRequest,
};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(import))
        .routes(routes!(detail, update, delete))
        .routes(routes!(publish))
        .routes(routes!(copy))
        .routes(routes!(share))
        .routes(routes!(export))
        .routes(routes!(chat))
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `mine`: only the caller's scripts; otherwise the whole company's.
    owner: Option<String>,
}

/// The company's scripts.
#[utoipa::path(get, path = "/api/scripts", tag = "robot", params(ListQuery),
    responses((status = 200, body = Vec<ScriptSummary>)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Vec<ScriptSummary>>> {
    caller.require(ROBOT_VIEW)?;
    let owner = (query.owner.as_deref() == Some("mine")).then_some(caller.member.id);
    Ok(Json(
        scripts::list(&state.db, caller.tenant(), owner).await?,
    ))
}

/// Create a script with a minimal flow to start from.
#[utoipa::path(post, path = "/api/scripts", tag = "robot", request_body = CreateRequest,
    responses((status = 201, body = ScriptDetail), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<CreateRequest>,
) -> ApiResult<(StatusCode, Json<ScriptDetail>)> {
    caller.require(ROBOT_MANAGE)?;
    let detail = scripts::create(&state.db, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Import a script from its JSON (as exported).
#[utoipa::path(post, path = "/api/scripts/import", tag = "robot", request_body = Object,
    responses((status = 201, body = ScriptDetail), (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<ScriptDetail>)> {
    caller.require(ROBOT_MANAGE)?;
    let detail = scripts::import(&state.db, &caller, body).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// A script with its draft and published versions.
#[utoipa::path(get, path = "/api/scripts/{id}", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ScriptDetail), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ScriptDetail>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(scripts::detail(&state.db, caller.tenant(), id).await?))
}

/// Save the draft (kept even with a problem, which the answer names).
#[utoipa::path(put, path = "/api/scripts/{id}", tag = "robot", request_body = UpdateRequest,
    params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ScriptDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<UpdateRequest>,
) -> ApiResult<Json<ScriptDetail>> {
    caller.require(ROBOT_MANAGE)?;
    Ok(Json(
        scripts::update(&state.db, &caller, id, request).await?,
    ))
}

/// Publish the draft as a new version; tasks keep the version they started with.
#[utoipa::path(post, path = "/api/scripts/{id}/publish", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ScriptDetail), (status = 422, body = ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ScriptDetail>> {
    caller.require(ROBOT_MANAGE)?;
    Ok(Json(scripts::publish(&state.db, &caller, id).await?))
}

/// Copy a script's draft into a new script.
#[utoipa::path(post, path = "/api/scripts/{id}/copy", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 201, body = ScriptDetail), (status = 404, body = ErrorBody)))]
async fn copy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<ScriptDetail>)> {
    caller.require(ROBOT_MANAGE)?;
    let detail = scripts::copy(&state.db, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

#[derive(Deserialize, ToSchema)]
pub struct ShareRequest {
    member_ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ShareResponse {
    shared: usize,
}

/// Share a script with sub-accounts: each gets a copy of the draft as their own, and a notification.
#[utoipa::path(post, path = "/api/scripts/{id}/share", tag = "robot", request_body = ShareRequest,
    params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ShareResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn share(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ShareRequest>,
) -> ApiResult<Json<ShareResponse>> {
    caller.require(ROBOT_MANAGE)?;
    let notes = scripts::share(&state.db, &caller, id, request.member_ids).await?;
    for note in &notes {
        state.notifications.publish(note);
    }
    Ok(Json(ShareResponse {
        shared: notes.len(),
    }))
}

/// Delete a script and its versions.
#[utoipa::path(delete, path = "/api/scripts/{id}", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    scripts::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Download the draft as a JSON file (to import elsewhere).
#[utoipa::path(get, path = "/api/scripts/{id}/export", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, description = "The script JSON")))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    caller.require(ROBOT_VIEW)?;
    let row = scripts::find(&state.db, caller.tenant(), id).await?;
    attachment(
        &format!("{}.json", row.name),
        "script.json",
        "application/json; charset=utf-8",
        row.draft,
    )
}

/// Test the draft: replays the whole conversation from the start with the events given.
#[utoipa::path(post, path = "/api/scripts/{id}/chat", tag = "robot", request_body = ChatRequest,
    params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ChatResponse), (status = 422, body = ErrorBody)))]
async fn chat(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ChatRequest>,
) -> ApiResult<Json<ChatResponse>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(
        script_chat::chat(&state.db, caller.tenant(), id, request).await?,
    ))
}
