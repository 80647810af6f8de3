//! Task templates (存为模板): a task's settings kept under a name, to start new tasks from.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use store::entity::task;
use utoipa::ToSchema;

use super::edit::insert;
use super::lists::{TaskDetail, detail_of};
use super::refs;
use super::scope::TaskScope;
use super::stored::{find_template, settings_of};
use super::validation::check_name;
use crate::auth::Caller;
use crate::services::Result;
use crate::services::audit;

#[derive(Serialize, ToSchema)]
pub struct TemplateSummary {
    id: i64,
    name: String,
    created_at: DateTime<Utc>,
}

impl From<task::Model> for TemplateSummary {
    fn from(row: task::Model) -> Self {
        Self {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
        }
    }
}

/// Saves task `task_id`'s settings (without its alias) as a template named `name`.
pub async fn save(
    db: &DatabaseConnection,
    caller: &Caller,
    task_id: i64,
    name: &str,
) -> Result<TemplateSummary> {
    let source = TaskScope::of(caller).find(db, task_id).await?;
    let mut settings = settings_of(&source)?;
    settings.alias.clear();
    let name = check_name(name)?;
    let row = insert(db, caller, name, &settings, true, "存为模板".to_owned()).await?;
    Ok(row.into())
}

/// The company's templates, newest first.
pub async fn list(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Vec<TemplateSummary>> {
    let rows = task::Entity::find()
        .filter(task::Column::TenantId.eq(tenant_id))
        .filter(task::Column::IsTemplate.eq(true))
        .order_by_desc(task::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(TemplateSummary::from).collect())
}

/// A new task named `name` from template `id`; the validity period starts now, as long as
/// the template's.
pub async fn create_task(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    name: &str,
) -> Result<TaskDetail> {
    let template = find_template(db, caller.tenant(), id).await?;
    let mut settings = settings_of(&template)?;
    let length = settings.valid_until - settings.valid_from;
    settings.valid_from = Utc::now();
    settings.valid_until = settings.valid_from + length;
    // The template may name scripts or lines deleted since; the form says which.
    refs::check(db, caller.tenant(), &settings, None).await?;
    let name = check_name(name)?;
    let from = format!("来自模板 {}", template.name);
    let row = insert(db, caller, name, &settings, false, from).await?;
    detail_of(db, row).await
}

pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    let txn = store::begin(db).await?;
    let row = find_template(&txn, caller.tenant(), id).await?;
    task::Entity::delete_by_id(row.id)
        .filter(task::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(&txn, caller, "task.delete", row.name, "删除模板").await?;
    txn.commit().await?;
    Ok(())
}
