//! The simulated line's outcomes: the mix of a real list, the same on every run.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::Duration;

use domain::task::NumberStatus;
use telephony::{CallEvent, OUTCOME_MIX, Party, SimulatedConfig, SimulatedLine};

fn line(seed: u64) -> SimulatedLine {
    SimulatedLine::new(SimulatedConfig {
        seed,
        time_scale: 1.0,
    })
    .unwrap()
}

/// Mobile numbers as a list would hold them: several prefixes, scattered digits.
fn numbers(count: u64) -> impl Iterator<Item = String> {
    const PREFIXES: [&str; 6] = ["138", "139", "150", "186", "177", "199"];
    (0..count).map(|i| {
        let prefix = PREFIXES[(i % 6) as usize];
        format!("{prefix}{:08}", (i * 104_729 + 12_345) % 100_000_000)
    })
}

#[test]
fn the_mix_over_ten_thousand_numbers_is_within_three_points() {
    assert_eq!(
        OUTCOME_MIX.iter().map(|(_, share)| share).sum::<u64>(),
        1000
    );
    for seed in [0, 1, 20_260_101] {
        let line = line(seed);
        let mut counts: HashMap<NumberStatus, u64> = HashMap::new();
        for number in numbers(10_000) {
            *counts.entry(line.outcome(&number)).or_default() += 1;
        }
        for (status, share) in OUTCOME_MIX {
            let got = counts.get(&status).copied().unwrap_or(0) as f64 / 100.0;
            let target = share as f64 / 10.0;
            assert!(
                (got - target).abs() <= 3.0,
                "seed {seed}, {}: {got}% vs {target}%",
                status.label()
            );
        }
        let answered = counts[&NumberStatus::Answered] as f64 / 100.0;
        assert!((30.0..=40.0).contains(&answered), "answer rate {answered}%");
    }
}

#[test]
fn outcomes_are_stable_across_runs_and_lines() {
    let a = line(7);
    let b = line(7);
    for number in numbers(1_000) {
        assert_eq!(a.outcome(&number), b.outcome(&number));
        assert_eq!(
            a.plan(&number, Duration::from_secs(45)),
            b.plan(&number, Duration::from_secs(45))
        );
    }
    // Pinned values: a change in the hash or the mix shows up here, not in a customer's
    // demo. (Update deliberately if the mix is retuned.)
    let pinned: Vec<&str> = ["13800138000", "13912345678", "18600000001", "15011112222"]
        .iter()
        .map(|n| line(0).outcome(n).code())
        .collect();
    assert_eq!(pinned, PINNED);
    // Another seed, another draw.
    let other = line(8);
    let differ = numbers(1_000)
        .filter(|n| a.outcome(n) != other.outcome(n))
        .count();
    assert!(differ > 300, "{differ}");
}

const PINNED: [&str; 4] = ["powered_off", "powered_off", "powered_off", "answered"];

#[test]
fn plans_have_realistic_timings() {
    let line = line(0);
    let timeout = Duration::from_secs(45);
    let mut seen: HashMap<NumberStatus, u64> = HashMap::new();
    for number in numbers(2_000) {
        let plan = line.plan(&number, timeout);
        *seen.entry(plan.status).or_default() += 1;
        let last = plan.steps.last().unwrap();
        assert!(plan.steps.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
        // Post-dial delay (0.3–2 s), plus up to 1 s for a quick busy or block.
        assert!((300..=3_000).contains(&plan.steps[0].at_ms), "{plan:?}");
        match plan.status {
            NumberStatus::Answered => {
                assert_eq!(plan.steps[0].event, CallEvent::Ringing);
                assert_eq!(last.event, CallEvent::Answered);
                let ring = last.at_ms - plan.steps[0].at_ms;
                assert!((3_000..=15_000).contains(&ring), "{ring}");
                assert!(plan.persona.is_some());
            }
            status => {
                assert!(plan.persona.is_none());
                assert!(plan.answered_at_ms().is_none());
                let CallEvent::Ended(hangup) = &last.event else {
                    panic!("{status:?} must end: {plan:?}");
                };
                assert_eq!(hangup.status, status);
                let length = last.at_ms - plan.steps[0].at_ms;
                match status {
                    NumberStatus::NoAnswer => {
                        assert_eq!(length, 45_000, "rings until the timeout");
                        assert_eq!(hangup.by, Party::Caller);
                    }
                    NumberStatus::Busy | NumberStatus::Rejected | NumberStatus::UserBlocked => {
                        assert!(length <= 8_000, "short: {length}");
                        assert_eq!(hangup.by, Party::Callee);
                    }
                    NumberStatus::Vacant
                    | NumberStatus::PoweredOff
                    | NumberStatus::Suspended
                    | NumberStatus::Arrears
                    | NumberStatus::IncomingRestricted => {
                        let CallEvent::EarlyMedia {
                            announcement: Some(text),
                        } = &plan.steps[0].event
                        else {
                            panic!("announced: {plan:?}");
                        };
                        assert!(text.contains(status.label()), "{text} / {}", status.label());
                        assert_eq!(hangup.by, Party::Network);
                    }
                    NumberStatus::CarrierBlocked => assert_eq!(hangup.by, Party::Network),
                    other => panic!("unexpected outcome {other:?}"),
                }
            }
        }
    }
    assert_eq!(seen.len(), OUTCOME_MIX.len(), "every outcome occurs");
}

#[test]
fn a_short_ring_timeout_turns_late_answers_into_no_answer() {
    let line = line(0);
    let (mut answered_45, mut answered_10) = (0, 0);
    for number in numbers(2_000) {
        let long = line.plan(&number, Duration::from_secs(45));
        let short = line.plan(&number, Duration::from_secs(10));
        answered_45 += u32::from(long.status == NumberStatus::Answered);
        answered_10 += u32::from(short.status == NumberStatus::Answered);
        if short.status == NumberStatus::Answered {
            assert_eq!(long, short, "an answer within 10 s is the same answer");
        }
    }
    assert!(answered_10 < answered_45 && answered_10 > answered_45 / 2);
}

#[test]
fn bad_time_scales_are_refused() {
    for scale in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e9] {
        assert!(
            SimulatedLine::new(SimulatedConfig {
                seed: 0,
                time_scale: scale
            })
            .is_err(),
            "{scale}"
        );
    }
}
