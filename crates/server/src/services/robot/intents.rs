//! Intents (意图): the built-in list, and classifying one sentence the way a call would.

use robot::intent::{IntentDef, IntentMatch, Matcher, builtin_intents};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::scripts;
use crate::services::{Error, Result};

#[derive(Serialize, ToSchema)]
pub struct IntentView {
    code: String,
    name: String,
    priority: i32,
    keywords: Vec<String>,
    patterns: Vec<String>,
}

/// The intent a sentence was classified as, and the keyword or pattern that decided it.
#[derive(Serialize, ToSchema)]
pub struct IntentHit {
    code: String,
    name: String,
    hit: String,
}

impl From<&IntentMatch> for IntentHit {
    fn from(found: &IntentMatch) -> Self {
        Self {
            code: found.code.clone(),
            name: found.name.clone(),
            hit: found.hit.clone(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ClassifyRequest {
    text: String,
    /// Also use this script's own intents.
    script_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ClassifyResponse {
    /// `null`: no intent recognised (未识别).
    intent: Option<IntentHit>,
}

/// The built-in intents.
pub fn builtin() -> Vec<IntentView> {
    builtin_intents()
        .into_iter()
        .map(|d| IntentView {
            code: d.code,
            name: d.name,
            priority: d.priority,
            keywords: d.keywords,
            patterns: d.patterns,
        })
        .collect()
}

/// Classifies one sentence against the built-in intents, and the draft's own of the
/// company's script when one is named.
pub async fn classify(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    request: ClassifyRequest,
) -> Result<ClassifyResponse> {
    if request.text.chars().count() > 500 {
        return Err(Error::validation("text", "测试语句不能超过 500 个字"));
    }
    let mut defs = builtin_intents();
    if let Some(id) = request.script_id {
        let row = scripts::find(db, tenant_id, id).await?;
        if let Ok(parsed) = scripts::parse(&row.draft) {
            defs.extend(parsed.intents.iter().map(IntentDef::from));
        }
    }
    let matcher =
        Matcher::new(defs).map_err(|e| Error::invalid("SCRIPT_INVALID", e.to_string()))?;
    Ok(ClassifyResponse {
        intent: matcher
            .classify(&request.text)
            .as_ref()
            .map(IntentHit::from),
    })
}
