//! The simulated line behind the `Line` trait, on tokio's paused clock: events come at the
//! planned times divided by the time scale, and a dialer-like loop drives the real robot
//! against the simulated customers through `Call` commands and events.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use domain::task::NumberStatus;
use robot::dialog::{Action, Conversation, Event, Robot};
use robot::script::Script;
use telephony::{
    Call, CallEvent, DialRequest, Hangup, Line, LineError, Party, Persona, SimulatedConfig,
    SimulatedLine, TimedEvent,
};
use tokio::time::{Instant, timeout};

const SCALE: f64 = 60.0;

fn simulated() -> SimulatedLine {
    SimulatedLine::new(SimulatedConfig {
        seed: 11,
        time_scale: SCALE,
    })
    .unwrap()
}

/// The first number that `pick` likes.
fn number_where(line: &SimulatedLine, pick: impl Fn(&telephony::Plan) -> bool) -> String {
    (0..100_000u64)
        .map(|i| format!("1380{:07}", i * 7_919 % 10_000_000))
        .find(|n| pick(&line.plan(n, Duration::from_secs(45))))
        .unwrap()
}

/// Simulated ms as wall time at [`SCALE`].
fn wall(ms: u64) -> Duration {
    Duration::from_secs_f64(ms as f64 / 1000.0 / SCALE)
}

fn close(a: Duration, b: Duration) -> bool {
    a.abs_diff(b) <= Duration::from_millis(2)
}

async fn next(call: &mut Call) -> TimedEvent {
    call.next_event().await.unwrap()
}

#[tokio::test(start_paused = true)]
async fn an_answered_number_rings_then_answers_after_the_scaled_ring_time() {
    let line = simulated();
    let number = number_where(&line, |p| p.status == NumberStatus::Answered);
    let plan = line.plan(&number, Duration::from_secs(45));
    let line: Arc<dyn Line> = Arc::new(line);
    let started = Instant::now();
    let mut call = line.dial(DialRequest::new(number.clone())).await.unwrap();
    assert_eq!(call.number(), number);

    let ringing = next(&mut call).await;
    assert_eq!(ringing.event, CallEvent::Ringing);
    assert_eq!(ringing.at_ms, plan.steps[0].at_ms);
    assert!(close(started.elapsed(), wall(ringing.at_ms)));

    let answered = next(&mut call).await;
    assert_eq!(answered.event, CallEvent::Answered);
    let answered_at = plan.answered_at_ms().unwrap();
    assert_eq!(answered.at_ms, answered_at);
    let ring = answered_at - ringing.at_ms;
    assert!((3_000..=15_000).contains(&ring));
    // Sixty times faster: a 3–15 s ring passes in 50–250 ms.
    assert!(close(started.elapsed(), wall(answered_at)));

    call.hang_up().await.unwrap();
    let ended = next(&mut call).await;
    assert_eq!(
        ended.event,
        CallEvent::Ended(Hangup {
            status: NumberStatus::Answered,
            by: Party::Caller,
            cause: "BYE".into()
        })
    );
    assert!(call.next_event().await.is_none(), "nothing after the end");
    assert_eq!(call.say("喂").await, Err(LineError::CallEnded));
}

#[tokio::test(start_paused = true)]
async fn a_vacant_number_ends_as_vacant_without_answering() {
    let line = simulated();
    let number = number_where(&line, |p| p.status == NumberStatus::Vacant);
    let started = Instant::now();
    let mut call = line.dial(DialRequest::new(number)).await.unwrap();
    let mut events = Vec::new();
    while let Some(event) = call.next_event().await {
        events.push(event);
    }
    assert!(
        matches!(&events[0].event, CallEvent::EarlyMedia { announcement: Some(text) } if text.contains("空号"))
    );
    assert!(!events.iter().any(|e| e.event == CallEvent::Answered));
    let last = events.last().unwrap();
    let CallEvent::Ended(hangup) = &last.event else {
        panic!("{events:?}");
    };
    assert_eq!(hangup.status, NumberStatus::Vacant);
    assert_eq!(hangup.by, Party::Network);
    assert!(close(started.elapsed(), wall(last.at_ms)));
}

#[tokio::test(start_paused = true)]
async fn no_answer_rings_until_the_requested_timeout() {
    let line = simulated();
    let number = number_where(&line, |p| p.status == NumberStatus::NoAnswer);
    let mut request = DialRequest::new(number);
    request.ring_timeout = Duration::from_secs(20);
    let mut call = line.dial(request).await.unwrap();
    let ringing = next(&mut call).await;
    assert_eq!(ringing.event, CallEvent::Ringing);
    let ended = next(&mut call).await;
    assert_eq!(ended.at_ms - ringing.at_ms, 20_000);
    assert!(matches!(
        ended.event,
        CallEvent::Ended(Hangup {
            status: NumberStatus::NoAnswer,
            by: Party::Caller,
            ..
        })
    ));
}

#[tokio::test(start_paused = true)]
async fn the_dialer_can_cancel_while_it_rings_and_bad_numbers_are_refused() {
    let line = simulated();
    let number = number_where(&line, |p| p.status == NumberStatus::Answered);
    let mut call = line.dial(DialRequest::new(number.clone())).await.unwrap();
    assert_eq!(next(&mut call).await.event, CallEvent::Ringing);
    call.hang_up().await.unwrap();
    let CallEvent::Ended(hangup) = next(&mut call).await.event else {
        panic!("ends");
    };
    assert_eq!(
        (hangup.status, hangup.by),
        (NumberStatus::NoAnswer, Party::Caller)
    );

    // Speaking into a ringing phone changes nothing: the answer comes when planned.
    let plan = line.plan(&number, Duration::from_secs(45));
    let started = Instant::now();
    let mut call = line.dial(DialRequest::new(number)).await.unwrap();
    assert_eq!(next(&mut call).await.event, CallEvent::Ringing);
    call.say("喂？").await.unwrap();
    let answered = next(&mut call).await;
    assert_eq!(answered.event, CallEvent::Answered);
    assert!(close(
        started.elapsed(),
        wall(plan.answered_at_ms().unwrap())
    ));
    drop(call);

    for bad in ["", "  ", "abc"] {
        assert_eq!(
            line.dial(DialRequest::new(bad)).await.err(),
            Some(LineError::InvalidNumber)
        );
    }
}

/// What a dialer does on an answered call: runs the robot, says its lines, feeds it the
/// customer's speech, and counts silence from the end of the robot's speech.
async fn run_robot(call: &mut Call, robot: &Robot) -> (Vec<String>, u32, Hangup, u64) {
    run_robot_logged(call, robot, &mut Vec::new()).await
}

async fn run_robot_logged(
    call: &mut Call,
    robot: &Robot,
    log: &mut Vec<TimedEvent>,
) -> (Vec<String>, u32, Hangup, u64) {
    const SILENCE_MS: u64 = 5_000;
    let mut conversation: Option<Conversation<'_>> = None;
    let mut listening_since: Option<u64> = None;
    loop {
        let event = match listening_since {
            Some(since) => match timeout(wall(SILENCE_MS), call.next_event()).await {
                Ok(event) => event,
                Err(_) => {
                    let conversation = conversation.as_mut().unwrap();
                    listening_since = None;
                    let actions = conversation.handle(Event::Silence, since + SILENCE_MS);
                    perform(call, &actions).await;
                    continue;
                }
            },
            None => call.next_event().await,
        };
        let Some(TimedEvent { at_ms, event }) = event else {
            panic!("the line went away without an end");
        };
        log.push(TimedEvent {
            at_ms,
            event: event.clone(),
        });
        match event {
            CallEvent::Answered => {
                let started = Conversation::start(robot, HashMap::new(), at_ms);
                perform(call, &started.log()[0].actions).await;
                conversation = Some(started);
            }
            CallEvent::SayFinished => listening_since = Some(at_ms),
            CallEvent::SpeechStarted => listening_since = None,
            CallEvent::Speech { text } => {
                listening_since = None;
                let conversation = conversation.as_mut().unwrap();
                let actions = conversation.handle(
                    Event::Utterance {
                        text,
                        is_final: true,
                    },
                    at_ms,
                );
                perform(call, &actions).await;
            }
            CallEvent::Ended(hangup) => {
                let conversation = conversation.unwrap();
                return (
                    conversation.reached().to_vec(),
                    conversation.interactions(),
                    hangup,
                    at_ms,
                );
            }
            CallEvent::Ringing | CallEvent::EarlyMedia { .. } => {}
        }
    }
}

async fn perform(call: &Call, actions: &[Action]) {
    for action in actions {
        let _ = match action {
            Action::Say { text, .. } => call.say(text.clone()).await,
            Action::HangUp => call.hang_up().await,
            Action::Transfer => call.transfer(None).await,
            Action::StopSpeaking | Action::OfferBlacklist => Ok(()),
        };
    }
}

#[tokio::test(start_paused = true)]
async fn simulated_customers_talk_to_the_robot_through_the_line() {
    let script: Script =
        serde_json::from_str(include_str!("../../robot/tests/data/sample-script.json")).unwrap();
    let robot = Robot::new(script).unwrap();
    let line = simulated();
    for persona in Persona::ALL {
        let number = number_where(&line, |p| p.persona == Some(persona));
        let started = Instant::now();
        let mut call = line.dial(DialRequest::new(number)).await.unwrap();
        let (reached, interactions, hangup, ended_at) = run_robot(&mut call, &robot).await;
        let reached: Vec<&str> = reached.iter().map(String::as_str).collect();
        let context = format!("{persona:?}: {reached:?} {interactions} {hangup:?}");
        assert_eq!(hangup.status, NumberStatus::Answered, "{context}");
        assert!(close(started.elapsed(), wall(ended_at)), "{context}");
        match persona {
            Persona::Interested => {
                assert!(reached.contains(&"invite"), "{context}");
                assert_eq!(hangup.by, Party::Caller, "{context}");
            }
            Persona::AsksPrice => assert!(reached.contains(&"price"), "{context}"),
            Persona::Busy => assert!(reached.contains(&"busy"), "{context}"),
            Persona::Refuses => {
                assert!(
                    interactions <= 3 && !reached.contains(&"invite"),
                    "{context}"
                );
            }
            Persona::Silent => {
                // The robot asked once, then gave up: two silence timeouts.
                assert_eq!((interactions, hangup.by), (0, Party::Caller), "{context}");
            }
            Persona::HangsUpEarly => {
                assert_eq!((interactions, hangup.by), (0, Party::Callee), "{context}");
            }
            Persona::AsksQuestions => assert!(interactions >= 1, "{context}"),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_call_on_the_line_replays_identically() {
    let script: Script =
        serde_json::from_str(include_str!("../../robot/tests/data/sample-script.json")).unwrap();
    let robot = Robot::new(script).unwrap();
    let line = simulated();
    let number = number_where(&line, |p| p.persona == Some(Persona::AsksPrice));
    let mut runs = Vec::new();
    for _ in 0..2 {
        let mut call = line.dial(DialRequest::new(number.clone())).await.unwrap();
        let mut log = Vec::new();
        run_robot_logged(&mut call, &robot, &mut log).await;
        runs.push(log);
    }
    assert_eq!(runs[0], runs[1]);
    let spoken: Vec<&CallEvent> = runs[0]
        .iter()
        .map(|e| &e.event)
        .filter(|e| matches!(e, CallEvent::Speech { .. }))
        .collect();
    assert!(!spoken.is_empty(), "{:?}", runs[0]);
}
