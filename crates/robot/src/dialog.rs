//! The dialog runtime: one conversation as a state machine. Events come in (what the customer
//! said, silence, barge-in, keys, hang-up) with their time; actions come out (say, stop
//! speaking, transfer, hang up, offer to blacklist). Deterministic and allocation-light, so a
//! turn costs microseconds; the same runtime serves the test chat, simulated customers and
//! real calls.

use std::collections::HashMap;

use crate::intent::{IntentDef, IntentError, IntentMatch, Matcher, builtin_intents};
use crate::script::{Node, NodeKind, Script, ScriptError};

/// Built-in intents that leave the flow when the node has no branch for them.
const ASK_HUMAN: &str = "ask_human";
const STOP_CALLING: &[&str] = &["refuse", "complaint"];

/// A script compiled for running many conversations.
pub struct Robot {
    script: Script,
    intents: Matcher,
    knowledge: Matcher,
    index: HashMap<String, usize>,
}

impl Robot {
    /// Validates the script and compiles its intents and knowledge base.
    pub fn new(script: Script) -> Result<Self, ScriptError> {
        let mut defs = builtin_intents();
        let builtin_codes: Vec<String> = defs.iter().map(|d| d.code.clone()).collect();
        let codes: Vec<&str> = builtin_codes.iter().map(String::as_str).collect();
        script.validate(&codes)?;
        defs.extend(script.intents.iter().map(IntentDef::from));
        let intents = Matcher::new(defs).map_err(intent_error)?;
        let knowledge = Matcher::new(
            script
                .knowledge
                .iter()
                .filter(|entry| !entry.questions.is_empty())
                .map(|entry| IntentDef {
                    code: entry.id.clone(),
                    name: entry.id.clone(),
                    priority: 0,
                    keywords: entry.questions.clone(),
                    patterns: Vec::new(),
                    negatable: false,
                    negated_as: None,
                    answer_only: false,
                })
                .collect(),
        )
        .map_err(intent_error)?;
        let index = script
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| (node.id.clone(), i))
            .collect();
        Ok(Self {
            script,
            intents,
            knowledge,
            index,
        })
    }

    pub fn script(&self) -> &Script {
        &self.script
    }
}

fn intent_error(error: IntentError) -> ScriptError {
    ScriptError::Intent(error.to_string())
}

/// Something that happened on the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Recognised speech; partial results only matter for barge-in.
    Utterance { text: String, is_final: bool },
    /// The customer said nothing for the pause allowed.
    Silence,
    /// The customer started speaking while the robot spoke.
    BargeIn,
    /// A key pressed on the phone.
    Dtmf(char),
    /// The customer hung up.
    HangUp,
}

/// What the robot does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Say {
        text: String,
        audio: Option<String>,
        interruptible: bool,
    },
    StopSpeaking,
    Transfer,
    HangUp,
    /// The customer asked not to be called again: offer to blacklist the number.
    OfferBlacklist,
}

/// Who ended the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndedBy {
    Robot,
    Customer,
    Transfer,
}

/// One step of the conversation, for the transcript and the test chat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnRecord {
    pub at_ms: u64,
    pub customer: Option<String>,
    pub intent: Option<IntentMatch>,
    /// The knowledge entry that answered, if any.
    pub knowledge: Option<String>,
    /// The node the robot is at after this step.
    pub node: String,
    pub actions: Vec<Action>,
}

/// One running conversation.
pub struct Conversation<'r> {
    robot: &'r Robot,
    variables: HashMap<String, String>,
    node: usize,
    silences: u32,
    no_matches: u32,
    ended: Option<EndedBy>,
    interactions: u32,
    reached: Vec<String>,
    intents_hit: Vec<String>,
    user_tags: Vec<String>,
    log: Vec<TurnRecord>,
}

impl<'r> Conversation<'r> {
    /// Starts at the opening node; `variables` fill `${名称}` (a missing one says nothing).
    pub fn start(robot: &'r Robot, variables: HashMap<String, String>, at_ms: u64) -> Self {
        let mut conversation = Self {
            robot,
            variables,
            node: 0,
            silences: 0,
            no_matches: 0,
            ended: None,
            interactions: 0,
            reached: Vec::new(),
            intents_hit: Vec::new(),
            user_tags: Vec::new(),
            log: Vec::new(),
        };
        let mut actions = Vec::new();
        conversation.enter(&robot.script.start, &mut actions);
        conversation.record(at_ms, None, None, None, actions);
        conversation
    }

    pub fn ended(&self) -> Option<EndedBy> {
        self.ended
    }

    /// The customer's turns so far.
    pub fn interactions(&self) -> u32 {
        self.interactions
    }

    /// Node ids in the order first reached.
    pub fn reached(&self) -> &[String] {
        &self.reached
    }

    /// Intent codes recognised, in order, without repeats.
    pub fn intents_hit(&self) -> &[String] {
        &self.intents_hit
    }

    /// User tags of the nodes reached, in order, without repeats.
    pub fn user_tags(&self) -> &[String] {
        &self.user_tags
    }

    pub fn log(&self) -> &[TurnRecord] {
        &self.log
    }

    pub fn current_node(&self) -> &'r Node {
        &self.robot.script.nodes[self.node]
    }

    /// Feeds one event; returns what the robot does now. After the end, nothing.
    pub fn handle(&mut self, event: Event, at_ms: u64) -> Vec<Action> {
        if self.ended.is_some() {
            return Vec::new();
        }
        let mut actions = Vec::new();
        match event {
            Event::Utterance {
                is_final: false, ..
            }
            | Event::BargeIn => {
                if self.interruptible() {
                    actions.push(Action::StopSpeaking);
                }
                return actions;
            }
            Event::HangUp => {
                self.ended = Some(EndedBy::Customer);
                self.record(at_ms, None, None, None, Vec::new());
                return actions;
            }
            Event::Silence => {
                self.silences += 1;
                let handlers = &self.robot.script.handlers;
                if self.silences > handlers.silence_retries {
                    self.give_up(&mut actions);
                } else {
                    let text = handlers.silence_text.clone();
                    self.say(&text, None, true, &mut actions);
                }
                self.record(at_ms, None, None, None, actions.clone());
            }
            Event::Utterance { text, .. } => self.reply(text, at_ms, &mut actions),
            Event::Dtmf(key) => self.reply(key.to_string(), at_ms, &mut actions),
        }
        actions
    }

    fn reply(&mut self, text: String, at_ms: u64, actions: &mut Vec<Action>) {
        self.interactions += 1;
        self.silences = 0;
        let robot = self.robot;
        let intent = robot.intents.classify(&text);
        if let Some(found) = &intent
            && !self.intents_hit.contains(&found.code)
        {
            self.intents_hit.push(found.code.clone());
        }
        let branch = match (&self.current_node().kind, &intent) {
            (NodeKind::Say { branches, .. }, Some(found)) => branches
                .iter()
                .find(|b| b.intent == found.code)
                .map(|b| b.next.clone()),
            _ => None,
        };
        let handlers = &robot.script.handlers;
        let code = intent.as_ref().map(|i| i.code.as_str());
        let mut knowledge = None;
        if let Some(next) = branch {
            self.no_matches = 0;
            self.enter(&next, actions);
        } else if let (Some(ASK_HUMAN), Some(human)) = (code, &handlers.human_node) {
            let human = human.clone();
            self.enter(&human, actions);
        } else if code.is_some_and(|c| STOP_CALLING.contains(&c)) {
            let text = handlers.stop_calling_text.clone();
            self.say(&text, None, false, actions);
            actions.push(Action::OfferBlacklist);
            actions.push(Action::HangUp);
            self.ended = Some(EndedBy::Robot);
        } else if let Some(entry) = robot
            .knowledge
            .classify(&text)
            .and_then(|hit| robot.script.knowledge.iter().find(|e| e.id == hit.code))
        {
            // Answer, then ask the current node's question again: back to the flow.
            self.no_matches = 0;
            knowledge = Some(entry.id.clone());
            self.say(&entry.answer, None, true, actions);
            let node = self.current_node();
            if let NodeKind::Say {
                text,
                audio,
                interruptible,
                ..
            } = &node.kind
            {
                self.say(text, audio.clone(), *interruptible, actions);
            }
        } else if let Some(otherwise) = self.otherwise() {
            self.no_matches = 0;
            self.enter(&otherwise, actions);
        } else {
            self.no_matches += 1;
            if self.no_matches > handlers.no_match_retries {
                self.give_up(actions);
            } else {
                let text = handlers.no_match_text.clone();
                self.say(&text, None, true, actions);
            }
        }
        self.record(at_ms, Some(text), intent, knowledge, actions.clone());
    }

    fn otherwise(&self) -> Option<String> {
        match &self.current_node().kind {
            NodeKind::Say { otherwise, .. } => otherwise.clone(),
            _ => None,
        }
    }

    fn interruptible(&self) -> bool {
        matches!(
            self.current_node().kind,
            NodeKind::Say {
                interruptible: true,
                ..
            }
        )
    }

    fn give_up(&mut self, actions: &mut Vec<Action>) {
        let text = self.robot.script.handlers.give_up_text.clone();
        self.say(&text, None, false, actions);
        actions.push(Action::HangUp);
        self.ended = Some(EndedBy::Robot);
    }

    /// Moves to a node and says it; nodes that go on without waiting are followed (validation
    /// rules out loops among them, and the step bound keeps even a broken script finite).
    fn enter(&mut self, id: &str, actions: &mut Vec<Action>) {
        let robot = self.robot;
        let mut next = Some(id.to_owned());
        let mut steps = 0;
        while let Some(id) = next.take() {
            steps += 1;
            let Some(&index) = robot.index.get(&id) else {
                self.give_up(actions);
                return;
            };
            if steps > robot.script.nodes.len() {
                self.give_up(actions);
                return;
            }
            self.node = index;
            if !self.reached.contains(&id) {
                self.reached.push(id.clone());
            }
            let node = &robot.script.nodes[index];
            for tag in &node.tags {
                if !self.user_tags.contains(tag) {
                    self.user_tags.push(tag.clone());
                }
            }
            match &node.kind {
                NodeKind::Say {
                    text,
                    audio,
                    interruptible,
                    next: following,
                    ..
                } => {
                    self.say(text, audio.clone(), *interruptible, actions);
                    next = following.clone();
                }
                NodeKind::Transfer { text } => {
                    self.say(text, None, false, actions);
                    actions.push(Action::Transfer);
                    self.ended = Some(EndedBy::Transfer);
                }
                NodeKind::HangUp { text } => {
                    self.say(text, None, false, actions);
                    actions.push(Action::HangUp);
                    self.ended = Some(EndedBy::Robot);
                }
            }
        }
    }

    fn say(
        &self,
        text: &str,
        audio: Option<String>,
        interruptible: bool,
        actions: &mut Vec<Action>,
    ) {
        actions.push(Action::Say {
            text: render(text, &self.variables),
            audio,
            interruptible,
        });
    }

    fn record(
        &mut self,
        at_ms: u64,
        customer: Option<String>,
        intent: Option<IntentMatch>,
        knowledge: Option<String>,
        actions: Vec<Action>,
    ) {
        let node = self.current_node().id.clone();
        self.log.push(TurnRecord {
            at_ms,
            customer,
            intent,
            knowledge,
            node,
            actions,
        });
    }
}

/// Fills `${名称}` from the variables; an unknown or missing one becomes empty.
pub fn render(text: &str, variables: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) => {
                if let Some(value) = variables.get(after[..end].trim()) {
                    out.push_str(value);
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
