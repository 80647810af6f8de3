//! A call as its record stores it: where it is (`calls.state`), how far its post-call work
//! went (`calls.post_state`), its transcript, its line timeline and what the conversation
//! established. The dialer writes these and the API reads them back through the same types.

use serde::{Deserialize, Serialize};

/// Where a call is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallState {
    /// A number was taken for it; not dialled yet.
    Claimed,
    Dialing,
    Answered,
    Ended,
}

impl CallState {
    pub const ALL: [CallState; 4] = [
        CallState::Claimed,
        CallState::Dialing,
        CallState::Answered,
        CallState::Ended,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CallState::Claimed => "claimed",
            CallState::Dialing => "dialing",
            CallState::Answered => "answered",
            CallState::Ended => "ended",
        }
    }

    pub fn from_code(code: &str) -> Option<CallState> {
        Self::ALL.into_iter().find(|state| state.code() == code)
    }
}

/// The post-call work's progress (grading, quality check, charge).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostState {
    /// The call is still going.
    Open,
    /// Answered and ended: waiting to be graded and charged.
    Pending,
    Done,
}

impl PostState {
    pub fn code(self) -> &'static str {
        match self {
            PostState::Open => "open",
            PostState::Pending => "pending",
            PostState::Done => "done",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Robot,
    Customer,
}

/// One line of the transcript. Times are ms since the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub speaker: Speaker,
    pub text: String,
    pub start_ms: u64,
    pub end_ms: u64,
    /// Cut off by the other side hanging up.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    /// Customer lines: the intent the robot recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    /// Customer lines: the knowledge entry that answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowledge: Option<String>,
    /// Robot lines: the node the robot is at after this turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
}

/// A line event for the record's timeline; ms since the dial, in the line's time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at_ms: u64,
    /// `dial`, `ringing`, `early_media`, `answered`, `ended`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// What the conversation established, stored with the call and graded after it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub intents_hit: Vec<String>,
    pub nodes_reached: Vec<String>,
    pub user_tags: Vec<String>,
    pub interactions: u32,
    pub ended_by: Option<EndedByName>,
    #[serde(default)]
    pub offered_blacklist: bool,
}

/// Who ended the call, as rules name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedByName {
    Robot,
    Customer,
    Transfer,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_states_read_back_from_their_codes() {
        for state in CallState::ALL {
            assert_eq!(CallState::from_code(state.code()), Some(state));
        }
        assert_eq!(CallState::from_code("ringing"), None);
    }
}
