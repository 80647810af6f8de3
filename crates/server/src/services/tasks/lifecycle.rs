//! A task's life: 未开始 → 执行中 ⇄ 已暂停 → 已停止. Starting holds the line's row, so two
//! starts cannot both take its last channels.

use chrono::Utc;
use domain::task::TaskStatus;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
};
use store::entity::{line, task};

use super::lists::{TaskDetail, detail_of};
use super::refs;
use super::scope::TaskScope;
use super::stored::settings_of;
use crate::auth::Caller;
use crate::services::audit;
use crate::services::{self, Error, Result};

/// Starts (or resumes) task `id`; a running task is left as it is.
pub async fn start(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<TaskDetail> {
    let row = start_one(db, caller, id).await?;
    detail_of(db, row).await
}

/// Starts a task inside a transaction that holds the line, so two starts cannot both take
/// the last channels; a running task is returned as it is.
pub(super) async fn start_one(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> Result<task::Model> {
    let txn = store::begin(db).await?;
    let row = TaskScope::of(caller).find(&txn, id).await?;
    let status = TaskStatus::from_code(&row.status).unwrap_or(TaskStatus::NotStarted);
    if status == TaskStatus::Running {
        return Ok(row);
    }
    if !status.can_start() {
        return Err(Error::conflict(
            "TASK_STOPPED",
            "任务已停止，不能再启动；可复制任务后重新开始",
        ));
    }
    let settings = settings_of(&row)?;
    refs::check_startable(&txn, &row, &settings).await?;
    if services::billing::funds(&txn, caller.tenant())
        .await?
        .used_up()
    {
        return Err(Error::conflict(
            "NO_BALANCE",
            "余额和透支额度已用完，任务无法启动，请联系平台充值",
        ));
    }
    // Lock the line row (PostgreSQL) so concurrent starts on it queue up here.
    let line = line::Entity::find_by_id(settings.line_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| Error::validation("line_id", "线路不存在"))?;
    let holders = refs::holders(&txn, caller.tenant(), line.id, row.id).await?;
    let used: u32 = holders.iter().map(|h| h.concurrency).sum();
    let free = u32::try_from(line.max_concurrency)
        .unwrap_or(0)
        .saturating_sub(used);
    if settings.concurrency > free {
        let names: Vec<String> = holders
            .iter()
            .map(|h| format!("{}（{}）", h.name, h.concurrency))
            .collect();
        return Err(Error::conflict(
            "CONCURRENCY",
            format!(
                "并发不足：线路“{}”最大并发 {}，可用 {free}，本任务需要 {}。占用中的任务：{}",
                line.name,
                line.max_concurrency,
                settings.concurrency,
                if names.is_empty() {
                    "无".to_owned()
                } else {
                    names.join("、")
                }
            ),
        )
        .with_details(serde_json::json!({ "holders": holders })));
    }
    let pinned = refs::pin_scripts(&txn, caller.tenant(), &settings).await?;
    let now = Utc::now();
    let mut active = row.into_active_model();
    active.status = Set(TaskStatus::Running.code().to_owned());
    active.idle_reason = Set(String::new());
    active.pinned_scripts = Set(pinned);
    active.started_at = Set(Some(now));
    active.finished_at = Set(None);
    active.updated_at = Set(now);
    let row = active.update(&txn).await?;
    audit::by(&txn, caller, "task.start", row.name.clone(), "").await?;
    txn.commit().await?;
    Ok(row)
}

/// Pauses a running task; calls in progress finish, no new ones start.
pub async fn pause(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<TaskDetail> {
    let row = set_status(db, caller, id, TaskStatus::Paused).await?;
    detail_of(db, row).await
}

/// Stops a task for good (已停止); its numbers are no longer called.
pub async fn stop(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<TaskDetail> {
    let row = set_status(db, caller, id, TaskStatus::Stopped).await?;
    detail_of(db, row).await
}

/// Pauses or stops a task, with its audit entry. The change holds only if the task is still
/// as it was read: the dialer may have completed it (or paused it for the balance) meanwhile.
async fn set_status(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    to: TaskStatus,
) -> Result<task::Model> {
    let txn = store::begin(db).await?;
    let row = TaskScope::of(caller).find(&txn, id).await?;
    let from = TaskStatus::from_code(&row.status).unwrap_or(TaskStatus::NotStarted);
    let allowed = match to {
        TaskStatus::Paused => from == TaskStatus::Running,
        TaskStatus::Stopped => from != TaskStatus::Stopped,
        _ => false,
    };
    if !allowed {
        return Err(Error::conflict(
            "TASK_STATE",
            format!(
                "任务当前为“{}”，不能{}",
                from.label(),
                match to {
                    TaskStatus::Paused => "暂停",
                    _ => "停止",
                }
            ),
        ));
    }
    let now = Utc::now();
    let finished_at = if to == TaskStatus::Stopped {
        Some(now)
    } else {
        row.finished_at
    };
    let changed = task::Entity::update_many()
        .col_expr(task::Column::Status, to.code().into())
        .col_expr(task::Column::IdleReason, String::new().into())
        .col_expr(task::Column::UpdatedAt, now.into())
        .col_expr(task::Column::FinishedAt, finished_at.into())
        .filter(task::Column::Id.eq(row.id))
        .filter(task::Column::Status.eq(row.status.clone()))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(Error::conflict(
            "TASK_STATE",
            "任务状态刚刚发生了变化，请刷新后重试",
        ));
    }
    let action = if to == TaskStatus::Paused {
        "task.pause"
    } else {
        "task.stop"
    };
    audit::by(&txn, caller, action, row.name.clone(), "").await?;
    txn.commit().await?;
    TaskScope::of(caller).find(db, id).await
}
