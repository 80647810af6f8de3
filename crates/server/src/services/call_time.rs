//! Call time (呼叫时间, TASK-3): the weekly templates a task's schedule starts from, and the
//! company's holiday calendar (the shipped China calendar, with years the company edited).

use chrono::{Datelike, Utc};
use domain::calltime::{Calendar, CalendarDay, WeeklyTemplate, system_templates};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Result, company, settings};

const TEMPLATES_KEY: &str = "call_time_templates";

// This text once belonged to the edited-years type; it is kept because the OpenAPI document
// and the console's generated types carry it as this type's description.
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

impl From<StoredTemplate> for TemplateView {
    fn from(template: StoredTemplate) -> Self {
        Self {
            id: template.id,
            name: template.name,
            system: false,
            days: template.days,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct TemplateRequest {
    name: String,
    #[schema(value_type = Object)]
    days: serde_json::Value,
}

async fn custom_templates(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<Vec<StoredTemplate>> {
    Ok(settings::get(db, tenant_id, TEMPLATES_KEY)
        .await?
        .unwrap_or_default())
}

/// System templates first, then the company's.
pub async fn templates(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Vec<TemplateView>> {
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
            .map(TemplateView::from),
    );
    Ok(all)
}

fn check_template(
    request: TemplateRequest,
    others: &[StoredTemplate],
) -> Result<(String, WeeklyTemplate)> {
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 30 {
        return Err(Error::validation(
            "name",
            "模板名称不能为空，且不超过 30 个字",
        ));
    }
    let taken =
        system_templates().iter().any(|t| t.name == name) || others.iter().any(|t| t.name == name);
    if taken {
        return Err(Error::validation("name", format!("模板“{name}”已存在")));
    }
    let days: WeeklyTemplate = serde_json::from_value(request.days)
        .map_err(|e| Error::validation("days", format!("呼叫时间有误：{e}")))?;
    Ok((name, days))
}

/// Adds a company template (at most 50, names unique among all templates).
pub async fn create_template(
    db: &DatabaseConnection,
    caller: &Caller,
    request: TemplateRequest,
) -> Result<TemplateView> {
    let txn = store::begin(db).await?;
    let mut stored = custom_templates(&txn, caller.tenant()).await?;
    if stored.len() >= 50 {
        return Err(Error::validation("name", "呼叫时间模板最多 50 个"));
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
    settings::put(&txn, caller.tenant(), TEMPLATES_KEY, &stored).await?;
    audit::by(
        &txn,
        caller,
        "call_time.update",
        template.name.clone(),
        "新增模板",
    )
    .await?;
    txn.commit().await?;
    Ok(template.into())
}

fn system_refused() -> Error {
    Error::conflict("SYSTEM_TEMPLATE", "系统模板不能修改或删除，可复制后新建")
}

/// The company's templates, and the index of template `id` among them; system templates
/// are refused.
async fn custom_template(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    id: &str,
) -> Result<(Vec<StoredTemplate>, usize)> {
    if system_templates().iter().any(|t| t.id == id) {
        return Err(system_refused());
    }
    let stored = custom_templates(db, tenant_id).await?;
    let index = stored
        .iter()
        .position(|t| t.id == id)
        .ok_or_else(|| Error::not_found("呼叫时间模板"))?;
    Ok((stored, index))
}

/// Changes a company template.
pub async fn update_template(
    db: &DatabaseConnection,
    caller: &Caller,
    id: String,
    request: TemplateRequest,
) -> Result<TemplateView> {
    let txn = store::begin(db).await?;
    let (mut stored, index) = custom_template(&txn, caller.tenant(), &id).await?;
    let others: Vec<StoredTemplate> = stored.iter().filter(|t| t.id != id).cloned().collect();
    let (name, days) = check_template(request, &others)?;
    stored[index].name = name.clone();
    stored[index].days = days.clone();
    settings::put(&txn, caller.tenant(), TEMPLATES_KEY, &stored).await?;
    audit::by(&txn, caller, "call_time.update", name.clone(), "编辑模板").await?;
    txn.commit().await?;
    Ok(TemplateView {
        id,
        name,
        system: false,
        days,
    })
}

/// Deletes a company template (tasks keep the days they copied from it).
pub async fn delete_template(db: &DatabaseConnection, caller: &Caller, id: &str) -> Result<()> {
    let txn = store::begin(db).await?;
    let (mut stored, index) = custom_template(&txn, caller.tenant(), id).await?;
    let removed = stored.remove(index);
    settings::put(&txn, caller.tenant(), TEMPLATES_KEY, &stored).await?;
    audit::by(&txn, caller, "call_time.update", removed.name, "删除模板").await?;
    txn.commit().await?;
    Ok(())
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

#[derive(Deserialize, ToSchema)]
pub struct HolidaysRequest {
    #[schema(value_type = Vec<Object>)]
    days: Vec<CalendarDay>,
}

fn check_year(year: i32) -> Result<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(Error::validation("year", "年份应在 2000 到 2100 之间"))
    }
}

async fn year_view(db: &impl ConnectionTrait, tenant_id: i64, year: i32) -> Result<HolidayYear> {
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

/// One year of the company's holiday calendar (by default this year).
pub async fn holidays(
    db: &DatabaseConnection,
    tenant_id: i64,
    year: Option<i32>,
) -> Result<HolidayYear> {
    let year = year.unwrap_or_else(|| Utc::now().year());
    check_year(year)?;
    year_view(db, tenant_id, year).await
}

/// Replaces one year's holidays and adjusted working days.
pub async fn replace_holidays(
    db: &DatabaseConnection,
    caller: &Caller,
    year: i32,
    request: HolidaysRequest,
) -> Result<HolidayYear> {
    check_year(year)?;
    let mut days = request.days;
    for day in &mut days {
        day.name = day.name.trim().to_owned();
        if day.date.year() != year {
            return Err(Error::validation(
                "days",
                format!("{} 不属于 {year} 年", day.date),
            ));
        }
        if day.name.is_empty() || day.name.chars().count() > 20 {
            return Err(Error::validation(
                "days",
                format!("{} 的名称不能为空，且不超过 20 个字", day.date),
            ));
        }
    }
    Calendar::from_days(days.clone()).map_err(|e| Error::validation("days", e.to_string()))?;
    days.sort_by_key(|d| d.date);
    save_year(db, caller, year, Some(days), "编辑").await
}

/// Returns one year to the shipped calendar.
pub async fn reset_holidays(
    db: &DatabaseConnection,
    caller: &Caller,
    year: i32,
) -> Result<HolidayYear> {
    check_year(year)?;
    save_year(db, caller, year, None, "恢复默认").await
}

async fn save_year(
    db: &DatabaseConnection,
    caller: &Caller,
    year: i32,
    days: Option<Vec<CalendarDay>>,
    detail: &str,
) -> Result<HolidayYear> {
    let txn = store::begin(db).await?;
    company::save_holiday_year(&txn, caller.tenant(), year, days).await?;
    audit::by(
        &txn,
        caller,
        "call_time.update",
        format!("{year} 年节假日"),
        detail,
    )
    .await?;
    txn.commit().await?;
    year_view(db, caller.tenant(), year).await
}
