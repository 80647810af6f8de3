//! Grading rules (意向等级规则): each company's ordered rules that grade calls A–F.

use axum::Json;
use axum::extract::State;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use robot::grading::{Level, Rule, check_rules};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::audit;
use crate::services::company;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_rules, put_rules))
}

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

fn level_code(level: Level) -> &'static str {
    match level {
        Level::A => "A",
        Level::B => "B",
        Level::C => "C",
        Level::D => "D",
        Level::E => "E",
        Level::F => "F",
    }
}

fn parse_level(code: &str) -> Option<Level> {
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
#[utoipa::path(get, path = "/api/grading-rules", tag = "robot", responses((status = 200, body = RulesView)))]
async fn get_rules(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<RulesView>> {
    caller.require(ROBOT_VIEW)?;
    let (rules, default) = company::grading_rules(&state.db, caller.tenant()).await?;
    Ok(Json(view(rules, default)))
}

#[derive(Deserialize, ToSchema)]
pub struct RulesRequest {
    #[schema(value_type = Vec<Object>)]
    rules: serde_json::Value,
    default_level: String,
}

/// Replace the grading rules.
#[utoipa::path(put, path = "/api/grading-rules", tag = "robot", request_body = RulesRequest,
    responses((status = 200, body = RulesView), (status = 422, body = ErrorBody)))]
async fn put_rules(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<RulesRequest>,
) -> ApiResult<Json<RulesView>> {
    caller.require(ROBOT_MANAGE)?;
    let rules: Vec<Rule> = serde_json::from_value(request.rules)
        .map_err(|e| ApiError::validation("rules", format!("规则格式不正确：{e}")))?;
    if rules.len() > 100 {
        return Err(ApiError::validation("rules", "规则最多 100 条"));
    }
    check_rules(&rules).map_err(|message| ApiError::validation("rules", message))?;
    let default = parse_level(&request.default_level)
        .ok_or_else(|| ApiError::validation("default_level", "默认等级应为 A 到 F"))?;
    company::save_grading_rules(&state.db, caller.tenant(), rules.clone(), default).await?;
    audit::by(
        &state.db,
        &caller,
        "grading.update",
        format!("{} 条规则", rules.len()),
        "",
    )
    .await?;
    Ok(Json(view(rules, default)))
}
