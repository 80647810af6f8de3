//! Simulated customers talking to the real robot on the demo-like sample script: every
//! persona ends the call the way such a customer would, deterministically and fast.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use domain::call::{EndedByName, Speaker};
use robot::dialog::Robot;
use robot::grading::{Level, default_rules, grade};
use robot::script::Script;
use robot::timing::CallTiming;
use telephony::{Customer, Persona};

mod simulate;
use simulate::{SimulatedCall, simulate_conversation};

fn robot() -> Robot {
    let script: Script =
        serde_json::from_str(include_str!("../../robot/tests/data/sample-script.json")).unwrap();
    Robot::new(script).unwrap()
}

fn play(robot: &Robot, persona: Persona, seed: u64) -> SimulatedCall {
    let variables = HashMap::from([("姓名".to_owned(), "王先生".to_owned())]);
    simulate_conversation(
        robot,
        variables,
        Customer::new(persona, seed),
        &CallTiming::default(),
    )
}

fn transcript(call: &SimulatedCall) -> String {
    call.turns
        .iter()
        .map(|t| {
            let who = match t.speaker {
                Speaker::Robot => "机器人",
                Speaker::Customer => "客户",
            };
            format!("[{:>6}–{:>6}] {who}: {}", t.start_ms, t.end_ms, t.text)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn level(call: &SimulatedCall) -> Level {
    grade(&default_rules(), Level::C, &call.call_facts()).0
}

fn customer_turns(call: &SimulatedCall) -> usize {
    call.turns
        .iter()
        .filter(|t| t.speaker == Speaker::Customer)
        .count()
}

/// Every persona over many seeds, with the transcript in the failure message.
fn each(persona: Persona, check: impl Fn(&SimulatedCall) -> bool) {
    let robot = robot();
    for seed in 0..64 {
        let call = play(&robot, persona, seed);
        assert!(
            check(&call),
            "{persona:?} seed {seed}: {:?}, {:?}, {} ms\n{}",
            call.ended_by,
            call.facts,
            call.duration_ms,
            transcript(&call)
        );
        // Time only moves forward, and the call lasts until its last word.
        let mut last = 0;
        for turn in &call.turns {
            assert!(turn.start_ms >= last && turn.end_ms >= turn.start_ms);
            last = turn.start_ms;
        }
        assert!(call.turns.iter().all(|t| t.end_ms <= call.duration_ms));
    }
}

#[test]
fn interested_customers_reach_the_invitation() {
    each(Persona::Interested, |call| {
        call.facts.nodes_reached.contains(&"invite".to_owned())
            && call.facts.user_tags.contains(&"预约体验课".to_owned())
            && call.ended_by == EndedByName::Robot
            && call.facts.intents_hit.contains(&"affirm".to_owned())
    });
}

#[test]
fn price_askers_hear_the_price_then_decide() {
    each(Persona::AsksPrice, |call| {
        let reached = |node: &str| call.facts.nodes_reached.contains(&node.to_owned());
        call.facts.intents_hit.first().map(String::as_str) == Some("ask_price")
            && reached("price")
            && (reached("invite") || reached("bye"))
            && matches!(level(call), Level::A | Level::B)
    });
    // Both decisions happen.
    let robot = robot();
    let invited = (0..64)
        .filter(|&seed| {
            play(&robot, Persona::AsksPrice, seed)
                .facts
                .nodes_reached
                .contains(&"invite".to_owned())
        })
        .count();
    assert!(
        (10..=54).contains(&invited),
        "{invited} of 64 took the offer"
    );
}

#[test]
fn busy_customers_get_a_call_back_promise() {
    each(Persona::Busy, |call| {
        call.facts.nodes_reached.contains(&"busy".to_owned())
            && call.facts.intents_hit == ["busy"]
            && call.ended_by == EndedByName::Robot
            && call.facts.interactions == 1
    });
    let call = play(&robot(), Persona::Busy, 0);
    assert!(call.turns[0].text.contains("可以吗"));
}

#[test]
fn refusals_end_within_a_few_turns() {
    each(Persona::Refuses, |call| {
        let refused = ["deny", "refuse"]
            .iter()
            .any(|i| call.facts.intents_hit.contains(&(*i).to_owned()));
        refused
            && customer_turns(call) <= 3
            && !call.facts.nodes_reached.contains(&"invite".to_owned())
            && matches!(level(call), Level::C | Level::D | Level::E)
    });
    // "Don't call again" reaches the blacklist offer.
    let robot = robot();
    assert!((0..64).any(|seed| {
        let call = play(&robot, Persona::Refuses, seed);
        call.facts.offered_blacklist && level(&call) == Level::D
    }));
}

#[test]
fn silence_triggers_the_silence_handler_then_the_robot_gives_up() {
    each(Persona::Silent, |call| {
        let robot_said: Vec<&str> = call.turns.iter().map(|t| t.text.as_str()).collect();
        robot_said.contains(&"您好，还在听吗？")
            && robot_said.last() == Some(&"那先不打扰了，再见。")
            && customer_turns(call) == 0
            && call.ended_by == EndedByName::Robot
            && level(call) == Level::F
            // Two silence timeouts of 5 s after the opening.
            && call.duration_ms > 10_000
    });
}

#[test]
fn early_hang_ups_cut_the_opening_short() {
    each(Persona::HangsUpEarly, |call| {
        call.ended_by == EndedByName::Customer
            && call.turns.len() == 1
            && call.turns[0].interrupted
            && (1_500..=6_000).contains(&call.duration_ms)
            && level(call) == Level::F
    });
}

#[test]
fn question_askers_get_knowledge_answers() {
    each(Persona::AsksQuestions, |call| {
        let answered = call
            .turns
            .iter()
            .any(|t| t.knowledge.as_deref() == Some("where"));
        let decided = ["invite", "bye"]
            .iter()
            .any(|n| call.facts.nodes_reached.contains(&(*n).to_owned()));
        answered && decided && call.ended_by == EndedByName::Robot
    });
}

#[test]
fn conversations_are_deterministic_and_use_the_variables() {
    let robot = robot();
    for persona in Persona::ALL {
        assert_eq!(play(&robot, persona, 42), play(&robot, persona, 42));
    }
    let call = play(&robot, Persona::Interested, 1);
    assert!(call.turns[0].text.starts_with("王先生您好"));
    assert_eq!(call.turns[0].node.as_deref(), Some("open"));
    // A sped-up call holds its channel for a fraction of its length.
    let wall = call.wall_duration(1_000.0);
    assert_eq!(wall.as_millis(), u128::from(call.duration_ms / 1_000));
}

#[test]
fn customers_for_numbers_follow_the_persona_mix() {
    let mut counts: HashMap<Persona, u64> = HashMap::new();
    for i in 0..10_000u64 {
        let number = format!("139{:08}", i * 7_919 % 100_000_000);
        *counts
            .entry(Customer::for_number(3, &number).persona())
            .or_default() += 1;
    }
    for persona in Persona::ALL {
        let share = counts.get(&persona).copied().unwrap_or(0) as f64 / 100.0;
        let target = persona.weight() as f64 / 10.0;
        assert!(
            (share - target).abs() <= 3.0,
            "{persona:?}: {share}% vs {target}%"
        );
    }
}

#[test]
fn a_thousand_conversations_run_fast() {
    let robot = robot();
    let started = std::time::Instant::now();
    for i in 0..1_000u64 {
        let call = simulate_conversation(
            &robot,
            HashMap::new(),
            Customer::for_number(9, &format!("1380000{i:04}")),
            &CallTiming::default(),
        );
        assert!(call.duration_ms > 0);
    }
    // Debug build on a shared 2-core machine: generous, but catches accidental sleeping.
    assert!(started.elapsed().as_secs() < 10);
}
