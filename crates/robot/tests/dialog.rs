//! Conversations through a small education-sales script, driven by events as a call would.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use robot::dialog::{Action, Conversation, EndedBy, Event, Robot};
use robot::script::{Script, ScriptError};
use serde_json::json;

fn script_json() -> serde_json::Value {
    serde_json::from_str(include_str!("data/sample-script.json")).unwrap()
}

fn robot() -> Robot {
    let script: Script = serde_json::from_value(script_json()).unwrap();
    Robot::new(script).unwrap()
}

fn said(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Say { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn utterance(text: &str) -> Event {
    Event::Utterance {
        text: text.to_owned(),
        is_final: true,
    }
}

fn named(name: &str) -> HashMap<String, String> {
    HashMap::from([("姓名".to_owned(), name.to_owned())])
}

#[test]
fn an_interested_customer_is_invited_and_thanked() {
    let robot = robot();
    let mut call = Conversation::start(&robot, named("王先生"), 0);
    assert!(said(&call.log()[0].actions)[0].starts_with("王先生您好"));
    let actions = call.handle(utterance("嗯，多少钱啊"), 4_000);
    assert!(said(&actions)[0].contains("一百二十元"));
    let actions = call.handle(utterance("可以，那约一节吧"), 9_000);
    assert_eq!(
        said(&actions),
        vec![
            "太好了，稍后老师会加您微信确认时间。",
            "感谢您的时间，再见。"
        ]
    );
    assert_eq!(actions.last(), Some(&Action::HangUp));
    assert_eq!(call.ended(), Some(EndedBy::Robot));
    assert_eq!(call.reached(), ["open", "price", "invite", "thanks"]);
    assert_eq!(call.intents_hit(), ["ask_price", "affirm"]);
    assert_eq!(call.user_tags(), ["关注价格", "预约体验课"]);
    assert_eq!(call.interactions(), 2);
    assert_eq!(
        call.handle(utterance("喂？"), 10_000),
        Vec::new(),
        "nothing after the end"
    );
}

#[test]
fn knowledge_answers_and_returns_to_the_flow() {
    let robot = robot();
    let mut call = Conversation::start(&robot, named("李女士"), 0);
    let actions = call.handle(utterance("你们是线上还是线下的"), 3_000);
    let texts = said(&actions);
    assert_eq!(texts[0], "线上线下都可以，线下校区在市中心。");
    assert!(
        texts[1].contains("免费试听"),
        "asks the open question again"
    );
    assert_eq!(call.current_node().id, "open");
    assert_eq!(
        call.log().last().unwrap().knowledge.as_deref(),
        Some("where")
    );
}

#[test]
fn silence_and_not_understanding_end_after_the_retry_limit() {
    let robot = robot();
    let mut call = Conversation::start(&robot, named("张三"), 0);
    assert_eq!(
        said(&call.handle(Event::Silence, 5_000)),
        vec!["您好，还在听吗？"]
    );
    let actions = call.handle(Event::Silence, 10_000);
    assert_eq!(said(&actions), vec!["那先不打扰了，再见。"]);
    assert_eq!(call.ended(), Some(EndedBy::Robot));

    let mut call = Conversation::start(&robot, named("张三"), 0);
    assert_eq!(
        said(&call.handle(utterance("今天天气真热"), 1_000)),
        vec!["不好意思，我没听清，您再说一遍？"]
    );
    let actions = call.handle(utterance("啊啊啊"), 2_000);
    assert_eq!(actions.last(), Some(&Action::HangUp));
}

#[test]
fn stop_calling_offers_the_blacklist_and_a_person_gets_a_transfer() {
    let robot = robot();
    let mut call = Conversation::start(&robot, named("赵六"), 0);
    let actions = call.handle(utterance("别再给我打电话了"), 2_000);
    assert!(actions.contains(&Action::OfferBlacklist));
    assert_eq!(actions.last(), Some(&Action::HangUp));

    let mut call = Conversation::start(&robot, named("赵六"), 0);
    let actions = call.handle(utterance("我要找真人说"), 2_000);
    assert_eq!(actions.last(), Some(&Action::Transfer));
    assert_eq!(call.ended(), Some(EndedBy::Transfer));
}

#[test]
fn barge_in_stops_an_interruptible_prompt_and_hang_up_ends() {
    let robot = robot();
    let mut call = Conversation::start(&robot, named("孙七"), 0);
    assert_eq!(call.handle(Event::BargeIn, 800), vec![Action::StopSpeaking]);
    assert_eq!(
        call.handle(
            Event::Utterance {
                text: "我".into(),
                is_final: false
            },
            900
        ),
        vec![Action::StopSpeaking]
    );
    assert_eq!(call.interactions(), 0, "partial results are not turns");
    call.handle(Event::HangUp, 1_500);
    assert_eq!(call.ended(), Some(EndedBy::Customer));
}

#[test]
fn a_missing_variable_says_nothing_in_its_place() {
    let robot = robot();
    let call = Conversation::start(&robot, HashMap::new(), 0);
    assert!(said(&call.log()[0].actions)[0].starts_with("您好，我是"));
}

#[test]
fn broken_scripts_are_refused_with_clear_reasons() {
    let check = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut value = script_json();
        edit(&mut value);
        let script: Script = serde_json::from_value(value).unwrap();
        Robot::new(script).err()
    };
    assert_eq!(
        check(&|v| v["nodes"][1]["otherwise"] = json!("nowhere")),
        Some(ScriptError::MissingTarget {
            node: "报价".into(),
            target: "nowhere".into()
        })
    );
    let unreachable = check(&|v| {
        v["nodes"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "lost", "name": "孤立节点", "type": "hang_up", "text": "再见"}))
    });
    assert_eq!(
        unreachable,
        Some(ScriptError::Unreachable("孤立节点".into()))
    );
    let undefined = check(&|v| v["nodes"][0]["text"] = json!("${公司}您好"));
    assert_eq!(
        undefined.map(|e| e.to_string()),
        Some("节点“开场白”使用了未定义的变量“公司”".into())
    );
    let cycle = check(&|v| {
        v["nodes"][2]["next"] = json!("price");
        v["nodes"][1]["next"] = json!("invite");
    });
    assert!(matches!(
        cycle,
        Some(ScriptError::CycleWithoutCustomerTurn(_))
    ));
    let unknown = check(&|v| v["nodes"][0]["branches"][0]["intent"] = json!("wants_cake"));
    assert!(matches!(unknown, Some(ScriptError::UnknownIntent { .. })));
    assert!(
        serde_json::from_str::<Script>("{\"name\": 1}").is_err(),
        "invalid JSON is refused on import"
    );
}
