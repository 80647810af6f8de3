//! The user tag library (用户标签 → 标签库): groups of tags that script nodes give customers.
//! Tags are unique by name in a company (scripts and calls name them), and the library can be
//! exported to and imported from a two-column sheet (分组, 标签).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{user_tag, user_tag_group};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::files::{attachment, read_upload};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::XLSX_CONTENT_TYPE;
use crate::services::audit;
use crate::services::user_tags;
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

const MAX_NAME: usize = 20;
const MAX_IMPORT_ROWS: usize = 5_000;
const COLUMNS: [&str; 2] = ["分组", "标签"];

#[derive(Serialize, ToSchema)]
pub struct TagView {
    id: i64,
    name: String,
    group_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct GroupView {
    id: i64,
    name: String,
    tags: Vec<TagView>,
}

#[derive(Serialize, ToSchema)]
pub struct Library {
    groups: Vec<GroupView>,
}

impl From<user_tag::Model> for TagView {
    fn from(row: user_tag::Model) -> Self {
        Self {
            id: row.id,
            name: row.name,
            group_id: row.group_id,
        }
    }
}

fn check_name(name: &str, field: &'static str, what: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::validation(
            field,
            format!("{what}名称不能为空，且不超过 {MAX_NAME} 个字"),
        ));
    }
    Ok(name.to_owned())
}

async fn load(db: &impl ConnectionTrait, tenant_id: i64) -> ApiResult<Vec<GroupView>> {
    let groups = user_tag_group::Entity::find()
        .filter(user_tag_group::Column::TenantId.eq(tenant_id))
        .order_by_asc(user_tag_group::Column::Id)
        .all(db)
        .await?;
    let mut tags: HashMap<i64, Vec<TagView>> = HashMap::new();
    for tag in user_tag::Entity::find()
        .filter(user_tag::Column::TenantId.eq(tenant_id))
        .order_by_asc(user_tag::Column::Name)
        .all(db)
        .await?
    {
        tags.entry(tag.group_id).or_default().push(tag.into());
    }
    Ok(groups
        .into_iter()
        .map(|g| GroupView {
            tags: tags.remove(&g.id).unwrap_or_default(),
            id: g.id,
            name: g.name,
        })
        .collect())
}

async fn find_group(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> ApiResult<user_tag_group::Model> {
    user_tag_group::Entity::find_by_id(id)
        .filter(user_tag_group::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("标签分组"))
}

async fn find_tag(state: &AppState, caller: &Caller, id: i64) -> ApiResult<user_tag::Model> {
    user_tag::Entity::find_by_id(id)
        .filter(user_tag::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("标签"))
}

async fn group_name_taken(
    state: &AppState,
    caller: &Caller,
    name: &str,
    except: Option<i64>,
) -> ApiResult<()> {
    let clash = user_tag_group::Entity::find()
        .filter(user_tag_group::Column::TenantId.eq(caller.tenant()))
        .filter(user_tag_group::Column::Name.eq(name))
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

async fn tag_name_taken(
    state: &AppState,
    caller: &Caller,
    name: &str,
    except: Option<i64>,
) -> ApiResult<()> {
    let clash = user_tag::Entity::find()
        .filter(user_tag::Column::TenantId.eq(caller.tenant()))
        .filter(user_tag::Column::Name.eq(name))
        .one(&state.db)
        .await?
        .filter(|t| Some(t.id) != except);
    match clash {
        Some(_) => {
            Err(ApiError::conflict("TAG_EXISTS", format!("标签“{name}”已存在")).on_field("name"))
        }
        None => Ok(()),
    }
}

/// The whole library: groups in creation order, their tags by name.
#[utoipa::path(get, path = "/api/user-tags", tag = "robot", responses((status = 200, body = Library)))]
async fn library(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Library>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(Library {
        groups: load(&state.db, caller.tenant()).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
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
    let name = check_name(&request.name, "name", "分组")?;
    group_name_taken(&state, &caller, &name, None).await?;
    let row = user_tags::insert_group(&state.db, caller.tenant(), &name).await?;
    audit::by(&state.db, &caller, "user_tag.update", name, "新增分组").await?;
    Ok((
        StatusCode::CREATED,
        Json(GroupView {
            id: row.id,
            name: row.name,
            tags: Vec::new(),
        }),
    ))
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
    let row = find_group(&state, &caller, id).await?;
    let name = check_name(&request.name, "name", "分组")?;
    group_name_taken(&state, &caller, &name, Some(id)).await?;
    let mut active = row.into_active_model();
    active.name = Set(name.clone());
    active.update(&state.db).await?;
    audit::by(&state.db, &caller, "user_tag.update", name, "重命名分组").await?;
    let group = load(&state.db, caller.tenant())
        .await?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| ApiError::not_found("标签分组"))?;
    Ok(Json(group))
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
    let row = find_group(&state, &caller, id).await?;
    let txn = store::begin(&state.db).await?;
    user_tag::Entity::delete_many()
        .filter(user_tag::Column::TenantId.eq(caller.tenant()))
        .filter(user_tag::Column::GroupId.eq(id))
        .exec(&txn)
        .await?;
    user_tag_group::Entity::delete_by_id(id)
        .filter(user_tag_group::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(&txn, &caller, "user_tag.update", row.name, "删除分组").await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct TagRequest {
    group_id: i64,
    name: String,
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
    let name = check_name(&request.name, "name", "标签")?;
    find_group(&state, &caller, request.group_id).await?;
    tag_name_taken(&state, &caller, &name, None).await?;
    let row = user_tags::insert_tag(&state.db, caller.tenant(), request.group_id, &name).await?;
    audit::by(&state.db, &caller, "user_tag.update", name, "新增标签").await?;
    Ok((StatusCode::CREATED, Json(row.into())))
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
    let row = find_tag(&state, &caller, id).await?;
    let name = check_name(&request.name, "name", "标签")?;
    find_group(&state, &caller, request.group_id).await?;
    tag_name_taken(&state, &caller, &name, Some(id)).await?;
    let mut active = row.into_active_model();
    active.name = Set(name.clone());
    active.group_id = Set(request.group_id);
    let row = active.update(&state.db).await?;
    audit::by(&state.db, &caller, "user_tag.update", name, "编辑标签").await?;
    Ok(Json(row.into()))
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
    let row = find_tag(&state, &caller, id).await?;
    user_tag::Entity::delete_by_id(id)
        .filter(user_tag::Column::TenantId.eq(caller.tenant()))
        .exec(&state.db)
        .await?;
    audit::by(&state.db, &caller, "user_tag.update", row.name, "删除标签").await?;
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
    let rows: Vec<(String, String)> = load(&state.db, caller.tenant())
        .await?
        .into_iter()
        .flat_map(|g| {
            let group = g.name;
            g.tags.into_iter().map(move |t| (group.clone(), t.name))
        })
        .collect();
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

#[derive(Serialize, ToSchema)]
pub struct RowError {
    row: usize,
    reason: String,
}

#[derive(Serialize, ToSchema, Default)]
pub struct ImportResult {
    groups_created: usize,
    tags_created: usize,
    /// Rows naming a tag that already exists (in any group).
    skipped: usize,
    errors: Vec<RowError>,
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
    if table.rows.len() > MAX_IMPORT_ROWS {
        return Err(ApiError::invalid(
            "TOO_MANY_ROWS",
            format!(
                "一次最多导入 {MAX_IMPORT_ROWS} 个标签，本文件有 {} 行",
                table.rows.len()
            ),
        ));
    }
    let txn = store::begin(&state.db).await?;
    let mut groups: HashMap<String, i64> = HashMap::new();
    let mut tags: HashMap<String, i64> = HashMap::new();
    for group in load(&txn, caller.tenant()).await? {
        for tag in group.tags {
            tags.insert(tag.name, group.id);
        }
        groups.insert(group.name, group.id);
    }
    let mut result = ImportResult::default();
    for (row, cells) in &table.rows {
        let cell = |column: usize| cells.get(column).map_or("", String::as_str);
        let checked = check_name(cell(group_column), "file", "分组")
            .and_then(|group| Ok((group, check_name(cell(tag_column), "file", "标签")?)));
        let (group, tag) = match checked {
            Ok(names) => names,
            Err(error) => {
                result.errors.push(RowError {
                    row: *row,
                    reason: error.message,
                });
                continue;
            }
        };
        if tags.contains_key(&tag) {
            result.skipped += 1;
            continue;
        }
        let group_id = match groups.get(&group) {
            Some(&id) => id,
            None => {
                let id = user_tags::insert_group(&txn, caller.tenant(), &group)
                    .await?
                    .id;
                result.groups_created += 1;
                groups.insert(group, id);
                id
            }
        };
        user_tags::insert_tag(&txn, caller.tenant(), group_id, &tag).await?;
        tags.insert(tag, group_id);
        result.tags_created += 1;
    }
    audit::by(
        &txn,
        &caller,
        "user_tag.update",
        upload.name,
        format!(
            "导入：新增分组 {}，新增标签 {}",
            result.groups_created, result.tags_created
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(result))
}
