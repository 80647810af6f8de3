//! Grading rules (意向等级规则): each company's ordered rules that grade calls A–F.

use axum::Json;
use axum::extract::State;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::robot::grading::{self, RulesRequest, RulesView};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_rules, put_rules))
}

/// The grading rules in force.
#[utoipa::path(get, path = "/api/grading-rules", tag = "robot", responses((status = 200, body = RulesView)))]
async fn get_rules(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<RulesView>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(grading::rules(&state.db, caller.tenant()).await?))
}

/// Replace the grading rules.
#[utoipa::path(put, path = "/api/grading-rules", tag = "robot", request_body = RulesRequest,
    responses((status = 200, body = RulesView), (status = 422, body = ErrorBody)))]
async fn put_rules(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<RulesRequest>,
) -> ApiResult<Json<RulesView>> {
    caller.require(ROBOT_MANAGE)?;
    Ok(Json(grading::replace(&state.db, &caller, request).await?))
}
