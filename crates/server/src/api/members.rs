//! Sub-accounts (子账户): list, create, edit, disable, reset password, xlsx import.

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::permissions::{MEMBER_MANAGE, MEMBER_VIEW, ROBOT_MANAGE};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::files::{attachment, read_upload};
use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::files::XLSX_CONTENT_TYPE;
use crate::jobs::import::ImportAccepted;
use crate::jobs::member_import;
use crate::services::org::members::{
    self, CreateRequest, ListQuery, MemberOption, MemberView, PickerQuery, ResetPasswordRequest,
    UpdateRequest,
};
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
    Ok(Json(
        members::list(&state.db, &caller, &query, &paging).await?,
    ))
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
    Ok(Json(members::picker(&state.db, &caller, &query).await?))
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
    let view = members::create(&state.db, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(view)))
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
    Ok(Json(
        members::update(&state.db, &caller, id, request).await?,
    ))
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
    caller.require(MEMBER_MANAGE)?;
    Ok(Json(
        members::set_status(&state.db, &caller, id, "disabled").await?,
    ))
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
    caller.require(MEMBER_MANAGE)?;
    Ok(Json(
        members::set_status(&state.db, &caller, id, "active").await?,
    ))
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
    members::reset_password(&state.db, &caller, id, request).await?;
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
    let queued = members::queue_import(&state, &caller, &upload.name, &upload.bytes).await?;
    Ok((StatusCode::ACCEPTED, Json(ImportAccepted::from(queued))))
}
