//! A task as stored: a template found by id within its company (a task is found through
//! its caller's `TaskScope`), its settings kept as JSON.

use domain::task::TaskSettings;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use store::entity::task;

use crate::services::{Error, Result};

/// The company's task template `id`; templates are shared by the whole company.
pub async fn find_template(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    id: i64,
) -> Result<task::Model> {
    task::Entity::find_by_id(id)
        .filter(task::Column::TenantId.eq(tenant_id))
        .filter(task::Column::IsTemplate.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("任务模板"))
}

pub fn settings_of(row: &task::Model) -> Result<TaskSettings> {
    serde_json::from_str(&row.settings)
        .map_err(|e| anyhow::anyhow!("stored task settings unreadable: {e}").into())
}

pub fn to_json(settings: &TaskSettings) -> Result<String> {
    serde_json::to_string(settings).map_err(|e| anyhow::anyhow!(e).into())
}
