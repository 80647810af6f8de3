//! Blacklist import and export: the xlsx template, the import of a sheet into a group, and the
//! export of what a filter selects as xlsx or csv.
use axum::Json;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use domain::permissions::{BLACKLIST_MANAGE, BLACKLIST_VIEW};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::files::{attachment, read_upload};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::XLSX_CONTENT_TYPE;
use crate::services::blacklist::entries::Filter;
use crate::services::blacklist::transfer::{self, ImportResult, ImportRow};
use crate::sheet;
use crate::state::AppState;

const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
const IMPORT_COLUMNS: [&str; 3] = ["号码", "备注", "到期时间"];
const EXPORT_COLUMNS: [&str; 5] = ["号码", "分组", "备注", "到期时间", "加入时间"];

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export))
        .routes(routes!(import_template))
        .merge(OpenApiRouter::new().routes(routes!(import)).layer(
            axum::extract::DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024),
        ))
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
    let rows = transfer::export_rows(&state.db, &caller, &filter).await?;
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
    let group_id = match upload
        .fields
        .get("group_id")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        Some(text) => Some(
            text.parse()
                .map_err(|_| ApiError::validation("group_id", "请选择黑名单分组"))?,
        ),
        None => None,
    };
    let group = transfer::import_group(&state.db, caller.tenant(), group_id).await?;
    let table = sheet::read(&upload.name, &upload.bytes)?;
    let [phone_column] = table.columns([IMPORT_COLUMNS[0]])?;
    let optional = |name: &str| {
        table
            .header
            .iter()
            .position(|h| h.trim_end_matches('*').trim() == name)
    };
    let (note_column, expiry_column) = (optional(IMPORT_COLUMNS[1]), optional(IMPORT_COLUMNS[2]));
    let rows: Vec<ImportRow> = table
        .rows
        .iter()
        .map(|(row, cells)| {
            let cell = |column: Option<usize>| {
                column.and_then(|c| cells.get(c)).map_or("", String::as_str)
            };
            ImportRow {
                row: *row,
                phone: cell(Some(phone_column)),
                note: cell(note_column),
                expires_at: cell(expiry_column),
            }
        })
        .collect();
    let result = transfer::import(&state.db, &caller, &group, &upload.name, &rows).await?;
    Ok(Json(result))
}
