//! LLM-driven robots (大模型外呼, BOT-3): configure the prompt, knowledge, opening and
//! fallback of a robot whose lines a model writes, and test it by chatting as the customer.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use robot::llm_dialog::LlmRobotConfig;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::robot::llm_robot_chat::{self, ChatRequest, ChatResponse};
use crate::services::robot::llm_robots::{self, RobotDetail, RobotRequest, RobotSummary};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(defaults))
        .routes(routes!(detail, update, delete))
        .routes(routes!(chat))
}

/// The company's LLM robots.
#[utoipa::path(get, path = "/api/llm-robots", tag = "robot", responses((status = 200, body = Vec<RobotSummary>)))]
async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<RobotSummary>>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(llm_robots::list(&state.db, caller.tenant()).await?))
}

/// The configuration a new robot starts from.
#[utoipa::path(get, path = "/api/llm-robots/defaults", tag = "robot", responses((status = 200, body = Object)))]
async fn defaults(caller: Caller) -> ApiResult<Json<LlmRobotConfig>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(llm_robots::default_config()))
}

/// Create an LLM robot.
#[utoipa::path(post, path = "/api/llm-robots", tag = "robot", request_body = RobotRequest,
    responses((status = 201, body = RobotDetail), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<RobotRequest>,
) -> ApiResult<(StatusCode, Json<RobotDetail>)> {
    caller.require(ROBOT_MANAGE)?;
    let robot = llm_robots::create(&state.db, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(robot)))
}

/// An LLM robot with its configuration.
#[utoipa::path(get, path = "/api/llm-robots/{id}", tag = "robot", params(("id" = i64, Path, description = "Robot id")),
    responses((status = 200, body = RobotDetail), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<RobotDetail>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(
        llm_robots::detail(&state.db, caller.tenant(), id).await?,
    ))
}

/// Change an LLM robot.
#[utoipa::path(put, path = "/api/llm-robots/{id}", tag = "robot", request_body = RobotRequest,
    params(("id" = i64, Path, description = "Robot id")),
    responses((status = 200, body = RobotDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<RobotRequest>,
) -> ApiResult<Json<RobotDetail>> {
    caller.require(ROBOT_MANAGE)?;
    Ok(Json(
        llm_robots::update(&state.db, &caller, id, request).await?,
    ))
}

/// Delete an LLM robot.
#[utoipa::path(delete, path = "/api/llm-robots/{id}", tag = "robot", params(("id" = i64, Path, description = "Robot id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    llm_robots::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Test the robot: the earlier turns are replayed without the model, then the customer's new
/// line goes to the model, and the answer (or the fallback when the model fails) comes back.
#[utoipa::path(post, path = "/api/llm-robots/{id}/chat", tag = "robot", request_body = ChatRequest,
    params(("id" = i64, Path, description = "Robot id")),
    responses((status = 200, body = ChatResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn chat(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ChatRequest>,
) -> ApiResult<Json<ChatResponse>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(
        llm_robot_chat::chat(&state.db, caller.tenant(), id, request).await?,
    ))
}
