//! Intents (意图): the built-in list, and classifying one sentence (the editor's test box).

use axum::Json;
use axum::extract::State;
use domain::permissions::ROBOT_VIEW;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::robot::intents::{self, ClassifyRequest, ClassifyResponse, IntentView};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(classify))
}

/// The built-in intents.
#[utoipa::path(get, path = "/api/intents", tag = "robot", responses((status = 200, body = Vec<IntentView>)))]
async fn list(caller: Caller) -> ApiResult<Json<Vec<IntentView>>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(intents::builtin()))
}

/// Classify one sentence against the built-in intents (and a script's own).
#[utoipa::path(post, path = "/api/intents/classify", tag = "robot", request_body = ClassifyRequest,
    responses((status = 200, body = ClassifyResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn classify(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<ClassifyRequest>,
) -> ApiResult<Json<ClassifyResponse>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(
        intents::classify(&state.db, caller.tenant(), request).await?,
    ))
}
