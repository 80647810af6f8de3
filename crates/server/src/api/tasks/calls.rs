//! A task's calls (通话记录 tab): the list with its basic filters, one call's detail with the
//! conversation, the live view (SSE), and redial (重呼, TASK-7).

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use domain::call::{CallState, TimelineEntry, Turn};
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use domain::task::{NumberStatus, TaskStatus};
use futures::Stream;
use robot::grading::Level;
use robot::script::Script;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use store::entity::{call, script_version, task_number};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{TaskSummary, find, summary_of};
use crate::audit;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::billing::balance_of;
use crate::services::paging::{Page, PageQuery};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(live))
        .routes(routes!(redial))
}

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
    state: &AppState,
    row: &call::Model,
    turns: Vec<Turn>,
) -> ApiResult<Vec<TurnView>> {
    let mut intents: HashMap<String, String> = robot::intent::builtin_intents()
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let mut questions: HashMap<String, String> = HashMap::new();
    if let Some(version_id) = row.script_version_id {
        let version = script_version::Entity::find_by_id(version_id)
            .filter(script_version::Column::TenantId.eq(row.tenant_id))
            .one(&state.db)
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

fn filter(query: &CallQuery) -> ApiResult<Condition> {
    let mut condition = Condition::all();
    if let Some(from) = query.from {
        condition = condition.add(call::Column::DialedAt.gte(from));
    }
    if let Some(to) = query.to {
        condition = condition.add(call::Column::DialedAt.lt(to));
    }
    let grades = codes(query.grades.as_deref());
    if grades.iter().any(|g| level_of(g).is_none()) {
        return Err(ApiError::validation("grades", "意向等级只能是 A 到 F"));
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
        return Err(ApiError::validation("statuses", "呼叫状态不正确"));
    }
    if !statuses.is_empty() {
        condition = condition.add(call::Column::Status.is_in(statuses));
    }
    if let (Some(min), Some(max)) = (query.min_duration, query.max_duration)
        && min > max
    {
        return Err(ApiError::validation(
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

async fn names(state: &AppState, rows: &[call::Model]) -> ApiResult<HashMap<i64, String>> {
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
        .all(&state.db)
        .await?
        .into_iter()
        .collect())
}

/// The task's calls, newest first.
#[utoipa::path(get, path = "/api/tasks/{id}/calls", tag = "calls",
    params(("id" = i64, Path, description = "Task id"), PageQuery, CallQuery),
    responses((status = 200, body = Page<CallSummary>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(page): Query<PageQuery>,
    Query(query): Query<CallQuery>,
) -> ApiResult<Json<Page<CallSummary>>> {
    caller.require(TASK_VIEW)?;
    let task_row = find(&state.db, &caller, id, false).await?;
    let select = call::Entity::find()
        .filter(call::Column::TenantId.eq(caller.tenant()))
        .filter(call::Column::TaskId.eq(task_row.id))
        .filter(filter(&query)?);
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_desc(call::Column::Id)
        .offset(page.index() * page.size())
        .limit(page.size())
        .all(&state.db)
        .await?;
    let names = names(&state, &rows).await?;
    let items = rows
        .iter()
        .map(|row| {
            summary(
                row,
                names.get(&row.task_number_id).cloned().unwrap_or_default(),
            )
        })
        .collect();
    Ok(Json(Page { items, total }))
}

/// One call with its timeline and conversation.
#[utoipa::path(get, path = "/api/calls/{id}", tag = "calls", params(("id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallDetail), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CallDetail>> {
    caller.require(TASK_VIEW)?;
    let row = call::Entity::find_by_id(id)
        .filter(call::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("通话记录"))?;
    let task_row = find(&state.db, &caller, row.task_id, false).await?;
    let number = task_number::Entity::find_by_id(row.task_number_id)
        .one(&state.db)
        .await?;
    let (name, province, city, carrier) = number.map_or_else(Default::default, |n| {
        (n.name, n.province, n.city, n.carrier)
    });
    Ok(Json(CallDetail {
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
            &state,
            &row,
            serde_json::from_str(&row.transcript).unwrap_or_default(),
        )
        .await?,
    }))
}

/// A call on the line right now.
#[derive(Serialize, ToSchema)]
pub struct LiveCall {
    call_id: i64,
    phone: String,
    name: String,
    state: String,
    dialed_at: Option<DateTime<Utc>>,
    answered_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct LiveBalance {
    balance_mfen: i64,
    available_mfen: i64,
}

/// What the task page shows live.
#[derive(Serialize, ToSchema)]
pub struct LiveSnapshot {
    task: TaskSummary,
    in_progress: Vec<LiveCall>,
    finished_today: u64,
    answered_today: u64,
    balance: LiveBalance,
}

/// Calls a live snapshot lists at most.
const LIVE_CALLS: u64 = 200;
const LIVE_EVERY: Duration = Duration::from_secs(1);

async fn snapshot(state: &AppState, caller: &Caller, id: i64) -> ApiResult<LiveSnapshot> {
    let row = find(&state.db, caller, id, false).await?;
    let tz = crate::org::time_zone(&state.db, row.tenant_id).await?;
    let now = Utc::now();
    let midnight = tz
        .from_local_datetime(&now.with_timezone(&tz).date_naive().and_time(NaiveTime::MIN))
        .earliest()
        .map_or(now, |t| t.with_timezone(&Utc));
    let open = call::Entity::find()
        .filter(call::Column::TenantId.eq(row.tenant_id))
        .filter(call::Column::TaskId.eq(row.id))
        .filter(call::Column::EndedAt.is_null())
        .order_by_asc(call::Column::Id)
        .limit(LIVE_CALLS)
        .all(&state.db)
        .await?;
    let names = names(state, &open).await?;
    let today = call::Entity::find()
        .filter(call::Column::TaskId.eq(row.id))
        .filter(call::Column::EndedAt.gte(midnight));
    let finished_today = today.clone().count(&state.db).await?;
    let answered_today = today
        .filter(call::Column::Status.eq(NumberStatus::Answered.code()))
        .count(&state.db)
        .await?;
    let balance = balance_of(&state.db, row.tenant_id).await?;
    Ok(LiveSnapshot {
        in_progress: open
            .into_iter()
            .map(|c| LiveCall {
                call_id: c.id,
                name: names.get(&c.task_number_id).cloned().unwrap_or_default(),
                phone: c.phone,
                state: c.state,
                dialed_at: c.dialed_at,
                answered_at: c.answered_at,
            })
            .collect(),
        task: summary_of(state, &row).await?,
        finished_today,
        answered_today,
        balance: LiveBalance {
            balance_mfen: balance.balance_mfen,
            available_mfen: balance.available_mfen,
        },
    })
}

/// The task live: a `snapshot` event every second (calls in progress, counters, balance).
#[utoipa::path(get, path = "/api/tasks/{id}/live", tag = "calls", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, description = "text/event-stream of LiveSnapshot", content_type = "text/event-stream"), (status = 404, body = ErrorBody)))]
async fn live(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    caller.require(TASK_VIEW)?;
    // Refuse at once (404) rather than with an empty stream.
    find(&state.db, &caller, id, false).await?;
    let events = futures::stream::unfold(
        (state, caller, None::<String>),
        move |(state, caller, last)| async move {
            loop {
                if last.is_some() {
                    tokio::time::sleep(LIVE_EVERY).await;
                }
                let data = match snapshot(&state, &caller, id).await {
                    Ok(snapshot) => serde_json::to_string(&snapshot).unwrap_or_default(),
                    // The task is gone (deleted): end the stream.
                    Err(_) => return None,
                };
                if last.as_deref() == Some(data.as_str()) {
                    continue;
                }
                let event = Event::default().event("snapshot").data(data.clone());
                return Some((Ok(event), (state, caller, Some(data))));
            }
        },
    );
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

#[derive(Deserialize, ToSchema)]
pub struct RedialRequest {
    /// Outcome codes to call again, e.g. `["no_answer", "busy"]`.
    statuses: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RedialResult {
    /// Numbers queued again.
    numbers: u64,
}

/// 重呼: queue the numbers with these outcomes again; they are called when the task runs.
#[utoipa::path(post, path = "/api/tasks/{id}/redial", tag = "calls", request_body = RedialRequest,
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = RedialResult), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn redial(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<RedialRequest>,
) -> ApiResult<Json<RedialResult>> {
    caller.require(TASK_MANAGE)?;
    let row = find(&state.db, &caller, id, false).await?;
    match TaskStatus::from_code(&row.status) {
        Some(TaskStatus::Running) => {
            return Err(ApiError::conflict(
                "TASK_RUNNING",
                "任务执行中，请先暂停再重呼",
            ));
        }
        Some(TaskStatus::Stopped) => {
            return Err(ApiError::conflict(
                "TASK_STOPPED",
                "任务已停止，不能重呼；可复制任务后重新开始",
            ));
        }
        _ => {}
    }
    if request.statuses.is_empty() {
        return Err(ApiError::validation("statuses", "请选择要重呼的呼叫状态"));
    }
    let mut statuses = Vec::new();
    for code in &request.statuses {
        match NumberStatus::from_code(code) {
            Some(status) if status.is_redialable() => statuses.push(status.code()),
            _ => {
                return Err(ApiError::validation("statuses", "只能重呼未接通的呼叫状态"));
            }
        }
    }
    let numbers = task_number::Entity::update_many()
        .col_expr(task_number::Column::NextCallAt, Some(Utc::now()).into())
        .filter(task_number::Column::TenantId.eq(caller.tenant()))
        .filter(task_number::Column::TaskId.eq(row.id))
        .filter(task_number::Column::Status.is_in(statuses))
        .exec(&state.db)
        .await?
        .rows_affected;
    audit::by(
        &state.db,
        &caller,
        "task.redial",
        row.name.clone(),
        format!("{} 个号码", numbers),
    )
    .await?;
    Ok(Json(RedialResult { numbers }))
}
