//! The company's large language models (大模型配置): their settings, a client for each, and a
//! one-sentence test.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use llm::{Budget, Client, LlmError, Message, ModelConfig};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{llm_model, llm_robot, quality_condition};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Kind, Result};

/// Tokens one test from the console may spend.
pub const TEST_BUDGET: u32 = 2_000;

#[derive(Serialize, ToSchema)]
pub struct ModelView {
    id: i64,
    name: String,
    base_url: String,
    model: String,
    /// The key is never shown again, only its last four characters.
    api_key_hint: String,
    timeout_ms: i32,
    max_retries: i32,
    updated_at: DateTime<Utc>,
}

fn hint(key: &str) -> String {
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("****{tail}")
}

impl From<llm_model::Model> for ModelView {
    fn from(row: llm_model::Model) -> Self {
        Self {
            api_key_hint: hint(&row.api_key),
            id: row.id,
            name: row.name,
            base_url: row.base_url,
            model: row.model,
            timeout_ms: row.timeout_ms,
            max_retries: row.max_retries,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ModelRequest {
    name: String,
    /// OpenAI-compatible base URL, e.g. `https://api.deepseek.com/v1`.
    base_url: String,
    model: String,
    /// Required when creating; `null` or empty when editing keeps the saved key.
    api_key: Option<String>,
    timeout_ms: Option<i32>,
    max_retries: Option<i32>,
}

struct CheckedModel {
    name: String,
    base_url: String,
    model: String,
    api_key: Option<String>,
    timeout_ms: i32,
    max_retries: i32,
}

fn check_model(request: ModelRequest) -> Result<CheckedModel> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(Error::validation(
            "name",
            "模型名称不能为空，且不超过 50 个字",
        ));
    }
    let base_url = request.base_url.trim().trim_end_matches('/');
    if !(base_url.starts_with("http://") || base_url.starts_with("https://"))
        || base_url.len() > 300
    {
        return Err(Error::validation(
            "base_url",
            "接口地址应以 http:// 或 https:// 开头",
        ));
    }
    if request.model.trim().is_empty() {
        return Err(Error::validation(
            "model",
            "请填写模型名，如 qwen-plus、deepseek-chat",
        ));
    }
    let timeout_ms = request.timeout_ms.unwrap_or(8_000);
    if !(500..=60_000).contains(&timeout_ms) {
        return Err(Error::validation(
            "timeout_ms",
            "超时时间应为 500 到 60000 毫秒",
        ));
    }
    let max_retries = request.max_retries.unwrap_or(1);
    if !(0..=5).contains(&max_retries) {
        return Err(Error::validation("max_retries", "重试次数应为 0 到 5"));
    }
    Ok(CheckedModel {
        name: name.to_owned(),
        base_url: base_url.to_owned(),
        model: request.model.trim().to_owned(),
        api_key: request
            .api_key
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty()),
        timeout_ms,
        max_retries,
    })
}

/// A client for one of the company's models, with its timeout and retries.
pub fn model_client(row: &llm_model::Model) -> std::result::Result<Client, LlmError> {
    Client::new(ModelConfig {
        base_url: row.base_url.clone(),
        model: row.model.clone(),
        api_key: row.api_key.clone(),
        timeout: Duration::from_millis(u64::try_from(row.timeout_ms).unwrap_or(8_000)),
        max_retries: u32::try_from(row.max_retries).unwrap_or(0),
    })
}

/// The model's failure, as a refusal the caller can show.
pub fn failed(error: LlmError) -> Error {
    Error::refused(Kind::Upstream, "LLM_FAILED", error.to_string())
}

/// [`model_client`], refused as [`failed`].
pub fn client(row: &llm_model::Model) -> Result<Client> {
    model_client(row).map_err(failed)
}

pub async fn find(db: &impl ConnectionTrait, tenant_id: i64, id: i64) -> Result<llm_model::Model> {
    llm_model::Entity::find_by_id(id)
        .filter(llm_model::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("模型"))
}

/// The company's models, in the order they were added.
pub async fn list(db: &DatabaseConnection, tenant_id: i64) -> Result<Vec<ModelView>> {
    let rows = llm_model::Entity::find()
        .filter(llm_model::Column::TenantId.eq(tenant_id))
        .order_by_asc(llm_model::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(ModelView::from).collect())
}

/// Adds a model; its key is required.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: ModelRequest,
) -> Result<ModelView> {
    let checked = check_model(request)?;
    let api_key = checked
        .api_key
        .ok_or_else(|| Error::validation("api_key", "请填写 API Key"))?;
    let now = Utc::now();
    let txn = store::begin(db).await?;
    let row = llm_model::ActiveModel {
        tenant_id: Set(caller.tenant()),
        name: Set(checked.name),
        base_url: Set(checked.base_url),
        model: Set(checked.model),
        api_key: Set(api_key),
        timeout_ms: Set(checked.timeout_ms),
        max_retries: Set(checked.max_retries),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::by(&txn, caller, "llm.model", row.name.clone(), "新增").await?;
    txn.commit().await?;
    Ok(row.into())
}

/// Edits a model; no key keeps the saved one.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: ModelRequest,
) -> Result<ModelView> {
    let checked = check_model(request)?;
    let mut row = find(db, caller.tenant(), id).await?.into_active_model();
    row.name = Set(checked.name);
    row.base_url = Set(checked.base_url);
    row.model = Set(checked.model);
    if let Some(key) = checked.api_key {
        row.api_key = Set(key);
    }
    row.timeout_ms = Set(checked.timeout_ms);
    row.max_retries = Set(checked.max_retries);
    row.updated_at = Set(Utc::now());
    let txn = store::begin(db).await?;
    let row = row.update(&txn).await?;
    audit::by(&txn, caller, "llm.model", row.name.clone(), "编辑").await?;
    txn.commit().await?;
    Ok(row.into())
}

/// Deletes a model that no quality condition or LLM robot uses.
pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    let row = find(db, caller.tenant(), id).await?;
    let txn = store::begin(db).await?;
    let used = quality_condition::Entity::find()
        .filter(quality_condition::Column::TenantId.eq(caller.tenant()))
        .filter(quality_condition::Column::ModelId.eq(id))
        .count(&txn)
        .await?;
    if used > 0 {
        return Err(Error::conflict(
            "MODEL_IN_USE",
            format!("有 {used} 个质检条件在使用该模型"),
        ));
    }
    let robots = llm_robot::Entity::find()
        .filter(llm_robot::Column::TenantId.eq(caller.tenant()))
        .filter(llm_robot::Column::ModelId.eq(id))
        .count(&txn)
        .await?;
    if robots > 0 {
        return Err(Error::conflict(
            "MODEL_IN_USE",
            format!("有 {robots} 个大模型机器人在使用该模型"),
        ));
    }
    llm_model::Entity::delete_by_id(id)
        .filter(llm_model::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(&txn, caller, "llm.model", row.name, "删除").await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Deserialize, ToSchema)]
pub struct TestModelRequest {
    /// What to say to the model.
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct TestModelResponse {
    reply: String,
    tokens: u32,
    elapsed_ms: u128,
}

/// Sends one sentence to model `id`, for its answer (or why it failed).
pub async fn test(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: i64,
    request: TestModelRequest,
) -> Result<TestModelResponse> {
    let row = find(db, tenant_id, id).await?;
    let text = request.text.trim();
    if text.is_empty() || text.chars().count() > 500 {
        return Err(Error::validation(
            "text",
            "测试内容不能为空，且不超过 500 个字",
        ));
    }
    let started = Instant::now();
    let mut budget = Budget::new(TEST_BUDGET);
    let answer = client(&row)?
        .complete(&[Message::user(text)], 300, &mut budget)
        .await
        .map_err(failed)?;
    Ok(TestModelResponse {
        reply: answer.text,
        tokens: budget.used,
        elapsed_ms: started.elapsed().as_millis(),
    })
}
