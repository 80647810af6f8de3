//! The built-in intents against the shipped labelled utterances (colloquial speech and ASR
//! errors). The threshold is set from the measured accuracy, a little below it, so a change
//! that makes matching worse fails here.

use robot::intent::{Matcher, evaluate};

const LABELLED: &str = include_str!("data/utterances.tsv");
const MIN_ACCURACY: f64 = 0.97;

#[test]
fn builtin_intents_classify_the_labelled_set() {
    let evaluation = evaluate(&Matcher::builtin().unwrap(), LABELLED);
    for (expected, got, utterance) in &evaluation.misses {
        eprintln!("miss: expected {expected:<12} got {got:<12} {utterance}");
    }
    eprintln!(
        "intent accuracy: {}/{} = {:.1} %",
        evaluation.correct,
        evaluation.total,
        evaluation.accuracy() * 100.0
    );
    assert!(
        evaluation.total >= 200,
        "the labelled set has at least 200 utterances"
    );
    assert!(
        evaluation.accuracy() >= MIN_ACCURACY,
        "accuracy {:.3} fell below {MIN_ACCURACY}",
        evaluation.accuracy()
    );
}
