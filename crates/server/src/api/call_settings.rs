//! Call settings (呼叫设置 → 其他): the robot's timing parameters, with defaults.

use axum::Json;
use axum::extract::State;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::robot::call_settings::{self, CallSettingsRequest, CallSettingsView};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings))
}

/// The call settings in force.
#[utoipa::path(get, path = "/api/call-settings", tag = "robot", responses((status = 200, body = CallSettingsView)))]
async fn get_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<CallSettingsView>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(
        call_settings::settings(&state.db, caller.tenant()).await?,
    ))
}

/// Change the call settings.
#[utoipa::path(put, path = "/api/call-settings", tag = "robot", request_body = CallSettingsRequest,
    responses((status = 200, body = CallSettingsView), (status = 422, body = ErrorBody)))]
async fn put_settings(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<CallSettingsRequest>,
) -> ApiResult<Json<CallSettingsView>> {
    caller.require(ROBOT_MANAGE)?;
    Ok(Json(
        call_settings::replace(&state.db, &caller, request).await?,
    ))
}
