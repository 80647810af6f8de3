//! Call settings (呼叫设置 → 其他): the robot's timing parameters, with defaults.

use robot::timing::CallTiming;
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Result, company};

#[derive(Serialize, ToSchema)]
pub struct CallSettingsView {
    #[schema(value_type = Object)]
    timing: CallTiming,
    /// The values "恢复默认" returns to.
    #[schema(value_type = Object)]
    defaults: CallTiming,
}

impl From<CallTiming> for CallSettingsView {
    fn from(timing: CallTiming) -> Self {
        Self {
            timing,
            defaults: CallTiming::default(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CallSettingsRequest {
    /// Missing values take their defaults.
    #[schema(value_type = Object)]
    timing: CallTiming,
}

/// The call settings in force.
pub async fn settings(db: &DatabaseConnection, tenant_id: i64) -> Result<CallSettingsView> {
    Ok(company::call_timing(db, tenant_id).await?.into())
}

/// Replaces the company's call settings, each value in its range.
pub async fn replace(
    db: &DatabaseConnection,
    caller: &Caller,
    request: CallSettingsRequest,
) -> Result<CallSettingsView> {
    let timing = request.timing;
    timing
        .check()
        .map_err(|(field, message)| Error::validation(field, message))?;
    let txn = store::begin(db).await?;
    company::save_call_timing(&txn, caller.tenant(), &timing).await?;
    audit::by(
        &txn,
        caller,
        "call_settings.update",
        "呼叫设置",
        serde_json::to_string(&timing).unwrap_or_default(),
    )
    .await?;
    txn.commit().await?;
    Ok(timing.into())
}
