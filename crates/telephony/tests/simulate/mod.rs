//! Whole answered calls between the real robot and a simulated customer, with computed
//! timestamps: what the tests of the personas play. (The dialer plays the same customers
//! live on the simulated line.)

use std::collections::HashMap;
use std::time::Duration;

use domain::call::{EndedByName, Speaker, Turn};
use robot::dialog::{Action, Conversation, Event, Robot};
use robot::grading::CallFacts;
use robot::script::Script;
use robot::timing::CallTiming;
use telephony::customer::{robot_speech_ms, scaled};
use telephony::{Customer, Persona, Reply};

/// From the customer's last word to the robot's first: ASR final result plus TTS start.
const ROBOT_LATENCY_MS: u64 = 300;

/// The script's knowledge base as a customer asks about it (its first question per entry).
fn knowledge_questions(script: &Script) -> Vec<String> {
    script
        .knowledge
        .iter()
        .filter_map(|entry| entry.questions.first().cloned())
        .collect()
}

/// What the conversation established, for grading and tags (BOT-2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationFacts {
    pub intents_hit: Vec<String>,
    pub nodes_reached: Vec<String>,
    pub user_tags: Vec<String>,
    pub interactions: u32,
    /// The customer asked not to be called again (offer to blacklist the number).
    pub offered_blacklist: bool,
}

/// An answered call played to its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimulatedCall {
    pub persona: Persona,
    pub turns: Vec<Turn>,
    pub ended_by: EndedByName,
    /// From the answer to the hang-up, in simulated time.
    pub duration_ms: u64,
    pub facts: ConversationFacts,
}

impl SimulatedCall {
    /// How long the dialer should hold the channel for this call at `time_scale` (e.g. 60.0:
    /// sixty times faster than real time), so concurrency looks like real calls.
    pub fn wall_duration(&self, time_scale: f64) -> Duration {
        scaled(self.duration_ms, time_scale)
    }

    /// The grading input (robot::grading) for this call.
    pub fn call_facts(&self) -> CallFacts<'_> {
        CallFacts {
            intents_hit: &self.facts.intents_hit,
            nodes_reached: &self.facts.nodes_reached,
            interactions: self.facts.interactions,
            duration_seconds: u32::try_from(self.duration_ms.div_ceil(1000)).unwrap_or(u32::MAX),
            ended_by: Some(self.ended_by),
        }
    }
}

fn texts(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|action| match action {
            Action::Say { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Plays an answered call between the robot and a simulated customer, from the answer to
/// the hang-up, through the real dialog runtime. Pure and deterministic: timestamps are
/// computed (robot speech, the customer's pauses and speech, the end-of-sentence pause,
/// the silence timeout from `timing`), never waited for. The customer asks about the
/// script's knowledge base.
pub fn simulate_conversation(
    robot: &Robot,
    variables: HashMap<String, String>,
    customer: Customer,
    timing: &CallTiming,
) -> SimulatedCall {
    let mut customer = customer.with_questions(knowledge_questions(robot.script()));
    let persona = customer.persona();
    let hang_up_at = customer.hangs_up_at_ms();
    let max_ms = u64::from(timing.max_call_seconds) * 1000;
    let mut conversation = Conversation::start(robot, variables, 0);
    let mut turns: Vec<Turn> = Vec::new();
    let mut offered_blacklist = false;
    let mut actions = conversation
        .log()
        .first()
        .map(|record| record.actions.clone())
        .unwrap_or_default();
    let mut t = 0u64;

    let (duration_ms, ended_by) = 'call: loop {
        offered_blacklist |= actions.contains(&Action::OfferBlacklist);
        let node = conversation.current_node().id.clone();
        let said = texts(&actions);
        for text in &said {
            let end = t + robot_speech_ms(text);
            let cut = hang_up_at.filter(|&h| h < end).map(|h| h.max(t));
            turns.push(Turn {
                speaker: Speaker::Robot,
                text: text.clone(),
                start_ms: t,
                end_ms: cut.unwrap_or(end),
                interrupted: cut.is_some(),
                intent: None,
                knowledge: None,
                node: Some(node.clone()),
            });
            if let Some(at) = cut {
                conversation.handle(Event::HangUp, at);
                break 'call (at, EndedByName::Customer);
            }
            t = end;
        }
        if let Some(by) = conversation.ended() {
            break (t, by.into());
        }
        if t >= max_ms {
            // The dialer ends over-long calls; the robot is the one hanging up.
            break (t, EndedByName::Robot);
        }
        let (at, event) = match customer.hears(&said) {
            Reply::Say {
                text,
                pause_ms,
                speak_ms,
            } => {
                let start = t + pause_ms;
                let end = start + speak_ms;
                if let Some(h) = hang_up_at.filter(|&h| h < end) {
                    conversation.handle(Event::HangUp, h.max(t));
                    break (h.max(t), EndedByName::Customer);
                }
                turns.push(Turn {
                    speaker: Speaker::Customer,
                    text: text.clone(),
                    start_ms: start,
                    end_ms: end,
                    interrupted: false,
                    intent: None,
                    knowledge: None,
                    node: None,
                });
                // The sentence is over once the pause after it is long enough.
                let at = end + u64::from(timing.max_pause_ms);
                (
                    at,
                    Event::Utterance {
                        text,
                        is_final: true,
                    },
                )
            }
            Reply::Silent => (t + u64::from(timing.silence_timeout_ms), Event::Silence),
            Reply::HangUp { pause_ms } => (t + pause_ms, Event::HangUp),
        };
        if let Some(h) = hang_up_at.filter(|&h| h < at) {
            conversation.handle(Event::HangUp, h.max(t));
            break (h.max(t), EndedByName::Customer);
        }
        let customer_turn = matches!(event, Event::Utterance { .. });
        actions = conversation.handle(event, at);
        if customer_turn
            && let (Some(turn), Some(record)) = (turns.last_mut(), conversation.log().last())
        {
            turn.intent = record.intent.as_ref().map(|i| i.code.clone());
            turn.knowledge = record.knowledge.clone();
        }
        if conversation.ended() == Some(robot::dialog::EndedBy::Customer) {
            break (at, EndedByName::Customer);
        }
        t = at + ROBOT_LATENCY_MS;
    };

    SimulatedCall {
        persona,
        turns,
        ended_by,
        duration_ms,
        facts: ConversationFacts {
            intents_hit: conversation.intents_hit().to_vec(),
            nodes_reached: conversation.reached().to_vec(),
            user_tags: conversation.user_tags().to_vec(),
            interactions: conversation.interactions(),
            offered_blacklist,
        },
    }
}
