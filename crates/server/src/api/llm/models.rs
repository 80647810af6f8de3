//! The company's models (大模型配置): configure them, and test one with a sentence.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::robot::llm_models::{
    self, ModelRequest, ModelView, TestModelRequest, TestModelResponse,
};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_models, create_model))
        .routes(routes!(update_model, delete_model))
        .routes(routes!(test_model))
}

/// The company's models.
#[utoipa::path(get, path = "/api/llm-models", tag = "robot", responses((status = 200, body = Vec<ModelView>)))]
async fn list_models(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ModelView>>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(llm_models::list(&state.db, caller.tenant()).await?))
}

/// Add a model.
#[utoipa::path(post, path = "/api/llm-models", tag = "robot", request_body = ModelRequest,
    responses((status = 201, body = ModelView), (status = 422, body = ErrorBody)))]
async fn create_model(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<ModelRequest>,
) -> ApiResult<(StatusCode, Json<ModelView>)> {
    caller.require(ROBOT_MANAGE)?;
    let model = llm_models::create(&state.db, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(model)))
}

/// Edit a model; an empty key keeps the saved one.
#[utoipa::path(put, path = "/api/llm-models/{id}", tag = "robot", request_body = ModelRequest,
    params(("id" = i64, Path, description = "Model id")),
    responses((status = 200, body = ModelView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_model(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ModelRequest>,
) -> ApiResult<Json<ModelView>> {
    caller.require(ROBOT_MANAGE)?;
    Ok(Json(
        llm_models::update(&state.db, &caller, id, request).await?,
    ))
}

/// Delete a model that no quality condition or LLM robot uses.
#[utoipa::path(delete, path = "/api/llm-models/{id}", tag = "robot", params(("id" = i64, Path, description = "Model id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_model(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    llm_models::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Send one sentence to the model and show its answer (or why it failed).
#[utoipa::path(post, path = "/api/llm-models/{id}/test", tag = "robot", request_body = TestModelRequest,
    params(("id" = i64, Path, description = "Model id")),
    responses((status = 200, body = TestModelResponse), (status = 502, body = ErrorBody)))]
async fn test_model(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<TestModelRequest>,
) -> ApiResult<Json<TestModelResponse>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(
        llm_models::test(&state.db, caller.tenant(), id, request).await?,
    ))
}
