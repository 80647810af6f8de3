//! The task list and a task's page: each task's counters and, for a running task, why it is
//! not calling right now (DIAL-4).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::calltime::{Calendar, Decision};
use domain::idle::IdleReason;
use domain::task::{Dialog, TaskKind, TaskSettings, TaskStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use store::entity::{line, task};
use utoipa::{IntoParams, ToSchema};

use super::refs;
use super::scope::TaskScope;
use super::stored::settings_of;
use crate::auth::Caller;
use crate::services::paging::{Page, PageQuery};
use crate::services::search;
use crate::services::{self, Result};

/// A task as the list shows it.
#[derive(Serialize, ToSchema)]
pub struct TaskSummary {
    id: i64,
    name: String,
    tags: Vec<String>,
    #[schema(value_type = String)]
    kind: TaskKind,
    status: &'static str,
    status_label: &'static str,
    /// Why a running task is not calling right now (DIAL-4); empty when it is.
    idle_reason: String,
    line_id: Option<i64>,
    line_name: String,
    concurrency: u32,
    total_numbers: i64,
    called_numbers: i64,
    connected_numbers: i64,
    /// Connected ÷ called, 0 when nothing was called.
    connect_rate: f64,
    created_by: Option<i64>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct TaskDetail {
    #[serde(flatten)]
    summary: TaskSummary,
    #[schema(value_type = Object)]
    settings: TaskSettings,
    /// The unified script, or the fallback of 按时间配置.
    script_name: Option<String>,
    llm_robot_name: Option<String>,
}

/// What the lists need to describe tasks: line names, the calendar, the balance.
struct Context {
    lines: HashMap<i64, line::Model>,
    calendar: Calendar,
    tz: chrono_tz::Tz,
    balance_exhausted: bool,
}

impl Context {
    async fn load(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Self> {
        let lines = refs::company_lines(db, tenant_id)
            .await?
            .into_iter()
            .map(|l| (l.id, l))
            .collect();
        Ok(Self {
            lines,
            calendar: services::company::calendar(db, tenant_id).await?,
            tz: crate::services::org::time_zone(db, tenant_id).await?,
            balance_exhausted: services::billing::funds(db, tenant_id).await?.used_up(),
        })
    }

    fn summary(&self, row: &task::Model, settings: &TaskSettings) -> TaskSummary {
        let status = TaskStatus::from_code(&row.status).unwrap_or(TaskStatus::NotStarted);
        let line = row.line_id.and_then(|id| self.lines.get(&id));
        TaskSummary {
            id: row.id,
            name: row.name.clone(),
            tags: settings.tags.clone(),
            kind: settings.kind,
            status: status.code(),
            status_label: status.label(),
            idle_reason: if status == TaskStatus::Running {
                self.idle_reason(row, settings, line)
            } else {
                String::new()
            },
            line_id: row.line_id,
            line_name: line.map(|l| l.name.clone()).unwrap_or_default(),
            concurrency: settings.concurrency,
            total_numbers: row.total_numbers,
            called_numbers: row.called_numbers,
            connected_numbers: row.connected_numbers,
            connect_rate: if row.called_numbers > 0 {
                row.connected_numbers as f64 / row.called_numbers as f64
            } else {
                0.0
            },
            created_by: row.created_by,
            created_at: row.created_at,
            started_at: row.started_at,
        }
    }

    /// DIAL-4: what stops a running task from calling now, as the list shows it.
    fn idle_reason(
        &self,
        row: &task::Model,
        settings: &TaskSettings,
        line: Option<&line::Model>,
    ) -> String {
        let seen = match line {
            None => Some(IdleReason::LineMissing),
            Some(line) if line.status != "active" => Some(IdleReason::LineDisabled),
            _ if self.balance_exhausted => Some(IdleReason::FundsUsedUp),
            _ => match settings.policy(&self.calendar, self.tz).check(Utc::now()) {
                Decision::Blocked { reason, next } => Some(IdleReason::Blocked {
                    reason,
                    next: next.map(|at| at.with_timezone(&self.tz).naive_local()),
                }),
                Decision::Allowed { .. } => None,
            },
        };
        // Otherwise what the dialer found while running.
        seen.map_or_else(|| row.idle_reason.clone(), |reason| reason.to_string())
    }
}

/// A task as the list shows it, with its idle reason worked out now.
pub async fn summary_of(db: &impl ConnectionTrait, row: &task::Model) -> Result<TaskSummary> {
    let context = Context::load(db, row.tenant_id).await?;
    Ok(context.summary(row, &settings_of(row)?))
}

/// A task with its settings and the names of what they point at.
pub async fn detail_of(db: &impl ConnectionTrait, row: task::Model) -> Result<TaskDetail> {
    let context = Context::load(db, row.tenant_id).await?;
    let settings = settings_of(&row)?;
    let script_id = match &settings.dialog {
        Some(Dialog::Unified { script_id }) => Some(*script_id),
        Some(Dialog::ByTime {
            fallback_script_id, ..
        }) => Some(*fallback_script_id),
        None => None,
    };
    let (script_name, llm_robot_name) =
        refs::names(db, row.tenant_id, script_id, settings.llm_robot_id).await?;
    Ok(TaskDetail {
        summary: context.summary(&row, &settings),
        settings,
        script_name,
        llm_robot_name,
    })
}

/// The company's task `id` as its page shows it.
pub async fn detail(db: &impl ConnectionTrait, scope: &TaskScope, id: i64) -> Result<TaskDetail> {
    let row = scope.find(db, id).await?;
    detail_of(db, row).await
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    status: Option<String>,
    /// Name contains this.
    q: Option<String>,
    /// `mine`: only tasks the caller created.
    owner: Option<String>,
}

/// The tasks in the caller's data scope, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    query: &ListQuery,
    paging: &PageQuery,
) -> Result<Page<TaskSummary>> {
    let mut select = task::Entity::find().filter(TaskScope::of(caller).tasks());
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(task::Column::Status.eq(status));
    }
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        select = select.filter(search::contains(task::Column::Name, text));
    }
    if query.owner.as_deref() == Some("mine") {
        select = select.filter(task::Column::CreatedBy.eq(caller.member.id));
    }
    let paginator = select
        .order_by_desc(task::Column::Id)
        .paginate(db, paging.size());
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(paging.index()).await?;
    let context = Context::load(db, caller.tenant()).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(context.summary(row, &settings_of(row)?));
    }
    Ok(Page { items, total })
}
