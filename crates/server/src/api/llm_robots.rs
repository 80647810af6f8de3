//! LLM-driven robots (大模型外呼, BOT-3): configure the prompt, knowledge, opening and
//! fallback of a robot whose lines a model writes, and test it by chatting as the customer.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use llm::{Budget, Message};
use robot::intent::Matcher;
use robot::llm_dialog::{Fallback, LlmConversation, LlmRobotConfig, LlmStep};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{llm_model, llm_robot, script};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::llm::{client, find_model};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::audit;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(defaults))
        .routes(routes!(detail, update, delete))
        .routes(routes!(chat))
}

/// Tokens one test turn may spend.
const TURN_BUDGET: u32 = 4_000;
/// The longest answer asked of the model: a spoken line or two.
const REPLY_TOKENS: u32 = 300;

/// Catches "don't call me again" without asking the model; built once.
static BUILTIN_INTENTS: LazyLock<Option<Matcher>> = LazyLock::new(|| Matcher::builtin().ok());

#[derive(Serialize, ToSchema)]
pub struct RobotSummary {
    id: i64,
    name: String,
    model_id: i64,
    model_name: String,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RobotDetail {
    #[serde(flatten)]
    summary: RobotSummary,
    #[schema(value_type = Object)]
    config: LlmRobotConfig,
}

fn summary(row: &llm_robot::Model, models: &HashMap<i64, String>) -> RobotSummary {
    RobotSummary {
        id: row.id,
        name: row.name.clone(),
        model_id: row.model_id,
        model_name: models.get(&row.model_id).cloned().unwrap_or_default(),
        updated_at: row.updated_at,
    }
}

async fn model_names(state: &AppState, tenant_id: i64) -> ApiResult<HashMap<i64, String>> {
    Ok(llm_model::Entity::find()
        .filter(llm_model::Column::TenantId.eq(tenant_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect())
}

fn config_of(row: &llm_robot::Model) -> ApiResult<LlmRobotConfig> {
    serde_json::from_str(&row.config)
        .map_err(|e| ApiError::from(anyhow::anyhow!("stored robot config unreadable: {e}")))
}

async fn detail_of(state: &AppState, row: llm_robot::Model) -> ApiResult<RobotDetail> {
    let models = model_names(state, row.tenant_id).await?;
    Ok(RobotDetail {
        summary: summary(&row, &models),
        config: config_of(&row)?,
    })
}

async fn find(state: &AppState, caller: &Caller, id: i64) -> ApiResult<llm_robot::Model> {
    llm_robot::Entity::find_by_id(id)
        .filter(llm_robot::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("大模型机器人"))
}

/// A new robot's configuration: a complete example to edit.
fn default_config() -> LlmRobotConfig {
    LlmRobotConfig {
        prompt: "你是星火少儿编程的课程顾问小星，语气亲切、专业。你的目标是邀请家长带孩子参加免费的编程体验课，并约定一个时间。不知道的事情不要编造，可以说稍后请老师回电。".to_owned(),
        knowledge: "体验课免费，时长 45 分钟，适合 6 到 14 岁的孩子。\n正式课每节一百二十元，一期 24 节。\n线下校区：人民路校区、科技园校区、滨江校区；也有线上小班课。".to_owned(),
        opening: "${姓名}您好，我是星火少儿编程的课程顾问小星，想邀请孩子参加一节免费的编程体验课，您看有兴趣了解一下吗？".to_owned(),
        fallback: Fallback::SayAndContinue,
        fallback_text: "不好意思，刚才信号不太好，您可以再说一遍吗？".to_owned(),
        max_turns: 12,
        closing_text: "今天先聊到这里，稍后老师会加您微信详细沟通，祝您生活愉快，再见。".to_owned(),
        stop_calling_text: "好的，以后不再打扰您，祝您生活愉快，再见。".to_owned(),
    }
}

fn text_field(value: &str, field: &'static str, label: &str, max: usize) -> ApiResult<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(ApiError::validation(
            field,
            format!("{label}不能为空，且不超过 {max} 个字"),
        ));
    }
    Ok(value.to_owned())
}

#[derive(Deserialize, ToSchema)]
pub struct RobotRequest {
    name: String,
    model_id: i64,
    #[schema(value_type = Object)]
    config: serde_json::Value,
}

/// What a save stores, after every check.
struct CheckedRobot {
    name: String,
    model_id: i64,
    config: String,
}

async fn check(
    state: &AppState,
    caller: &Caller,
    request: RobotRequest,
) -> ApiResult<CheckedRobot> {
    let name = text_field(&request.name, "name", "名称", 50)?;
    find_model(state, caller, request.model_id)
        .await
        .map_err(|_| ApiError::validation("model_id", "请选择一个已配置的 AI 对话模型"))?;
    let config: LlmRobotConfig = serde_path_to_error::deserialize(request.config).map_err(|e| {
        ApiError::validation(
            "config",
            format!("配置格式不正确：字段“{}”缺失或内容不符合要求", e.path()),
        )
    })?;
    let config = LlmRobotConfig {
        prompt: text_field(&config.prompt, "prompt", "角色与目标", 4_000)?,
        knowledge: config.knowledge.trim().to_owned(),
        opening: text_field(&config.opening, "opening", "开场白", 500)?,
        fallback_text: text_field(&config.fallback_text, "fallback_text", "兜底话术", 200)?,
        closing_text: text_field(&config.closing_text, "closing_text", "结束语", 200)?,
        stop_calling_text: text_field(
            &config.stop_calling_text,
            "stop_calling_text",
            "拒绝来电时的话术",
            200,
        )?,
        ..config
    };
    if config.knowledge.chars().count() > 20_000 {
        return Err(ApiError::validation(
            "knowledge",
            "知识资料不超过 20000 个字",
        ));
    }
    if !(1..=50).contains(&config.max_turns) {
        return Err(ApiError::validation(
            "max_turns",
            "最多对话轮数应在 1 到 50 之间",
        ));
    }
    if let Fallback::HandToScript { script_id, node } = &config.fallback {
        check_hand_over(state, caller, *script_id, node).await?;
    }
    Ok(CheckedRobot {
        name,
        model_id: request.model_id,
        config: serde_json::to_string(&config).map_err(|e| anyhow::anyhow!(e))?,
    })
}

/// The script a failing model hands the call to must exist and have that node.
async fn check_hand_over(
    state: &AppState,
    caller: &Caller,
    script_id: i64,
    node: &str,
) -> ApiResult<()> {
    let target = script::Entity::find_by_id(script_id)
        .filter(script::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::validation("fallback", "转接的话术不存在"))?;
    let draft: robot::script::Script = serde_json::from_str(&target.draft)
        .map_err(|_| ApiError::validation("fallback", "转接的话术内容无法解析"))?;
    if !draft.nodes.iter().any(|n| n.id == node) {
        return Err(ApiError::validation(
            "fallback",
            format!("话术《{}》中没有节点“{node}”", target.name),
        ));
    }
    Ok(())
}

/// The company's LLM robots.
#[utoipa::path(get, path = "/api/llm-robots", tag = "robot", responses((status = 200, body = Vec<RobotSummary>)))]
async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<RobotSummary>>> {
    caller.require(ROBOT_VIEW)?;
    let rows = llm_robot::Entity::find()
        .filter(llm_robot::Column::TenantId.eq(caller.tenant()))
        .order_by_desc(llm_robot::Column::UpdatedAt)
        .all(&state.db)
        .await?;
    let models = model_names(&state, caller.tenant()).await?;
    Ok(Json(rows.iter().map(|row| summary(row, &models)).collect()))
}

/// The configuration a new robot starts from.
#[utoipa::path(get, path = "/api/llm-robots/defaults", tag = "robot", responses((status = 200, body = Object)))]
async fn defaults(caller: Caller) -> ApiResult<Json<LlmRobotConfig>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(default_config()))
}

/// Create an LLM robot.
#[utoipa::path(post, path = "/api/llm-robots", tag = "robot", request_body = RobotRequest,
    responses((status = 201, body = RobotDetail), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<RobotRequest>,
) -> ApiResult<(StatusCode, Json<RobotDetail>)> {
    caller.require(ROBOT_MANAGE)?;
    let checked = check(&state, &caller, request).await?;
    let now = Utc::now();
    let row = llm_robot::ActiveModel {
        tenant_id: Set(caller.tenant()),
        name: Set(checked.name),
        model_id: Set(checked.model_id),
        config: Set(checked.config),
        created_by: Set(Some(caller.member.id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    audit::by(&state.db, &caller, "llm.robot", row.name.clone(), "新建").await?;
    Ok((StatusCode::CREATED, Json(detail_of(&state, row).await?)))
}

/// An LLM robot with its configuration.
#[utoipa::path(get, path = "/api/llm-robots/{id}", tag = "robot", params(("id" = i64, Path, description = "Robot id")),
    responses((status = 200, body = RobotDetail), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<RobotDetail>> {
    caller.require(ROBOT_VIEW)?;
    let row = find(&state, &caller, id).await?;
    Ok(Json(detail_of(&state, row).await?))
}

/// Change an LLM robot.
#[utoipa::path(put, path = "/api/llm-robots/{id}", tag = "robot", request_body = RobotRequest,
    params(("id" = i64, Path, description = "Robot id")),
    responses((status = 200, body = RobotDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<RobotRequest>,
) -> ApiResult<Json<RobotDetail>> {
    caller.require(ROBOT_MANAGE)?;
    let row = find(&state, &caller, id).await?;
    let checked = check(&state, &caller, request).await?;
    let mut row = row.into_active_model();
    row.name = Set(checked.name);
    row.model_id = Set(checked.model_id);
    row.config = Set(checked.config);
    row.updated_at = Set(Utc::now());
    let row = row.update(&state.db).await?;
    audit::by(&state.db, &caller, "llm.robot", row.name.clone(), "编辑").await?;
    Ok(Json(detail_of(&state, row).await?))
}

/// Delete an LLM robot.
#[utoipa::path(delete, path = "/api/llm-robots/{id}", tag = "robot", params(("id" = i64, Path, description = "Robot id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    let row = find(&state, &caller, id).await?;
    llm_robot::Entity::delete_by_id(row.id)
        .filter(llm_robot::Column::TenantId.eq(caller.tenant()))
        .exec(&state.db)
        .await?;
    audit::by(&state.db, &caller, "llm.robot", row.name, "删除").await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One earlier turn of the test chat.
#[derive(Deserialize, ToSchema)]
pub struct ChatTurn {
    customer: String,
    /// What the robot answered.
    #[serde(default)]
    robot: Vec<String>,
    /// The model failed on this turn and the fallback line was said.
    #[serde(default)]
    fallback: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct ChatRequest {
    #[serde(default)]
    variables: HashMap<String, String>,
    #[serde(default)]
    transcript: Vec<ChatTurn>,
    /// The customer's new line; `null` starts the call (the opening line).
    message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ChatResponse {
    robot: Vec<String>,
    /// `say`, `hang_up`, `transfer`, `offer_blacklist`, `hand_to_script`.
    actions: Vec<&'static str>,
    ended: bool,
    /// The model failed and the fallback applied.
    fallback: bool,
    /// Why the model failed, in Chinese.
    error: Option<String>,
    tokens: u32,
}

fn respond(steps: &[LlmStep], ended: bool, error: Option<String>, tokens: u32) -> ChatResponse {
    ChatResponse {
        robot: steps
            .iter()
            .filter_map(|step| match step {
                LlmStep::Say(text) => Some(text.clone()),
                _ => None,
            })
            .collect(),
        actions: steps
            .iter()
            .filter_map(|step| match step {
                LlmStep::Say(_) => Some("say"),
                LlmStep::HangUp => Some("hang_up"),
                LlmStep::Transfer => Some("transfer"),
                LlmStep::OfferBlacklist => Some("offer_blacklist"),
                LlmStep::HandToScript { .. } => Some("hand_to_script"),
                LlmStep::AskModel(_) => None,
            })
            .collect(),
        ended,
        fallback: error.is_some(),
        error,
        tokens,
    }
}

/// Test the robot: the earlier turns are replayed without the model, then the customer's new
/// line goes to the model, and the answer (or the fallback when the model fails) comes back.
#[utoipa::path(post, path = "/api/llm-robots/{id}/chat", tag = "robot", request_body = ChatRequest,
    params(("id" = i64, Path, description = "Robot id")),
    responses((status = 200, body = ChatResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn chat(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ChatRequest>,
) -> ApiResult<Json<ChatResponse>> {
    caller.require(ROBOT_VIEW)?;
    if request.transcript.len() > 50 {
        return Err(ApiError::validation(
            "transcript",
            "测试对话最多 50 轮，请重新开始",
        ));
    }
    let row = find(&state, &caller, id).await?;
    let config = config_of(&row)?;
    let matcher = BUILTIN_INTENTS
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("built-in intents do not compile"))?;
    let (mut call, opening) = LlmConversation::start(&config, matcher, &request.variables);
    let Some(message) = request.message else {
        return Ok(Json(respond(&opening, false, None, 0)));
    };
    let message = message.trim();
    if message.is_empty() || message.chars().count() > 500 {
        return Err(ApiError::validation(
            "message",
            "客户说的话不能为空，且不超过 500 个字",
        ));
    }
    for turn in &request.transcript {
        call.customer_said(&turn.customer);
        if turn.fallback {
            call.model_failed();
        } else {
            call.model_replied(&turn.robot.join(""));
        }
        if call.ended() {
            return Err(ApiError::validation(
                "transcript",
                "这通对话已经结束，请重新开始",
            ));
        }
    }
    let mut steps = call.customer_said(message);
    let mut error = None;
    let mut budget = Budget::new(TURN_BUDGET);
    if let Some(LlmStep::AskModel(history)) = steps.first() {
        let messages: Vec<Message> = history
            .iter()
            .map(|m| Message {
                role: m.role.to_owned(),
                content: m.content.clone(),
            })
            .collect();
        let model = llm_model::Entity::find_by_id(row.model_id)
            .filter(llm_model::Column::TenantId.eq(caller.tenant()))
            .one(&state.db)
            .await?
            .ok_or_else(|| ApiError::not_found("模型"))?;
        steps = match client(&model)?
            .complete(&messages, REPLY_TOKENS, &mut budget)
            .await
        {
            Ok(answer) => call.model_replied(&answer.text),
            Err(failure) => {
                error = Some(failure.to_string());
                call.model_failed()
            }
        };
    }
    Ok(Json(respond(&steps, call.ended(), error, budget.used)))
}
