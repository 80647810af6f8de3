//! The call driver against the simulated line, in tokio's paused time: the robot's real
//! dialog talks to a simulated customer, and the outcome holds what a record needs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::Duration;

use dialer::drive::Driver;
use domain::call::Speaker;
use domain::task::NumberStatus;
use robot::dialog::Robot;
use robot::timing::CallTiming;
use telephony::{DialRequest, Line, SimulatedConfig, SimulatedLine};

const SCRIPT: &str = include_str!("../../server/demo/script-education.json");

fn line() -> SimulatedLine {
    SimulatedLine::new(SimulatedConfig {
        seed: 0,
        time_scale: 1.0,
    })
    .unwrap()
}

/// The first numbers of a block whose outcome is `status`.
fn numbers_with(line: &SimulatedLine, status: NumberStatus, count: usize) -> Vec<String> {
    (0..10_000)
        .map(|i| format!("1390000{i:04}"))
        .filter(|n| line.plan(n, Duration::from_secs(45)).status == status)
        .take(count)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn answered_calls_run_the_robot_and_record_the_conversation() {
    let robot = Robot::new(serde_json::from_str(SCRIPT).unwrap()).unwrap();
    let line = line();
    let mut talked = 0;
    for number in numbers_with(&line, NumberStatus::Answered, 12) {
        let call = line.dial(DialRequest::new(number.clone())).await.unwrap();
        let mut driver = Driver::new(call, CallTiming::default(), 1.0);
        let answered = driver.until_answer().await.expect("answered");
        let variables = HashMap::from([("姓名".to_owned(), "张伟".to_owned())]);
        driver.converse(&robot, variables).await;
        let outcome = driver.finish();
        assert_eq!(outcome.status, NumberStatus::Answered, "{number}");
        assert_eq!(outcome.answered_ms, Some(answered));
        assert!(outcome.talk_ms() > 0);
        let kinds: Vec<&str> = outcome.timeline.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds.first(), Some(&"dial"));
        assert!(kinds.contains(&"answered"));
        assert_eq!(kinds.last(), Some(&"ended"));
        let first = &outcome.turns[0];
        assert_eq!(first.speaker, Speaker::Robot);
        assert!(first.text.starts_with("张伟您好"), "{}", first.text);
        let customer_turns = outcome
            .turns
            .iter()
            .filter(|t| t.speaker == Speaker::Customer)
            .count();
        assert_eq!(outcome.facts.interactions as usize, customer_turns);
        assert!(outcome.facts.ended_by.is_some());
        // Turns are in time order and within the call.
        for pair in outcome.turns.windows(2) {
            assert!(pair[0].start_ms <= pair[1].start_ms);
        }
        assert!(outcome.turns.iter().all(|t| t.end_ms <= outcome.talk_ms()));
        talked += usize::from(customer_turns > 0);
    }
    assert!(talked >= 6, "most customers talk back: {talked}");
}

#[tokio::test(start_paused = true)]
async fn unanswered_calls_end_with_the_lines_status() {
    let line = line();
    for status in [
        NumberStatus::Busy,
        NumberStatus::Vacant,
        NumberStatus::NoAnswer,
        NumberStatus::CarrierBlocked,
    ] {
        let number = numbers_with(&line, status, 1).remove(0);
        let call = line.dial(DialRequest::new(number)).await.unwrap();
        let mut driver = Driver::new(call, CallTiming::default(), 1.0);
        assert_eq!(driver.until_answer().await, None);
        let outcome = driver.finish();
        assert_eq!(outcome.status, status);
        assert!(outcome.turns.is_empty());
        assert_eq!(outcome.talk_ms(), 0);
        assert!(!outcome.cause.is_empty());
    }
}
