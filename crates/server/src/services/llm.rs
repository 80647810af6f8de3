//! The company's LLM models as clients, and the post-call quality check (BOT-4).

use std::time::Duration;

use llm::{Budget, Client, LlmError, Message, ModelConfig};
use robot::grading::Level;
use robot::quality::{QualityCondition, Verdict, parse_verdict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use store::entity::{llm_model, quality_condition};

/// A client for one of the company's models, with its timeout and retries.
pub fn model_client(row: &llm_model::Model) -> Result<Client, LlmError> {
    Client::new(ModelConfig {
        base_url: row.base_url.clone(),
        model: row.model.clone(),
        api_key: row.api_key.clone(),
        timeout: Duration::from_millis(u64::try_from(row.timeout_ms).unwrap_or(8_000)),
        max_retries: u32::try_from(row.max_retries).unwrap_or(0),
    })
}

/// A quality condition's levels as stored.
pub fn parse_levels(json: &str) -> Vec<Level> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Tokens one post-call quality check may spend.
const CHECK_BUDGET: u32 = 4_000;

/// BOT-4 after a call: the condition's model re-grades the transcript when the condition
/// applies to the call's level. `None`: not applicable, or no usable answer.
pub async fn quality_check(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    condition_id: i64,
    level: Level,
    transcript: &str,
) -> anyhow::Result<Option<Verdict>> {
    let Some(row) = quality_condition::Entity::find_by_id(condition_id)
        .filter(quality_condition::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let condition = QualityCondition {
        name: row.name.clone(),
        levels: parse_levels(&row.levels),
        criteria: row.criteria.clone(),
    };
    if !condition.applies_to(level) || transcript.trim().is_empty() {
        return Ok(None);
    }
    let model = llm_model::Entity::find_by_id(row.model_id)
        .filter(llm_model::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("质检条件的模型已删除"))?;
    let client = model_client(&model)?;
    let (system, user) = condition.request(transcript);
    let mut budget = Budget::new(CHECK_BUDGET);
    let answer = client
        .complete(
            &[Message::system(system), Message::user(user)],
            300,
            &mut budget,
        )
        .await?;
    Ok(parse_verdict(&answer.text))
}
