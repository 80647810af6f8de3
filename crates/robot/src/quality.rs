//! LLM quality check (大模型质检, BOT-4): a condition picks which graded calls to re-check
//! (e.g. C-level calls, to find the hidden A/B ones); the model reads the transcript and
//! answers a level with its reason. This module writes the request and reads the answer.

use serde::{Deserialize, Serialize};

use crate::grading::Level;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityCondition {
    pub name: String,
    /// Calls graded at one of these levels are re-checked.
    pub levels: Vec<Level>,
    /// What the company considers each level to mean, in its own words.
    pub criteria: String,
}

/// The model's verdict on one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub level: Level,
    pub reason: String,
}

impl QualityCondition {
    pub fn applies_to(&self, level: Level) -> bool {
        self.levels.contains(&level)
    }

    /// The system prompt and the user message for one transcript.
    pub fn request(&self, transcript: &str) -> (String, String) {
        let levels: Vec<String> = Level::ALL
            .iter()
            .map(|level| format!("{:?}：{}", level, level.label()))
            .collect();
        let system = format!(
            "你是外呼通话的质检员。根据通话记录判断客户的意向等级。\n等级：\n{}\n\n判定标准：\n{}\n\n只输出 JSON，例如 {{\"level\": \"B\", \"reason\": \"客户询问了价格并同意加微信\"}}。",
            levels.join("\n"),
            self.criteria.trim()
        );
        (system, format!("通话记录：\n{transcript}"))
    }
}

#[derive(Deserialize)]
struct Answer {
    level: String,
    #[serde(default)]
    reason: String,
}

/// Reads the model's answer: the JSON asked for, also when wrapped in prose or a code fence.
/// `None` when it holds no usable level.
pub fn parse_verdict(reply: &str) -> Option<Verdict> {
    let start = reply.find('{')?;
    let end = reply.rfind('}')?;
    let answer: Answer = serde_json::from_str(reply.get(start..=end)?).ok()?;
    let code = answer.level.trim().trim_end_matches('级').to_uppercase();
    let level = Level::ALL
        .into_iter()
        .find(|level| format!("{level:?}") == code)?;
    Some(Verdict {
        level,
        reason: answer.reason.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_read_from_json_even_inside_prose() {
        let plain = parse_verdict(r#"{"level": "B", "reason": "问了价格"}"#);
        assert_eq!(
            plain,
            Some(Verdict {
                level: Level::B,
                reason: "问了价格".into()
            })
        );
        let fenced = parse_verdict(
            "结果如下：\n```json\n{\"level\": \"a级\", \"reason\": \"同意试听\"}\n```",
        );
        assert_eq!(fenced.map(|v| v.level), Some(Level::A));
        assert_eq!(parse_verdict("我觉得是 B 级"), None);
        assert_eq!(parse_verdict(r#"{"level": "Z"}"#), None);
        assert_eq!(parse_verdict("{not json}"), None);
    }

    #[test]
    fn the_request_names_every_level_and_the_criteria() {
        let condition = QualityCondition {
            name: "C 级复检".into(),
            levels: vec![Level::C],
            criteria: "询问价格或上课时间的客户至少是 B 级".into(),
        };
        assert!(condition.applies_to(Level::C));
        assert!(!condition.applies_to(Level::A));
        let (system, user) = condition.request("机器人：您好\n客户：多少钱");
        assert!(system.contains("A：A级(较强意向)") && system.contains("至少是 B 级"));
        assert!(user.ends_with("客户：多少钱"));
    }
}
