//! `scripts/bench intent`: accuracy of the built-in intents on the labelled utterances, and
//! the cost of classifying one utterance (p50, p99). The dialog runtime's cost per turn joins
//! here when the runtime exists.

#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use robot::intent::{Matcher, evaluate};

const LABELLED: &str = include_str!("../tests/data/utterances.tsv");

fn main() {
    let Ok(matcher) = Matcher::builtin() else {
        eprintln!("the built-in intents do not compile");
        std::process::exit(1);
    };
    let evaluation = evaluate(&matcher, LABELLED);
    println!("intent_utterances: {} count", evaluation.total);
    println!("intent_accuracy: {:.1} %", evaluation.accuracy() * 100.0);

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
    let at = |q: f64| nanos[((nanos.len() - 1) as f64 * q) as usize] as f64 / 1000.0;
    println!("intent_classify_p50: {:.2} us", at(0.50));
    println!("intent_classify_p99: {:.2} us", at(0.99));
}
