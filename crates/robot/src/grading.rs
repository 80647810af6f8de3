//! Grading (意向等级, BOT-2): ordered rules over what happened in a call turn it into A–F.
//! The first rule whose conditions all hold decides; otherwise the default level applies.

use serde::{Deserialize, Serialize};

use crate::dialog::EndedBy;
use domain::call::EndedByName;

/// The six levels and the labels users see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Level {
    pub const ALL: [Level; 6] = [Level::A, Level::B, Level::C, Level::D, Level::E, Level::F];

    pub fn label(self) -> &'static str {
        match self {
            Level::A => "A级(较强意向)",
            Level::B => "B级(有意向)",
            Level::C => "C级(无意向)",
            Level::D => "D级(明确拒绝)",
            Level::E => "E级(无效沟通)",
            Level::F => "F级(未交流)",
        }
    }
}

impl From<EndedBy> for EndedByName {
    fn from(by: EndedBy) -> Self {
        match by {
            EndedBy::Robot => Self::Robot,
            EndedBy::Customer => Self::Customer,
            EndedBy::Transfer => Self::Transfer,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Condition {
    IntentHit { intent: String },
    IntentNotHit { intent: String },
    NodeReached { node: String },
    InteractionsAtLeast { value: u32 },
    InteractionsAtMost { value: u32 },
    DurationAtLeast { seconds: u32 },
    DurationAtMost { seconds: u32 },
    EndedBy { by: EndedByName },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    pub level: Level,
    pub conditions: Vec<Condition>,
}

/// What a finished call looked like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFacts<'a> {
    pub intents_hit: &'a [String],
    pub nodes_reached: &'a [String],
    pub interactions: u32,
    pub duration_seconds: u32,
    pub ended_by: Option<EndedByName>,
}

impl Condition {
    fn holds(&self, facts: &CallFacts<'_>) -> bool {
        match self {
            Condition::IntentHit { intent } => facts.intents_hit.contains(intent),
            Condition::IntentNotHit { intent } => !facts.intents_hit.contains(intent),
            Condition::NodeReached { node } => facts.nodes_reached.contains(node),
            Condition::InteractionsAtLeast { value } => facts.interactions >= *value,
            Condition::InteractionsAtMost { value } => facts.interactions <= *value,
            Condition::DurationAtLeast { seconds } => facts.duration_seconds >= *seconds,
            Condition::DurationAtMost { seconds } => facts.duration_seconds <= *seconds,
            Condition::EndedBy { by } => facts.ended_by == Some(*by),
        }
    }
}

/// The level of a call and the rule that gave it (`None`: the default).
pub fn grade<'r>(
    rules: &'r [Rule],
    default: Level,
    facts: &CallFacts<'_>,
) -> (Level, Option<&'r Rule>) {
    rules
        .iter()
        .find(|rule| rule.conditions.iter().all(|c| c.holds(facts)))
        .map_or((default, None), |rule| (rule.level, Some(rule)))
}

/// Why a rule set cannot be saved.
pub fn check_rules(rules: &[Rule]) -> Result<(), String> {
    for (index, rule) in rules.iter().enumerate() {
        if rule.name.trim().is_empty() {
            return Err(format!("第 {} 条规则没有名称", index + 1));
        }
        if rule.conditions.is_empty() {
            return Err(format!("规则“{}”没有任何条件", rule.name));
        }
        for condition in &rule.conditions {
            let empty = match condition {
                Condition::IntentHit { intent } | Condition::IntentNotHit { intent } => {
                    intent.trim().is_empty()
                }
                Condition::NodeReached { node } => node.trim().is_empty(),
                _ => false,
            };
            if empty {
                return Err(format!("规则“{}”有未填写的条件", rule.name));
            }
        }
    }
    Ok(())
}

/// The rules a new company starts with.
pub fn default_rules() -> Vec<Rule> {
    let rule = |name: &str, level, conditions| Rule {
        name: name.to_owned(),
        level,
        conditions,
    };
    let hit = |intent: &str| Condition::IntentHit {
        intent: intent.to_owned(),
    };
    vec![
        rule(
            "未交流",
            Level::F,
            vec![Condition::InteractionsAtMost { value: 0 }],
        ),
        rule("投诉骚扰", Level::D, vec![hit("complaint")]),
        rule("明确拒绝", Level::D, vec![hit("refuse")]),
        rule(
            "要求转人工",
            Level::A,
            vec![
                hit("ask_human"),
                Condition::EndedBy {
                    by: EndedByName::Transfer,
                },
            ],
        ),
        rule(
            "问价且肯定",
            Level::A,
            vec![hit("ask_price"), hit("affirm")],
        ),
        rule(
            "多轮交流且肯定",
            Level::B,
            vec![hit("affirm"), Condition::InteractionsAtLeast { value: 2 }],
        ),
        rule("询问价格", Level::B, vec![hit("ask_price")]),
        rule(
            "交流过短",
            Level::E,
            vec![
                Condition::InteractionsAtMost { value: 1 },
                Condition::DurationAtMost { seconds: 10 },
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(intents: &'a [String], interactions: u32, seconds: u32) -> CallFacts<'a> {
        CallFacts {
            intents_hit: intents,
            nodes_reached: &[],
            interactions,
            duration_seconds: seconds,
            ended_by: Some(EndedByName::Robot),
        }
    }

    #[test]
    fn first_matching_rule_decides() {
        let rules = default_rules();
        let price_yes = ["ask_price".to_owned(), "affirm".to_owned()];
        assert_eq!(
            grade(&rules, Level::C, &facts(&price_yes, 3, 60)).0,
            Level::A
        );
        let price = ["ask_price".to_owned()];
        assert_eq!(grade(&rules, Level::C, &facts(&price, 2, 40)).0, Level::B);
        let refused = ["affirm".to_owned(), "refuse".to_owned()];
        assert_eq!(grade(&rules, Level::C, &facts(&refused, 3, 40)).0, Level::D);
        assert_eq!(grade(&rules, Level::C, &facts(&[], 0, 5)).0, Level::F);
        let (level, rule) = grade(&rules, Level::C, &facts(&["deny".to_owned()], 3, 40));
        assert_eq!((level, rule), (Level::C, None));
        assert_eq!(Level::C.label(), "C级(无意向)");
    }

    #[test]
    fn rules_round_trip_as_json_and_bad_rules_are_named() {
        let json = serde_json::to_string(&default_rules()).unwrap_or_default();
        let back: Vec<Rule> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, default_rules());
        assert!(check_rules(&default_rules()).is_ok());
        let bad = vec![Rule {
            name: "空规则".into(),
            level: Level::A,
            conditions: vec![],
        }];
        assert_eq!(
            check_rules(&bad),
            Err("规则“空规则”没有任何条件".to_owned())
        );
    }
}
