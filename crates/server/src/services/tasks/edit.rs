//! Creating, changing, copying and deleting tasks, and the form a new task starts from.

use chrono::{Duration, Utc};
use domain::task::{Dialog, Schedule, TaskKind, TaskSettings, TaskStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use store::entity::{task, task_number};

use super::lists::{TaskDetail, detail_of};
use super::refs;
use super::scope::TaskScope;
use super::stored::{settings_of, to_json};
use super::validation::{TaskRequest, check_request};
use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Result};

/// A new task (or template) of the caller's company, not started and without numbers,
/// written with its audit entry (`detail`: where it came from).
pub(super) async fn insert(
    db: &DatabaseConnection,
    caller: &Caller,
    name: String,
    settings: &TaskSettings,
    is_template: bool,
    detail: String,
) -> Result<task::Model> {
    let now = Utc::now();
    let txn = store::begin(db).await?;
    let row = task::ActiveModel {
        tenant_id: Set(caller.tenant()),
        name: Set(name),
        kind: Set(match settings.kind {
            TaskKind::Script => "script",
            TaskKind::Llm => "llm",
        }
        .to_owned()),
        line_id: Set(Some(settings.line_id)),
        settings: Set(to_json(settings)?),
        status: Set(TaskStatus::NotStarted.code().to_owned()),
        idle_reason: Set(String::new()),
        is_template: Set(is_template),
        total_numbers: Set(0),
        called_numbers: Set(0),
        connected_numbers: Set(0),
        created_by: Set(Some(caller.member.id)),
        created_at: Set(now),
        updated_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::by(&txn, caller, "task.create", row.name.clone(), detail).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: TaskRequest,
) -> Result<TaskDetail> {
    let (name, settings) = check_request(db, caller.tenant(), request, None).await?;
    let row = insert(db, caller, name, &settings, false, String::new()).await?;
    detail_of(db, row).await
}

/// A new task's form, filled with what most tasks use: the simulated line, the newest
/// published script, the default working hours and a year of validity.
pub async fn defaults(db: &impl ConnectionTrait, tenant_id: i64) -> Result<serde_json::Value> {
    let lines = refs::company_lines(db, tenant_id).await?;
    let line_id = lines
        .iter()
        .find(|l| l.kind == "simulated")
        .or(lines.first())
        .map(|l| l.id);
    let script_id = refs::newest_published_script(db, tenant_id).await?;
    let template = domain::calltime::system_templates()
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no system call-time template"))?;
    let now = Utc::now();
    let tz = crate::services::org::time_zone(db, tenant_id).await?;
    let local = now.with_timezone(&tz);
    let settings = TaskSettings {
        tags: Vec::new(),
        alias: String::new(),
        kind: TaskKind::Script,
        dialog: script_id.map(|script_id| Dialog::Unified { script_id }),
        llm_robot_id: None,
        quality_condition_id: None,
        line_id: line_id.unwrap_or_default(),
        blacklist_group_ids: refs::default_blacklist_group(db, tenant_id)
            .await?
            .into_iter()
            .collect(),
        valid_from: now,
        valid_until: now + Duration::days(365),
        schedule: Schedule {
            template_id: Some(template.id.to_owned()),
            days: template.template,
        },
        skip_holidays: true,
        forbidden: Vec::new(),
        call_interval_s: 0,
        concurrency: 5,
        end_action: Default::default(),
        transfer: Default::default(),
        quota: Default::default(),
        retry: Default::default(),
    };
    let mut value = serde_json::to_value(&settings).map_err(|e| anyhow::anyhow!(e))?;
    value["name"] =
        serde_json::Value::String(format!("外呼任务{}", local.format("%Y-%m-%d (%H:%M)")));
    if line_id.is_none() {
        value["line_id"] = serde_json::Value::Null;
    }
    Ok(value)
}

/// Changes a task's settings; a running task must be paused first.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: TaskRequest,
) -> Result<TaskDetail> {
    // The running check and the change go together: a start in between cannot slip in.
    let txn = store::begin(db).await?;
    let row = TaskScope::of(caller).find(&txn, id).await?;
    if row.status == TaskStatus::Running.code() {
        return Err(Error::conflict(
            "TASK_RUNNING",
            format!("任务“{}”正在执行，请先暂停", row.name),
        ));
    }
    let (name, settings) = check_request(&txn, caller.tenant(), request, Some(id)).await?;
    let mut active = row.into_active_model();
    active.name = Set(name);
    active.line_id = Set(Some(settings.line_id));
    active.settings = Set(to_json(&settings)?);
    active.updated_at = Set(Utc::now());
    let row = active.update(&txn).await?;
    audit::by(&txn, caller, "task.update", row.name.clone(), "").await?;
    txn.commit().await?;
    detail_of(db, row).await
}

/// Deletes tasks with their numbers, all or none: refuses if one is missing or running.
/// Returns how many were deleted.
pub async fn delete(db: &DatabaseConnection, caller: &Caller, ids: &[i64]) -> Result<usize> {
    let txn = store::begin(db).await?;
    let rows = task::Entity::find()
        .filter(TaskScope::of(caller).tasks())
        .filter(task::Column::Id.is_in(ids.to_vec()))
        .all(&txn)
        .await?;
    if rows.len() != ids.len() {
        return Err(Error::not_found("任务"));
    }
    let running: Vec<&str> = rows
        .iter()
        .filter(|r| r.status == TaskStatus::Running.code())
        .map(|r| r.name.as_str())
        .collect();
    if !running.is_empty() {
        return Err(Error::conflict(
            "TASK_RUNNING",
            format!("以下任务正在执行，请先暂停：{}", running.join("、")),
        ));
    }
    // Numbers go first: a large task's rows are deleted in one statement, not row by row.
    task_number::Entity::delete_many()
        .filter(task_number::Column::TenantId.eq(caller.tenant()))
        .filter(task_number::Column::TaskId.is_in(ids.to_vec()))
        .exec(&txn)
        .await?;
    task::Entity::delete_many()
        .filter(task::Column::TenantId.eq(caller.tenant()))
        .filter(task::Column::Id.is_in(ids.to_vec()))
        .exec(&txn)
        .await?;
    for row in &rows {
        audit::by(
            &txn,
            caller,
            "task.delete",
            row.name.clone(),
            format!("{} 个号码", row.total_numbers),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(rows.len())
}

/// A new task with the settings of task `id` (without its numbers or its alias).
pub async fn copy(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<TaskDetail> {
    let source = TaskScope::of(caller).find(db, id).await?;
    let mut settings = settings_of(&source)?;
    // An alias names one task.
    settings.alias.clear();
    let name: String = format!("{}（副本）", source.name)
        .chars()
        .take(50)
        .collect();
    let from = format!("复制自 {}", source.name);
    let row = insert(db, caller, name, &settings, false, from).await?;
    detail_of(db, row).await
}
