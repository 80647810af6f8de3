//! A task's calls (通话记录 tab): the list with its basic filters, one call's detail with the
//! conversation, and redial (重呼, TASK-7).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::call::{CallState, TimelineEntry, Turn};
use domain::task::{NumberStatus, TaskStatus};
use robot::grading::Level;
use robot::script::Script;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use store::entity::{call, script_version, task_number};
use utoipa::{IntoParams, ToSchema};

use super::scope::TaskScope;
use crate::auth::Caller;
use crate::services::audit;
use crate::services::paging::{Page, PageQuery};
use crate::services::{Error, Result};

#[derive(Debug, Deserialize, IntoParams)]
pub struct CallQuery {
    /// Dialled at or after.
    from: Option<DateTime<Utc>>,
    /// Dialled before.
    to: Option<DateTime<Utc>>,
    /// Comma-separated levels, e.g. `A,B` (the quality check's level when it changed one).
    grades: Option<String>,
    /// Comma-separated outcome codes, e.g. `answered,no_answer`.
    statuses: Option<String>,
    /// Talk seconds at least.
    min_duration: Option<u32>,
    /// Talk seconds at most.
    max_duration: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct CallSummary {
    id: i64,
    phone: String,
    name: String,
    /// The outcome code; empty while the call is open.
    status: String,
    status_label: String,
    /// A–F, or empty until graded (or for calls not answered).
    grade: String,
    grade_label: String,
    /// The LLM quality check's level when it differs from the rules' one.
    qc_grade: String,
    /// `robot`, `customer`, `network`, `system` (not answered) or empty.
    hangup_by: String,
    hangup_by_label: &'static str,
    dialed_at: Option<DateTime<Utc>>,
    answered_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    /// Talk time (answer to hang-up), whole seconds rounded up.
    duration_s: i64,
    billed_seconds: i32,
    cost_mfen: i64,
    interactions: i32,
    tags: Vec<String>,
    attempt: i32,
    /// `claimed`, `dialing`, `answered` (in progress) or `ended`.
    state: String,
}

#[derive(Serialize, ToSchema)]
pub struct CallDetail {
    #[serde(flatten)]
    summary: CallSummary,
    task_id: i64,
    task_name: String,
    ring_ms: i32,
    cause: String,
    grade_rule: String,
    qc_reason: String,
    province: String,
    city: String,
    carrier: String,
    #[schema(value_type = Vec<Object>)]
    timeline: Vec<TimelineEntry>,
    transcript: Vec<TurnView>,
}

/// A line of the conversation, with the names users read beside the stored codes.
#[derive(Serialize, ToSchema)]
pub struct TurnView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    turn: Turn,
    /// The recognised intent's name (e.g. 询问价格), when the turn has an intent.
    #[serde(skip_serializing_if = "Option::is_none")]
    intent_name: Option<String>,
    /// The knowledge entry's question, when the knowledge base answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    knowledge_question: Option<String>,
}

/// Names for a call's intent codes and knowledge ids: the built-in intents and those of the
/// script version the call used.
async fn turn_views(
    db: &impl ConnectionTrait,
    row: &call::Model,
    turns: Vec<Turn>,
) -> Result<Vec<TurnView>> {
    let mut intents: HashMap<String, String> = robot::intent::builtin_intents()
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let mut questions: HashMap<String, String> = HashMap::new();
    if let Some(version_id) = row.script_version_id {
        let version = script_version::Entity::find_by_id(version_id)
            .filter(script_version::Column::TenantId.eq(row.tenant_id))
            .one(db)
            .await?;
        if let Some(script) = version.and_then(|v| serde_json::from_str::<Script>(&v.body).ok()) {
            intents.extend(script.intents.into_iter().map(|i| (i.code, i.name)));
            questions.extend(
                script
                    .knowledge
                    .into_iter()
                    .filter_map(|k| Some((k.id, k.questions.into_iter().next()?))),
            );
        }
    }
    Ok(turns
        .into_iter()
        .map(|turn| TurnView {
            intent_name: turn.intent.as_ref().and_then(|c| intents.get(c).cloned()),
            knowledge_question: turn
                .knowledge
                .as_ref()
                .and_then(|id| questions.get(id).cloned()),
            turn,
        })
        .collect())
}

fn level_of(code: &str) -> Option<Level> {
    Level::ALL.into_iter().find(|l| format!("{l:?}") == code)
}

fn hangup_label(code: &str) -> &'static str {
    match code {
        "robot" => "机器人挂断",
        "customer" => "客户挂断",
        "network" => "运营商/网络",
        "system" => "系统（未接通）",
        _ => "",
    }
}

fn summary(row: &call::Model, name: String) -> CallSummary {
    let shown_grade = if row.qc_grade.is_empty() {
        &row.grade
    } else {
        &row.qc_grade
    };
    CallSummary {
        id: row.id,
        phone: row.phone.clone(),
        name,
        status: row.status.clone(),
        status_label: match NumberStatus::from_code(&row.status) {
            Some(status) => status.label().to_owned(),
            None if CallState::from_code(&row.state) == Some(CallState::Answered) => {
                "通话中".to_owned()
            }
            None => "呼叫中".to_owned(),
        },
        grade: row.grade.clone(),
        grade_label: level_of(shown_grade)
            .map(|l| l.label().to_owned())
            .unwrap_or_default(),
        qc_grade: row.qc_grade.clone(),
        hangup_by: row.hangup_by.clone(),
        hangup_by_label: hangup_label(&row.hangup_by),
        dialed_at: row.dialed_at,
        answered_at: row.answered_at,
        ended_at: row.ended_at,
        duration_s: i64::from(u32::try_from(row.duration_ms).unwrap_or(0).div_ceil(1000)),
        billed_seconds: row.billed_seconds,
        cost_mfen: row.cost_mfen,
        interactions: row.interactions,
        tags: serde_json::from_str(&row.tags).unwrap_or_default(),
        attempt: row.attempt,
        state: row.state.clone(),
    }
}

fn codes(list: Option<&str>) -> Vec<String> {
    list.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .collect()
}

fn filter(query: &CallQuery) -> Result<Condition> {
    let mut condition = Condition::all();
    if let Some(from) = query.from {
        condition = condition.add(call::Column::DialedAt.gte(from));
    }
    if let Some(to) = query.to {
        condition = condition.add(call::Column::DialedAt.lt(to));
    }
    let grades = codes(query.grades.as_deref());
    if grades.iter().any(|g| level_of(g).is_none()) {
        return Err(Error::validation("grades", "意向等级只能是 A 到 F"));
    }
    if !grades.is_empty() {
        condition = condition.add(
            Condition::any()
                .add(call::Column::QcGrade.is_in(grades.clone()))
                .add(
                    Condition::all()
                        .add(call::Column::QcGrade.eq(""))
                        .add(call::Column::Grade.is_in(grades)),
                ),
        );
    }
    let statuses = codes(query.statuses.as_deref());
    if statuses
        .iter()
        .any(|s| NumberStatus::from_code(s).is_none())
    {
        return Err(Error::validation("statuses", "呼叫状态不正确"));
    }
    if !statuses.is_empty() {
        condition = condition.add(call::Column::Status.is_in(statuses));
    }
    if let (Some(min), Some(max)) = (query.min_duration, query.max_duration)
        && min > max
    {
        return Err(Error::validation(
            "min_duration",
            "通话时长的最小值不能大于最大值",
        ));
    }
    if let Some(min) = query.min_duration {
        // Talk time rounds up to whole seconds, as the list shows it.
        let floor = i64::from(min.saturating_sub(1)) * 1000;
        condition = condition.add(call::Column::DurationMs.gt(if min == 0 { -1 } else { floor }));
    }
    if let Some(max) = query.max_duration {
        condition = condition.add(call::Column::DurationMs.lte(i64::from(max) * 1000));
    }
    Ok(condition)
}

/// The contact names of the calls' numbers, by number id.
pub(super) async fn names(
    db: &impl ConnectionTrait,
    rows: &[call::Model],
) -> Result<HashMap<i64, String>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.task_number_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(task_number::Entity::find()
        .select_only()
        .column(task_number::Column::Id)
        .column(task_number::Column::Name)
        .filter(task_number::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Task `task_id`'s calls, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &TaskScope,
    task_id: i64,
    page: &PageQuery,
    query: &CallQuery,
) -> Result<Page<CallSummary>> {
    let task_row = scope.find(db, task_id).await?;
    let select = call::Entity::find()
        .filter(call::Column::TenantId.eq(task_row.tenant_id))
        .filter(call::Column::TaskId.eq(task_row.id))
        .filter(filter(query)?);
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_desc(call::Column::Id)
        .offset(page.offset())
        .limit(page.size())
        .all(db)
        .await?;
    let names = names(db, &rows).await?;
    let items = rows
        .iter()
        .map(|row| {
            summary(
                row,
                names.get(&row.task_number_id).cloned().unwrap_or_default(),
            )
        })
        .collect();
    Ok(Page { items, total })
}

/// Call `id` with its timeline and conversation.
pub async fn detail(db: &impl ConnectionTrait, scope: &TaskScope, id: i64) -> Result<CallDetail> {
    let row = call::Entity::find_by_id(id)
        .filter(call::Column::TenantId.eq(scope.tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("通话记录"))?;
    let task_row = scope.find(db, row.task_id).await?;
    let number = task_number::Entity::find_by_id(row.task_number_id)
        .one(db)
        .await?;
    let (name, province, city, carrier) = number.map_or_else(Default::default, |n| {
        (n.name, n.province, n.city, n.carrier)
    });
    Ok(CallDetail {
        summary: summary(&row, name),
        task_id: task_row.id,
        task_name: task_row.name,
        ring_ms: row.ring_ms,
        cause: row.cause.clone(),
        grade_rule: row.grade_rule.clone(),
        qc_reason: row.qc_reason.clone(),
        province,
        city,
        carrier,
        timeline: serde_json::from_str(&row.events).unwrap_or_default(),
        transcript: turn_views(
            db,
            &row,
            serde_json::from_str(&row.transcript).unwrap_or_default(),
        )
        .await?,
    })
}

/// 重呼: queues task `id`'s numbers with these outcomes again, to be called when the task
/// runs. Returns how many were queued.
pub async fn redial(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
    statuses: &[String],
) -> Result<u64> {
    let row = TaskScope::of(caller).find(db, id).await?;
    match TaskStatus::from_code(&row.status) {
        Some(TaskStatus::Running) => {
            return Err(Error::conflict(
                "TASK_RUNNING",
                "任务执行中，请先暂停再重呼",
            ));
        }
        Some(TaskStatus::Stopped) => {
            return Err(Error::conflict(
                "TASK_STOPPED",
                "任务已停止，不能重呼；可复制任务后重新开始",
            ));
        }
        _ => {}
    }
    if statuses.is_empty() {
        return Err(Error::validation("statuses", "请选择要重呼的呼叫状态"));
    }
    let mut codes = Vec::new();
    for code in statuses {
        match NumberStatus::from_code(code) {
            Some(status) if status.is_redialable() => codes.push(status.code()),
            _ => {
                return Err(Error::validation("statuses", "只能重呼未接通的呼叫状态"));
            }
        }
    }
    let numbers = task_number::Entity::update_many()
        .col_expr(task_number::Column::NextCallAt, Some(Utc::now()).into())
        .filter(task_number::Column::TenantId.eq(caller.tenant()))
        .filter(task_number::Column::TaskId.eq(row.id))
        .filter(task_number::Column::Status.is_in(codes))
        .exec(db)
        .await?
        .rows_affected;
    audit::by(
        db,
        caller,
        "task.redial",
        row.name.clone(),
        format!("{} 个号码", numbers),
    )
    .await?;
    Ok(numbers)
}
