//! Sub-accounts (子账户): list, create, edit, disable, reset password, xlsx import.

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use domain::departments::DataScope;
use domain::permissions::{MEMBER_MANAGE, MEMBER_VIEW, ROBOT_MANAGE};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{department, member};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::account::{check_identity, check_unique};
use super::files::{attachment, read_upload};
use crate::audit;
use crate::auth::{Caller, password, session};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::{NewFile, XLSX_CONTENT_TYPE};
use crate::jobs::{self, member_import};
use crate::org;
use crate::services::paging::{Page, PageQuery};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(picker))
        .routes(routes!(update))
        .routes(routes!(disable))
        .routes(routes!(enable))
        .routes(routes!(reset_password))
        .routes(routes!(import_template))
        .merge(OpenApiRouter::new().routes(routes!(import)).layer(
            axum::extract::DefaultBodyLimit::max(member_import::MAX_FILE_BYTES),
        ))
}

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    id: i64,
    name: String,
    phone: String,
    email: Option<String>,
    department_id: Option<i64>,
    department_name: Option<String>,
    is_owner: bool,
    is_department_admin: bool,
    /// `active` or `disabled`
    status: String,
    must_change_password: bool,
    created_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
}

/// Department names and admins of a company, to describe members.
struct OrgIndex {
    names: HashMap<i64, String>,
    admins: HashSet<i64>,
}

impl OrgIndex {
    async fn load(state: &AppState, tenant_id: i64) -> ApiResult<Self> {
        let rows = org::departments(&state.db, tenant_id).await?;
        Ok(Self {
            names: rows.iter().map(|row| (row.id, row.name.clone())).collect(),
            admins: rows.iter().filter_map(|row| row.admin_member_id).collect(),
        })
    }

    fn view(&self, row: member::Model) -> MemberView {
        MemberView {
            id: row.id,
            department_name: row
                .department_id
                .and_then(|id| self.names.get(&id).cloned()),
            is_department_admin: self.admins.contains(&row.id),
            name: row.name,
            phone: row.phone,
            email: row.email,
            department_id: row.department_id,
            is_owner: row.is_owner,
            status: row.status,
            must_change_password: row.must_change_password,
            created_at: row.created_at,
            last_login_at: row.last_login_at,
        }
    }
}

/// The condition limiting members to the caller's data scope.
fn scope_condition(caller: &Caller) -> Condition {
    match &caller.scope {
        DataScope::All => Condition::all(),
        DataScope::Departments(ids) => Condition::any()
            .add(member::Column::DepartmentId.is_in(ids.clone()))
            .add(member::Column::Id.eq(caller.member.id)),
        DataScope::Own(id) => Condition::all().add(member::Column::Id.eq(*id)),
    }
}

/// Loads a member of the caller's company that the caller may see.
async fn find_in_scope(state: &AppState, caller: &Caller, id: i64) -> ApiResult<member::Model> {
    member::Entity::find_by_id(id)
        .filter(member::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .filter(|row| {
            caller
                .scope
                .covers(row.id, row.department_id, caller.member.id)
        })
        .ok_or_else(|| ApiError::not_found("子账户"))
}

async fn check_department(state: &AppState, caller: &Caller, id: Option<i64>) -> ApiResult<()> {
    if let Some(id) = id {
        let exists = department::Entity::find_by_id(id)
            .filter(department::Column::TenantId.eq(caller.tenant()))
            .one(&state.db)
            .await?
            .is_some();
        if !exists {
            return Err(
                ApiError::invalid("UNKNOWN_DEPARTMENT", "部门不存在").on_field("department_id")
            );
        }
    }
    if !caller.scope.may_place_in(id) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "只能管理本部门及下级部门的成员",
        ));
    }
    Ok(())
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Name, phone or e-mail contains this.
    q: Option<String>,
    department_id: Option<i64>,
    /// With `department_id`: include sub-departments (default true).
    include_sub: Option<bool>,
    /// `active` or `disabled`.
    status: Option<String>,
}

/// List the sub-accounts the caller may see.
#[utoipa::path(get, path = "/api/members", tag = "members", params(ListQuery, PageQuery),
    responses((status = 200, body = Page<MemberView>), (status = 403, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<Page<MemberView>>> {
    caller.require(MEMBER_VIEW)?;
    let index = OrgIndex::load(&state, caller.tenant()).await?;
    let mut select = member::Entity::find()
        .filter(member::Column::TenantId.eq(caller.tenant()))
        .filter(scope_condition(&caller));
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        select = select.filter(
            Condition::any()
                .add(member::Column::Name.contains(text))
                .add(member::Column::Phone.contains(text))
                .add(member::Column::Email.contains(text)),
        );
    }
    if let Some(dept) = query.department_id {
        let ids = if query.include_sub.unwrap_or(true) {
            let rows = org::departments(&state.db, caller.tenant()).await?;
            org::tree_of(&rows).subtree(dept)
        } else {
            vec![dept]
        };
        select = select.filter(member::Column::DepartmentId.is_in(ids));
    }
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(member::Column::Status.eq(status));
    }
    let paginator = select
        .order_by_desc(member::Column::IsOwner)
        .order_by_asc(member::Column::Id)
        .paginate(&state.db, paging.size());
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(paging.index()).await?;
    Ok(Json(Page {
        items: rows.into_iter().map(|row| index.view(row)).collect(),
        total,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MemberOption {
    id: i64,
    name: String,
    department_name: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct PickerQuery {
    /// Name contains this.
    q: Option<String>,
}

/// Active colleagues in the caller's data scope, by name only, for pickers such as sharing a
/// script (which needs robot.manage, not the right to read the member list).
#[utoipa::path(get, path = "/api/members/picker", tag = "members", params(PickerQuery),
    responses((status = 200, body = Vec<MemberOption>), (status = 403, body = ErrorBody)))]
async fn picker(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<PickerQuery>,
) -> ApiResult<Json<Vec<MemberOption>>> {
    caller.require_any(&[MEMBER_VIEW, ROBOT_MANAGE])?;
    let index = OrgIndex::load(&state, caller.tenant()).await?;
    let mut select = member::Entity::find()
        .filter(member::Column::TenantId.eq(caller.tenant()))
        .filter(member::Column::Status.eq("active"))
        .filter(scope_condition(&caller));
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        select = select.filter(member::Column::Name.contains(text));
    }
    let rows = select
        .order_by_asc(member::Column::Id)
        .limit(50)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| MemberOption {
                department_name: row
                    .department_id
                    .and_then(|id| index.names.get(&id).cloned()),
                id: row.id,
                name: row.name,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateRequest {
    name: String,
    phone: String,
    email: Option<String>,
    department_id: Option<i64>,
    /// Empty: `123456`, to be changed at first login.
    password: Option<String>,
}

/// Create a sub-account.
#[utoipa::path(post, path = "/api/members", tag = "members", request_body = CreateRequest,
    responses((status = 201, body = MemberView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<CreateRequest>,
) -> ApiResult<(StatusCode, Json<MemberView>)> {
    caller.require(MEMBER_MANAGE)?;
    let identity = check_identity(&request.name, &request.phone, request.email.as_deref())?;
    check_department(&state, &caller, request.department_id).await?;
    check_unique(&state.db, &identity, None).await?;
    let (password, must_change) = match request.password.filter(|p| !p.is_empty()) {
        Some(password) => {
            crate::auth::accounts::check_new_password(&password)
                .map_err(|e| e.on_field("password"))?;
            (password, false)
        }
        None => (domain::identity::INITIAL_PASSWORD.to_owned(), true),
    };
    let now = Utc::now();
    let row = member::NewMember {
        tenant_id: caller.tenant(),
        name: identity.name,
        phone: identity.phone,
        email: identity.email,
        department_id: request.department_id,
        password_hash: password::hash(&password).await?,
        must_change_password: must_change,
        is_owner: false,
    }
    .into_active_model(now)
    .insert(&state.db)
    .await
    .map_err(|e| match ApiError::from(e) {
        duplicate if duplicate.code == "DUPLICATE" => {
            ApiError::conflict("PHONE_TAKEN", "该手机号已被使用").on_field("phone")
        }
        other => other,
    })?;
    audit::by(
        &state.db,
        &caller,
        "member.create",
        format!("{} {}", row.name, row.phone),
        "",
    )
    .await?;
    let index = OrgIndex::load(&state, caller.tenant()).await?;
    Ok((StatusCode::CREATED, Json(index.view(row))))
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateRequest {
    name: String,
    phone: String,
    email: Option<String>,
    department_id: Option<i64>,
}

/// Edit a sub-account's name, login phone, e-mail and department.
#[utoipa::path(put, path = "/api/members/{id}", tag = "members", request_body = UpdateRequest,
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<UpdateRequest>,
) -> ApiResult<Json<MemberView>> {
    caller.require(MEMBER_MANAGE)?;
    let target = find_in_scope(&state, &caller, id).await?;
    if target.is_owner && !caller.member.is_owner {
        return Err(ApiError::forbidden());
    }
    let identity = check_identity(&request.name, &request.phone, request.email.as_deref())?;
    if request.department_id != target.department_id {
        check_department(&state, &caller, request.department_id).await?;
    }
    check_unique(&state.db, &identity, Some(target.id)).await?;
    let mut row = target.into_active_model();
    row.name = Set(identity.name);
    row.phone = Set(identity.phone);
    row.email = Set(identity.email);
    row.department_id = Set(request.department_id);
    row.updated_at = Set(Utc::now());
    let row = row.update(&state.db).await?;
    audit::by(
        &state.db,
        &caller,
        "member.update",
        format!("{} {}", row.name, row.phone),
        "",
    )
    .await?;
    let index = OrgIndex::load(&state, caller.tenant()).await?;
    Ok(Json(index.view(row)))
}

async fn set_status(
    state: &AppState,
    caller: &Caller,
    id: i64,
    status: &str,
) -> ApiResult<MemberView> {
    caller.require(MEMBER_MANAGE)?;
    let target = find_in_scope(state, caller, id).await?;
    if status == "disabled" {
        if target.is_owner {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "CANNOT_DISABLE_OWNER",
                "不能停用企业主账号",
            ));
        }
        if target.id == caller.member.id {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "CANNOT_DISABLE_SELF",
                "不能停用自己的账号",
            ));
        }
    }
    let mut row = target.into_active_model();
    row.status = Set(status.to_owned());
    row.updated_at = Set(Utc::now());
    let row = row.update(&state.db).await?;
    if status == "disabled" {
        session::delete_member_sessions(&state.db, row.id, None).await?;
    }
    let action = if status == "disabled" {
        "member.disable"
    } else {
        "member.enable"
    };
    audit::by(
        &state.db,
        caller,
        action,
        format!("{} {}", row.name, row.phone),
        "",
    )
    .await?;
    let index = OrgIndex::load(state, caller.tenant()).await?;
    Ok(index.view(row))
}

/// Disable a sub-account: it can no longer log in, and its sessions end.
#[utoipa::path(post, path = "/api/members/{id}/disable", tag = "members",
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<MemberView>> {
    Ok(Json(set_status(&state, &caller, id, "disabled").await?))
}

/// Enable a disabled sub-account.
#[utoipa::path(post, path = "/api/members/{id}/enable", tag = "members",
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberView), (status = 404, body = ErrorBody)))]
async fn enable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<MemberView>> {
    Ok(Json(set_status(&state, &caller, id, "active").await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    /// Empty: `123456`. Either way the member must change it at next login.
    password: Option<String>,
}

/// Reset a sub-account's password; the member must change it at next login.
#[utoipa::path(post, path = "/api/members/{id}/reset-password", tag = "members", request_body = ResetPasswordRequest,
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ResetPasswordRequest>,
) -> ApiResult<StatusCode> {
    caller.require(MEMBER_MANAGE)?;
    let target = find_in_scope(&state, &caller, id).await?;
    if target.is_owner && !caller.member.is_owner {
        return Err(ApiError::forbidden());
    }
    let password = match request.password.filter(|p| !p.is_empty()) {
        Some(password) => {
            crate::auth::accounts::check_new_password(&password)
                .map_err(|e| e.on_field("password"))?;
            password
        }
        None => domain::identity::INITIAL_PASSWORD.to_owned(),
    };
    let (name, phone) = (target.name.clone(), target.phone.clone());
    let mut row = target.into_active_model();
    row.password_hash = Set(password::hash(&password).await?);
    row.must_change_password = Set(true);
    row.updated_at = Set(Utc::now());
    let row = row.update(&state.db).await?;
    session::delete_member_sessions(&state.db, row.id, None).await?;
    audit::by(
        &state.db,
        &caller,
        "member.reset_password",
        format!("{name} {phone}"),
        "",
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Download the xlsx template for importing sub-accounts.
#[utoipa::path(get, path = "/api/members/import-template", tag = "members",
    responses((status = 200, description = "子账户导入模板.xlsx")))]
async fn import_template(caller: Caller) -> ApiResult<Response> {
    caller.require(MEMBER_MANAGE)?;
    attachment(
        "子账户导入模板.xlsx",
        "members.xlsx",
        XLSX_CONTENT_TYPE,
        member_import::template()?,
    )
}

#[derive(Serialize, ToSchema)]
pub struct ImportAccepted {
    job_id: i64,
    notification_id: i64,
}

/// Upload a filled-in template (field `file`, .xlsx, at most 10 MB). The rows are imported by a
/// background job; its progress and result appear in the notification list.
#[utoipa::path(post, path = "/api/members/import", tag = "members",
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 202, body = ImportAccepted), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> ApiResult<(StatusCode, Json<ImportAccepted>)> {
    caller.require(MEMBER_MANAGE)?;
    let upload = read_upload(
        multipart,
        member_import::MAX_FILE_BYTES,
        "导入文件不能超过 10 MB",
    )
    .await?;
    member_import::check_file(&upload.name, &upload.bytes)?;
    let file = state
        .files
        .save(
            &state.db,
            NewFile {
                tenant_id: caller.tenant(),
                owner_member_id: Some(caller.member.id),
                kind: "import_upload",
                name: &upload.name,
                content_type: XLSX_CONTENT_TYPE,
            },
            &upload.bytes,
        )
        .await?;
    let queued = jobs::enqueue(
        &state,
        jobs::NewJob {
            tenant_id: caller.tenant(),
            member_id: caller.member.id,
            kind: member_import::KIND,
            title: "子账户导入",
            payload: serde_json::json!({ "file_id": file.id }),
        },
    )
    .await?;
    audit::by(
        &state.db,
        &caller,
        "member.import",
        upload.name,
        format!("任务 {}", queued.job_id),
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ImportAccepted {
            job_id: queued.job_id,
            notification_id: queued.notification_id,
        }),
    ))
}
