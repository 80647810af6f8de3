//! A company's calling rules as kept in its settings: grading rules, call timing and its
//! edits to the holiday calendar, with the built-in defaults until it saves its own.

use std::collections::BTreeMap;

use chrono::Datelike;
use domain::calltime::{Calendar, CalendarDay};
use robot::grading::{Level, Rule, default_rules};
use robot::timing::CallTiming;
use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};

use crate::services::settings;

const RULES_KEY: &str = "grading_rules";
const TIMING_KEY: &str = "call_timing";
const HOLIDAYS_KEY: &str = "holidays";

/// How the grading rules are kept in the company's settings.
#[derive(Serialize, Deserialize)]
struct StoredRules {
    rules: Vec<Rule>,
    default_level: Level,
}

/// The company's grading rules and default level.
pub async fn grading_rules(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<(Vec<Rule>, Level), DbErr> {
    let stored: Option<StoredRules> = settings::get(db, tenant_id, RULES_KEY).await?;
    Ok(stored.map_or_else(
        || (default_rules(), Level::C),
        |stored| (stored.rules, stored.default_level),
    ))
}

pub async fn save_grading_rules(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    rules: Vec<Rule>,
    default_level: Level,
) -> Result<(), DbErr> {
    let stored = StoredRules {
        rules,
        default_level,
    };
    settings::put(db, tenant_id, RULES_KEY, &stored).await
}

/// The company's call timing (ring timeout, pauses, longest call …).
pub async fn call_timing(db: &impl ConnectionTrait, tenant_id: i64) -> Result<CallTiming, DbErr> {
    Ok(settings::get(db, tenant_id, TIMING_KEY)
        .await?
        .unwrap_or_default())
}

pub async fn save_call_timing(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    timing: &CallTiming,
) -> Result<(), DbErr> {
    settings::put(db, tenant_id, TIMING_KEY, timing).await
}

/// The years whose holidays the company edited, with its days for each.
pub type EditedYears = BTreeMap<i32, Vec<CalendarDay>>;

pub async fn holiday_edits(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<EditedYears, DbErr> {
    Ok(settings::get(db, tenant_id, HOLIDAYS_KEY)
        .await?
        .unwrap_or_default())
}

/// Replaces `year`'s holidays with `days`, or returns the year to the shipped calendar.
pub async fn save_holiday_year(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    year: i32,
    days: Option<Vec<CalendarDay>>,
) -> Result<(), DbErr> {
    let mut edited = holiday_edits(db, tenant_id).await?;
    match days {
        Some(days) => edited.insert(year, days),
        None => edited.remove(&year),
    };
    settings::put(db, tenant_id, HOLIDAYS_KEY, &edited).await
}

/// The company's calendar: the shipped days, with each edited year replaced.
pub async fn calendar(db: &impl ConnectionTrait, tenant_id: i64) -> anyhow::Result<Calendar> {
    let edited = holiday_edits(db, tenant_id).await?;
    if edited.is_empty() {
        return Ok(Calendar::china_default().clone());
    }
    let mut days: Vec<CalendarDay> = Calendar::china_default()
        .days()
        .filter(|day| !edited.contains_key(&day.date.year()))
        .cloned()
        .collect();
    days.extend(edited.into_values().flatten());
    Calendar::from_days(days).map_err(|e| anyhow::anyhow!(e))
}
