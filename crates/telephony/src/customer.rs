//! Simulated customers (模拟客户) for answered calls on the simulated line. A persona decides
//! how a customer reacts to what the robot just said (simple rules on its words), in
//! Chinese, with pauses and speaking times. The dialer plays them against the real robot on
//! the simulated line; this crate's tests play whole calls with computed timestamps.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::hash;

/// How a simulated customer behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Persona {
    /// 有意向: agrees.
    Interested,
    /// 问价格: asks the price, then takes it or not.
    AsksPrice,
    /// 在忙: no time now.
    Busy,
    /// 拒绝: not interested, then "don't call again".
    Refuses,
    /// 沉默: says nothing.
    Silent,
    /// 提前挂断: hangs up during the opening.
    HangsUpEarly,
    /// 咨询问题: asks questions from the knowledge base, then decides.
    AsksQuestions,
}

impl Persona {
    pub const ALL: [Persona; 7] = [
        Persona::Interested,
        Persona::AsksPrice,
        Persona::Busy,
        Persona::Refuses,
        Persona::Silent,
        Persona::HangsUpEarly,
        Persona::AsksQuestions,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Persona::Interested => "有意向",
            Persona::AsksPrice => "问价格",
            Persona::Busy => "在忙",
            Persona::Refuses => "拒绝",
            Persona::Silent => "沉默",
            Persona::HangsUpEarly => "提前挂断",
            Persona::AsksQuestions => "咨询问题",
        }
    }

    /// Share of answered calls, per mille (sums to 1000).
    pub fn weight(self) -> u64 {
        match self {
            Persona::Interested => 150,
            Persona::AsksPrice => 200,
            Persona::Busy => 150,
            Persona::Refuses => 150,
            Persona::Silent => 100,
            Persona::HangsUpEarly => 100,
            Persona::AsksQuestions => 150,
        }
    }

    /// The persona of whoever answers this number: the same on every run.
    pub fn for_number(seed: u64, number: &str) -> Persona {
        let mut roll = hash::draw(seed, "persona", number.as_bytes()) % 1000;
        for persona in Persona::ALL {
            if roll < persona.weight() {
                return persona;
            }
            roll -= persona.weight();
        }
        Persona::Interested
    }
}

/// What the customer does after the robot's turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Waits `pause_ms` after the robot stops, then speaks for `speak_ms`.
    Say {
        text: String,
        pause_ms: u64,
        speak_ms: u64,
    },
    /// Says nothing: the robot's silence handler has to act.
    Silent,
    /// Hangs up `pause_ms` after the robot stops.
    HangUp { pause_ms: u64 },
}

/// A customer says at most this many things before hanging up, so every call ends.
const MAX_TURNS: u32 = 8;

/// Robot speech: about 4.5 characters a second, like common Mandarin TTS voices.
const ROBOT_MS_PER_CHAR: u64 = 220;
const ROBOT_LEAD_MS: u64 = 200;

/// Questions for [`Persona::AsksQuestions`] when the script has no knowledge base.
const GENERIC_QUESTIONS: &[&str] = &["地址在哪", "线上还是线下", "你们怎么联系"];

const PRICE_CUES: &[&str] = &["元", "块钱", "价格", "费用是", "收费"];
const REPEAT_CUES: &[&str] = &["没听清", "再说一遍", "没听懂"];
const STILL_THERE_CUES: &[&str] = &["还在听", "在吗", "能听到"];
const GOODBYE_CUES: &[&str] = &["再见"];

/// How long the robot takes to say `text`.
pub fn robot_speech_ms(text: &str) -> u64 {
    ROBOT_LEAD_MS + text.chars().count() as u64 * ROBOT_MS_PER_CHAR
}

fn contains_any(text: &str, cues: &[&str]) -> bool {
    cues.iter().any(|cue| text.contains(cue))
}

fn is_question(text: &str) -> bool {
    contains_any(text, &["？", "?", "吗", "可以", "方便"])
}

/// One simulated customer: a persona, a seed for its choices, and memory of the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    persona: Persona,
    seed: u64,
    /// ms of speech per character, this customer's pace.
    pace_ms: u64,
    turns: u32,
    questions: Vec<String>,
    asked: usize,
    asked_price: bool,
    decided: bool,
    last_said: Option<String>,
}

impl Customer {
    pub fn new(persona: Persona, seed: u64) -> Self {
        Self {
            persona,
            seed,
            pace_ms: hash::between(seed, "pace", b"", 180, 300),
            turns: 0,
            questions: Vec::new(),
            asked: 0,
            asked_price: false,
            decided: false,
            last_said: None,
        }
    }

    /// Whoever answers this number (persona and choices), the same on every run.
    pub fn for_number(seed: u64, number: &str) -> Self {
        Self::new(
            Persona::for_number(seed, number),
            hash::draw(seed, "customer", number.as_bytes()),
        )
    }

    /// What [`Persona::AsksQuestions`] asks about.
    pub fn with_questions(mut self, questions: impl IntoIterator<Item = String>) -> Self {
        self.questions = questions.into_iter().collect();
        self
    }

    pub fn persona(&self) -> Persona {
        self.persona
    }

    /// For [`Persona::HangsUpEarly`]: when, after the answer, the customer hangs up whatever
    /// is happening (usually in the middle of the opening).
    pub fn hangs_up_at_ms(&self) -> Option<u64> {
        (self.persona == Persona::HangsUpEarly)
            .then(|| hash::between(self.seed, "early", b"", 1_500, 6_000))
    }

    /// Whether this customer likes the offer once they know enough (price, answers).
    fn likes(&self) -> bool {
        hash::draw(self.seed, "likes", b"").is_multiple_of(2)
    }

    fn pick<'a>(&self, options: &[&'a str]) -> &'a str {
        let index = hash::draw(self.seed, "pick", &self.turns.to_le_bytes()) as usize;
        options
            .get(index % options.len().max(1))
            .copied()
            .unwrap_or("嗯")
    }

    fn say(&mut self, text: &str) -> Reply {
        let key = self.turns.to_le_bytes();
        self.last_said = Some(text.to_owned());
        Reply::Say {
            text: text.to_owned(),
            pause_ms: hash::between(self.seed, "pause", &key, 400, 1_500),
            speak_ms: 300 + text.chars().count() as u64 * self.pace_ms,
        }
    }

    fn hang_up(&self) -> Reply {
        Reply::HangUp {
            pause_ms: hash::between(self.seed, "hangup", &self.turns.to_le_bytes(), 300, 1_200),
        }
    }

    /// Reacts to the robot's last turn (the lines it just said, in order).
    pub fn hears(&mut self, robot_said: &[String]) -> Reply {
        self.turns += 1;
        let all = robot_said.concat();
        let last = robot_said.last().map_or("", String::as_str);
        if self.turns > MAX_TURNS || contains_any(&all, GOODBYE_CUES) {
            return self.hang_up();
        }
        match self.persona {
            Persona::Silent => return Reply::Silent,
            Persona::HangsUpEarly => return self.hang_up(),
            _ => {}
        }
        if robot_said.is_empty() {
            return Reply::Silent;
        }
        // Asked to repeat: say the same again, as people do.
        if contains_any(last, REPEAT_CUES)
            && let Some(again) = self.last_said.clone()
        {
            return self.say(&again);
        }
        if contains_any(last, STILL_THERE_CUES)
            && !matches!(self.persona, Persona::Busy | Persona::Refuses)
        {
            return self.say("在的，你说");
        }
        match self.persona {
            Persona::Interested => self.interested(&all, last),
            Persona::AsksPrice => self.asks_price(&all),
            Persona::Busy => self.busy(last),
            Persona::Refuses => self.refuses(),
            Persona::AsksQuestions => self.asks_questions(),
            Persona::Silent | Persona::HangsUpEarly => Reply::Silent,
        }
    }

    fn interested(&mut self, all: &str, last: &str) -> Reply {
        let text = if contains_any(all, PRICE_CUES) {
            "可以，帮我安排一下吧"
        } else if is_question(last) {
            self.pick(&[
                "好的，可以",
                "可以啊，你说说看",
                "行啊，可以了解一下",
                "嗯嗯，可以",
            ])
        } else {
            self.pick(&["好的", "嗯，好的", "可以"])
        };
        self.say(text)
    }

    fn asks_price(&mut self, all: &str) -> Reply {
        if !self.asked_price {
            self.asked_price = true;
            let text = self.pick(&["多少钱啊？", "这个怎么收费？", "价格是多少？", "要收费吗？"]);
            return self.say(text);
        }
        if self.decided {
            return if self.likes() {
                self.say("好的")
            } else {
                self.hang_up()
            };
        }
        if contains_any(all, PRICE_CUES) {
            self.decided = true;
            let text = if self.likes() {
                self.pick(&["可以，那试试吧", "还行，可以的"])
            } else {
                self.pick(&["有点贵，先不用了", "太贵了，不需要"])
            };
            return self.say(text);
        }
        self.say("我是问多少钱")
    }

    fn busy(&mut self, last: &str) -> Reply {
        if self.turns > 1 {
            return self.hang_up();
        }
        let text = if last.contains("方便") {
            "我在开会，不方便"
        } else {
            self.pick(&[
                "我在开车，晚点再说吧",
                "正忙着呢，回头再说",
                "我在上班，没空",
            ])
        };
        self.say(text)
    }

    fn refuses(&mut self) -> Reply {
        match self.turns {
            1 => {
                let text = self.pick(&[
                    "不需要，谢谢",
                    "不感兴趣",
                    "别再给我打电话了",
                    "没兴趣，别打了",
                ]);
                self.say(text)
            }
            2 => self.say("别再打了"),
            _ => self.hang_up(),
        }
    }

    fn asks_questions(&mut self) -> Reply {
        let questions: Vec<String> = if self.questions.is_empty() {
            GENERIC_QUESTIONS.iter().map(|q| (*q).to_owned()).collect()
        } else {
            self.questions.clone()
        };
        if self.asked < questions.len().min(2) {
            // Start somewhere seeded and walk on, so no question is asked twice.
            let start = hash::draw(self.seed, "question", b"") as usize;
            let question = &questions[(start + self.asked) % questions.len()];
            self.asked += 1;
            let text = format!("请问{question}？");
            return self.say(&text);
        }
        if self.decided {
            return self.hang_up();
        }
        self.decided = true;
        let text = if self.likes() {
            "那可以试试"
        } else {
            "我再想想，先不用了"
        };
        self.say(text)
    }
}

/// Simulated milliseconds as wall-clock time at a time scale (invalid scales count as 1).
pub fn scaled(ms: u64, time_scale: f64) -> Duration {
    let scale = if time_scale.is_finite() && time_scale > 0.0 {
        time_scale
    } else {
        1.0
    };
    Duration::from_secs_f64(ms as f64 / 1000.0 / scale)
}
