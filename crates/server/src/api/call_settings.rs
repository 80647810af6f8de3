//! Call settings (呼叫设置 → 其他): the robot's timing parameters, with defaults.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use robot::timing::CallTiming;
use serde::{Deserialize, Serialize};
use store::entity::company_setting;
use store::sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::audit;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings))
}

const TIMING_KEY: &str = "call_timing";

#[derive(Serialize, ToSchema)]
pub struct CallSettingsView {
    #[schema(value_type = Object)]
    timing: CallTiming,
    /// The values "恢复默认" returns to.
    #[schema(value_type = Object)]
    defaults: CallTiming,
}

async fn setting(state: &AppState, tenant_id: i64) -> ApiResult<Option<company_setting::Model>> {
    Ok(company_setting::Entity::find()
        .filter(company_setting::Column::TenantId.eq(tenant_id))
        .filter(company_setting::Column::Key.eq(TIMING_KEY))
        .one(&state.db)
        .await?)
}

/// The company's call timing, or the defaults.
pub async fn call_timing(state: &AppState, tenant_id: i64) -> ApiResult<CallTiming> {
    Ok(setting(state, tenant_id)
        .await?
        .and_then(|row| serde_json::from_str(&row.value).ok())
        .unwrap_or_default())
}

/// The call settings in force.
#[utoipa::path(get, path = "/api/call-settings", tag = "robot", responses((status = 200, body = CallSettingsView)))]
async fn get_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<CallSettingsView>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(CallSettingsView {
        timing: call_timing(&state, caller.tenant()).await?,
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
    let value = serde_json::to_string(&request.timing).map_err(|e| anyhow::anyhow!(e))?;
    match setting(&state, caller.tenant()).await? {
        Some(row) => {
            let mut row = row.into_active_model();
            row.value = Set(value.clone());
            row.updated_at = Set(Utc::now());
            row.update(&state.db).await?;
        }
        None => {
            company_setting::ActiveModel {
                tenant_id: Set(caller.tenant()),
                key: Set(TIMING_KEY.to_owned()),
                value: Set(value.clone()),
                updated_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&state.db)
            .await?;
        }
    }
    audit::by(
        &state.db,
        &caller,
        "call_settings.update",
        "呼叫设置",
        value,
    )
    .await?;
    Ok(Json(CallSettingsView {
        timing: request.timing,
        defaults: CallTiming::default(),
    }))
}
