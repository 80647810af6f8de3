//! The script model (话术, BOT-1): nodes that speak and branch on the customer's intent, a
//! knowledge base answered from any node, and global handlers for silence, not understanding,
//! asking for a person and asking not to be called. Scripts travel as JSON (import/export)
//! and are validated before use.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::intent::IntentDef;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Script {
    pub name: String,
    /// Id of the opening node.
    pub start: String,
    pub nodes: Vec<Node>,
    /// Variables the nodes may use as `${名称}`, filled from the number's data.
    #[serde(default)]
    pub variables: Vec<String>,
    /// The script's own intents, next to the built-in ones.
    #[serde(default)]
    pub intents: Vec<ScriptIntent>,
    #[serde(default)]
    pub knowledge: Vec<KnowledgeEntry>,
    #[serde(default)]
    pub handlers: Handlers,
    /// Node positions in the visual editor, kept as the editor sent them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub name: String,
    /// User tags (用户标签) the customer gets when the conversation reaches this node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(flatten)]
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NodeKind {
    /// Says something, then waits for the customer (or goes on at once when `next` is set).
    Say {
        text: String,
        /// A recorded prompt to play instead of synthesising `text`.
        #[serde(default)]
        audio: Option<String>,
        /// Whether the customer may interrupt (barge in).
        #[serde(default = "yes")]
        interruptible: bool,
        /// Where the customer's intent leads.
        #[serde(default)]
        branches: Vec<Branch>,
        /// Where anything else leads; `None`: the no-match handler answers.
        #[serde(default)]
        otherwise: Option<String>,
        /// Go on to this node without waiting for the customer.
        #[serde(default)]
        next: Option<String>,
    },
    /// Says something, then hands the call to a person.
    Transfer { text: String },
    /// Says goodbye and hangs up.
    HangUp { text: String },
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    /// Intent code, built-in (`affirm`, `ask_price` …) or the script's own.
    pub intent: String,
    pub next: String,
}

/// An intent the script defines (keywords, regular expressions, priority).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptIntent {
    pub code: String,
    pub name: String,
    #[serde(default = "default_priority")]
    pub priority: i32,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
}

fn default_priority() -> i32 {
    55
}

impl From<&ScriptIntent> for IntentDef {
    fn from(intent: &ScriptIntent) -> Self {
        IntentDef {
            code: intent.code.clone(),
            name: intent.name.clone(),
            priority: intent.priority,
            keywords: intent.keywords.clone(),
            patterns: intent.patterns.clone(),
            negatable: true,
            negated_as: None,
            answer_only: false,
        }
    }
}

/// A common question and its answer; after answering, the robot returns to where it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeEntry {
    pub id: String,
    /// The question and its similar phrasings.
    pub questions: Vec<String>,
    pub answer: String,
}

/// What the robot does when the conversation leaves the flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handlers {
    /// Said when the customer stays silent; after `silence_retries` times the robot ends.
    pub silence_text: String,
    pub silence_retries: u32,
    /// Said when nothing matches; after `no_match_retries` times the robot ends.
    pub no_match_text: String,
    pub no_match_retries: u32,
    /// Said before hanging up after repeated failures.
    pub give_up_text: String,
    /// Where a request for a person leads (a transfer node); `None`: not offered.
    pub human_node: Option<String>,
    /// Said before hanging up when the customer asks not to be called again.
    pub stop_calling_text: String,
}

impl Default for Handlers {
    fn default() -> Self {
        Self {
            silence_text: "您好，请问还在听吗？".to_owned(),
            silence_retries: 2,
            no_match_text: "不好意思，我没太听清楚，您可以再说一遍吗？".to_owned(),
            no_match_retries: 2,
            give_up_text: "那先不打扰您了，祝您生活愉快，再见。".to_owned(),
            human_node: None,
            stop_calling_text: "好的，以后不再打扰您，再见。".to_owned(),
        }
    }
}

/// A problem found when saving a script, in words the author understands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    #[error("话术没有任何节点")]
    NoNodes,
    #[error("节点编号“{0}”重复")]
    DuplicateNode(String),
    #[error("开场节点“{0}”不存在")]
    MissingStart(String),
    #[error("节点“{node}”指向的节点“{target}”不存在")]
    MissingTarget { node: String, target: String },
    #[error("节点“{0}”从开场节点无法到达")]
    Unreachable(String),
    #[error("节点“{node}”使用了未定义的变量“{variable}”")]
    UndefinedVariable { node: String, variable: String },
    #[error("节点“{node}”的分支使用了未知的意图“{intent}”")]
    UnknownIntent { node: String, intent: String },
    #[error("节点“{0}”起的自动跳转形成了循环，客户永远没有说话的机会")]
    CycleWithoutCustomerTurn(String),
    #[error("转人工处理指向的“{0}”不是转人工节点")]
    HumanNodeNotTransfer(String),
    #[error("{0}")]
    Intent(String),
}

/// The `${名称}` variables a text uses.
pub fn variables_in(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        found.push(after[..end].trim());
        rest = &after[end + 1..];
    }
    found
}

impl Node {
    /// The text the node says.
    pub fn text(&self) -> &str {
        match &self.kind {
            NodeKind::Say { text, .. }
            | NodeKind::Transfer { text }
            | NodeKind::HangUp { text } => text,
        }
    }

    /// Every node this one can lead to.
    fn targets(&self) -> Vec<&str> {
        match &self.kind {
            NodeKind::Say {
                branches,
                otherwise,
                next,
                ..
            } => branches
                .iter()
                .map(|b| b.next.as_str())
                .chain(otherwise.as_deref())
                .chain(next.as_deref())
                .collect(),
            NodeKind::Transfer { .. } | NodeKind::HangUp { .. } => Vec::new(),
        }
    }
}

impl Script {
    /// Checks the script; the first problem found is returned.
    pub fn validate(&self, known_intents: &[&str]) -> Result<(), ScriptError> {
        if self.nodes.is_empty() {
            return Err(ScriptError::NoNodes);
        }
        let mut ids = HashSet::new();
        for node in &self.nodes {
            if !ids.insert(node.id.as_str()) {
                return Err(ScriptError::DuplicateNode(node.id.clone()));
            }
        }
        if !ids.contains(self.start.as_str()) {
            return Err(ScriptError::MissingStart(self.start.clone()));
        }
        let intents: HashSet<&str> = known_intents
            .iter()
            .copied()
            .chain(self.intents.iter().map(|i| i.code.as_str()))
            .collect();
        for node in &self.nodes {
            for target in node.targets() {
                if !ids.contains(target) {
                    return Err(ScriptError::MissingTarget {
                        node: node.name.clone(),
                        target: target.to_owned(),
                    });
                }
            }
            for variable in variables_in(node.text()) {
                if !self.variables.iter().any(|v| v == variable) {
                    return Err(ScriptError::UndefinedVariable {
                        node: node.name.clone(),
                        variable: variable.to_owned(),
                    });
                }
            }
            if let NodeKind::Say { branches, .. } = &node.kind
                && let Some(branch) = branches
                    .iter()
                    .find(|b| !intents.contains(b.intent.as_str()))
            {
                return Err(ScriptError::UnknownIntent {
                    node: node.name.clone(),
                    intent: branch.intent.clone(),
                });
            }
        }
        if let Some(human) = &self.handlers.human_node {
            match self.nodes.iter().find(|n| &n.id == human) {
                Some(Node {
                    kind: NodeKind::Transfer { .. },
                    ..
                }) => {}
                Some(_) => return Err(ScriptError::HumanNodeNotTransfer(human.clone())),
                None => {
                    return Err(ScriptError::MissingTarget {
                        node: "转人工处理".to_owned(),
                        target: human.clone(),
                    });
                }
            }
        }
        self.check_auto_cycles()?;
        self.check_reachable()
    }

    fn by_id(&self) -> HashMap<&str, &Node> {
        self.nodes.iter().map(|n| (n.id.as_str(), n)).collect()
    }

    fn check_reachable(&self) -> Result<(), ScriptError> {
        let nodes = self.by_id();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack = vec![self.start.as_str()];
        stack.extend(self.handlers.human_node.as_deref());
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            if let Some(node) = nodes.get(id) {
                stack.extend(node.targets());
            }
        }
        match self.nodes.iter().find(|n| !seen.contains(n.id.as_str())) {
            Some(node) => Err(ScriptError::Unreachable(node.name.clone())),
            None => Ok(()),
        }
    }

    /// Nodes that go on without waiting must not loop back to themselves.
    fn check_auto_cycles(&self) -> Result<(), ScriptError> {
        let nodes = self.by_id();
        for node in &self.nodes {
            let mut seen = HashSet::new();
            let mut current = node;
            while let NodeKind::Say {
                next: Some(next), ..
            } = &current.kind
            {
                if !seen.insert(current.id.as_str()) {
                    return Err(ScriptError::CycleWithoutCustomerTurn(node.name.clone()));
                }
                match nodes.get(next.as_str()) {
                    Some(following) => current = following,
                    None => break,
                }
            }
        }
        Ok(())
    }
}
