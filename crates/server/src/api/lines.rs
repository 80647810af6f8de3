//! Lines (线路, LINE-1/2): the operator provisions SIP trunks and assigns them to companies;
//! a company sees its simulated line (模拟线路) and the trunks it was given, with how much of
//! each line's concurrency its running tasks hold. A trunk's password is never sent back.

use std::collections::{BTreeSet, HashMap};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{company, line, line_assignment, task};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{Caller, OperatorCaller};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(company_lines))
        .routes(routes!(operator_lines, create))
        .routes(routes!(update, delete))
        .routes(routes!(assign))
}

const TRANSPORTS: [&str; 3] = ["udp", "tcp", "tls"];
const CODECS: [&str; 2] = ["PCMA", "PCMU"];
const STATUSES: [&str; 2] = ["active", "disabled"];
const MAX_NAME: usize = 50;
const MAX_CALLER_IDS: usize = 1_000;

/// A line as a company sees it.
#[derive(Serialize, ToSchema)]
pub struct LineView {
    id: i64,
    name: String,
    /// `sip` or `simulated`.
    kind: String,
    /// SIP线路 or 模拟线路.
    kind_label: &'static str,
    max_concurrency: i32,
    /// Concurrency the company's running tasks hold on this line.
    in_use: i64,
    calls_per_second: i32,
    price_mfen_per_minute: i64,
    billing_increment_s: i32,
    /// `active` or `disabled`.
    status: String,
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "simulated" => "模拟线路",
        _ => "SIP线路",
    }
}

/// The lines a company may call on: its simulated line, then the trunks assigned to it.
pub async fn usable_lines(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<Vec<line::Model>, DbErr> {
    let assigned: Vec<i64> = line_assignment::Entity::find()
        .filter(line_assignment::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.line_id)
        .collect();
    let mut rows = line::Entity::find()
        .filter(
            Condition::any()
                .add(line::Column::TenantId.eq(tenant_id))
                .add(
                    Condition::all()
                        .add(line::Column::TenantId.is_null())
                        .add(line::Column::Id.is_in(assigned)),
                ),
        )
        .order_by_asc(line::Column::Id)
        .all(db)
        .await?;
    rows.sort_by_key(|row| (row.kind != "simulated", row.id));
    Ok(rows)
}

/// Per line, the concurrency held by the company's running tasks (each task's
/// `settings.concurrency`).
pub async fn in_use(db: &impl ConnectionTrait, tenant_id: i64) -> Result<HashMap<i64, i64>, DbErr> {
    let running = task::Entity::find()
        .filter(task::Column::TenantId.eq(tenant_id))
        .filter(task::Column::Status.eq("running"))
        .filter(task::Column::IsTemplate.eq(false))
        .filter(task::Column::LineId.is_not_null())
        .all(db)
        .await?;
    let mut held: HashMap<i64, i64> = HashMap::new();
    for row in running {
        let Some(line_id) = row.line_id else { continue };
        let concurrency = serde_json::from_str::<serde_json::Value>(&row.settings)
            .ok()
            .and_then(|settings| {
                settings
                    .get("concurrency")
                    .and_then(serde_json::Value::as_i64)
            })
            .unwrap_or(0)
            .max(0);
        *held.entry(line_id).or_default() += concurrency;
    }
    Ok(held)
}

/// The lines the company may use for its tasks.
#[utoipa::path(get, path = "/api/lines", tag = "lines",
    responses((status = 200, body = Vec<LineView>), (status = 403, body = ErrorBody)))]
async fn company_lines(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<LineView>>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    let held = in_use(&state.db, caller.tenant()).await?;
    let lines = usable_lines(&state.db, caller.tenant())
        .await?
        .into_iter()
        .map(|row| LineView {
            in_use: held.get(&row.id).copied().unwrap_or(0),
            kind_label: kind_label(&row.kind),
            id: row.id,
            name: row.name,
            kind: row.kind,
            max_concurrency: row.max_concurrency,
            calls_per_second: row.calls_per_second,
            price_mfen_per_minute: row.price_mfen_per_minute,
            billing_increment_s: row.billing_increment_s,
            status: row.status,
        })
        .collect();
    Ok(Json(lines))
}

/// What a SIP line keeps in `lines.settings`.
#[derive(Serialize, Deserialize, Default)]
pub struct SipSettings {
    pub address: String,
    pub transport: String,
    pub username: String,
    pub caller_ids: Vec<String>,
    pub codecs: Vec<String>,
}

/// A platform line as the operator sees it.
#[derive(Serialize, ToSchema)]
pub struct OperatorLineView {
    id: i64,
    name: String,
    /// `host:port` of the carrier's proxy/registrar.
    address: String,
    /// `udp`, `tcp` or `tls`.
    transport: String,
    username: String,
    /// A password is stored (it is never sent back).
    password_set: bool,
    caller_ids: Vec<String>,
    /// `PCMA`, `PCMU`, in order of preference.
    codecs: Vec<String>,
    max_concurrency: i32,
    calls_per_second: i32,
    price_mfen_per_minute: i64,
    billing_increment_s: i32,
    status: String,
    company_ids: Vec<i64>,
    created_at: DateTime<Utc>,
}

fn operator_view(row: line::Model, company_ids: Vec<i64>) -> OperatorLineView {
    let settings: SipSettings = serde_json::from_str(&row.settings).unwrap_or_default();
    OperatorLineView {
        id: row.id,
        name: row.name,
        address: settings.address,
        transport: settings.transport,
        username: settings.username,
        password_set: !row.secret.is_empty(),
        caller_ids: settings.caller_ids,
        codecs: settings.codecs,
        max_concurrency: row.max_concurrency,
        calls_per_second: row.calls_per_second,
        price_mfen_per_minute: row.price_mfen_per_minute,
        billing_increment_s: row.billing_increment_s,
        status: row.status,
        company_ids,
        created_at: row.created_at,
    }
}

async fn assignments(
    db: &impl ConnectionTrait,
    line_ids: Vec<i64>,
) -> Result<HashMap<i64, Vec<i64>>, DbErr> {
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in line_assignment::Entity::find()
        .filter(line_assignment::Column::LineId.is_in(line_ids))
        .order_by_asc(line_assignment::Column::TenantId)
        .all(db)
        .await?
    {
        map.entry(row.line_id).or_default().push(row.tenant_id);
    }
    Ok(map)
}

async fn find_platform_line(db: &impl ConnectionTrait, id: i64) -> ApiResult<line::Model> {
    line::Entity::find_by_id(id)
        .filter(line::Column::TenantId.is_null())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("线路"))
}

async fn one(db: &impl ConnectionTrait, id: i64) -> ApiResult<OperatorLineView> {
    let row = find_platform_line(db, id).await?;
    let mut companies = assignments(db, vec![id]).await?;
    Ok(operator_view(
        row,
        companies.remove(&id).unwrap_or_default(),
    ))
}

/// The platform's SIP lines.
#[utoipa::path(get, path = "/api/operator/lines", tag = "operator",
    responses((status = 200, body = Vec<OperatorLineView>), (status = 403, body = ErrorBody)))]
async fn operator_lines(
    State(state): State<AppState>,
    _operator: OperatorCaller,
) -> ApiResult<Json<Vec<OperatorLineView>>> {
    let rows = line::Entity::find()
        .filter(line::Column::TenantId.is_null())
        .order_by_asc(line::Column::Id)
        .all(&state.db)
        .await?;
    let mut companies = assignments(&state.db, rows.iter().map(|r| r.id).collect()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| {
                let ids = companies.remove(&row.id).unwrap_or_default();
                operator_view(row, ids)
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct LineRequest {
    name: String,
    /// `host:port` (port 5060 when left out).
    address: String,
    /// `udp`, `tcp` or `tls`.
    transport: String,
    #[serde(default)]
    username: String,
    /// On update: null or absent keeps the stored password.
    password: Option<String>,
    #[serde(default)]
    caller_ids: Vec<String>,
    /// `PCMA` and/or `PCMU`.
    codecs: Vec<String>,
    max_concurrency: i32,
    calls_per_second: i32,
    price_mfen_per_minute: i64,
    billing_increment_s: i32,
    /// `active` (default) or `disabled`.
    status: Option<String>,
}

/// A checked request: the columns and the settings document.
struct CheckedLine {
    name: String,
    settings: SipSettings,
    max_concurrency: i32,
    calls_per_second: i32,
    price_mfen_per_minute: i64,
    billing_increment_s: i32,
    status: String,
}

fn check_address(address: &str) -> ApiResult<String> {
    let address = address.trim();
    let bad = || {
        ApiError::validation(
            "address",
            "线路地址应为 主机:端口，例如 sip.example.com:5060 或 10.0.0.8:5060",
        )
    };
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().map_err(|_| bad())?),
        None => (address, 5060),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !host_ok || port == 0 {
        return Err(bad());
    }
    Ok(format!("{host}:{port}"))
}

fn check(request: &LineRequest) -> ApiResult<CheckedLine> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::validation(
            "name",
            format!("线路名称不能为空，且不超过 {MAX_NAME} 个字"),
        ));
    }
    let address = check_address(&request.address)?;
    let transport = request.transport.trim().to_ascii_lowercase();
    if !TRANSPORTS.contains(&transport.as_str()) {
        return Err(ApiError::validation(
            "transport",
            "传输协议只能是 UDP、TCP 或 TLS",
        ));
    }
    let username = request.username.trim();
    if username.chars().count() > 100 {
        return Err(ApiError::validation("username", "账号不能超过 100 个字符"));
    }
    if request.caller_ids.len() > MAX_CALLER_IDS {
        return Err(ApiError::validation(
            "caller_ids",
            format!("主叫号码最多 {MAX_CALLER_IDS} 个"),
        ));
    }
    let mut caller_ids: Vec<String> = Vec::new();
    for text in request
        .caller_ids
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        let phone = domain::phone::normalize(text).map_err(|reason| {
            ApiError::validation("caller_ids", format!("主叫号码“{text}”：{reason}"))
        })?;
        if !caller_ids.contains(&phone.number) {
            caller_ids.push(phone.number);
        }
    }
    let mut codecs: Vec<String> = Vec::new();
    for codec in &request.codecs {
        let codec = codec.trim().to_ascii_uppercase();
        if !CODECS.contains(&codec.as_str()) {
            return Err(ApiError::validation(
                "codecs",
                format!("不支持的编码“{codec}”，可选 PCMA、PCMU"),
            ));
        }
        if !codecs.contains(&codec) {
            codecs.push(codec);
        }
    }
    if codecs.is_empty() {
        return Err(ApiError::validation("codecs", "请至少选择一种编码"));
    }
    if !(1..=10_000).contains(&request.max_concurrency) {
        return Err(ApiError::validation(
            "max_concurrency",
            "最大并发应在 1 到 10000 之间",
        ));
    }
    if !(1..=1_000).contains(&request.calls_per_second) {
        return Err(ApiError::validation(
            "calls_per_second",
            "每秒呼叫数应在 1 到 1000 之间",
        ));
    }
    if request.price_mfen_per_minute < 0 || request.price_mfen_per_minute > 100 * 100_000 {
        return Err(ApiError::validation(
            "price_mfen_per_minute",
            "单价应在 0 到 100 元/分钟之间",
        ));
    }
    if !(1..=60).contains(&request.billing_increment_s) {
        return Err(ApiError::validation(
            "billing_increment_s",
            "计费周期应在 1 到 60 秒之间",
        ));
    }
    let status = request.status.as_deref().unwrap_or("active").trim();
    if !STATUSES.contains(&status) {
        return Err(ApiError::validation("status", "状态只能是启用或停用"));
    }
    Ok(CheckedLine {
        name: name.to_owned(),
        settings: SipSettings {
            address,
            transport,
            username: username.to_owned(),
            caller_ids,
            codecs,
        },
        max_concurrency: request.max_concurrency,
        calls_per_second: request.calls_per_second,
        price_mfen_per_minute: request.price_mfen_per_minute,
        billing_increment_s: request.billing_increment_s,
        status: status.to_owned(),
    })
}

async fn name_taken(db: &impl ConnectionTrait, name: &str, except: Option<i64>) -> ApiResult<()> {
    let clash = line::Entity::find()
        .filter(line::Column::TenantId.is_null())
        .filter(line::Column::Name.eq(name))
        .one(db)
        .await?
        .filter(|row| Some(row.id) != except);
    match clash {
        Some(_) => {
            Err(ApiError::conflict("LINE_EXISTS", format!("线路“{name}”已存在")).on_field("name"))
        }
        None => Ok(()),
    }
}

fn apply(active: &mut line::ActiveModel, checked: CheckedLine) -> ApiResult<()> {
    let settings =
        serde_json::to_string(&checked.settings).map_err(|e| ApiError::from(anyhow::anyhow!(e)))?;
    active.name = Set(checked.name);
    active.settings = Set(settings);
    active.max_concurrency = Set(checked.max_concurrency);
    active.calls_per_second = Set(checked.calls_per_second);
    active.price_mfen_per_minute = Set(checked.price_mfen_per_minute);
    active.billing_increment_s = Set(checked.billing_increment_s);
    active.status = Set(checked.status);
    active.updated_at = Set(Utc::now());
    Ok(())
}

/// Add a SIP line to the platform.
#[utoipa::path(post, path = "/api/operator/lines", tag = "operator", request_body = LineRequest,
    responses((status = 201, body = OperatorLineView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Json(request): Json<LineRequest>,
) -> ApiResult<(StatusCode, Json<OperatorLineView>)> {
    let checked = check(&request)?;
    name_taken(&state.db, &checked.name, None).await?;
    let now = Utc::now();
    let mut active = line::ActiveModel {
        tenant_id: Set(None),
        kind: Set("sip".to_owned()),
        secret: Set(request.password.unwrap_or_default()),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut active, checked)?;
    let row = active.insert(&state.db).await?;
    tracing::info!(operator = %operator.operator.login, line = row.id, "line created");
    Ok((StatusCode::CREATED, Json(operator_view(row, Vec::new()))))
}

/// Change a SIP line; a null or absent password keeps the stored one.
#[utoipa::path(put, path = "/api/operator/lines/{id}", tag = "operator", request_body = LineRequest,
    params(("id" = i64, Path, description = "Line id")),
    responses((status = 200, body = OperatorLineView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Path(id): Path<i64>,
    Json(request): Json<LineRequest>,
) -> ApiResult<Json<OperatorLineView>> {
    let row = find_platform_line(&state.db, id).await?;
    let checked = check(&request)?;
    name_taken(&state.db, &checked.name, Some(id)).await?;
    let mut active = row.into_active_model();
    apply(&mut active, checked)?;
    if let Some(password) = request.password {
        active.secret = Set(password);
    }
    active.update(&state.db).await?;
    tracing::info!(operator = %operator.operator.login, line = id, "line updated");
    Ok(Json(one(&state.db, id).await?))
}

/// Delete a SIP line no task uses.
#[utoipa::path(delete, path = "/api/operator/lines/{id}", tag = "operator",
    params(("id" = i64, Path, description = "Line id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    find_platform_line(&state.db, id).await?;
    let tasks = task::Entity::find()
        .filter(task::Column::LineId.eq(id))
        .count(&state.db)
        .await?;
    if tasks > 0 {
        return Err(ApiError::conflict(
            "LINE_IN_USE",
            format!("有 {tasks} 个任务（含模板）使用此线路，请先让这些任务改用其他线路"),
        ));
    }
    let txn = store::begin(&state.db).await?;
    line_assignment::Entity::delete_many()
        .filter(line_assignment::Column::LineId.eq(id))
        .exec(&txn)
        .await?;
    line::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    tracing::info!(operator = %operator.operator.login, line = id, "line deleted");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct AssignRequest {
    /// Every company that may use the line (replaces the current list).
    company_ids: Vec<i64>,
}

/// Choose the companies a SIP line is given to.
#[utoipa::path(put, path = "/api/operator/lines/{id}/companies", tag = "operator", request_body = AssignRequest,
    params(("id" = i64, Path, description = "Line id")),
    responses((status = 200, body = OperatorLineView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assign(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Path(id): Path<i64>,
    Json(request): Json<AssignRequest>,
) -> ApiResult<Json<OperatorLineView>> {
    find_platform_line(&state.db, id).await?;
    let wanted: BTreeSet<i64> = request.company_ids.into_iter().collect();
    let known = company::Entity::find()
        .filter(company::Column::Id.is_in(wanted.iter().copied()))
        .count(&state.db)
        .await?;
    if known != wanted.len() as u64 {
        return Err(ApiError::invalid("UNKNOWN_COMPANY", "所选企业不存在").on_field("company_ids"));
    }
    let txn = store::begin(&state.db).await?;
    let current: BTreeSet<i64> = line_assignment::Entity::find()
        .filter(line_assignment::Column::LineId.eq(id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.tenant_id)
        .collect();
    line_assignment::Entity::delete_many()
        .filter(line_assignment::Column::LineId.eq(id))
        .filter(line_assignment::Column::TenantId.is_not_in(wanted.iter().copied()))
        .exec(&txn)
        .await?;
    let now = Utc::now();
    let added: Vec<line_assignment::ActiveModel> = wanted
        .difference(&current)
        .map(|&tenant_id| line_assignment::ActiveModel {
            line_id: Set(id),
            tenant_id: Set(tenant_id),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !added.is_empty() {
        line_assignment::Entity::insert_many(added)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    tracing::info!(operator = %operator.operator.login, line = id, companies = ?wanted, "line assigned");
    Ok(Json(one(&state.db, id).await?))
}
