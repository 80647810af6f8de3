//! The test chat of a script's draft (测试对话): the whole conversation replayed from the start
//! with the customer's events so far, graded by the company's rules once it ends.

use std::collections::HashMap;

use domain::call::EndedByName;
use robot::dialog::{Action, Conversation, EndedBy, Event};
use robot::grading::CallFacts;
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::grading::GradeView;
use super::intents::IntentHit;
use super::scripts;
use crate::services::{Error, Result, company};

/// One customer event of the test chat.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChatEvent {
    Utterance { text: String },
    Silence,
    HangUp,
}

#[derive(Deserialize, ToSchema)]
pub struct ChatRequest {
    /// Values of the script's variables, e.g. {"姓名": "王先生"}.
    #[serde(default)]
    variables: HashMap<String, String>,
    /// Every customer event so far, in order.
    events: Vec<ChatEvent>,
}

#[derive(Serialize, ToSchema)]
pub struct ChatTurn {
    /// What the customer did: `utterance`, `silence`, `hang_up`; `null` for the opening.
    event: Option<&'static str>,
    at_ms: u64,
    customer: Option<String>,
    intent: Option<IntentHit>,
    knowledge: Option<String>,
    node: String,
    node_name: String,
    /// What the robot said in this turn.
    robot: Vec<String>,
    /// `say`, `stop_speaking`, `transfer`, `hang_up`, `offer_blacklist`.
    actions: Vec<&'static str>,
}

#[derive(Serialize, ToSchema)]
pub struct ChatResponse {
    turns: Vec<ChatTurn>,
    /// `robot`, `customer` or `transfer` once the conversation ended.
    ended: Option<&'static str>,
    /// The grade, once ended.
    grade: Option<GradeView>,
    intents_hit: Vec<String>,
    nodes_reached: Vec<String>,
    /// User tags (用户标签) of the nodes reached.
    user_tags: Vec<String>,
    interactions: u32,
}

/// The customer is assumed to take this long per turn in the test chat.
const TEST_TURN_MS: u64 = 5_000;

/// Replays script `id`'s draft with the events given.
pub async fn chat(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: i64,
    request: ChatRequest,
) -> Result<ChatResponse> {
    if request.events.len() > 200 {
        return Err(Error::validation(
            "events",
            "测试对话最多 200 轮，请重新开始",
        ));
    }
    let row = scripts::find(db, tenant_id, id).await?;
    let robot = scripts::compile_or_refuse(&row.draft)?;
    let (rules, default_level) = company::grading_rules(db, tenant_id).await?;
    let mut conversation = Conversation::start(&robot, request.variables, 0);
    let kinds: Vec<&'static str> = request
        .events
        .iter()
        .map(|event| match event {
            ChatEvent::Utterance { .. } => "utterance",
            ChatEvent::Silence => "silence",
            ChatEvent::HangUp => "hang_up",
        })
        .collect();
    let mut at = 0;
    for event in request.events {
        at += TEST_TURN_MS;
        let event = match event {
            ChatEvent::Utterance { text } => Event::Utterance {
                text,
                is_final: true,
            },
            ChatEvent::Silence => Event::Silence,
            ChatEvent::HangUp => Event::HangUp,
        };
        conversation.handle(event, at);
    }
    let names: HashMap<&str, &str> = robot
        .script()
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.name.as_str()))
        .collect();
    let turns = conversation
        .log()
        .iter()
        .enumerate()
        // Each chat event makes exactly one turn, after the opening one.
        .map(|(index, turn)| ChatTurn {
            event: index.checked_sub(1).and_then(|i| kinds.get(i).copied()),
            at_ms: turn.at_ms,
            customer: turn.customer.clone(),
            intent: turn.intent.as_ref().map(IntentHit::from),
            knowledge: turn.knowledge.clone(),
            node_name: names
                .get(turn.node.as_str())
                .copied()
                .unwrap_or_default()
                .to_owned(),
            node: turn.node.clone(),
            robot: turn
                .actions
                .iter()
                .filter_map(|a| match a {
                    Action::Say { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .collect(),
            actions: turn.actions.iter().map(action_name).collect(),
        })
        .collect();
    let ended = conversation.ended();
    let grade = ended.map(|by| {
        let facts = CallFacts {
            intents_hit: conversation.intents_hit(),
            nodes_reached: conversation.reached(),
            interactions: conversation.interactions(),
            duration_seconds: u32::try_from(at / 1000).unwrap_or(u32::MAX),
            ended_by: Some(EndedByName::from(by)),
        };
        let (level, rule) = robot::grading::grade(&rules, default_level, &facts);
        GradeView::new(level, rule.map(|r| r.name.clone()))
    });
    Ok(ChatResponse {
        turns,
        ended: ended.map(|by| match by {
            EndedBy::Robot => "robot",
            EndedBy::Customer => "customer",
            EndedBy::Transfer => "transfer",
        }),
        grade,
        intents_hit: conversation.intents_hit().to_vec(),
        nodes_reached: conversation.reached().to_vec(),
        user_tags: conversation.user_tags().to_vec(),
        interactions: conversation.interactions(),
    })
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Say { .. } => "say",
        Action::StopSpeaking => "stop_speaking",
        Action::Transfer => "transfer",
        Action::HangUp => "hang_up",
        Action::OfferBlacklist => "offer_blacklist",
    }
}
