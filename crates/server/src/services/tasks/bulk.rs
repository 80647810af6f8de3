//! Actions on all of a company's tasks at once: 全部暂停 and 全部开始.

use chrono::Utc;
use domain::task::TaskStatus;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use store::entity::task;
use utoipa::ToSchema;

use super::lifecycle::start_one;
use super::scope::TaskScope;
use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Result};

#[derive(Serialize, ToSchema)]
pub struct Refusal {
    task_id: i64,
    name: String,
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct BulkResult {
    changed: usize,
    failed: Vec<Refusal>,
}

/// Pauses every running task in the caller's data scope.
pub async fn pause_all(db: &DatabaseConnection, caller: &Caller) -> Result<BulkResult> {
    let now = Utc::now();
    let txn = store::begin(db).await?;
    let result = task::Entity::update_many()
        .col_expr(task::Column::Status, TaskStatus::Paused.code().into())
        .col_expr(task::Column::IdleReason, "".into())
        .col_expr(task::Column::UpdatedAt, now.into())
        .filter(TaskScope::of(caller).tasks())
        .filter(task::Column::Status.eq(TaskStatus::Running.code()))
        .exec(&txn)
        .await?;
    audit::by(
        &txn,
        caller,
        "task.pause",
        "全部任务",
        format!("{} 个", result.rows_affected),
    )
    .await?;
    txn.commit().await?;
    Ok(BulkResult {
        changed: usize::try_from(result.rows_affected).unwrap_or(usize::MAX),
        failed: Vec::new(),
    })
}

/// Starts every paused or not-started task in the caller's data scope that can start, each on its own; the others say
/// why not.
pub async fn start_all(db: &DatabaseConnection, caller: &Caller) -> Result<BulkResult> {
    let rows = task::Entity::find()
        .filter(TaskScope::of(caller).tasks())
        .filter(
            Condition::any()
                .add(task::Column::Status.eq(TaskStatus::Paused.code()))
                .add(task::Column::Status.eq(TaskStatus::NotStarted.code())),
        )
        .order_by_asc(task::Column::Id)
        .all(db)
        .await?;
    let mut result = BulkResult {
        changed: 0,
        failed: Vec::new(),
    };
    for row in rows {
        match start_one(db, caller, row.id).await {
            Ok(_) => result.changed += 1,
            Err(Error::Refused(refusal)) => result.failed.push(Refusal {
                task_id: row.id,
                name: row.name,
                reason: refusal.message,
            }),
            Err(error) => return Err(error),
        }
    }
    Ok(result)
}
