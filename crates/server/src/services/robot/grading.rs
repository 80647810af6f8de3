//! Grading rules (意向等级规则): each company's ordered rules that grade calls A–F, and a grade
//! as the console shows it.

use robot::grading::{Level, Rule, check_rules};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Result, company};

/// A grade as shown: level, label and the rule that gave it.
#[derive(Serialize, ToSchema)]
pub struct GradeView {
    /// `A` … `F`.
    level: String,
    label: &'static str,
    /// The deciding rule's name; `null` for the default level.
    rule: Option<String>,
}

impl GradeView {
    pub fn new(level: Level, rule: Option<String>) -> Self {
        Self {
            level: level_code(level).to_owned(),
            label: level.label(),
            rule,
        }
    }
}

/// A level's letter, `A` … `F`.
pub fn level_code(level: Level) -> &'static str {
    match level {
        Level::A => "A",
        Level::B => "B",
        Level::C => "C",
        Level::D => "D",
        Level::E => "E",
        Level::F => "F",
    }
}

/// The level of a letter, `A` … `F` (upper case only).
pub fn parse_level(code: &str) -> Option<Level> {
    Level::ALL
        .into_iter()
        .find(|level| level_code(*level) == code)
}

#[derive(Serialize, ToSchema)]
pub struct LevelView {
    level: &'static str,
    label: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct RulesView {
    /// Ordered: the first rule whose conditions all hold decides.
    #[schema(value_type = Vec<Object>)]
    rules: Vec<Rule>,
    default_level: &'static str,
    levels: Vec<LevelView>,
}

#[derive(Deserialize, ToSchema)]
pub struct RulesRequest {
    #[schema(value_type = Vec<Object>)]
    rules: serde_json::Value,
    default_level: String,
}

fn view(rules: Vec<Rule>, default: Level) -> RulesView {
    RulesView {
        rules,
        default_level: level_code(default),
        levels: Level::ALL
            .into_iter()
            .map(|level| LevelView {
                level: level_code(level),
                label: level.label(),
            })
            .collect(),
    }
}

/// The grading rules in force.
pub async fn rules(db: &DatabaseConnection, tenant_id: i64) -> Result<RulesView> {
    let (rules, default) = company::grading_rules(db, tenant_id).await?;
    Ok(view(rules, default))
}

/// Replaces the company's grading rules.
pub async fn replace(
    db: &DatabaseConnection,
    caller: &Caller,
    request: RulesRequest,
) -> Result<RulesView> {
    let rules: Vec<Rule> = serde_json::from_value(request.rules)
        .map_err(|e| Error::validation("rules", format!("规则格式不正确：{e}")))?;
    if rules.len() > 100 {
        return Err(Error::validation("rules", "规则最多 100 条"));
    }
    check_rules(&rules).map_err(|message| Error::validation("rules", message))?;
    let default = parse_level(&request.default_level)
        .ok_or_else(|| Error::validation("default_level", "默认等级应为 A 到 F"))?;
    let txn = store::begin(db).await?;
    company::save_grading_rules(&txn, caller.tenant(), rules.clone(), default).await?;
    audit::by(
        &txn,
        caller,
        "grading.update",
        format!("{} 条规则", rules.len()),
        "",
    )
    .await?;
    txn.commit().await?;
    Ok(view(rules, default))
}
