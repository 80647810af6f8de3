//! Calling tasks (呼叫中台 → AI呼叫2.0, TASK-1..5): the form's settings, the lifecycle
//! 未开始 → 执行中 ⇄ 已暂停 → 已完成/已停止, the line-concurrency check at start, copies and
//! templates. Numbers and their import live in [`numbers`].

mod calls;
pub mod numbers;
mod refs;

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use domain::calltime::{Calendar, Decision};
use domain::idle::IdleReason;
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use domain::task::{Dialog, Schedule, TaskKind, TaskSettings, TaskStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{line, task, task_number};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services;
use crate::services::audit;
use crate::services::paging::{Page, PageQuery};
use crate::state::AppState;

pub use refs::usable_line;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(defaults))
        .routes(routes!(detail, update, delete))
        .routes(routes!(start))
        .routes(routes!(pause))
        .routes(routes!(stop))
        .routes(routes!(pause_all))
        .routes(routes!(start_all))
        .routes(routes!(delete_many))
        .routes(routes!(copy))
        .routes(routes!(save_template))
        .routes(routes!(list_templates))
        .routes(routes!(create_from_template))
        .routes(routes!(delete_template))
        .merge(numbers::routes())
        .merge(calls::routes())
}

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
    async fn load(db: &impl ConnectionTrait, tenant_id: i64) -> ApiResult<Self> {
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

fn settings_of(row: &task::Model) -> ApiResult<TaskSettings> {
    serde_json::from_str(&row.settings)
        .map_err(|e| ApiError::from(anyhow::anyhow!("stored task settings unreadable: {e}")))
}

pub(super) async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
    template: bool,
) -> ApiResult<task::Model> {
    task::Entity::find_by_id(id)
        .filter(task::Column::TenantId.eq(caller.tenant()))
        .filter(task::Column::IsTemplate.eq(template))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(if template { "任务模板" } else { "任务" }))
}

/// A task as the list shows it, with its idle reason worked out now.
async fn summary_of(state: &AppState, row: &task::Model) -> ApiResult<TaskSummary> {
    let context = Context::load(&state.db, row.tenant_id).await?;
    Ok(context.summary(row, &settings_of(row)?))
}

async fn detail_of(state: &AppState, row: task::Model) -> ApiResult<TaskDetail> {
    let context = Context::load(&state.db, row.tenant_id).await?;
    let settings = settings_of(&row)?;
    let script_id = match &settings.dialog {
        Some(Dialog::Unified { script_id }) => Some(*script_id),
        Some(Dialog::ByTime {
            fallback_script_id, ..
        }) => Some(*fallback_script_id),
        None => None,
    };
    let (script_name, llm_robot_name) =
        refs::names(&state.db, row.tenant_id, script_id, settings.llm_robot_id).await?;
    Ok(TaskDetail {
        summary: context.summary(&row, &settings),
        settings,
        script_name,
        llm_robot_name,
    })
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    status: Option<String>,
    /// Name contains this.
    q: Option<String>,
    /// `mine`: only tasks the caller created.
    owner: Option<String>,
}

/// The company's tasks, newest first.
#[utoipa::path(get, path = "/api/tasks", tag = "tasks", params(ListQuery, PageQuery),
    responses((status = 200, body = Page<TaskSummary>)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<Page<TaskSummary>>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    let mut select = task::Entity::find()
        .filter(task::Column::TenantId.eq(caller.tenant()))
        .filter(task::Column::IsTemplate.eq(false));
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(task::Column::Status.eq(status));
    }
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        select = select.filter(task::Column::Name.contains(text));
    }
    if query.owner.as_deref() == Some("mine") {
        select = select.filter(task::Column::CreatedBy.eq(caller.member.id));
    }
    let paginator = select
        .order_by_desc(task::Column::Id)
        .paginate(&state.db, paging.size());
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(paging.index()).await?;
    let context = Context::load(&state.db, caller.tenant()).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(context.summary(row, &settings_of(row)?));
    }
    Ok(Json(Page { items, total }))
}

#[derive(Deserialize, ToSchema)]
pub struct TaskRequest {
    name: String,
    /// Every other field of the form (see `TaskSettings`).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    settings: serde_json::Value,
}

fn check_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(ApiError::validation(
            "name",
            "任务名称不能为空，且不超过 50 个字",
        ));
    }
    Ok(name.to_owned())
}

/// Reads and checks a task form; `except` is the task being edited (for the alias check).
async fn check_request(
    db: &impl ConnectionTrait,
    caller: &Caller,
    request: TaskRequest,
    except: Option<i64>,
) -> ApiResult<(String, TaskSettings)> {
    let name = check_name(&request.name)?;
    let mut settings: TaskSettings =
        serde_path_to_error::deserialize(request.settings).map_err(|e| {
            let path = e.path().to_string();
            let field = refs::field_of(&path);
            let inner = e.into_inner().to_string();
            // The schedule's own messages (周一的时间段 …) are already written for users.
            let message = if inner.contains('周') || inner.contains("时间段") {
                inner.split(" at line").next().unwrap_or(&inner).to_owned()
            } else {
                format!("“{path}”填写有误")
            };
            ApiError::validation(field, message)
        })?;
    settings
        .validate()
        .map_err(|e| ApiError::validation(e.field, e.message))?;
    refs::check(db, caller, &settings, except).await?;
    Ok((name, settings))
}

fn to_json(settings: &TaskSettings) -> ApiResult<String> {
    serde_json::to_string(settings).map_err(|e| ApiError::from(anyhow::anyhow!(e)))
}

async fn insert(
    db: &impl ConnectionTrait,
    caller: &Caller,
    name: String,
    settings: &TaskSettings,
    is_template: bool,
) -> ApiResult<task::Model> {
    let now = Utc::now();
    Ok(task::ActiveModel {
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
    .insert(db)
    .await?)
}

/// Create a task.
#[utoipa::path(post, path = "/api/tasks", tag = "tasks", request_body = TaskRequest,
    responses((status = 201, body = TaskDetail), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<TaskRequest>,
) -> ApiResult<(StatusCode, Json<TaskDetail>)> {
    caller.require(TASK_MANAGE)?;
    let (name, settings) = check_request(&state.db, &caller, request, None).await?;
    let row = insert(&state.db, &caller, name, &settings, false).await?;
    audit::by(&state.db, &caller, "task.create", row.name.clone(), "").await?;
    Ok((StatusCode::CREATED, Json(detail_of(&state, row).await?)))
}

/// A new task's form, filled with what most tasks use: the simulated line, the newest
/// published script, the default working hours and a year of validity.
#[utoipa::path(get, path = "/api/tasks/defaults", tag = "tasks", responses((status = 200, body = Object)))]
async fn defaults(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<serde_json::Value>> {
    caller.require(TASK_MANAGE)?;
    let lines = refs::company_lines(&state.db, caller.tenant()).await?;
    let line_id = lines
        .iter()
        .find(|l| l.kind == "simulated")
        .or(lines.first())
        .map(|l| l.id);
    let script_id = refs::newest_published_script(&state.db, caller.tenant()).await?;
    let template = domain::calltime::system_templates()
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no system call-time template"))?;
    let now = Utc::now();
    let tz = crate::services::org::time_zone(&state.db, caller.tenant()).await?;
    let local = now.with_timezone(&tz);
    let settings = TaskSettings {
        tags: Vec::new(),
        alias: String::new(),
        kind: TaskKind::Script,
        dialog: script_id.map(|script_id| Dialog::Unified { script_id }),
        llm_robot_id: None,
        quality_condition_id: None,
        line_id: line_id.unwrap_or_default(),
        blacklist_group_ids: refs::default_blacklist_group(&state.db, caller.tenant())
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
    Ok(Json(value))
}

/// A task with its settings.
#[utoipa::path(get, path = "/api/tasks/{id}", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    let row = find(&state.db, &caller, id, false).await?;
    Ok(Json(detail_of(&state, row).await?))
}

fn running_refused(name: &str) -> ApiError {
    ApiError::conflict("TASK_RUNNING", format!("任务“{name}”正在执行，请先暂停"))
}

/// Change a task's settings (not while it runs).
#[utoipa::path(put, path = "/api/tasks/{id}", tag = "tasks", request_body = TaskRequest,
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<TaskRequest>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require(TASK_MANAGE)?;
    let row = find(&state.db, &caller, id, false).await?;
    if row.status == TaskStatus::Running.code() {
        return Err(running_refused(&row.name));
    }
    let (name, settings) = check_request(&state.db, &caller, request, Some(id)).await?;
    let mut active = row.into_active_model();
    active.name = Set(name);
    active.line_id = Set(Some(settings.line_id));
    active.settings = Set(to_json(&settings)?);
    active.updated_at = Set(Utc::now());
    let row = active.update(&state.db).await?;
    audit::by(&state.db, &caller, "task.update", row.name.clone(), "").await?;
    Ok(Json(detail_of(&state, row).await?))
}

/// Deletes tasks with their numbers (the foreign key cascades); refuses running ones.
async fn remove(state: &AppState, caller: &Caller, ids: &[i64]) -> ApiResult<usize> {
    let txn = store::begin(&state.db).await?;
    let rows = task::Entity::find()
        .filter(task::Column::TenantId.eq(caller.tenant()))
        .filter(task::Column::IsTemplate.eq(false))
        .filter(task::Column::Id.is_in(ids.to_vec()))
        .all(&txn)
        .await?;
    if rows.len() != ids.len() {
        return Err(ApiError::not_found("任务"));
    }
    let running: Vec<&str> = rows
        .iter()
        .filter(|r| r.status == TaskStatus::Running.code())
        .map(|r| r.name.as_str())
        .collect();
    if !running.is_empty() {
        return Err(ApiError::conflict(
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

/// Delete a task and its numbers.
#[utoipa::path(delete, path = "/api/tasks/{id}", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(TASK_MANAGE)?;
    remove(&state, &caller, &[id]).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct IdsRequest {
    ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Deleted {
    deleted: usize,
}

/// Delete several tasks at once (多选删除); nothing is deleted if one of them runs.
#[utoipa::path(post, path = "/api/tasks/delete", tag = "tasks", request_body = IdsRequest,
    responses((status = 200, body = Deleted), (status = 409, body = ErrorBody)))]
async fn delete_many(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<IdsRequest>,
) -> ApiResult<Json<Deleted>> {
    caller.require(TASK_MANAGE)?;
    let mut ids = request.ids;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > 500 {
        return Err(ApiError::validation(
            "ids",
            "请选择要删除的任务（一次最多 500 个）",
        ));
    }
    let deleted = remove(&state, &caller, &ids).await?;
    Ok(Json(Deleted { deleted }))
}

/// One running task holding part of a line's concurrency.
#[derive(Serialize, ToSchema)]
pub struct Holder {
    /// `null` for another company's task (its name is not shown).
    task_id: Option<i64>,
    name: String,
    concurrency: u32,
}

/// Starts a task inside a transaction that holds the line, so two starts cannot both take
/// the last channels. Returns the refusal to show, if any.
async fn start_one(state: &AppState, caller: &Caller, id: i64) -> ApiResult<task::Model> {
    let txn = store::begin(&state.db).await?;
    let row = find(&txn, caller, id, false).await?;
    let status = TaskStatus::from_code(&row.status).unwrap_or(TaskStatus::NotStarted);
    if status == TaskStatus::Running {
        return Ok(row);
    }
    if !status.can_start() {
        return Err(ApiError::conflict(
            "TASK_STOPPED",
            "任务已停止，不能再启动；可复制任务后重新开始",
        ));
    }
    let settings = settings_of(&row)?;
    refs::check_startable(&txn, caller, &row, &settings).await?;
    if services::billing::funds(&txn, caller.tenant())
        .await?
        .used_up()
    {
        return Err(ApiError::conflict(
            "NO_BALANCE",
            "余额和透支额度已用完，任务无法启动，请联系平台充值",
        ));
    }
    // Lock the line row (PostgreSQL) so concurrent starts on it queue up here.
    let line = line::Entity::find_by_id(settings.line_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::validation("line_id", "线路不存在"))?;
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
        return Err(ApiError::conflict(
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

/// Start (or resume) a task.
#[utoipa::path(post, path = "/api/tasks/{id}/start", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn start(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require(TASK_MANAGE)?;
    let row = start_one(&state, &caller, id).await?;
    Ok(Json(detail_of(&state, row).await?))
}

async fn set_status(
    state: &AppState,
    caller: &Caller,
    id: i64,
    to: TaskStatus,
) -> ApiResult<task::Model> {
    let row = find(&state.db, caller, id, false).await?;
    let from = TaskStatus::from_code(&row.status).unwrap_or(TaskStatus::NotStarted);
    let allowed = match to {
        TaskStatus::Paused => from == TaskStatus::Running,
        TaskStatus::Stopped => from != TaskStatus::Stopped,
        _ => false,
    };
    if !allowed {
        return Err(ApiError::conflict(
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
    let mut active = row.into_active_model();
    active.status = Set(to.code().to_owned());
    active.idle_reason = Set(String::new());
    active.updated_at = Set(now);
    if to == TaskStatus::Stopped {
        active.finished_at = Set(Some(now));
    }
    let row = active.update(&state.db).await?;
    let action = if to == TaskStatus::Paused {
        "task.pause"
    } else {
        "task.stop"
    };
    audit::by(&state.db, caller, action, row.name.clone(), "").await?;
    Ok(row)
}

/// Pause a running task; calls in progress finish, no new ones start.
#[utoipa::path(post, path = "/api/tasks/{id}/pause", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 409, body = ErrorBody)))]
async fn pause(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require(TASK_MANAGE)?;
    let row = set_status(&state, &caller, id, TaskStatus::Paused).await?;
    Ok(Json(detail_of(&state, row).await?))
}

/// Stop a task for good (已停止); its numbers are no longer called.
#[utoipa::path(post, path = "/api/tasks/{id}/stop", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskDetail), (status = 409, body = ErrorBody)))]
async fn stop(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskDetail>> {
    caller.require(TASK_MANAGE)?;
    let row = set_status(&state, &caller, id, TaskStatus::Stopped).await?;
    Ok(Json(detail_of(&state, row).await?))
}

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

/// Pause every running task (全部暂停).
#[utoipa::path(post, path = "/api/tasks/pause-all", tag = "tasks", responses((status = 200, body = BulkResult)))]
async fn pause_all(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BulkResult>> {
    caller.require(TASK_MANAGE)?;
    let now = Utc::now();
    let result = task::Entity::update_many()
        .col_expr(task::Column::Status, TaskStatus::Paused.code().into())
        .col_expr(task::Column::IdleReason, "".into())
        .col_expr(task::Column::UpdatedAt, now.into())
        .filter(task::Column::TenantId.eq(caller.tenant()))
        .filter(task::Column::IsTemplate.eq(false))
        .filter(task::Column::Status.eq(TaskStatus::Running.code()))
        .exec(&state.db)
        .await?;
    audit::by(
        &state.db,
        &caller,
        "task.pause",
        "全部任务",
        format!("{} 个", result.rows_affected),
    )
    .await?;
    Ok(Json(BulkResult {
        changed: usize::try_from(result.rows_affected).unwrap_or(usize::MAX),
        failed: Vec::new(),
    }))
}

/// Start every paused or not-started task that can start (全部开始); the others say why not.
#[utoipa::path(post, path = "/api/tasks/start-all", tag = "tasks", responses((status = 200, body = BulkResult)))]
async fn start_all(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BulkResult>> {
    caller.require(TASK_MANAGE)?;
    let rows = task::Entity::find()
        .filter(task::Column::TenantId.eq(caller.tenant()))
        .filter(task::Column::IsTemplate.eq(false))
        .filter(
            Condition::any()
                .add(task::Column::Status.eq(TaskStatus::Paused.code()))
                .add(task::Column::Status.eq(TaskStatus::NotStarted.code())),
        )
        .order_by_asc(task::Column::Id)
        .all(&state.db)
        .await?;
    let mut result = BulkResult {
        changed: 0,
        failed: Vec::new(),
    };
    for row in rows {
        match start_one(&state, &caller, row.id).await {
            Ok(_) => result.changed += 1,
            Err(error) if error.status.is_client_error() => result.failed.push(Refusal {
                task_id: row.id,
                name: row.name,
                reason: error.message,
            }),
            Err(error) => return Err(error),
        }
    }
    Ok(Json(result))
}

/// Copy a task's settings into a new task (without its numbers).
#[utoipa::path(post, path = "/api/tasks/{id}/copy", tag = "tasks", params(("id" = i64, Path, description = "Task id")),
    responses((status = 201, body = TaskDetail), (status = 404, body = ErrorBody)))]
async fn copy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<TaskDetail>)> {
    caller.require(TASK_MANAGE)?;
    let source = find(&state.db, &caller, id, false).await?;
    let mut settings = settings_of(&source)?;
    // An alias names one task.
    settings.alias.clear();
    let name: String = format!("{}（副本）", source.name)
        .chars()
        .take(50)
        .collect();
    let row = insert(&state.db, &caller, name, &settings, false).await?;
    audit::by(
        &state.db,
        &caller,
        "task.create",
        row.name.clone(),
        format!("复制自 {}", source.name),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(detail_of(&state, row).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct NameRequest {
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TemplateSummary {
    id: i64,
    name: String,
    created_at: DateTime<Utc>,
}

/// Save a task's settings as a template (存为模板).
#[utoipa::path(post, path = "/api/tasks/{id}/template", tag = "tasks", request_body = NameRequest,
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 201, body = TemplateSummary), (status = 404, body = ErrorBody)))]
async fn save_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<NameRequest>,
) -> ApiResult<(StatusCode, Json<TemplateSummary>)> {
    caller.require(TASK_MANAGE)?;
    let source = find(&state.db, &caller, id, false).await?;
    let mut settings = settings_of(&source)?;
    settings.alias.clear();
    let name = check_name(&request.name)?;
    let row = insert(&state.db, &caller, name, &settings, true).await?;
    audit::by(
        &state.db,
        &caller,
        "task.create",
        row.name.clone(),
        "存为模板",
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(TemplateSummary {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
        }),
    ))
}

/// The company's task templates.
#[utoipa::path(get, path = "/api/task-templates", tag = "tasks", responses((status = 200, body = Vec<TemplateSummary>)))]
async fn list_templates(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TemplateSummary>>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    let rows = task::Entity::find()
        .filter(task::Column::TenantId.eq(caller.tenant()))
        .filter(task::Column::IsTemplate.eq(true))
        .order_by_desc(task::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| TemplateSummary {
                id: r.id,
                name: r.name,
                created_at: r.created_at,
            })
            .collect(),
    ))
}

/// Create a task from a template; the validity period starts now, as long as the template's.
#[utoipa::path(post, path = "/api/task-templates/{id}/create", tag = "tasks", request_body = NameRequest,
    params(("id" = i64, Path, description = "Template id")),
    responses((status = 201, body = TaskDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_from_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<NameRequest>,
) -> ApiResult<(StatusCode, Json<TaskDetail>)> {
    caller.require(TASK_MANAGE)?;
    let template = find(&state.db, &caller, id, true).await?;
    let mut settings = settings_of(&template)?;
    let length = settings.valid_until - settings.valid_from;
    settings.valid_from = Utc::now();
    settings.valid_until = settings.valid_from + length;
    // The template may name scripts or lines deleted since; the form says which.
    refs::check(&state.db, &caller, &settings, None).await?;
    let name = check_name(&request.name)?;
    let row = insert(&state.db, &caller, name, &settings, false).await?;
    audit::by(
        &state.db,
        &caller,
        "task.create",
        row.name.clone(),
        format!("来自模板 {}", template.name),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(detail_of(&state, row).await?)))
}

/// Delete a task template.
#[utoipa::path(delete, path = "/api/task-templates/{id}", tag = "tasks",
    params(("id" = i64, Path, description = "Template id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(TASK_MANAGE)?;
    let row = find(&state.db, &caller, id, true).await?;
    task::Entity::delete_by_id(row.id)
        .filter(task::Column::TenantId.eq(caller.tenant()))
        .exec(&state.db)
        .await?;
    audit::by(&state.db, &caller, "task.delete", row.name, "删除模板").await?;
    Ok(StatusCode::NO_CONTENT)
}
