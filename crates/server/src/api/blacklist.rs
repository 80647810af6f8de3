//! The blacklist (呼叫中台 → 黑名单, BL-1): groups with a default one, numbers with an optional
//! expiry (定时拉黑), filters by group, number and time added, select-all batch delete and
//! move, and xlsx/csv import and export. Tasks bind groups; the dialer asks
//! [`crate::blacklist::blocked`].

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use domain::permissions::{BLACKLIST_MANAGE, BLACKLIST_VIEW};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use store::entity::{blacklist_entry, blacklist_group};
use store::sea_orm::sea_query::{Expr, ExprTrait, Query as SqlQuery};
use store::sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TryInsertResult,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::files::{attachment, read_upload};
use super::paging::{Page, PageQuery};
use crate::audit;
use crate::auth::Caller;
use crate::blacklist::not_expired;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::XLSX_CONTENT_TYPE;
use crate::sheet;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_groups, create_group))
        .routes(routes!(rename_group, delete_group))
        .routes(routes!(list, add))
        .routes(routes!(delete_entries))
        .routes(routes!(move_entries))
        .routes(routes!(export))
        .routes(routes!(import_template))
        .merge(OpenApiRouter::new().routes(routes!(import)).layer(
            axum::extract::DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024),
        ))
}

const MAX_GROUP_NAME: usize = 20;
const MAX_NOTE: usize = 200;
const MAX_IMPORT_ROWS: usize = 100_000;
const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Rows inserted by one statement: 5 values each, far below the bind limits.
const INSERT_CHUNK: usize = 2_000;
const IMPORT_COLUMNS: [&str; 3] = ["号码", "备注", "到期时间"];
const EXPORT_COLUMNS: [&str; 5] = ["号码", "分组", "备注", "到期时间", "加入时间"];

#[derive(Serialize, ToSchema)]
pub struct GroupView {
    id: i64,
    name: String,
    is_default: bool,
    entry_count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct EntryView {
    id: i64,
    phone: String,
    group_id: i64,
    group_name: String,
    note: String,
    expires_at: Option<DateTime<Utc>>,
    /// The expiry has passed: the number may be called again.
    expired: bool,
    created_at: DateTime<Utc>,
}

fn entry_view(
    row: blacklist_entry::Model,
    groups: &HashMap<i64, String>,
    now: DateTime<Utc>,
) -> EntryView {
    EntryView {
        group_name: groups.get(&row.group_id).cloned().unwrap_or_default(),
        expired: row.expires_at.is_some_and(|at| at <= now),
        id: row.id,
        phone: row.phone,
        group_id: row.group_id,
        note: row.note,
        expires_at: row.expires_at,
        created_at: row.created_at,
    }
}

/// The company's time zone, for dates typed without one.
fn zone(caller: &Caller) -> Tz {
    caller
        .company
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Asia::Shanghai)
}

/// A time as the console or a sheet gives it: RFC 3339 (`2026-12-31T16:00:00Z`), a local
/// date-time (`2026-12-31 23:59:59`, `2026/12/31 23:59`), a date (its start, or its end with
/// `end_of_day`) or an Excel serial date, local times in `zone`.
pub(crate) fn parse_time(text: &str, zone: Tz, end_of_day: bool) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    // A `+08:00` offset whose `+` a query string turned into a space.
    if text.contains('T')
        && let Ok(at) = DateTime::parse_from_rfc3339(&text.replacen(' ', "+", 1))
    {
        return Some(at.with_timezone(&Utc));
    }
    let local = text.replace('/', "-").replace('T', " ");
    let naive = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&local, format).ok())
        .or_else(|| {
            let date = NaiveDate::parse_from_str(&local, "%Y-%m-%d").ok()?;
            let time = if end_of_day {
                NaiveTime::from_hms_milli_opt(23, 59, 59, 999)?
            } else {
                NaiveTime::MIN
            };
            Some(date.and_time(time))
        })
        .or_else(|| excel_serial(text))?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// Excel's day count since 1899-12-30 (how a date cell reads as text).
fn excel_serial(text: &str) -> Option<NaiveDateTime> {
    let days: f64 = text.parse().ok()?;
    if !(1.0..200_000.0).contains(&days) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    #[allow(clippy::cast_possible_truncation)]
    let seconds = (days * 86_400.0).round() as i64;
    epoch.checked_add_signed(chrono::Duration::seconds(seconds))
}

fn check_group_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_GROUP_NAME {
        return Err(ApiError::validation(
            "name",
            format!("分组名称不能为空，且不超过 {MAX_GROUP_NAME} 个字"),
        ));
    }
    Ok(name.to_owned())
}

fn check_note(note: Option<&str>) -> Result<String, String> {
    let note = note.unwrap_or("").trim();
    if note.chars().count() > MAX_NOTE {
        return Err(format!("备注不能超过 {MAX_NOTE} 个字"));
    }
    Ok(note.to_owned())
}

async fn group_rows(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<Vec<blacklist_group::Model>, store::sea_orm::DbErr> {
    blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(tenant_id))
        .order_by_desc(blacklist_group::Column::IsDefault)
        .order_by_asc(blacklist_group::Column::Id)
        .all(db)
        .await
}

async fn group_names(db: &impl ConnectionTrait, tenant_id: i64) -> ApiResult<HashMap<i64, String>> {
    Ok(group_rows(db, tenant_id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect())
}

async fn find_group(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> ApiResult<blacklist_group::Model> {
    blacklist_group::Entity::find_by_id(id)
        .filter(blacklist_group::Column::TenantId.eq(caller.tenant()))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("黑名单分组"))
}

async fn default_group(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> ApiResult<blacklist_group::Model> {
    blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(caller.tenant()))
        .filter(blacklist_group::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("默认黑名单分组"))
}

async fn group_name_taken(
    state: &AppState,
    caller: &Caller,
    name: &str,
    except: Option<i64>,
) -> ApiResult<()> {
    let clash = blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(caller.tenant()))
        .filter(blacklist_group::Column::Name.eq(name))
        .one(&state.db)
        .await?
        .filter(|g| Some(g.id) != except);
    match clash {
        Some(_) => {
            Err(ApiError::conflict("GROUP_EXISTS", format!("分组“{name}”已存在")).on_field("name"))
        }
        None => Ok(()),
    }
}

async fn group_view(state: &AppState, caller: &Caller, id: i64) -> ApiResult<GroupView> {
    load_groups(state, caller)
        .await?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| ApiError::not_found("黑名单分组"))
}

async fn load_groups(state: &AppState, caller: &Caller) -> ApiResult<Vec<GroupView>> {
    let counts: HashMap<i64, i64> = blacklist_entry::Entity::find()
        .select_only()
        .column(blacklist_entry::Column::GroupId)
        .expr(Expr::col(blacklist_entry::Column::Id).count())
        .filter(blacklist_entry::Column::TenantId.eq(caller.tenant()))
        .group_by(blacklist_entry::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    Ok(group_rows(&state.db, caller.tenant())
        .await?
        .into_iter()
        .map(|g| GroupView {
            entry_count: counts
                .get(&g.id)
                .copied()
                .and_then(|n| u64::try_from(n).ok())
                .unwrap_or(0),
            id: g.id,
            name: g.name,
            is_default: g.is_default,
        })
        .collect())
}

/// The company's blacklist groups, the default one first, with their numbers' count.
#[utoipa::path(get, path = "/api/blacklist/groups", tag = "blacklist",
    responses((status = 200, body = Vec<GroupView>), (status = 403, body = ErrorBody)))]
async fn list_groups(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<GroupView>>> {
    caller.require_any(&[BLACKLIST_VIEW, BLACKLIST_MANAGE])?;
    Ok(Json(load_groups(&state, &caller).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct GroupRequest {
    name: String,
}

/// Add a group.
#[utoipa::path(post, path = "/api/blacklist/groups", tag = "blacklist", request_body = GroupRequest,
    responses((status = 201, body = GroupView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<GroupRequest>,
) -> ApiResult<(StatusCode, Json<GroupView>)> {
    caller.require(BLACKLIST_MANAGE)?;
    let name = check_group_name(&request.name)?;
    group_name_taken(&state, &caller, &name, None).await?;
    let row = blacklist_group::ActiveModel {
        tenant_id: Set(caller.tenant()),
        name: Set(name.clone()),
        is_default: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    audit::by(&state.db, &caller, "blacklist.group", name, "新增分组").await?;
    Ok((
        StatusCode::CREATED,
        Json(GroupView {
            id: row.id,
            name: row.name,
            is_default: false,
            entry_count: 0,
        }),
    ))
}

/// Rename a group.
#[utoipa::path(put, path = "/api/blacklist/groups/{id}", tag = "blacklist", request_body = GroupRequest,
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, body = GroupView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn rename_group(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<GroupRequest>,
) -> ApiResult<Json<GroupView>> {
    caller.require(BLACKLIST_MANAGE)?;
    let row = find_group(&state.db, &caller, id).await?;
    let name = check_group_name(&request.name)?;
    group_name_taken(&state, &caller, &name, Some(id)).await?;
    let old = row.name.clone();
    let mut active = row.into_active_model();
    active.name = Set(name.clone());
    active.update(&state.db).await?;
    audit::by(
        &state.db,
        &caller,
        "blacklist.group",
        name,
        format!("重命名分组（原名“{old}”）"),
    )
    .await?;
    Ok(Json(group_view(&state, &caller, id).await?))
}

/// Delete a group with its numbers; the default group stays.
#[utoipa::path(delete, path = "/api/blacklist/groups/{id}", tag = "blacklist",
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_group(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(BLACKLIST_MANAGE)?;
    let row = find_group(&state.db, &caller, id).await?;
    if row.is_default {
        return Err(ApiError::conflict("DEFAULT_GROUP", "默认分组不能删除"));
    }
    let txn = store::begin(&state.db).await?;
    let deleted = blacklist_entry::Entity::delete_many()
        .filter(blacklist_entry::Column::TenantId.eq(caller.tenant()))
        .filter(blacklist_entry::Column::GroupId.eq(id))
        .exec(&txn)
        .await?
        .rows_affected;
    blacklist_group::Entity::delete_by_id(id)
        .filter(blacklist_group::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(
        &txn,
        &caller,
        "blacklist.group",
        row.name,
        format!("删除分组及其中 {deleted} 个号码"),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which numbers a list, an export or a batch action covers.
#[derive(Deserialize, ToSchema, IntoParams, Default)]
pub struct Filter {
    /// Only this group.
    group_id: Option<i64>,
    /// The number contains this.
    phone: Option<String>,
    /// Added at or after this time (ISO date-time; a date means its start).
    created_from: Option<String>,
    /// Added at or before this time (ISO date-time; a date means its end).
    created_to: Option<String>,
    /// Also numbers whose expiry has passed (default true).
    include_expired: Option<bool>,
}

impl Filter {
    fn condition(&self, caller: &Caller, now: DateTime<Utc>) -> ApiResult<Condition> {
        let zone = zone(caller);
        let mut condition =
            Condition::all().add(blacklist_entry::Column::TenantId.eq(caller.tenant()));
        if let Some(group_id) = self.group_id {
            condition = condition.add(blacklist_entry::Column::GroupId.eq(group_id));
        }
        if let Some(text) = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            // As stored when the whole number is typed, else its digits.
            let wanted = domain::phone::normalize(text).map_or_else(
                |_| {
                    text.chars()
                        .filter(char::is_ascii_digit)
                        .collect::<String>()
                },
                |phone| phone.number,
            );
            if wanted.is_empty() {
                return Err(ApiError::validation("phone", "请输入号码中的数字"));
            }
            condition = condition.add(blacklist_entry::Column::Phone.contains(wanted));
        }
        for (text, field, end) in [
            (&self.created_from, "created_from", false),
            (&self.created_to, "created_to", true),
        ] {
            let Some(text) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
                continue;
            };
            let at = parse_time(text, zone, end)
                .ok_or_else(|| ApiError::validation(field, "时间格式不正确"))?;
            condition = condition.add(if end {
                blacklist_entry::Column::CreatedAt.lte(at)
            } else {
                blacklist_entry::Column::CreatedAt.gte(at)
            });
        }
        if !self.include_expired.unwrap_or(true) {
            condition = condition.add(not_expired(now));
        }
        Ok(condition)
    }
}

/// Numbers in the blacklist, newest first.
#[utoipa::path(get, path = "/api/blacklist", tag = "blacklist", params(Filter, PageQuery),
    responses((status = 200, body = Page<EntryView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(filter): Query<Filter>,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<Page<EntryView>>> {
    caller.require_any(&[BLACKLIST_VIEW, BLACKLIST_MANAGE])?;
    let now = Utc::now();
    let groups = group_names(&state.db, caller.tenant()).await?;
    let paginator = blacklist_entry::Entity::find()
        .filter(filter.condition(&caller, now)?)
        .order_by_desc(blacklist_entry::Column::CreatedAt)
        .order_by_desc(blacklist_entry::Column::Id)
        .paginate(&state.db, paging.size());
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(paging.index()).await?;
    Ok(Json(Page {
        items: rows
            .into_iter()
            .map(|row| entry_view(row, &groups, now))
            .collect(),
        total,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AddRequest {
    phone: String,
    group_id: i64,
    note: Option<String>,
    /// Until when (定时拉黑); null or absent: for good.
    expires_at: Option<String>,
}

/// Add one number to a group.
#[utoipa::path(post, path = "/api/blacklist", tag = "blacklist", request_body = AddRequest,
    responses((status = 201, body = EntryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<AddRequest>,
) -> ApiResult<(StatusCode, Json<EntryView>)> {
    caller.require(BLACKLIST_MANAGE)?;
    let phone = domain::phone::normalize(&request.phone)
        .map_err(|reason| ApiError::invalid("INVALID_PHONE", reason.to_string()).on_field("phone"))?
        .number;
    let note = check_note(request.note.as_deref()).map_err(|m| ApiError::validation("note", m))?;
    let expires_at = match request
        .expires_at
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(text) => Some(
            parse_time(text, zone(&caller), true)
                .ok_or_else(|| ApiError::validation("expires_at", "到期时间格式不正确"))?,
        ),
        None => None,
    };
    let group = find_group(&state.db, &caller, request.group_id).await?;
    let listed = blacklist_entry::Entity::find()
        .filter(blacklist_entry::Column::TenantId.eq(caller.tenant()))
        .filter(blacklist_entry::Column::GroupId.eq(group.id))
        .filter(blacklist_entry::Column::Phone.eq(&phone))
        .one(&state.db)
        .await?;
    if listed.is_some() {
        return Err(already_listed(&phone, &group.name));
    }
    let now = Utc::now();
    let row = blacklist_entry::ActiveModel {
        tenant_id: Set(caller.tenant()),
        group_id: Set(group.id),
        phone: Set(phone.clone()),
        note: Set(note),
        expires_at: Set(expires_at),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .map_err(|e| match ApiError::from(e) {
        error if error.status == StatusCode::CONFLICT => already_listed(&phone, &group.name),
        error => error,
    })?;
    audit::by(
        &state.db,
        &caller,
        "blacklist.add",
        phone,
        format!("加入分组“{}”", group.name),
    )
    .await?;
    let groups = HashMap::from([(group.id, group.name)]);
    Ok((StatusCode::CREATED, Json(entry_view(row, &groups, now))))
}

fn already_listed(phone: &str, group: &str) -> ApiError {
    ApiError::conflict(
        "ALREADY_LISTED",
        format!("号码 {phone} 已在分组“{group}”中"),
    )
    .on_field("phone")
}

#[derive(Deserialize, ToSchema)]
pub struct BatchRequest {
    /// The chosen numbers' ids…
    ids: Option<Vec<i64>>,
    /// …or every number matching a filter (全选).
    filter: Option<Filter>,
}

#[derive(Deserialize, ToSchema)]
pub struct MoveRequest {
    ids: Option<Vec<i64>>,
    filter: Option<Filter>,
    /// The group to move them to.
    group_id: i64,
}

fn selection(
    caller: &Caller,
    ids: Option<&[i64]>,
    filter: Option<&Filter>,
    now: DateTime<Utc>,
) -> ApiResult<Condition> {
    match (ids, filter) {
        (Some(ids), _) if !ids.is_empty() => Ok(Condition::all()
            .add(blacklist_entry::Column::TenantId.eq(caller.tenant()))
            .add(blacklist_entry::Column::Id.is_in(ids.iter().copied()))),
        (_, Some(filter)) => filter.condition(caller, now),
        _ => Err(ApiError::validation("ids", "请先选择号码")),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Deleted {
    deleted: u64,
}

/// Remove the chosen numbers, or all matching a filter, from the blacklist.
#[utoipa::path(post, path = "/api/blacklist/delete", tag = "blacklist", request_body = BatchRequest,
    responses((status = 200, body = Deleted), (status = 422, body = ErrorBody)))]
async fn delete_entries(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<BatchRequest>,
) -> ApiResult<Json<Deleted>> {
    caller.require(BLACKLIST_MANAGE)?;
    let condition = selection(
        &caller,
        request.ids.as_deref(),
        request.filter.as_ref(),
        Utc::now(),
    )?;
    let txn = store::begin(&state.db).await?;
    let deleted = blacklist_entry::Entity::delete_many()
        .filter(condition)
        .exec(&txn)
        .await?
        .rows_affected;
    audit::by(
        &txn,
        &caller,
        "blacklist.delete",
        format!("{deleted} 个号码"),
        "移出黑名单",
    )
    .await?;
    txn.commit().await?;
    Ok(Json(Deleted { deleted }))
}

#[derive(Serialize, ToSchema)]
pub struct Moved {
    moved: u64,
}

/// Move the chosen numbers, or all matching a filter, to another group; a number already in
/// that group is merged into it.
#[utoipa::path(post, path = "/api/blacklist/move", tag = "blacklist", request_body = MoveRequest,
    responses((status = 200, body = Moved), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn move_entries(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<MoveRequest>,
) -> ApiResult<Json<Moved>> {
    caller.require(BLACKLIST_MANAGE)?;
    let target = find_group(&state.db, &caller, request.group_id).await?;
    let chosen = selection(
        &caller,
        request.ids.as_deref(),
        request.filter.as_ref(),
        Utc::now(),
    )?
    .add(blacklist_entry::Column::GroupId.ne(target.id));
    let txn = store::begin(&state.db).await?;
    let moved = blacklist_entry::Entity::find()
        .filter(chosen.clone())
        .count(&txn)
        .await?;
    // Merge numbers the target group has already…
    let in_target = SqlQuery::select()
        .column(blacklist_entry::Column::Phone)
        .from(blacklist_entry::Entity)
        .and_where(blacklist_entry::Column::TenantId.eq(caller.tenant()))
        .and_where(blacklist_entry::Column::GroupId.eq(target.id))
        .to_owned();
    blacklist_entry::Entity::delete_many()
        .filter(chosen.clone())
        .filter(blacklist_entry::Column::Phone.in_subquery(in_target))
        .exec(&txn)
        .await?;
    // …and the same number chosen from several groups: the first one added moves.
    let first_of_each = SqlQuery::select()
        .expr(Expr::col(blacklist_entry::Column::Id).min())
        .from(blacklist_entry::Entity)
        .cond_where(chosen.clone())
        .group_by_col(blacklist_entry::Column::Phone)
        .to_owned();
    blacklist_entry::Entity::delete_many()
        .filter(chosen.clone())
        .filter(blacklist_entry::Column::Id.not_in_subquery(first_of_each))
        .exec(&txn)
        .await?;
    blacklist_entry::Entity::update_many()
        .col_expr(blacklist_entry::Column::GroupId, Expr::value(target.id))
        .filter(chosen)
        .exec(&txn)
        .await?;
    audit::by(
        &txn,
        &caller,
        "blacklist.move",
        format!("{moved} 个号码"),
        format!("移动到分组“{}”", target.name),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(Moved { moved }))
}

fn format_local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn workbook<const N: usize>(
    title: &str,
    headers: [&str; N],
    rows: &[[String; N]],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(title)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (column, header) in (0u16..).zip(headers) {
        sheet.write_string_with_format(0, column, header, &bold)?;
        sheet.set_column_width(column, if column == 0 { 18 } else { 22 })?;
    }
    // Numbers as text, so Excel neither rounds nor shows them in scientific notation.
    sheet.set_column_format(0, &text)?;
    for (row, cells) in (1u32..).zip(rows) {
        for (column, cell) in (0u16..).zip(cells) {
            sheet.write_string(row, column, cell)?;
        }
    }
    workbook.save_to_buffer()
}

fn xlsx<const N: usize>(
    title: &str,
    headers: [&str; N],
    rows: &[[String; N]],
    name: &str,
    fallback: &str,
) -> ApiResult<Response> {
    let bytes = workbook(title, headers, rows).map_err(|e| ApiError::from(anyhow::anyhow!(e)))?;
    attachment(name, fallback, XLSX_CONTENT_TYPE, bytes)
}

/// Download the numbers matching a filter as xlsx (号码, 分组, 备注, 到期时间, 加入时间).
#[utoipa::path(get, path = "/api/blacklist/export", tag = "blacklist", params(Filter),
    responses((status = 200, description = "黑名单.xlsx"), (status = 422, body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(filter): Query<Filter>,
) -> ApiResult<Response> {
    caller.require_any(&[BLACKLIST_VIEW, BLACKLIST_MANAGE])?;
    let zone = zone(&caller);
    let groups = group_names(&state.db, caller.tenant()).await?;
    let rows: Vec<[String; 5]> = blacklist_entry::Entity::find()
        .filter(filter.condition(&caller, Utc::now())?)
        .order_by_desc(blacklist_entry::Column::CreatedAt)
        .order_by_desc(blacklist_entry::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|row| {
            [
                row.phone,
                groups.get(&row.group_id).cloned().unwrap_or_default(),
                row.note,
                row.expires_at
                    .map(|at| format_local(at, zone))
                    .unwrap_or_default(),
                format_local(row.created_at, zone),
            ]
        })
        .collect();
    xlsx(
        "黑名单",
        EXPORT_COLUMNS,
        &rows,
        "黑名单.xlsx",
        "blacklist.xlsx",
    )
}

/// Download the import template (号码*, 备注, 到期时间).
#[utoipa::path(get, path = "/api/blacklist/import-template", tag = "blacklist",
    responses((status = 200, description = "黑名单导入模板.xlsx")))]
async fn import_template(caller: Caller) -> ApiResult<Response> {
    caller.require(BLACKLIST_MANAGE)?;
    let example = [
        [
            "13800138000".to_owned(),
            "客户要求不再来电".to_owned(),
            String::new(),
        ],
        [
            "0571-88776655".to_owned(),
            "投诉过".to_owned(),
            "2026-12-31 23:59:59".to_owned(),
        ],
    ];
    xlsx(
        "黑名单",
        ["号码*", "备注", "到期时间"],
        &example,
        "黑名单导入模板.xlsx",
        "blacklist-template.xlsx",
    )
}

#[derive(Serialize, ToSchema)]
pub struct RowError {
    row: usize,
    reason: String,
}

#[derive(Serialize, ToSchema, Default)]
pub struct ImportResult {
    added: u64,
    /// Rows whose number is already in the group (or earlier in the file).
    skipped: u64,
    errors: Vec<RowError>,
}

/// Import numbers from xlsx or csv (号码, 备注, 到期时间) into a group (multipart fields `file`
/// and `group_id`, the default group when absent): numbers already there are skipped,
/// invalid rows listed with the reason, the rest added in one transaction.
#[utoipa::path(post, path = "/api/blacklist/import", tag = "blacklist",
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 200, body = ImportResult), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> ApiResult<Json<ImportResult>> {
    caller.require(BLACKLIST_MANAGE)?;
    let upload = read_upload(multipart, MAX_FILE_BYTES, "导入文件不能超过 20 MB").await?;
    let group = match upload
        .fields
        .get("group_id")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        Some(text) => {
            let id = text
                .parse()
                .map_err(|_| ApiError::validation("group_id", "请选择黑名单分组"))?;
            find_group(&state.db, &caller, id).await?
        }
        None => default_group(&state.db, &caller).await?,
    };
    let table = sheet::read(&upload.name, &upload.bytes)?;
    let [phone_column] = table.columns([IMPORT_COLUMNS[0]])?;
    let optional = |name: &str| {
        table
            .header
            .iter()
            .position(|h| h.trim_end_matches('*').trim() == name)
    };
    let (note_column, expiry_column) = (optional(IMPORT_COLUMNS[1]), optional(IMPORT_COLUMNS[2]));
    if table.rows.len() > MAX_IMPORT_ROWS {
        return Err(ApiError::invalid(
            "TOO_MANY_ROWS",
            format!(
                "一次最多导入 {MAX_IMPORT_ROWS} 个号码，本文件有 {} 行",
                table.rows.len()
            ),
        ));
    }
    let zone = zone(&caller);
    let mut result = ImportResult::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut valid: Vec<(String, String, Option<DateTime<Utc>>)> = Vec::new();
    for (row, cells) in &table.rows {
        let cell =
            |column: Option<usize>| column.and_then(|c| cells.get(c)).map_or("", String::as_str);
        let checked = domain::phone::normalize(cell(Some(phone_column)))
            .map_err(|reason| reason.to_string())
            .and_then(|phone| Ok((phone.number, check_note(Some(cell(note_column)))?)))
            .and_then(|(phone, note)| match cell(expiry_column) {
                "" => Ok((phone, note, None)),
                text => parse_time(text, zone, true)
                    .map(|at| (phone, note, Some(at)))
                    .ok_or_else(|| {
                        format!("到期时间“{text}”无法识别，请写成 2026-12-31 或 2026-12-31 18:00")
                    }),
            });
        match checked {
            Ok(entry) if seen.insert(entry.0.clone()) => valid.push(entry),
            Ok(_) => result.skipped += 1,
            Err(reason) => result.errors.push(RowError { row: *row, reason }),
        }
    }
    let now = Utc::now();
    let txn = store::begin(&state.db).await?;
    for chunk in valid.chunks(INSERT_CHUNK) {
        let rows = chunk
            .iter()
            .map(|(phone, note, expires_at)| blacklist_entry::ActiveModel {
                tenant_id: Set(caller.tenant()),
                group_id: Set(group.id),
                phone: Set(phone.clone()),
                note: Set(note.clone()),
                expires_at: Set(*expires_at),
                created_at: Set(now),
                ..Default::default()
            });
        let inserted = blacklist_entry::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([
                blacklist_entry::Column::GroupId,
                blacklist_entry::Column::Phone,
            ])
            .exec_without_returning(&txn)
            .await?;
        let added = match inserted {
            TryInsertResult::Inserted(n) => n,
            _ => 0,
        };
        result.added += added;
        result.skipped += chunk.len() as u64 - added;
    }
    audit::by(
        &txn,
        &caller,
        "blacklist.import",
        upload.name,
        format!(
            "导入到分组“{}”：新增 {}，已存在 {}，错误 {}",
            group.name,
            result.added,
            result.skipped,
            result.errors.len()
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(result))
}
