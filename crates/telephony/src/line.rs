//! The `Line` trait: what the dialer needs from any line, SIP trunk or simulated. A dial
//! returns a [`Call`] at once; what happens on it arrives as [`TimedEvent`]s (ringing, early
//! media, answered, the customer's speech, the end with its outcome) and the dialer steers
//! it with [`CallCommand`]s (say, hang up, transfer). Channels rather than callbacks, so a
//! call is just a value a dialer task owns; dropping it hangs up.

use std::time::Duration;

use async_trait::async_trait;
use domain::task::NumberStatus;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

/// Ringing this long without an answer ends the attempt as 无应答 (robot's default too).
pub const DEFAULT_RING_TIMEOUT: Duration = Duration::from_secs(45);

/// Events waiting to be read per call; a line never has more than a few in flight.
const EVENT_BUFFER: usize = 32;
const COMMAND_BUFFER: usize = 16;

/// One dial attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialRequest {
    /// The number as stored (normalised, see DESIGN "Data and invariants").
    pub number: String,
    /// The number shown to the customer, from the line's caller-ID pool.
    pub caller_id: Option<String>,
    /// Ringing this long without an answer: the line gives up (CANCEL) with 无应答.
    pub ring_timeout: Duration,
    /// The how-manieth call to this number in its task (1 for the first, 2 for a redial…).
    pub attempt: u32,
}

impl DialRequest {
    pub fn new(number: impl Into<String>) -> Self {
        Self {
            number: number.into(),
            caller_id: None,
            ring_timeout: DEFAULT_RING_TIMEOUT,
            attempt: 1,
        }
    }
}

/// Who ended the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// Our side: the robot, the dialer (ring timeout, CANCEL) or a transfer.
    Caller,
    /// The customer.
    Callee,
    /// The carrier or the network (announcements, rejections before ringing).
    Network,
}

/// How a call ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hangup {
    /// The outcome (呼叫状态): `Answered` for every call that was answered, however it ended.
    pub status: NumberStatus,
    pub by: Party,
    /// The line's own words for it, for the record: a SIP status line or a reason.
    pub cause: String,
}

/// Something that happened on a call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CallEvent {
    /// The customer's phone rings (SIP 180).
    Ringing,
    /// Audio before the answer (SIP 183), often a carrier announcement; its text when the
    /// line knows it (the simulated line does; a SIP line would need ASR).
    EarlyMedia {
        announcement: Option<String>,
    },
    Answered,
    /// Everything said so far has been played: the customer's silence counts from here.
    SayFinished,
    /// The customer started speaking (VAD): stop the silence timer; the words follow.
    SpeechStarted,
    /// The customer said something (text from ASR, or the simulated customer's words).
    Speech {
        text: String,
    },
    /// The last event of every call.
    Ended(Hangup),
}

/// An event and when it happened: milliseconds since the dial, in the line's time (for the
/// simulated line that is simulated time, so a sped-up demo still records real-looking
/// durations).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedEvent {
    pub at_ms: u64,
    pub event: CallEvent,
}

/// What the dialer tells a call to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallCommand {
    /// Speak: a recorded prompt when `audio` is set, otherwise TTS of `text`.
    Say { text: String, audio: Option<String> },
    /// Hang up (before the answer: cancel the dial).
    HangUp,
    /// Hand the customer to a person (`to`: a number or queue; `None`: the line's default).
    Transfer { to: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("号码为空或格式不正确")]
    InvalidNumber,
    #[error("通话已结束")]
    CallEnded,
    #[error("线路配置错误：{0}")]
    Config(String),
    #[error("线路不可用：{0}")]
    Unavailable(String),
}

/// A line that can place calls. Object-safe, so the dialer holds `Arc<dyn Line>`.
#[async_trait]
pub trait Line: Send + Sync {
    /// Starts a dial; returns as soon as the attempt is under way. Errors are for attempts
    /// that could not start at all; every outcome of a started one is a [`CallEvent::Ended`].
    async fn dial(&self, request: DialRequest) -> Result<Call, LineError>;
}

/// The dialer's end of one call.
#[derive(Debug)]
pub struct Call {
    number: String,
    events: mpsc::Receiver<TimedEvent>,
    commands: mpsc::Sender<CallCommand>,
}

/// The line's end of one call: it sends events and reads commands. A closed command channel
/// means the dialer dropped the call: hang up.
#[derive(Debug)]
pub struct LineSide {
    pub events: mpsc::Sender<TimedEvent>,
    pub commands: mpsc::Receiver<CallCommand>,
}

impl Call {
    /// A connected pair, for line implementations.
    pub fn pair(number: impl Into<String>) -> (Call, LineSide) {
        let (event_tx, event_rx) = mpsc::channel(EVENT_BUFFER);
        let (command_tx, command_rx) = mpsc::channel(COMMAND_BUFFER);
        (
            Call {
                number: number.into(),
                events: event_rx,
                commands: command_tx,
            },
            LineSide {
                events: event_tx,
                commands: command_rx,
            },
        )
    }

    pub fn number(&self) -> &str {
        &self.number
    }

    /// The next event; `None` once the line has gone (after [`CallEvent::Ended`]).
    pub async fn next_event(&mut self) -> Option<TimedEvent> {
        self.events.recv().await
    }

    pub async fn send(&self, command: CallCommand) -> Result<(), LineError> {
        self.commands
            .send(command)
            .await
            .map_err(|_| LineError::CallEnded)
    }

    pub async fn say(&self, text: impl Into<String>) -> Result<(), LineError> {
        self.send(CallCommand::Say {
            text: text.into(),
            audio: None,
        })
        .await
    }

    pub async fn hang_up(&self) -> Result<(), LineError> {
        self.send(CallCommand::HangUp).await
    }

    pub async fn transfer(&self, to: Option<String>) -> Result<(), LineError> {
        self.send(CallCommand::Transfer { to }).await
    }
}
