//! Call time (呼叫时间, TASK-3): the weekly templates a task's schedule starts from, and the
//! company's holiday calendar (the shipped China calendar, with years the company edited).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{Datelike, Utc};
use domain::calltime::{Calendar, CalendarDay, WeeklyTemplate, system_templates};
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::audit;
use crate::services::company;
use crate::settings;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates, create_template))
        .routes(routes!(update_template, delete_template))
        .routes(routes!(get_holidays))
        .routes(routes!(put_holidays))
        .routes(routes!(reset_holidays))
}

const TEMPLATES_KEY: &str = "call_time_templates";
/// Years the company edited, each replacing the shipped days of that year.

#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct TemplateView {
    id: String,
    name: String,
    system: bool,
    #[schema(value_type = Object)]
    days: WeeklyTemplate,
}

#[derive(Clone, Serialize, Deserialize)]
struct StoredTemplate {
    id: String,
    name: String,
    days: WeeklyTemplate,
}

async fn custom_templates(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> ApiResult<Vec<StoredTemplate>> {
    Ok(settings::get(db, tenant_id, TEMPLATES_KEY)
        .await?
        .unwrap_or_default())
}

/// System templates first, then the company's.
pub async fn templates(db: &impl ConnectionTrait, tenant_id: i64) -> ApiResult<Vec<TemplateView>> {
    let mut all: Vec<TemplateView> = system_templates()
        .into_iter()
        .map(|t| TemplateView {
            id: t.id.to_owned(),
            name: t.name.to_owned(),
            system: true,
            days: t.template,
        })
        .collect();
    all.extend(
        custom_templates(db, tenant_id)
            .await?
            .into_iter()
            .map(|t| TemplateView {
                id: t.id,
                name: t.name,
                system: false,
                days: t.days,
            }),
    );
    Ok(all)
}

/// The call-time templates.
#[utoipa::path(get, path = "/api/call-time-templates", tag = "tasks",
    responses((status = 200, body = Vec<TemplateView>)))]
async fn list_templates(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TemplateView>>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    Ok(Json(templates(&state.db, caller.tenant()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct TemplateRequest {
    name: String,
    #[schema(value_type = Object)]
    days: serde_json::Value,
}

fn check_template(
    request: TemplateRequest,
    others: &[StoredTemplate],
) -> ApiResult<(String, WeeklyTemplate)> {
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 30 {
        return Err(ApiError::validation(
            "name",
            "模板名称不能为空，且不超过 30 个字",
        ));
    }
    let taken =
        system_templates().iter().any(|t| t.name == name) || others.iter().any(|t| t.name == name);
    if taken {
        return Err(ApiError::validation("name", format!("模板“{name}”已存在")));
    }
    let days: WeeklyTemplate = serde_json::from_value(request.days)
        .map_err(|e| ApiError::validation("days", format!("呼叫时间有误：{e}")))?;
    Ok((name, days))
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
    let mut stored = custom_templates(&state.db, caller.tenant()).await?;
    if stored.len() >= 50 {
        return Err(ApiError::validation("name", "呼叫时间模板最多 50 个"));
    }
    let (name, days) = check_template(request, &stored)?;
    let next = stored
        .iter()
        .filter_map(|t| t.id.strip_prefix('c')?.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    let template = StoredTemplate {
        id: format!("c{next}"),
        name,
        days,
    };
    stored.push(template.clone());
    settings::put(&state.db, caller.tenant(), TEMPLATES_KEY, &stored).await?;
    audit::by(
        &state.db,
        &caller,
        "call_time.update",
        template.name.clone(),
        "新增模板",
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(TemplateView {
            id: template.id,
            name: template.name,
            system: false,
            days: template.days,
        }),
    ))
}

fn system_refused() -> ApiError {
    ApiError::conflict("SYSTEM_TEMPLATE", "系统模板不能修改或删除，可复制后新建")
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
    if system_templates().iter().any(|t| t.id == id) {
        return Err(system_refused());
    }
    let mut stored = custom_templates(&state.db, caller.tenant()).await?;
    let index = stored
        .iter()
        .position(|t| t.id == id)
        .ok_or_else(|| ApiError::not_found("呼叫时间模板"))?;
    let others: Vec<StoredTemplate> = stored.iter().filter(|t| t.id != id).cloned().collect();
    let (name, days) = check_template(request, &others)?;
    stored[index].name = name.clone();
    stored[index].days = days.clone();
    settings::put(&state.db, caller.tenant(), TEMPLATES_KEY, &stored).await?;
    audit::by(
        &state.db,
        &caller,
        "call_time.update",
        name.clone(),
        "编辑模板",
    )
    .await?;
    Ok(Json(TemplateView {
        id,
        name,
        system: false,
        days,
    }))
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
    if system_templates().iter().any(|t| t.id == id) {
        return Err(system_refused());
    }
    let mut stored = custom_templates(&state.db, caller.tenant()).await?;
    let index = stored
        .iter()
        .position(|t| t.id == id)
        .ok_or_else(|| ApiError::not_found("呼叫时间模板"))?;
    let removed = stored.remove(index);
    settings::put(&state.db, caller.tenant(), TEMPLATES_KEY, &stored).await?;
    audit::by(
        &state.db,
        &caller,
        "call_time.update",
        removed.name,
        "删除模板",
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct HolidayYear {
    year: i32,
    #[schema(value_type = Vec<Object>)]
    days: Vec<CalendarDay>,
    /// Years the calendar has data for.
    years: Vec<i32>,
    /// This year's days were edited by the company.
    customized: bool,
    /// Set when the calendar lacks the current or coming year.
    warning: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct YearQuery {
    year: Option<i32>,
}

async fn year_view(db: &impl ConnectionTrait, tenant_id: i64, year: i32) -> ApiResult<HolidayYear> {
    let calendar = company::calendar(db, tenant_id).await?;
    let customized = company::holiday_edits(db, tenant_id)
        .await?
        .contains_key(&year);
    let today = Utc::now()
        .with_timezone(&crate::services::org::time_zone(db, tenant_id).await?)
        .date_naive();
    Ok(HolidayYear {
        year,
        days: calendar
            .days()
            .filter(|d| d.date.year() == year)
            .cloned()
            .collect(),
        years: calendar.years().collect(),
        customized,
        warning: calendar.missing_year(today).map(|missing| {
            format!("节假日日历还没有 {missing} 年的数据，请补充后再依赖「智能跳过法定节假日」")
        }),
    })
}

fn check_year(year: i32) -> ApiResult<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(ApiError::validation("year", "年份应在 2000 到 2100 之间"))
    }
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
    let year = query.year.unwrap_or_else(|| Utc::now().year());
    check_year(year)?;
    Ok(Json(year_view(&state.db, caller.tenant(), year).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct HolidaysRequest {
    #[schema(value_type = Vec<Object>)]
    days: Vec<CalendarDay>,
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
    check_year(year)?;
    let mut days = request.days;
    for day in &mut days {
        day.name = day.name.trim().to_owned();
        if day.date.year() != year {
            return Err(ApiError::validation(
                "days",
                format!("{} 不属于 {year} 年", day.date),
            ));
        }
        if day.name.is_empty() || day.name.chars().count() > 20 {
            return Err(ApiError::validation(
                "days",
                format!("{} 的名称不能为空，且不超过 20 个字", day.date),
            ));
        }
    }
    Calendar::from_days(days.clone()).map_err(|e| ApiError::validation("days", e.to_string()))?;
    days.sort_by_key(|d| d.date);
    company::save_holiday_year(&state.db, caller.tenant(), year, Some(days)).await?;
    audit::by(
        &state.db,
        &caller,
        "call_time.update",
        format!("{year} 年节假日"),
        "编辑",
    )
    .await?;
    Ok(Json(year_view(&state.db, caller.tenant(), year).await?))
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
    check_year(year)?;
    company::save_holiday_year(&state.db, caller.tenant(), year, None).await?;
    audit::by(
        &state.db,
        &caller,
        "call_time.update",
        format!("{year} 年节假日"),
        "恢复默认",
    )
    .await?;
    Ok(Json(year_view(&state.db, caller.tenant(), year).await?))
}
