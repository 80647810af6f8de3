//! Intent matching on Chinese speech-to-text output (BOT-1).
//!
//! An intent is a set of keywords (synonyms and common ASR misspellings included) and regular
//! expressions. Text is normalised first (traditional to simplified characters, full-width to
//! half-width, lower case, no spaces or punctuation). Then:
//! - A keyword right after a negation word ("不", "没有", "别" …, possibly with a degree word
//!   between, as in "不是很感兴趣") does not count, unless the keyword is itself negative
//!   ("不需要") or its intent is not negatable (投诉: "别骚扰我" is a complaint). An intent may
//!   say which intent its negated keywords count for instead (肯定 negated is 否定).
//! - "A不A" questions ("有没有", "是不是") neither negate nor match as negatives.
//! - Intents marked as answers (肯定) do not match questions ("需要带什么材料吗").
//! - A keyword inside a longer keyword of another intent is part of that word ("人工" in
//!   "人工智能").
//!
//! When several intents match, the highest priority wins, then the longest hit, then the
//! earliest definition.

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

/// An intent as an author defines it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntentDef {
    /// Stable code, e.g. `ask_price`.
    pub code: String,
    /// Display name, e.g. 询问价格.
    pub name: String,
    /// Higher wins when several intents match one utterance.
    pub priority: i32,
    pub keywords: Vec<String>,
    /// Regular expressions, matched against the normalised text.
    pub patterns: Vec<String>,
    /// Whether a negation before a keyword cancels it.
    pub negatable: bool,
    /// The intent (code) that a negated keyword of this one counts for, e.g. 肯定 → 否定.
    pub negated_as: Option<String>,
    /// An answer, not a question: never matches an utterance that asks something.
    pub answer_only: bool,
}

/// Why a set of intents cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IntentError {
    #[error("意图“{intent}”的正则表达式“{pattern}”无效：{reason}")]
    BadPattern {
        intent: String,
        pattern: String,
        reason: String,
    },
    #[error("意图“{0}”没有任何关键词或正则表达式")]
    Empty(String),
    #[error("意图编码“{0}”重复")]
    DuplicateCode(String),
}

/// The intent an utterance was classified as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntentMatch {
    pub code: String,
    pub name: String,
    /// The keyword or pattern text that decided it.
    pub hit: String,
}

struct Compiled {
    def: IntentDef,
    patterns: Vec<Regex>,
}

/// A compiled set of intents, ready to classify many utterances.
pub struct Matcher {
    intents: Vec<Compiled>,
    keywords: AhoCorasick,
    /// For each keyword of the automaton: its intent and whether it is itself negative.
    keyword_owner: Vec<(usize, bool)>,
    keyword_text: Vec<String>,
}

/// Words that negate what follows them.
const NEGATIONS: &[&str] = &[
    "没有", "不用", "不要", "不", "没", "别", "无", "未", "甭", "莫",
];
/// Words that may stand between a negation and the word it negates ("不是很", "不太").
const DEGREE_WORDS: &[&str] = &[
    "怎么", "是很", "这个", "什么", "太", "很", "大", "是", "算", "咋", "那么", "啥",
];
/// "A不A" question forms: the negation inside them negates nothing.
const A_NOT_A: &[&str] = &[
    "有没有",
    "要不要",
    "是不是",
    "收不收",
    "能不能",
    "可不可以",
    "好不好",
    "行不行",
    "会不会",
    "想不想",
    "用不用",
    "对不对",
    "需不需要",
    "感不感兴趣",
    "方不方便",
    "忙不忙",
];
/// Words that make an utterance a question.
const QUESTION_WORDS: &[&str] = &["吗", "什么", "啥", "怎么", "为什么", "咋", "哪"];

/// Normalises ASR text: full-width forms to ASCII, lower case, no whitespace or punctuation.
pub fn normalize(text: &str) -> String {
    fast2s::convert(text)
        .chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
                other => other,
            };
            let drop = c.is_whitespace()
                || c.is_ascii_punctuation()
                || matches!(
                    c,
                    '，' | '。'
                        | '、'
                        | '；'
                        | '：'
                        | '？'
                        | '！'
                        | '…'
                        | '—'
                        | '·'
                        | '“'
                        | '”'
                        | '‘'
                        | '’'
                        | '（'
                        | '）'
                        | '《'
                        | '》'
                        | '【'
                        | '】'
                        | '～'
                );
            (!drop).then(|| c.to_ascii_lowercase())
        })
        .collect()
}

/// Whether the (raw) utterance asks something.
fn is_question(raw: &str, text: &str) -> bool {
    raw.trim_end().ends_with(['?', '？'])
        || QUESTION_WORDS.iter().any(|word| text.contains(word))
        || A_NOT_A.iter().any(|question| text.contains(question))
}

/// Spans of "A不A" questions in the normalised text.
fn question_spans(text: &str) -> Vec<(usize, usize)> {
    A_NOT_A
        .iter()
        .flat_map(|question| {
            text.match_indices(question)
                .map(|(start, found)| (start, start + found.len()))
        })
        .collect()
}

fn starts_negative(keyword: &str) -> bool {
    NEGATIONS.iter().any(|neg| keyword.starts_with(neg))
}

/// Whether the text just before a keyword negates it.
fn negated(before: &str) -> bool {
    if A_NOT_A.iter().any(|question| before.ends_with(question)) {
        return false;
    }
    let mut rest = before;
    // At most two degree words: "不是很", "不太怎么".
    for _ in 0..2 {
        match DEGREE_WORDS.iter().find(|word| rest.ends_with(*word)) {
            Some(word) => rest = &rest[..rest.len() - word.len()],
            None => break,
        }
        if NEGATIONS.iter().any(|neg| rest.ends_with(neg)) {
            return true;
        }
    }
    NEGATIONS.iter().any(|neg| before.ends_with(neg))
}

impl Matcher {
    pub fn new(defs: Vec<IntentDef>) -> Result<Self, IntentError> {
        let mut intents = Vec::with_capacity(defs.len());
        let mut keyword_text = Vec::new();
        let mut keyword_owner = Vec::new();
        for (index, def) in defs.into_iter().enumerate() {
            if intents.iter().any(|c: &Compiled| c.def.code == def.code) {
                return Err(IntentError::DuplicateCode(def.code));
            }
            let keywords: Vec<String> = def
                .keywords
                .iter()
                .map(|k| normalize(k))
                .filter(|k| !k.is_empty())
                .collect();
            if keywords.is_empty() && def.patterns.is_empty() {
                return Err(IntentError::Empty(def.name));
            }
            let patterns = def
                .patterns
                .iter()
                .map(|pattern| {
                    Regex::new(pattern).map_err(|e| IntentError::BadPattern {
                        intent: def.name.clone(),
                        pattern: pattern.clone(),
                        reason: e.to_string(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            for keyword in keywords {
                keyword_owner.push((index, starts_negative(&keyword)));
                keyword_text.push(keyword);
            }
            intents.push(Compiled { def, patterns });
        }
        let keywords = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&keyword_text)
            .map_err(|e| IntentError::BadPattern {
                intent: String::new(),
                pattern: String::new(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            intents,
            keywords,
            keyword_owner,
            keyword_text,
        })
    }

    /// The built-in intents (肯定, 否定, 拒绝, 在忙, 询问价格, 询问身份, 投诉/骚扰, 要求转人工).
    pub fn builtin() -> Result<Self, IntentError> {
        Self::new(builtin_intents())
    }

    /// The intent of one utterance, or `None` when nothing matches.
    pub fn classify(&self, utterance: &str) -> Option<IntentMatch> {
        let text = normalize(utterance);
        let question = is_question(utterance, &text);
        let questions = question_spans(&text);
        // (priority, hit length, -definition order) → best wins.
        let mut best: Option<((i32, usize, i64), usize, String)> = None;
        let mut consider = |index: usize, hit: &str| {
            let intent = &self.intents[index].def;
            if intent.answer_only && question {
                return;
            }
            let rank = (intent.priority, hit.chars().count(), -(index as i64));
            if best.as_ref().is_none_or(|(current, _, _)| rank > *current) {
                best = Some((rank, index, hit.to_owned()));
            }
        };
        // What a hit counts for: its own intent, the intent its negation means, or nothing.
        let verdict = |index: usize, hit: &str, start: usize, end: usize| -> Option<usize> {
            let intent = &self.intents[index].def;
            if questions.iter().any(|&(s, e)| s <= start && end <= e) {
                return None;
            }
            if !intent.negatable || starts_negative(hit) || !negated(&text[..start]) {
                return Some(index);
            }
            let target = intent.negated_as.as_deref()?;
            self.intents.iter().position(|c| c.def.code == target)
        };
        // A negated keyword also negates the shorter keywords of its intent inside it:
        // in "不用转人工", "人工" is as negated as "转人工".
        let found: Vec<(usize, usize, usize, Option<usize>)> = self
            .keywords
            .find_overlapping_iter(&text)
            .map(|m| {
                let id = m.pattern().as_usize();
                let owner = self.keyword_owner[id].0;
                let counts_for = verdict(owner, &self.keyword_text[id], m.start(), m.end());
                (id, m.start(), m.end(), counts_for)
            })
            .collect();
        for &(id, start, end, counts_for) in &found {
            let owner = self.keyword_owner[id].0;
            let Some(counts_for) = counts_for else {
                continue;
            };
            let inside_negated = counts_for == owner
                && found.iter().any(|&(other, s, e, verdict)| {
                    verdict != Some(owner)
                        && self.keyword_owner[other].0 == owner
                        && s <= start
                        && end <= e
                });
            // A keyword inside a longer one of another intent is part of that word:
            // "人工" in "人工智能".
            let inside_longer = found.iter().any(|&(other, s, e, verdict)| {
                verdict.is_some()
                    && self.keyword_owner[other].0 != owner
                    && s <= start
                    && end <= e
                    && e - s > end - start
            });
            if !inside_negated && !inside_longer {
                consider(counts_for, &self.keyword_text[id]);
            }
        }
        for (index, intent) in self.intents.iter().enumerate() {
            for pattern in &intent.patterns {
                if let Some(found) = pattern.find(&text)
                    && let Some(counts_for) =
                        verdict(index, found.as_str(), found.start(), found.end())
                {
                    consider(counts_for, found.as_str());
                }
            }
        }
        best.map(|(_, index, hit)| IntentMatch {
            code: self.intents[index].def.code.clone(),
            name: self.intents[index].def.name.clone(),
            hit,
        })
    }
}

/// How a matcher did on a labelled set; the label `none` means "no intent".
#[derive(Debug, Default)]
pub struct Evaluation {
    pub total: usize,
    pub correct: usize,
    /// (expected label, classified label, utterance) for each miss.
    pub misses: Vec<(String, String, String)>,
}

impl Evaluation {
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        self.correct as f64 / self.total as f64
    }
}

/// Classifies each `label<TAB>utterance` line and compares with its label.
pub fn evaluate(matcher: &Matcher, labelled: &str) -> Evaluation {
    let mut result = Evaluation::default();
    for line in labelled.lines().filter(|l| !l.trim().is_empty()) {
        let Some((label, utterance)) = line.split_once('\t') else {
            continue;
        };
        let got = matcher
            .classify(utterance)
            .map_or_else(|| "none".to_owned(), |m| m.code);
        result.total += 1;
        if got == label {
            result.correct += 1;
        } else {
            result
                .misses
                .push((label.to_owned(), got, utterance.to_owned()));
        }
    }
    result
}

fn def(code: &str, name: &str, priority: i32, keywords: &[&str], patterns: &[&str]) -> IntentDef {
    IntentDef {
        code: code.to_owned(),
        name: name.to_owned(),
        priority,
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        patterns: patterns.iter().map(|p| p.to_string()).collect(),
        negatable: true,
        negated_as: None,
        answer_only: false,
    }
}

/// The built-in intents. Keywords include frequent ASR misspellings (再忙, 多少前, 人功 …).
pub fn builtin_intents() -> Vec<IntentDef> {
    vec![
        IntentDef {
            negatable: false,
            ..def(
                "complaint",
                "投诉/骚扰",
                90,
                &[
                    "投诉",
                    "举报",
                    "骚扰",
                    "扫扰",
                    "报警",
                    "12315",
                    "12321",
                    "工信部",
                    "烦死",
                    "烦不烦",
                    "有完没完",
                    "神经病",
                    "有病",
                    "骗子",
                    "诈骗",
                    "去告你",
                    "告你们",
                ],
                &[],
            )
        },
        def(
            "ask_identity",
            "询问身份",
            75,
            &[
                "你是谁",
                "你谁",
                "哪位",
                "哪里的",
                "哪儿的",
                "哪家",
                "什么公司",
                "啥公司",
                "哪个公司",
                "公司叫什么",
                "叫什么名字",
                "什么单位",
                "哪个单位",
                "什么机构",
                "哪个平台",
                "什么平台",
                "干什么的",
                "干嘛的",
                "做什么的",
                "机器人",
                "人工智能",
                "是ai",
                "ai吗",
                "录音吗",
                "怎么有我",
                "哪来的我",
                "哪里来的我",
                "谁给你",
                "你们是",
                "贵姓",
                "怎么称呼",
            ],
            &[
                r"(怎么|哪)(里|儿)?(知道|有|来|弄|搞|拿|得)(到|来)?(的)?我(的)?(电话|号码|手机)",
                r"你(们)?是.{0,8}(公司|机构|银行|平台|学校)",
                r"^(请问)?你是(哪|谁)?$",
            ],
        ),
        def(
            "ask_human",
            "要求转人工",
            80,
            &[
                "转人工",
                "人工服务",
                "人工客服",
                "转接人工",
                "人工",
                "人功",
                "真人客服",
                "有真人",
                "要真人",
                "跟真人",
                "让真人",
                "活人",
                "找个人",
                "找你们经理",
                "叫你们经理",
                "经理来",
                "负责人",
                "工作人员",
                "找客服",
                "让客服",
                "和客服",
                "跟客服",
                "让你们",
                "跟人说",
                "跟人讲",
                "跟人聊",
            ],
            &[r"(转|找|接|换|叫)(个)?(真|活)?人"],
        ),
        def(
            "refuse",
            "拒绝",
            70,
            &[
                "别打了",
                "别再打",
                "不要再打",
                "不要打了",
                "别给我打",
                "不要给我打",
                "以后别打",
                "再也别打",
                "不要再",
                "别再",
                "别联系",
                "删了我",
                "删掉",
                "删了",
                "拉黑",
                "挂了",
                "滚",
                "不想听",
                "不听",
                "别说了",
                "不要说了",
                "不用说了",
                "不要烦我",
                "别烦我",
                "我不要",
                "多少遍",
            ],
            &[],
        ),
        def(
            "busy",
            "在忙",
            60,
            &[
                "在忙",
                "再忙",
                "正忙",
                "很忙",
                "忙着",
                "忙呢",
                "开车",
                "开会",
                "在上班",
                "在上课",
                "在工作",
                "不方便",
                "没空",
                "没时间",
                "没工夫",
                "顾不上",
                "有事",
                "晚点",
                "晚些",
                "晚上再",
                "回头再",
                "回头打",
                "等会",
                "等一会",
                "待会",
                "一会再",
                "一会儿",
                "改天",
                "下次再",
                "明天再",
                "在外面",
                "吃饭",
                "带孩子",
                "睡觉",
            ],
            &[],
        ),
        def(
            "ask_price",
            "询问价格",
            50,
            &[
                "多少钱",
                "多少前",
                "几多钱",
                "什么价",
                "啥价",
                "价格",
                "架格",
                "价钱",
                "价位",
                "费用",
                "收费",
                "收不收费",
                "要不要钱",
                "学费",
                "报名费",
                "保费",
                "报价",
                "贵不贵",
                "贵吗",
                "便宜吗",
                "优惠",
                "打折",
                "怎么卖",
                "多少一",
                "要钱吗",
                "花多少",
            ],
            &[r"(多少|几)(块|元|钱|万)", r"怎么(收|算)(费|钱)"],
        ),
        def(
            "deny",
            "否定",
            40,
            &[
                "不需要",
                "不须要",
                "不用",
                "不要",
                "不想",
                "不考虑",
                "不感兴趣",
                "没兴趣",
                "没有兴趣",
                "没性趣",
                "不感性趣",
                "不是",
                "没有",
                "没需求",
                "没需要",
                "不了",
                "算了",
                "不行",
                "不可以",
                "不对",
                "不买",
                "不做",
                "不办",
                "不报",
                "不学",
                "没打算",
                "没想法",
                "暂时不",
                "先不",
                "用不着",
                "用不上",
                "不必",
                "no",
            ],
            &[r"^(不|没|没有|否)(啊|呀|哦|了|吧)?$"],
        ),
        IntentDef {
            negated_as: Some("deny".to_owned()),
            answer_only: true,
            ..def(
                "affirm",
                "肯定",
                10,
                &[
                    "可以",
                    "好的",
                    "好啊",
                    "好呀",
                    "好吧",
                    "好滴",
                    "好嘞",
                    "行啊",
                    "行吧",
                    "行行",
                    "是的",
                    "是啊",
                    "是滴",
                    "你说",
                    "对的",
                    "对啊",
                    "对对",
                    "嗯嗯",
                    "没问题",
                    "感兴趣",
                    "兴趣",
                    "需要",
                    "需求",
                    "想了解",
                    "了解一下",
                    "说吧",
                    "讲吧",
                    "讲讲",
                    "说说看",
                    "继续",
                    "ok",
                    "yes",
                    "要的",
                    "愿意",
                    "当然",
                    "没错",
                    "是我",
                    "在的",
                    "有的",
                    "发个资料",
                    "发资料",
                    "打算",
                ],
                &[r"^(嗯|恩|en|好|是|对|行)(的|啊|呀|吧|嗯)?$"],
            )
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(utterance: &str) -> Option<String> {
        Matcher::builtin()
            .ok()
            .and_then(|m| m.classify(utterance))
            .map(|m| m.code)
    }

    #[test]
    fn builtin_intents_compile() {
        assert!(Matcher::new(builtin_intents()).is_ok());
    }

    #[test]
    fn negation_does_not_match_the_positive() {
        assert_eq!(code("不需要").as_deref(), Some("deny"));
        assert_eq!(code("我没有兴趣").as_deref(), Some("deny"));
        assert_eq!(code("不是很感兴趣").as_deref(), Some("deny"));
        assert_eq!(code("需要的，你说").as_deref(), Some("affirm"));
        assert_eq!(code("不用转人工").as_deref(), Some("deny"));
    }

    #[test]
    fn the_more_specific_intent_wins() {
        assert_eq!(code("好的，你们多少钱？").as_deref(), Some("ask_price"));
        assert_eq!(code("是的我在开车").as_deref(), Some("busy"));
        assert_eq!(code("别再打了我要投诉").as_deref(), Some("complaint"));
        assert_eq!(
            code("可以啊，不过你是哪家公司").as_deref(),
            Some("ask_identity")
        );
        assert_eq!(
            code("你们怎么知道我电话的").as_deref(),
            Some("ask_identity")
        );
    }

    #[test]
    fn asr_noise_and_full_width_text() {
        assert_eq!(code("我再忙 晚点说").as_deref(), Some("busy"));
        assert_eq!(code("ＯＫ").as_deref(), Some("affirm"));
        assert_eq!(code("多少前啊").as_deref(), Some("ask_price"));
        assert_eq!(code("喂？喂？"), None);
    }

    #[test]
    fn bad_definitions_are_refused_with_reasons() {
        let bad = vec![def("x", "坏正则", 1, &[], &["(未闭合"])];
        assert!(matches!(
            Matcher::new(bad),
            Err(IntentError::BadPattern { .. })
        ));
        let empty = vec![def("y", "空意图", 1, &[], &[])];
        assert_eq!(
            Matcher::new(empty).err(),
            Some(IntentError::Empty("空意图".into()))
        );
        let twice = vec![
            def("z", "甲", 1, &["甲"], &[]),
            def("z", "乙", 1, &["乙"], &[]),
        ];
        assert_eq!(
            Matcher::new(twice).err(),
            Some(IntentError::DuplicateCode("z".into()))
        );
    }
}
