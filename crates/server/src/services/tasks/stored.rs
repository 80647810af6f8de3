//! A task as stored: found by id within its company, its settings kept as JSON.

use domain::task::TaskSettings;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use store::entity::task;

use crate::services::{Error, Result};

/// The company's task `id`, or with `template` its task template `id`.
pub async fn find(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    id: i64,
    template: bool,
) -> Result<task::Model> {
    task::Entity::find_by_id(id)
        .filter(task::Column::TenantId.eq(tenant_id))
        .filter(task::Column::IsTemplate.eq(template))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found(if template { "任务模板" } else { "任务" }))
}

pub fn settings_of(row: &task::Model) -> Result<TaskSettings> {
    serde_json::from_str(&row.settings)
        .map_err(|e| anyhow::anyhow!("stored task settings unreadable: {e}").into())
}

pub fn to_json(settings: &TaskSettings) -> Result<String> {
    serde_json::to_string(settings).map_err(|e| anyhow::anyhow!(e).into())
}
