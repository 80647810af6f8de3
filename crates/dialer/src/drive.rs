//! One call from the dial to the hang-up: reads the line's events, runs the robot's dialog on
//! the customer's words, says what the robot says, keeps the silence and length timers, and
//! returns everything that happened. No database here: the caller writes the record.

use domain::call::{EndedByName, Facts, Speaker, TimelineEntry, Turn};
use domain::task::NumberStatus;
use robot::dialog::{Action, Conversation, EndedBy, Event, Robot};
use robot::timing::CallTiming;
use std::collections::HashMap;
use telephony::customer::{robot_speech_ms, scaled};
use telephony::{Call, CallEvent, Hangup, Party};
use tokio::time::Instant;

/// A finished call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub status: NumberStatus,
    pub hangup_by: Option<Party>,
    pub cause: String,
    pub ringing_ms: Option<u64>,
    pub answered_ms: Option<u64>,
    pub ended_ms: u64,
    pub turns: Vec<Turn>,
    pub timeline: Vec<TimelineEntry>,
    pub facts: Facts,
}

impl Outcome {
    /// From the answer to the hang-up.
    pub fn talk_ms(&self) -> u64 {
        self.answered_ms
            .map_or(0, |answered| self.ended_ms.saturating_sub(answered))
    }
}

/// Drives one call. Split in two so the caller can record the answer before the talk.
pub struct Driver {
    call: Call,
    scale: f64,
    started: Instant,
    timing: CallTiming,
    outcome: Outcome,
}

/// A line that says nothing for this long after its last expected event has failed.
const LINE_SILENCE_MARGIN_MS: u64 = 60_000;

impl Driver {
    pub fn new(call: Call, timing: CallTiming, time_scale: f64) -> Self {
        Self {
            call,
            scale: time_scale,
            started: Instant::now(),
            timing,
            outcome: Outcome {
                status: NumberStatus::Interrupted,
                hangup_by: None,
                cause: String::new(),
                ringing_ms: None,
                answered_ms: None,
                ended_ms: 0,
                turns: Vec::new(),
                timeline: vec![TimelineEntry {
                    at_ms: 0,
                    kind: "dial".into(),
                    detail: String::new(),
                }],
                facts: Facts::default(),
            },
        }
    }

    /// Line time now, for events the dialer makes itself (timers).
    fn now_ms(&self) -> u64 {
        (self.started.elapsed().as_secs_f64() * 1000.0 * self.scale).round() as u64
    }

    fn wall(&self, line_ms: u64) -> Instant {
        self.started + scaled(line_ms, self.scale)
    }

    fn note(&mut self, at_ms: u64, kind: &str, detail: impl Into<String>) {
        self.outcome.timeline.push(TimelineEntry {
            at_ms,
            kind: kind.to_owned(),
            detail: detail.into(),
        });
    }

    fn end(&mut self, at_ms: u64, hangup: Hangup) {
        self.note(at_ms, "ended", hangup.cause.clone());
        self.outcome.status = hangup.status;
        self.outcome.hangup_by = Some(hangup.by);
        self.outcome.cause = hangup.cause;
        self.outcome.ended_ms = at_ms;
    }

    /// Waits for the answer. `Some(ms since dial)` when answered; `None` when the call ended
    /// before (the outcome is then final, see [`Self::finish`]).
    pub async fn until_answer(&mut self) -> Option<u64> {
        let give_up = u64::from(self.timing.ring_timeout_seconds) * 1000 + LINE_SILENCE_MARGIN_MS;
        loop {
            let deadline = self.wall(give_up);
            let event = tokio::select! {
                event = self.call.next_event() => event,
                () = tokio::time::sleep_until(deadline) => None,
            };
            let Some(event) = event else {
                self.lost();
                return None;
            };
            match event.event {
                CallEvent::Ringing => {
                    self.outcome.ringing_ms.get_or_insert(event.at_ms);
                    self.note(event.at_ms, "ringing", "");
                }
                CallEvent::EarlyMedia { announcement } => {
                    self.note(event.at_ms, "early_media", announcement.unwrap_or_default());
                }
                CallEvent::Answered => {
                    self.outcome.answered_ms = Some(event.at_ms);
                    self.note(event.at_ms, "answered", "");
                    return Some(event.at_ms);
                }
                CallEvent::Ended(hangup) => {
                    self.end(event.at_ms, hangup);
                    return None;
                }
                // Nothing is said before the answer.
                CallEvent::SayFinished | CallEvent::SpeechStarted | CallEvent::Speech { .. } => {}
            }
        }
    }

    /// The line went away without an end: the record says so.
    fn lost(&mut self) {
        let at = self.now_ms();
        self.end(
            at,
            Hangup {
                status: NumberStatus::Interrupted,
                by: Party::Network,
                cause: "线路无响应".into(),
            },
        );
    }

    /// Runs the conversation of an answered call to its end.
    pub async fn converse(&mut self, robot: &Robot, variables: HashMap<String, String>) {
        let answered = self.outcome.answered_ms.unwrap_or(0);
        let max_end = answered + u64::from(self.timing.max_call_seconds) * 1000;
        let mut conversation = Conversation::start(robot, variables, 0);
        let opening = conversation
            .log()
            .first()
            .map(|record| record.actions.clone())
            .unwrap_or_default();
        let mut speaking_until = answered;
        let mut silence_at: Option<u64> = None;
        let mut hang_up_after_speech = false;
        let mut speech_started: Option<u64> = None;
        self.act(
            &conversation,
            opening,
            answered,
            &mut speaking_until,
            &mut hang_up_after_speech,
        )
        .await;
        loop {
            let next_timer = silence_at.unwrap_or(u64::MAX).min(max_end);
            let deadline = self.wall(next_timer);
            let event = tokio::select! {
                event = self.call.next_event() => event,
                () = tokio::time::sleep_until(deadline) => {
                    if next_timer >= max_end {
                        // Too long: the robot ends the call.
                        conversation_end(&mut self.outcome, &conversation, Some(EndedByName::Robot));
                        let _ = self.call.hang_up().await;
                        hang_up_after_speech = false;
                        silence_at = None;
                        continue;
                    }
                    silence_at = None;
                    let at = next_timer.saturating_sub(answered);
                    let actions = conversation.handle(Event::Silence, at);
                    self.act(&conversation, actions, next_timer, &mut speaking_until, &mut hang_up_after_speech).await;
                    continue;
                }
            };
            let Some(event) = event else {
                self.lost();
                break;
            };
            let at = event.at_ms;
            match event.event {
                CallEvent::SayFinished => {
                    if hang_up_after_speech {
                        hang_up_after_speech = false;
                        let _ = self.call.hang_up().await;
                    } else if conversation.ended().is_none() {
                        silence_at = Some(at + u64::from(self.timing.silence_timeout_ms));
                    }
                }
                CallEvent::SpeechStarted => {
                    silence_at = None;
                    speech_started = Some(at);
                }
                CallEvent::Speech { text } => {
                    silence_at = None;
                    let start = speech_started.take().unwrap_or(at);
                    self.outcome.turns.push(Turn {
                        speaker: Speaker::Customer,
                        text: text.clone(),
                        start_ms: start.saturating_sub(answered),
                        end_ms: at.saturating_sub(answered),
                        interrupted: false,
                        intent: None,
                        knowledge: None,
                        node: None,
                    });
                    let heard_at =
                        (at + u64::from(self.timing.max_pause_ms)).saturating_sub(answered);
                    let actions = conversation.handle(
                        Event::Utterance {
                            text,
                            is_final: true,
                        },
                        heard_at,
                    );
                    if let Some(record) = conversation.log().last()
                        && let Some(turn) = self
                            .outcome
                            .turns
                            .iter_mut()
                            .rev()
                            .find(|t| t.speaker == Speaker::Customer)
                    {
                        turn.intent = record.intent.as_ref().map(|i| i.code.clone());
                        turn.knowledge = record.knowledge.clone();
                    }
                    self.act(
                        &conversation,
                        actions,
                        at,
                        &mut speaking_until,
                        &mut hang_up_after_speech,
                    )
                    .await;
                }
                CallEvent::Ended(hangup) => {
                    if hangup.by == Party::Callee && conversation.ended().is_none() {
                        conversation.handle(Event::HangUp, at.saturating_sub(answered));
                    }
                    // Robot lines still playing were cut off.
                    for turn in self.outcome.turns.iter_mut().rev() {
                        if turn.speaker == Speaker::Robot && answered + turn.end_ms > at {
                            turn.end_ms = at.saturating_sub(answered);
                            turn.interrupted = true;
                        }
                    }
                    let by = match (conversation.ended(), hangup.by) {
                        (Some(by), _) => Some(by.into()),
                        (None, Party::Callee) => Some(EndedByName::Customer),
                        (None, _) => Some(EndedByName::Robot),
                    };
                    conversation_end(&mut self.outcome, &conversation, by);
                    self.end(at, hangup);
                    return;
                }
                CallEvent::Ringing | CallEvent::EarlyMedia { .. } | CallEvent::Answered => {}
            }
        }
        conversation_end(&mut self.outcome, &conversation, None);
    }

    /// Carries out the robot's actions at line time `at`.
    async fn act(
        &mut self,
        conversation: &Conversation<'_>,
        actions: Vec<Action>,
        at: u64,
        speaking_until: &mut u64,
        hang_up_after_speech: &mut bool,
    ) {
        let answered = self.outcome.answered_ms.unwrap_or(0);
        let node = conversation.current_node().id.clone();
        for action in actions {
            match action {
                Action::Say { text, audio, .. } => {
                    let start = (*speaking_until).max(at);
                    *speaking_until = start + robot_speech_ms(&text);
                    self.outcome.turns.push(Turn {
                        speaker: Speaker::Robot,
                        text: text.clone(),
                        start_ms: start.saturating_sub(answered),
                        end_ms: speaking_until.saturating_sub(answered),
                        interrupted: false,
                        intent: None,
                        knowledge: None,
                        node: Some(node.clone()),
                    });
                    let _ = self
                        .call
                        .send(telephony::CallCommand::Say { text, audio })
                        .await;
                }
                Action::HangUp => *hang_up_after_speech = true,
                Action::Transfer => {
                    let _ = self.call.transfer(None).await;
                }
                Action::OfferBlacklist => self.outcome.facts.offered_blacklist = true,
                Action::StopSpeaking => {}
            }
        }
        if *hang_up_after_speech && *speaking_until <= at {
            *hang_up_after_speech = false;
            let _ = self.call.hang_up().await;
        }
    }

    pub fn finish(self) -> Outcome {
        self.outcome
    }
}

fn conversation_end(
    outcome: &mut Outcome,
    conversation: &Conversation<'_>,
    by: Option<EndedByName>,
) {
    let facts = &mut outcome.facts;
    facts.intents_hit = conversation.intents_hit().to_vec();
    facts.nodes_reached = conversation.reached().to_vec();
    facts.user_tags = conversation.user_tags().to_vec();
    facts.interactions = conversation.interactions();
    if facts.ended_by.is_none() {
        facts.ended_by = by.or_else(|| conversation.ended().map(|b: EndedBy| b.into()));
    }
}
