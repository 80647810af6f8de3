//! The simulated line (模拟线路, LINE-2): no carrier, no network. Every number gets an
//! outcome from a stable hash of (seed, number), so a demo or a test sees the same result
//! on every run, with the mix of a real outbound list: about a third answered, the rest over
//! the failure statuses (DIAL-2), each with its own ring time and, where carriers play one,
//! an announcement as early media. Answered calls are played by a simulated
//! [`Customer`](crate::Customer) who answers the robot's [`CallCommand::Say`]s with
//! [`CallEvent::Speech`]. Every wait is divided by the time scale and uses tokio time, so
//! tests run with `tokio::time::pause()`.

use std::time::Duration;

use async_trait::async_trait;
use domain::task::NumberStatus;
use tokio::time::Instant;

use crate::customer::{Customer, Persona, Reply, robot_speech_ms, scaled};
use crate::hash;
use crate::line::{
    Call, CallCommand, CallEvent, DialRequest, Hangup, Line, LineError, LineSide, Party, TimedEvent,
};

/// The outcome mix, per mille (sums to 1000).
pub const OUTCOME_MIX: [(NumberStatus, u64); 11] = [
    (NumberStatus::Answered, 350),
    (NumberStatus::NoAnswer, 150),
    (NumberStatus::PoweredOff, 90),
    (NumberStatus::Vacant, 80),
    (NumberStatus::Busy, 80),
    (NumberStatus::Rejected, 60),
    (NumberStatus::Suspended, 50),
    (NumberStatus::CarrierBlocked, 50),
    (NumberStatus::IncomingRestricted, 30),
    (NumberStatus::Arrears, 30),
    (NumberStatus::UserBlocked, 30),
];

/// The fastest time scale accepted: beyond this, timer resolution makes waits meaningless.
const MAX_TIME_SCALE: f64 = 1_000_000.0;

/// A customer who hears nothing for this long hangs up.
const PATIENCE_MS: u64 = 30_000;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimulatedConfig {
    /// Another seed gives every number another outcome and customer.
    pub seed: u64,
    /// 1.0 = real time; 60.0 = sixty times faster. Applies to every wait.
    pub time_scale: f64,
}

impl Default for SimulatedConfig {
    fn default() -> Self {
        Self {
            seed: 0,
            time_scale: 1.0,
        }
    }
}

/// What will happen when a number is dialled: the events up to the answer or the end, with
/// their simulated times since the dial.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub status: NumberStatus,
    pub steps: Vec<TimedEvent>,
    /// Who answers, for answered calls.
    pub persona: Option<Persona>,
}

impl Plan {
    /// When the customer answers, for answered calls.
    pub fn answered_at_ms(&self) -> Option<u64> {
        self.steps
            .iter()
            .find(|step| step.event == CallEvent::Answered)
            .map(|step| step.at_ms)
    }
}

#[derive(Clone, Debug)]
pub struct SimulatedLine {
    config: SimulatedConfig,
}

impl SimulatedLine {
    pub fn new(config: SimulatedConfig) -> Result<Self, LineError> {
        let scale = config.time_scale;
        if !(scale.is_finite() && scale > 0.0 && scale <= MAX_TIME_SCALE) {
            return Err(LineError::Config(format!(
                "时间倍率应大于 0 且不超过 {MAX_TIME_SCALE}"
            )));
        }
        Ok(Self { config })
    }

    pub fn config(&self) -> SimulatedConfig {
        self.config
    }

    /// The outcome this number is meant to have, ring timeout aside (see [`Self::plan`]).
    pub fn outcome(&self, number: &str) -> NumberStatus {
        let mut roll = self.draw("outcome", number) % 1000;
        for (status, share) in OUTCOME_MIX {
            if roll < share {
                return status;
            }
            roll -= share;
        }
        NumberStatus::Answered
    }

    /// Whoever answers this number.
    pub fn customer(&self, number: &str) -> Customer {
        Customer::for_number(self.config.seed, number)
    }

    /// Everything up to the answer or the end, deterministic per number. An answer that
    /// would come after `ring_timeout` becomes 无应答, as on a real line.
    pub fn plan(&self, number: &str, ring_timeout: Duration) -> Plan {
        let timeout_ms = u64::try_from(ring_timeout.as_millis()).unwrap_or(u64::MAX);
        let between = |salt: &str, lo: u64, hi: u64| {
            hash::between(self.config.seed, salt, number.as_bytes(), lo, hi)
        };
        // Post-dial delay: the network routing the call before anything is heard.
        let setup = between("setup", 300, 2_000);
        let step = |at_ms: u64, event: CallEvent| TimedEvent { at_ms, event };
        let ended = |at_ms: u64, status: NumberStatus, by: Party, cause: &str| {
            step(
                at_ms,
                CallEvent::Ended(Hangup {
                    status,
                    by,
                    cause: cause.to_owned(),
                }),
            )
        };
        let no_answer = |status| {
            vec![
                step(setup, CallEvent::Ringing),
                ended(
                    setup + timeout_ms,
                    status,
                    Party::Caller,
                    "487 Request Terminated (振铃超时)",
                ),
            ]
        };
        let mut status = self.outcome(number);
        let steps = match status {
            NumberStatus::Answered => {
                let ring = between("ring", 3_000, 15_000);
                if ring >= timeout_ms {
                    status = NumberStatus::NoAnswer;
                    no_answer(status)
                } else {
                    vec![
                        step(setup, CallEvent::Ringing),
                        step(setup + ring, CallEvent::Answered),
                    ]
                }
            }
            NumberStatus::NoAnswer => no_answer(status),
            NumberStatus::Busy => vec![ended(
                setup + between("busy", 0, 1_000),
                status,
                Party::Callee,
                "486 Busy Here",
            )],
            NumberStatus::Rejected => {
                // The customer sees the call and presses reject.
                let ring = between("reject", 2_000, 8_000).min(timeout_ms);
                vec![
                    step(setup, CallEvent::Ringing),
                    ended(setup + ring, status, Party::Callee, "603 Decline"),
                ]
            }
            NumberStatus::CarrierBlocked => {
                vec![ended(
                    setup,
                    status,
                    Party::Network,
                    "403 Forbidden (运营商拦截)",
                )]
            }
            NumberStatus::UserBlocked => vec![ended(
                setup + between("blocked", 0, 1_000),
                status,
                Party::Callee,
                "603 Decline (用户屏蔽)",
            )],
            _ => {
                let (announcement, cause) = announcement(status);
                let length = between("announcement", 4_000, 8_000);
                vec![
                    step(
                        setup,
                        CallEvent::EarlyMedia {
                            announcement: Some(announcement.to_owned()),
                        },
                    ),
                    ended(setup + length, status, Party::Network, cause),
                ]
            }
        };
        let persona = (status == NumberStatus::Answered)
            .then(|| Persona::for_number(self.config.seed, number));
        Plan {
            status,
            steps,
            persona,
        }
    }

    fn draw(&self, salt: &str, number: &str) -> u64 {
        hash::draw(self.config.seed, salt, number.as_bytes())
    }
}

/// What the carrier plays for the statuses it announces, and the SIP response after it.
fn announcement(status: NumberStatus) -> (&'static str, &'static str) {
    match status {
        NumberStatus::Vacant => ("您拨打的号码是空号，请查证后再拨。", "404 Not Found"),
        NumberStatus::PoweredOff => ("您拨打的电话已关机。", "480 Temporarily Unavailable"),
        NumberStatus::Suspended => ("您拨打的电话已停机。", "480 Temporarily Unavailable"),
        NumberStatus::Arrears => ("您拨打的电话已欠费。", "480 Temporarily Unavailable"),
        NumberStatus::IncomingRestricted => (
            "您拨打的用户已设置呼入限制。",
            "480 Temporarily Unavailable",
        ),
        _ => ("您拨打的电话暂时无法接通。", "480 Temporarily Unavailable"),
    }
}

#[async_trait]
impl Line for SimulatedLine {
    async fn dial(&self, request: DialRequest) -> Result<Call, LineError> {
        let number = request.number.trim();
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '+') {
            return Err(LineError::InvalidNumber);
        }
        // A redial is another roll of the dice: the customer may pick up this time.
        let key = match request.attempt {
            0 | 1 => number.to_owned(),
            attempt => format!("{number}#{attempt}"),
        };
        let plan = self.plan(&key, request.ring_timeout);
        let customer = self.customer(&key);
        let (call, side) = Call::pair(number);
        let clock = Clock {
            start: Instant::now(),
            scale: self.config.time_scale,
        };
        tokio::spawn(run(plan, customer, clock, side));
        Ok(call)
    }
}

/// Simulated time on tokio's clock.
#[derive(Clone, Copy)]
struct Clock {
    start: Instant,
    scale: f64,
}

impl Clock {
    fn instant(&self, at_ms: u64) -> Instant {
        self.start + scaled(at_ms, self.scale)
    }

    fn now_ms(&self) -> u64 {
        (self.start.elapsed().as_secs_f64() * 1000.0 * self.scale).round() as u64
    }
}

/// The call's life on the line: the planned steps, then (if answered) the customer.
async fn run(plan: Plan, customer: Customer, clock: Clock, mut side: LineSide) {
    let mut answered = false;
    for step in plan.steps {
        let due = clock.instant(step.at_ms);
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(due) => break,
                command = side.commands.recv() => match command {
                    Some(CallCommand::HangUp) | None => {
                        // The dialer cancelled before the answer (its own timeout, a pause).
                        let cancelled = Hangup {
                            status: NumberStatus::NoAnswer,
                            by: Party::Caller,
                            cause: "487 Request Terminated (主叫取消)".to_owned(),
                        };
                        send(&side, clock.now_ms(), CallEvent::Ended(cancelled)).await;
                        return;
                    }
                    // Nobody to talk to before the answer.
                    Some(_) => {}
                }
            }
        }
        answered |= step.event == CallEvent::Answered;
        if !send(&side, step.at_ms, step.event).await {
            return;
        }
    }
    if answered {
        converse(customer, clock, side).await;
    }
}

/// Sends an event; `false` once the dialer has dropped the call.
async fn send(side: &LineSide, at_ms: u64, event: CallEvent) -> bool {
    side.events.send(TimedEvent { at_ms, event }).await.is_ok()
}

/// What the customer is about to do.
enum Next {
    /// The robot is speaking until then; the customer reacts after.
    Listen(u64),
    /// The customer starts speaking at the first time and finishes at the second.
    Start(u64, u64, String),
    /// The customer finishes saying this then.
    Speak(u64, String),
    /// Nothing happens; at that time the customer gives up and hangs up.
    HangUp(u64),
}

impl Next {
    fn at_ms(&self) -> u64 {
        match self {
            Next::Listen(at) | Next::Start(at, ..) | Next::Speak(at, _) | Next::HangUp(at) => *at,
        }
    }
}

async fn converse(mut customer: Customer, clock: Clock, mut side: LineSide) {
    let answered_ms = clock.now_ms();
    let hang_up_at = customer.hangs_up_at_ms().map(|ms| answered_ms + ms);
    let mut heard: Vec<String> = Vec::new();
    let mut speaking_until = answered_ms;
    let mut next = Next::HangUp(answered_ms + PATIENCE_MS);
    let mut say_finished: Option<u64> = None;
    loop {
        let due = [Some(next.at_ms()), hang_up_at, say_finished]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(PATIENCE_MS);
        tokio::select! {
            command = side.commands.recv() => match command {
                Some(CallCommand::Say { text, .. }) => {
                    // Lines queue up: each starts when the previous one is over.
                    let start = speaking_until.max(clock.now_ms());
                    speaking_until = start + robot_speech_ms(&text);
                    heard.push(text);
                    say_finished = Some(speaking_until);
                    // A customer in mid-sentence finishes it first (see `Next::Speak`).
                    if !matches!(next, Next::Start(..) | Next::Speak(..)) {
                        next = Next::Listen(speaking_until);
                    }
                }
                Some(CallCommand::HangUp) | None => {
                    send(&side, clock.now_ms(), ended(Party::Caller, "BYE")).await;
                    return;
                }
                Some(CallCommand::Transfer { .. }) => {
                    send(&side, clock.now_ms(), ended(Party::Caller, "REFER (转人工)")).await;
                    return;
                }
            },
            () = tokio::time::sleep_until(clock.instant(due)) => {
                if hang_up_at.is_some_and(|h| h <= due) {
                    send(&side, due, ended(Party::Callee, "BYE")).await;
                    return;
                }
                if say_finished == Some(due) {
                    say_finished = None;
                    if !send(&side, due, CallEvent::SayFinished).await {
                        return;
                    }
                    continue;
                }
                next = match next {
                    Next::Listen(at) => match customer.hears(&std::mem::take(&mut heard)) {
                        Reply::Say { text, pause_ms, speak_ms } => {
                            Next::Start(at + pause_ms, at + pause_ms + speak_ms, text)
                        }
                        Reply::Silent => Next::HangUp(at + PATIENCE_MS),
                        Reply::HangUp { pause_ms } => Next::HangUp(at + pause_ms),
                    },
                    Next::Start(at, end, text) => {
                        if !send(&side, at, CallEvent::SpeechStarted).await {
                            return;
                        }
                        Next::Speak(end, text)
                    }
                    Next::Speak(at, text) => {
                        if !send(&side, at, CallEvent::Speech { text }).await {
                            return;
                        }
                        if heard.is_empty() {
                            Next::HangUp(at + PATIENCE_MS)
                        } else {
                            // The robot spoke meanwhile: react to that next.
                            Next::Listen(speaking_until.max(at))
                        }
                    }
                    Next::HangUp(at) => {
                        send(&side, at, ended(Party::Callee, "BYE")).await;
                        return;
                    }
                };
            }
        }
    }
}

/// The end of an answered call.
fn ended(by: Party, cause: &str) -> CallEvent {
    CallEvent::Ended(Hangup {
        status: NumberStatus::Answered,
        by,
        cause: cause.to_owned(),
    })
}
