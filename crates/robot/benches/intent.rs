//! `scripts/bench intent`: accuracy of the built-in intents on the labelled utterances, the
//! cost of classifying one utterance, and the dialog runtime's cost per turn (p50, p99).

#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use std::collections::HashMap;

use robot::dialog::{Conversation, Event, Robot};
use robot::intent::{Matcher, evaluate};
use robot::script::Script;

const LABELLED: &str = include_str!("../tests/data/utterances.tsv");
const HOLDOUT: &str = include_str!("../tests/data/utterances-holdout.tsv");
const SCRIPT: &str = include_str!("../tests/data/sample-script.json");

fn percentile(sorted: &[u128], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q) as usize] as f64 / 1000.0
}

fn main() {
    let Ok(matcher) = Matcher::builtin() else {
        eprintln!("the built-in intents do not compile");
        std::process::exit(1);
    };
    let evaluation = evaluate(&matcher, LABELLED);
    println!("intent_utterances: {} count", evaluation.total);
    println!("intent_accuracy: {:.1} %", evaluation.accuracy() * 100.0);
    let holdout = evaluate(&matcher, HOLDOUT);
    println!("intent_holdout_utterances: {} count", holdout.total);
    println!(
        "intent_holdout_accuracy: {:.1} %",
        holdout.accuracy() * 100.0
    );

    let utterances: Vec<&str> = LABELLED
        .lines()
        .filter_map(|line| line.split_once('\t').map(|(_, u)| u))
        .collect();
    // Warm up, then time every call of several rounds over the whole set.
    for utterance in &utterances {
        black_box(matcher.classify(utterance));
    }
    let mut nanos: Vec<u128> = Vec::with_capacity(utterances.len() * 50);
    for _ in 0..50 {
        for utterance in &utterances {
            let start = Instant::now();
            black_box(matcher.classify(black_box(utterance)));
            nanos.push(start.elapsed().as_nanos());
        }
    }
    nanos.sort_unstable();
    println!("intent_classify_p50: {:.2} us", percentile(&nanos, 0.50));
    println!("intent_classify_p99: {:.2} us", percentile(&nanos, 0.99));

    let robot = match serde_json::from_str::<Script>(SCRIPT).map(Robot::new) {
        Ok(Ok(robot)) => robot,
        _ => {
            eprintln!("the sample script does not load");
            std::process::exit(1);
        }
    };
    // A full call: greeting, a knowledge question, a price question, a yes, the goodbye.
    let turns = ["你们是线上还是线下的", "嗯，多少钱啊", "可以，那约一节吧"];
    let variables = HashMap::from([("姓名".to_owned(), "王先生".to_owned())]);
    let mut turn_nanos: Vec<u128> = Vec::with_capacity(20_000 * turns.len());
    for round in 0..20_000u64 {
        let mut call = Conversation::start(&robot, variables.clone(), 0);
        for (i, text) in turns.iter().enumerate() {
            let event = Event::Utterance {
                text: (*text).to_owned(),
                is_final: true,
            };
            let start = Instant::now();
            black_box(call.handle(event, round + i as u64));
            turn_nanos.push(start.elapsed().as_nanos());
        }
    }
    turn_nanos.sort_unstable();
    println!("dialog_turn_p50: {:.2} us", percentile(&turn_nanos, 0.50));
    println!("dialog_turn_p99: {:.2} us", percentile(&turn_nanos, 0.99));
}
