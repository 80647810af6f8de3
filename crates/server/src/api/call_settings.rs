//! Call settings (呼叫设置 → 其他): the robot's timing parameters, with defaults.

use axum::Json;
use axum::extract::State;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use robot::timing::CallTiming;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::audit;
use crate::services::company;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings))
}

#[derive(Serialize, ToSchema)]
pub struct CallSettingsView {
    #[schema(value_type = Object)]
    timing: CallTiming,
    /// The values "恢复默认" returns to.
    #[schema(value_type = Object)]
    defaults: CallTiming,
}

/// The call settings in force.
#[utoipa::path(get, path = "/api/call-settings", tag = "robot", responses((status = 200, body = CallSettingsView)))]
async fn get_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<CallSettingsView>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(CallSettingsView {
        timing: company::call_timing(&state.db, caller.tenant()).await?,
        defaults: CallTiming::default(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct CallSettingsRequest {
    /// Missing values take their defaults.
    #[schema(value_type = Object)]
    timing: CallTiming,
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
    request
        .timing
        .check()
        .map_err(|(field, message)| ApiError::validation(field, message))?;
    company::save_call_timing(&state.db, caller.tenant(), &request.timing).await?;
    audit::by(
        &state.db,
        &caller,
        "call_settings.update",
        "呼叫设置",
        serde_json::to_string(&request.timing).unwrap_or_default(),
    )
    .await?;
    Ok(Json(CallSettingsView {
        timing: request.timing,
        defaults: CallTiming::default(),
    }))
}
