//! The user tag library (用户标签 → 标签库): groups of tags that script nodes give customers,
//! exported to and imported from a two-column sheet (分组, 标签). The rules are in
//! [`crate::services::user_tags`].

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::files::{attachment, read_upload};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::XLSX_CONTENT_TYPE;
use crate::services::user_tags::tags::{self, TagRequest};
use crate::services::user_tags::transfer::{self, ImportResult, ImportRow};
use crate::services::user_tags::{self, GroupView, Library, TagView, groups};
use crate::sheet;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(library, create_tag))
        .routes(routes!(create_group))
        .routes(routes!(rename_group, delete_group))
        .routes(routes!(update_tag, delete_tag))
        .routes(routes!(export))
        .routes(routes!(template))
        .routes(routes!(import))
}

const COLUMNS: [&str; 2] = ["分组", "标签"];

/// The whole library: groups in creation order, their tags by name.
#[utoipa::path(get, path = "/api/user-tags", tag = "robot", responses((status = 200, body = Library)))]
async fn library(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Library>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(user_tags::library(&state.db, caller.tenant()).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = TagGroupRequest)]
pub struct GroupRequest {
    name: String,
}

/// Add a group.
#[utoipa::path(post, path = "/api/user-tags/groups", tag = "robot", request_body = GroupRequest,
    responses((status = 201, body = GroupView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_group(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<GroupRequest>,
) -> ApiResult<(StatusCode, Json<GroupView>)> {
    caller.require(ROBOT_MANAGE)?;
    let group = groups::create(&state.db, &caller, &request.name).await?;
    Ok((StatusCode::CREATED, Json(group)))
}

/// Rename a group.
#[utoipa::path(put, path = "/api/user-tags/groups/{id}", tag = "robot", request_body = GroupRequest,
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, body = GroupView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn rename_group(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<GroupRequest>,
) -> ApiResult<Json<GroupView>> {
    caller.require(ROBOT_MANAGE)?;
    Ok(Json(
        groups::rename(&state.db, &caller, id, &request.name).await?,
    ))
}

/// Delete a group with its tags.
#[utoipa::path(delete, path = "/api/user-tags/groups/{id}", tag = "robot",
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_group(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    groups::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a tag to a group.
#[utoipa::path(post, path = "/api/user-tags", tag = "robot", request_body = TagRequest,
    responses((status = 201, body = TagView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_tag(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<TagRequest>,
) -> ApiResult<(StatusCode, Json<TagView>)> {
    caller.require(ROBOT_MANAGE)?;
    let tag = tags::create(&state.db, &caller, &request).await?;
    Ok((StatusCode::CREATED, Json(tag)))
}

/// Rename a tag or move it to another group.
#[utoipa::path(put, path = "/api/user-tags/{id}", tag = "robot", request_body = TagRequest,
    params(("id" = i64, Path, description = "Tag id")),
    responses((status = 200, body = TagView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_tag(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<TagRequest>,
) -> ApiResult<Json<TagView>> {
    caller.require(ROBOT_MANAGE)?;
    Ok(Json(tags::update(&state.db, &caller, id, &request).await?))
}

/// Delete a tag.
#[utoipa::path(delete, path = "/api/user-tags/{id}", tag = "robot",
    params(("id" = i64, Path, description = "Tag id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_tag(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    tags::delete(&state.db, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A two-column workbook (分组, 标签) with the given rows.
fn workbook(rows: &[(String, String)]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("用户标签")?;
    let bold = Format::new().set_bold();
    for (column, header) in (0u16..).zip(COLUMNS) {
        sheet.write_string_with_format(0, column, header, &bold)?;
        sheet.set_column_width(column, 24)?;
    }
    for (row, (group, tag)) in (1u32..).zip(rows) {
        sheet.write_string(row, 0, group)?;
        sheet.write_string(row, 1, tag)?;
    }
    workbook.save_to_buffer()
}

fn xlsx(rows: &[(String, String)], name: &str, fallback: &str) -> ApiResult<Response> {
    let bytes = workbook(rows).map_err(|e| ApiError::from(anyhow::anyhow!(e)))?;
    attachment(name, fallback, XLSX_CONTENT_TYPE, bytes)
}

/// Download the library as xlsx (分组, 标签).
#[utoipa::path(get, path = "/api/user-tags/export", tag = "robot",
    responses((status = 200, description = "用户标签.xlsx")))]
async fn export(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller.require(ROBOT_VIEW)?;
    let rows = transfer::export_rows(&state.db, caller.tenant()).await?;
    xlsx(&rows, "用户标签.xlsx", "user-tags.xlsx")
}

/// Download the import template.
#[utoipa::path(get, path = "/api/user-tags/template", tag = "robot",
    responses((status = 200, description = "用户标签导入模板.xlsx")))]
async fn template(caller: Caller) -> ApiResult<Response> {
    caller.require(ROBOT_MANAGE)?;
    let example = [
        ("客户意向".to_owned(), "关注价格".to_owned()),
        ("客户意向".to_owned(), "预约体验课".to_owned()),
    ];
    xlsx(&example, "用户标签导入模板.xlsx", "user-tags-template.xlsx")
}

/// Import tags from xlsx or csv (columns 分组, 标签): missing groups are created, existing tags
/// are skipped, invalid rows are listed; the valid rows go in as one transaction.
#[utoipa::path(post, path = "/api/user-tags/import", tag = "robot",
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 200, body = ImportResult), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> ApiResult<Json<ImportResult>> {
    caller.require(ROBOT_MANAGE)?;
    let upload = read_upload(multipart, 10 * 1024 * 1024, "导入文件不能超过 10 MB").await?;
    let table = sheet::read(&upload.name, &upload.bytes)?;
    let [group_column, tag_column] = table.columns(COLUMNS)?;
    let rows: Vec<ImportRow> = table
        .rows
        .iter()
        .map(|(row, cells)| {
            let cell = |column: usize| cells.get(column).map_or("", String::as_str);
            ImportRow {
                row: *row,
                group: cell(group_column),
                tag: cell(tag_column),
            }
        })
        .collect();
    let result = transfer::import(&state.db, &caller, &upload.name, &rows).await?;
    Ok(Json(result))
}
