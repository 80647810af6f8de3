//! Blacklist import and export: the xlsx template, the import of a sheet into a group, and the
//! export of what a filter selects as xlsx or csv.
use std::collections::HashSet;

use axum::Json;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use domain::permissions::{BLACKLIST_MANAGE, BLACKLIST_VIEW};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, Set, TryInsertResult};
use serde::Serialize;
use store::entity::blacklist_entry;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::entries::Filter;
use super::{
    EXPORT_COLUMNS, IMPORT_COLUMNS, INSERT_CHUNK, MAX_FILE_BYTES, MAX_IMPORT_ROWS, check_note,
    default_group, find_group, group_names, zone,
};
use crate::api::files::{attachment, read_upload};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::XLSX_CONTENT_TYPE;
use crate::services::audit;
use crate::sheet;
use crate::sheet::parse_time;
use crate::state::AppState;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export))
        .routes(routes!(import_template))
        .merge(OpenApiRouter::new().routes(routes!(import)).layer(
            axum::extract::DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024),
        ))
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
