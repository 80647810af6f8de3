//! LLM quality-check conditions (大模型质检): configure them, and test one on a transcript.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::robot::quality::{
    self, ConditionRequest, ConditionView, TestConditionRequest, TestConditionResponse,
};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_conditions, create_condition))
        .routes(routes!(update_condition, delete_condition))
        .routes(routes!(test_condition))
}

/// The company's quality-check conditions.
#[utoipa::path(get, path = "/api/quality-conditions", tag = "robot", responses((status = 200, body = Vec<ConditionView>)))]
async fn list_conditions(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ConditionView>>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(quality::list(&state.db, caller.tenant()).await?))
}

/// Add a quality-check condition.
#[utoipa::path(post, path = "/api/quality-conditions", tag = "robot", request_body = ConditionRequest,
    responses((status = 201, body = ConditionView), (status = 422, body = ErrorBody)))]
async fn create_condition(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<ConditionRequest>,
) -> ApiResult<(StatusCode, Json<ConditionView>)> {
    caller.require(ROBOT_MANAGE)?;
    let condition = quality::create(&state.db, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(condition)))
}

/// Edit a quality-check condition.
#[utoipa::path(put, path = "/api/quality-conditions/{id}", tag = "robot", request_body = ConditionRequest,
    params(("id" = i64, Path, description = "Condition id")),
    responses((status = 200, body = ConditionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_condition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ConditionRequest>,
) -> ApiResult<Json<ConditionView>> {
    caller.require(ROBOT_MANAGE)?;
    Ok(Json(
        quality::update(&state.db, &caller, id, request).await?,
    ))
}

/// Delete a quality-check condition.
#[utoipa::path(delete, path = "/api/quality-conditions/{id}", tag = "robot", params(("id" = i64, Path, description = "Condition id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_condition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    quality::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Have the condition's model grade a transcript, as it would re-grade a call.
#[utoipa::path(post, path = "/api/quality-conditions/{id}/test", tag = "robot", request_body = TestConditionRequest,
    params(("id" = i64, Path, description = "Condition id")),
    responses((status = 200, body = TestConditionResponse), (status = 502, body = ErrorBody)))]
async fn test_condition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<TestConditionRequest>,
) -> ApiResult<Json<TestConditionResponse>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(
        quality::test(&state.db, caller.tenant(), id, request).await?,
    ))
}
