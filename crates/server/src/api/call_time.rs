//! Call time (呼叫时间, TASK-3): the weekly templates a task's schedule starts from, and the
//! company's holiday calendar (the shipped China calendar, with years the company edited).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::call_time::{
    self, HolidayYear, HolidaysRequest, TemplateRequest, TemplateView,
};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates, create_template))
        .routes(routes!(update_template, delete_template))
        .routes(routes!(get_holidays))
        .routes(routes!(put_holidays))
        .routes(routes!(reset_holidays))
}

/// The call-time templates.
#[utoipa::path(get, path = "/api/call-time-templates", tag = "tasks",
    responses((status = 200, body = Vec<TemplateView>)))]
async fn list_templates(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TemplateView>>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    Ok(Json(
        call_time::templates(&state.db, caller.tenant()).await?,
    ))
}

/// Add a template.
#[utoipa::path(post, path = "/api/call-time-templates", tag = "tasks", request_body = TemplateRequest,
    responses((status = 201, body = TemplateView), (status = 422, body = ErrorBody)))]
async fn create_template(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<TemplateRequest>,
) -> ApiResult<(StatusCode, Json<TemplateView>)> {
    caller.require(TASK_MANAGE)?;
    let template = call_time::create_template(&state.db, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(template)))
}

/// Change a company template.
#[utoipa::path(put, path = "/api/call-time-templates/{id}", tag = "tasks", request_body = TemplateRequest,
    params(("id" = String, Path, description = "Template id")),
    responses((status = 200, body = TemplateView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(request): Json<TemplateRequest>,
) -> ApiResult<Json<TemplateView>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(
        call_time::update_template(&state.db, &caller, id, request).await?,
    ))
}

/// Delete a company template (tasks keep the days they copied from it).
#[utoipa::path(delete, path = "/api/call-time-templates/{id}", tag = "tasks",
    params(("id" = String, Path, description = "Template id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_template(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require(TASK_MANAGE)?;
    call_time::delete_template(&state.db, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct YearQuery {
    year: Option<i32>,
}

/// One year of the company's holiday calendar.
#[utoipa::path(get, path = "/api/holidays", tag = "tasks", params(YearQuery),
    responses((status = 200, body = HolidayYear)))]
async fn get_holidays(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<YearQuery>,
) -> ApiResult<Json<HolidayYear>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    Ok(Json(
        call_time::holidays(&state.db, caller.tenant(), query.year).await?,
    ))
}

/// Replace one year's holidays and adjusted working days.
#[utoipa::path(put, path = "/api/holidays/{year}", tag = "tasks", request_body = HolidaysRequest,
    params(("year" = i32, Path, description = "Year")),
    responses((status = 200, body = HolidayYear), (status = 422, body = ErrorBody)))]
async fn put_holidays(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
    Json(request): Json<HolidaysRequest>,
) -> ApiResult<Json<HolidayYear>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(
        call_time::replace_holidays(&state.db, &caller, year, request).await?,
    ))
}

/// Return one year to the shipped calendar.
#[utoipa::path(post, path = "/api/holidays/{year}/reset", tag = "tasks",
    params(("year" = i32, Path, description = "Year")),
    responses((status = 200, body = HolidayYear)))]
async fn reset_holidays(
    State(state): State<AppState>,
    caller: Caller,
    Path(year): Path<i32>,
) -> ApiResult<Json<HolidayYear>> {
    caller.require(TASK_MANAGE)?;
    Ok(Json(
        call_time::reset_holidays(&state.db, &caller, year).await?,
    ))
}
