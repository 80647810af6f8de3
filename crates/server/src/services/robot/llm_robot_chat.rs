//! The test chat of an LLM robot: the console plays the customer, the earlier turns are
//! replayed without the model, and only the new line goes to it.

use std::collections::HashMap;
use std::sync::LazyLock;

use llm::{Budget, Message};
use robot::intent::Matcher;
use robot::llm_dialog::{LlmConversation, LlmStep};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{llm_models, llm_robots};
use crate::services::{Error, Result};

/// Tokens one test turn may spend.
const TURN_BUDGET: u32 = 4_000;
/// The longest answer asked of the model: a spoken line or two.
const REPLY_TOKENS: u32 = 300;

/// Catches "don't call me again" without asking the model; built once.
static BUILTIN_INTENTS: LazyLock<Option<Matcher>> = LazyLock::new(|| Matcher::builtin().ok());

/// One earlier turn of the test chat.
#[derive(Deserialize, ToSchema)]
#[schema(as = LlmChatTurn)]
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
#[schema(as = LlmChatRequest)]
pub struct ChatRequest {
    #[serde(default)]
    variables: HashMap<String, String>,
    #[serde(default)]
    transcript: Vec<ChatTurn>,
    /// The customer's new line; `null` starts the call (the opening line).
    message: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = LlmChatResponse)]
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

/// One turn of robot `id`'s test chat: its answer to the customer's new line (or the fallback
/// when the model fails), or the opening when there is no line yet.
pub async fn chat(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: i64,
    request: ChatRequest,
) -> Result<ChatResponse> {
    if request.transcript.len() > 50 {
        return Err(Error::validation(
            "transcript",
            "测试对话最多 50 轮，请重新开始",
        ));
    }
    let row = llm_robots::find(db, tenant_id, id).await?;
    let config = llm_robots::config_of(&row)?;
    let matcher = BUILTIN_INTENTS
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("built-in intents do not compile"))?;
    let (mut call, opening) = LlmConversation::start(&config, matcher, &request.variables);
    let Some(message) = request.message else {
        return Ok(respond(&opening, false, None, 0));
    };
    let message = message.trim();
    if message.is_empty() || message.chars().count() > 500 {
        return Err(Error::validation(
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
            return Err(Error::validation(
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
        let model = llm_models::find(db, tenant_id, row.model_id).await?;
        steps = match llm_models::client(&model)?
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
    Ok(respond(&steps, call.ended(), error, budget.used))
}
