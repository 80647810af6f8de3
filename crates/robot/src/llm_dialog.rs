//! The LLM-driven robot (大模型外呼, BOT-3) as a state machine: the model writes the robot's
//! lines, this machine decides when to ask it, reads its control marks, and falls back when it
//! fails. It makes no calls itself: it asks for a model answer with [`LlmStep::AskModel`] and
//! is told the result, so it stays pure and testable, and the caller owns HTTP and timeouts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::dialog::render;
use crate::intent::Matcher;

/// Marks the model is told to append to end the call or hand it to a person.
pub const HANG_UP_MARK: &str = "[挂机]";
pub const TRANSFER_MARK: &str = "[转人工]";

/// What to do when the model fails mid-call (timeout, error, garbage, budget spent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Fallback {
    /// Say the fallback line and let the customer speak again (ends after two failures in a row).
    SayAndContinue,
    /// Say the fallback line and continue with a script from this node.
    HandToScript { script_id: i64, node: String },
    /// Say the fallback line and hang up politely.
    HangUp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LlmRobotConfig {
    /// Who the robot is and what it wants (the system prompt).
    pub prompt: String,
    /// Facts the robot may use (价格, 地址 …), added to the prompt.
    #[serde(default)]
    pub knowledge: String,
    /// The first line, with `${变量}`; said without asking the model.
    pub opening: String,
    pub fallback: Fallback,
    pub fallback_text: String,
    /// The customer's turns allowed before the robot closes politely.
    pub max_turns: u32,
    pub closing_text: String,
    /// Said before hanging up when the customer asks not to be called again.
    #[serde(default = "default_stop_calling_text")]
    pub stop_calling_text: String,
}

fn default_stop_calling_text() -> String {
    "好的，以后不再打扰您，再见。".to_owned()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatMessage {
    pub role: &'static str,
    pub content: String,
}

/// What the caller must do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LlmStep {
    Say(String),
    /// Ask the model with this history and report back with `model_replied`/`model_failed`.
    AskModel(Vec<ChatMessage>),
    Transfer,
    HangUp,
    OfferBlacklist,
    /// Continue the call with a script from this node.
    HandToScript {
        script_id: i64,
        node: String,
    },
}

pub struct LlmConversation<'a> {
    config: &'a LlmRobotConfig,
    intents: &'a Matcher,
    history: Vec<ChatMessage>,
    turns: u32,
    failures_in_a_row: u32,
    waiting_for_model: bool,
    ended: bool,
}

impl<'a> LlmConversation<'a> {
    /// Starts the call with the opening line. `intents` catches "stop calling" without the model.
    pub fn start(
        config: &'a LlmRobotConfig,
        intents: &'a Matcher,
        variables: &HashMap<String, String>,
    ) -> (Self, Vec<LlmStep>) {
        let opening = render(&config.opening, variables);
        let mut system = format!(
            "{}\n\n通话规则：你在打电话，回答要口语化、简短（一两句话）。客户明确结束或拒绝时，在回答末尾加 {HANG_UP_MARK}；客户要求人工时，加 {TRANSFER_MARK}。",
            config.prompt
        );
        if !config.knowledge.trim().is_empty() {
            system.push_str("\n\n可参考的资料：\n");
            system.push_str(&config.knowledge);
        }
        let conversation = Self {
            config,
            intents,
            history: vec![
                ChatMessage {
                    role: "system",
                    content: system,
                },
                ChatMessage {
                    role: "assistant",
                    content: opening.clone(),
                },
            ],
            turns: 0,
            failures_in_a_row: 0,
            waiting_for_model: false,
            ended: false,
        };
        (conversation, vec![LlmStep::Say(opening)])
    }

    pub fn ended(&self) -> bool {
        self.ended
    }

    pub fn history(&self) -> &[ChatMessage] {
        &self.history
    }

    /// The customer said something (final result).
    pub fn customer_said(&mut self, text: &str) -> Vec<LlmStep> {
        if self.ended {
            return Vec::new();
        }
        self.turns += 1;
        self.history.push(ChatMessage {
            role: "user",
            content: text.to_owned(),
        });
        let stop = self
            .intents
            .classify(text)
            .is_some_and(|found| found.code == "refuse" || found.code == "complaint");
        if stop {
            return self.end(vec![
                LlmStep::Say(self.config.stop_calling_text.clone()),
                LlmStep::OfferBlacklist,
            ]);
        }
        if self.turns > self.config.max_turns {
            return self.end(vec![LlmStep::Say(self.config.closing_text.clone())]);
        }
        self.waiting_for_model = true;
        vec![LlmStep::AskModel(self.history.clone())]
    }

    /// The model answered; its control marks are read and removed.
    pub fn model_replied(&mut self, reply: &str) -> Vec<LlmStep> {
        if self.ended || !self.waiting_for_model {
            return Vec::new();
        }
        self.waiting_for_model = false;
        let text = reply.trim();
        if text.is_empty() {
            return self.model_failed();
        }
        self.failures_in_a_row = 0;
        let hang_up = text.contains(HANG_UP_MARK);
        let transfer = text.contains(TRANSFER_MARK);
        let clean = text
            .replace(HANG_UP_MARK, "")
            .replace(TRANSFER_MARK, "")
            .trim()
            .to_owned();
        self.history.push(ChatMessage {
            role: "assistant",
            content: clean.clone(),
        });
        let mut steps = vec![LlmStep::Say(clean)];
        if transfer {
            steps.push(LlmStep::Transfer);
            self.ended = true;
        } else if hang_up {
            steps.push(LlmStep::HangUp);
            self.ended = true;
        }
        steps
    }

    /// The model failed (timeout, error, garbage, budget): the configured fallback applies.
    pub fn model_failed(&mut self) -> Vec<LlmStep> {
        if self.ended {
            return Vec::new();
        }
        self.waiting_for_model = false;
        self.failures_in_a_row += 1;
        let say = LlmStep::Say(self.config.fallback_text.clone());
        match &self.config.fallback {
            Fallback::SayAndContinue if self.failures_in_a_row < 2 => vec![say],
            Fallback::SayAndContinue | Fallback::HangUp => self.end(vec![say]),
            Fallback::HandToScript { script_id, node } => {
                self.ended = true;
                vec![
                    say,
                    LlmStep::HandToScript {
                        script_id: *script_id,
                        node: node.clone(),
                    },
                ]
            }
        }
    }

    fn end(&mut self, mut steps: Vec<LlmStep>) -> Vec<LlmStep> {
        steps.push(LlmStep::HangUp);
        self.ended = true;
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(fallback: Fallback) -> LlmRobotConfig {
        LlmRobotConfig {
            prompt: "你是星火少儿编程的顾问，邀请家长带孩子参加免费体验课。".into(),
            knowledge: "体验课免费；正式课每节一百二十元。".into(),
            opening: "${姓名}您好，我是星火少儿编程的顾问。".into(),
            fallback,
            fallback_text: "不好意思，信号不太好，稍后老师再联系您。".into(),
            max_turns: 3,
            closing_text: "今天先聊到这里，稍后老师加您微信，再见。".into(),
            stop_calling_text: default_stop_calling_text(),
        }
    }

    fn vars() -> HashMap<String, String> {
        HashMap::from([("姓名".to_owned(), "王先生".to_owned())])
    }

    #[test]
    fn the_model_writes_the_lines_and_its_marks_end_the_call() {
        let matcher = Matcher::builtin().unwrap();
        let settings = config(Fallback::HangUp);
        let (mut call, steps) = LlmConversation::start(&settings, &matcher, &vars());
        assert_eq!(
            steps,
            vec![LlmStep::Say("王先生您好，我是星火少儿编程的顾问。".into())]
        );
        let ask = call.customer_said("体验课要钱吗");
        let LlmStep::AskModel(history) = &ask[0] else {
            panic!("asks the model")
        };
        assert_eq!(history[0].role, "system");
        assert!(history[0].content.contains("一百二十元"));
        assert_eq!(
            history.last().map(|m| m.content.as_str()),
            Some("体验课要钱吗")
        );
        assert_eq!(
            call.model_replied("体验课是免费的，您看周末方便吗？"),
            vec![LlmStep::Say("体验课是免费的，您看周末方便吗？".into())]
        );
        call.customer_said("周六上午可以");
        let steps = call.model_replied("好的，老师会加您微信确认，再见。[挂机]");
        assert_eq!(
            steps,
            vec![
                LlmStep::Say("好的，老师会加您微信确认，再见。".into()),
                LlmStep::HangUp
            ]
        );
        assert!(call.ended());
    }

    #[test]
    fn failures_fall_back_as_configured() {
        let matcher = Matcher::builtin().unwrap();
        let settings = config(Fallback::SayAndContinue);
        let (mut call, _) = LlmConversation::start(&settings, &matcher, &vars());
        call.customer_said("你好");
        assert_eq!(
            call.model_failed().len(),
            1,
            "first failure: say the line and go on"
        );
        call.customer_said("喂？");
        assert_eq!(
            call.model_failed().last(),
            Some(&LlmStep::HangUp),
            "second in a row: end politely"
        );

        let settings = config(Fallback::HandToScript {
            script_id: 7,
            node: "intro".into(),
        });
        let (mut call, _) = LlmConversation::start(&settings, &matcher, &vars());
        call.customer_said("你们是干什么的");
        let steps = call.model_replied("   ");
        assert_eq!(
            steps.last(),
            Some(&LlmStep::HandToScript {
                script_id: 7,
                node: "intro".into()
            }),
            "an empty answer is a failure"
        );
    }

    #[test]
    fn stop_calling_and_the_turn_limit_need_no_model() {
        let matcher = Matcher::builtin().unwrap();
        let settings = config(Fallback::HangUp);
        let (mut call, _) = LlmConversation::start(&settings, &matcher, &vars());
        let steps = call.customer_said("别再给我打电话了");
        assert!(steps.contains(&LlmStep::OfferBlacklist));
        assert_eq!(steps.last(), Some(&LlmStep::HangUp));

        let settings = config(Fallback::HangUp);
        let (mut call, _) = LlmConversation::start(&settings, &matcher, &vars());
        for _ in 0..3 {
            call.customer_said("嗯");
            call.model_replied("好的");
        }
        let steps = call.customer_said("还有吗");
        assert_eq!(steps.last(), Some(&LlmStep::HangUp));
        assert_eq!(
            call.model_replied("迟到的回答"),
            Vec::new(),
            "nothing after the end"
        );
    }
}
