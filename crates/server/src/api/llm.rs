//! Large language models (大模型配置) and LLM quality-check conditions (大模型质检): configure,
//! test a model with a sentence, and test a condition on a transcript.

use std::time::Instant;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use llm::{Budget, Client, LlmError, Message};
use robot::grading::Level;
use robot::quality::{QualityCondition, parse_verdict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{llm_model, llm_robot, quality_condition};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::grading::GradeView;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::audit;
use crate::services::llm as llm_service;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_models, create_model))
        .routes(routes!(update_model, delete_model))
        .routes(routes!(test_model))
        .routes(routes!(list_conditions, create_condition))
        .routes(routes!(update_condition, delete_condition))
        .routes(routes!(test_condition))
}

/// Tokens one test may spend.
const TEST_BUDGET: u32 = 2_000;

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

fn check_model(request: ModelRequest) -> ApiResult<CheckedModel> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(ApiError::validation(
            "name",
            "模型名称不能为空，且不超过 50 个字",
        ));
    }
    let base_url = request.base_url.trim().trim_end_matches('/');
    if !(base_url.starts_with("http://") || base_url.starts_with("https://"))
        || base_url.len() > 300
    {
        return Err(ApiError::validation(
            "base_url",
            "接口地址应以 http:// 或 https:// 开头",
        ));
    }
    if request.model.trim().is_empty() {
        return Err(ApiError::validation(
            "model",
            "请填写模型名，如 qwen-plus、deepseek-chat",
        ));
    }
    let timeout_ms = request.timeout_ms.unwrap_or(8_000);
    if !(500..=60_000).contains(&timeout_ms) {
        return Err(ApiError::validation(
            "timeout_ms",
            "超时时间应为 500 到 60000 毫秒",
        ));
    }
    let max_retries = request.max_retries.unwrap_or(1);
    if !(0..=5).contains(&max_retries) {
        return Err(ApiError::validation("max_retries", "重试次数应为 0 到 5"));
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

pub(super) async fn find_model(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> ApiResult<llm_model::Model> {
    llm_model::Entity::find_by_id(id)
        .filter(llm_model::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("模型"))
}

pub(super) fn client(row: &llm_model::Model) -> ApiResult<Client> {
    llm_service::model_client(row).map_err(llm_failed)
}

fn llm_failed(error: LlmError) -> ApiError {
    ApiError::new(StatusCode::BAD_GATEWAY, "LLM_FAILED", error.to_string())
}

/// The company's models.
#[utoipa::path(get, path = "/api/llm-models", tag = "robot", responses((status = 200, body = Vec<ModelView>)))]
async fn list_models(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ModelView>>> {
    caller.require(ROBOT_VIEW)?;
    let rows = llm_model::Entity::find()
        .filter(llm_model::Column::TenantId.eq(caller.tenant()))
        .order_by_asc(llm_model::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(ModelView::from).collect()))
}

/// Add a model.
#[utoipa::path(post, path = "/api/llm-models", tag = "robot", request_body = ModelRequest,
    responses((status = 201, body = ModelView), (status = 422, body = ErrorBody)))]
async fn create_model(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<ModelRequest>,
) -> ApiResult<(StatusCode, Json<ModelView>)> {
    caller.require(ROBOT_MANAGE)?;
    let checked = check_model(request)?;
    let api_key = checked
        .api_key
        .ok_or_else(|| ApiError::validation("api_key", "请填写 API Key"))?;
    let now = Utc::now();
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
    .insert(&state.db)
    .await?;
    audit::by(&state.db, &caller, "llm.model", row.name.clone(), "新增").await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Edit a model; an empty key keeps the saved one.
#[utoipa::path(put, path = "/api/llm-models/{id}", tag = "robot", request_body = ModelRequest,
    params(("id" = i64, Path, description = "Model id")),
    responses((status = 200, body = ModelView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_model(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ModelRequest>,
) -> ApiResult<Json<ModelView>> {
    caller.require(ROBOT_MANAGE)?;
    let checked = check_model(request)?;
    let mut row = find_model(&state, &caller, id).await?.into_active_model();
    row.name = Set(checked.name);
    row.base_url = Set(checked.base_url);
    row.model = Set(checked.model);
    if let Some(key) = checked.api_key {
        row.api_key = Set(key);
    }
    row.timeout_ms = Set(checked.timeout_ms);
    row.max_retries = Set(checked.max_retries);
    row.updated_at = Set(Utc::now());
    let row = row.update(&state.db).await?;
    audit::by(&state.db, &caller, "llm.model", row.name.clone(), "编辑").await?;
    Ok(Json(row.into()))
}

/// Delete a model that no quality condition or LLM robot uses.
#[utoipa::path(delete, path = "/api/llm-models/{id}", tag = "robot", params(("id" = i64, Path, description = "Model id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_model(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    let row = find_model(&state, &caller, id).await?;
    let used = quality_condition::Entity::find()
        .filter(quality_condition::Column::TenantId.eq(caller.tenant()))
        .filter(quality_condition::Column::ModelId.eq(id))
        .count(&state.db)
        .await?;
    if used > 0 {
        return Err(ApiError::conflict(
            "MODEL_IN_USE",
            format!("有 {used} 个质检条件在使用该模型"),
        ));
    }
    let robots = llm_robot::Entity::find()
        .filter(llm_robot::Column::TenantId.eq(caller.tenant()))
        .filter(llm_robot::Column::ModelId.eq(id))
        .count(&state.db)
        .await?;
    if robots > 0 {
        return Err(ApiError::conflict(
            "MODEL_IN_USE",
            format!("有 {robots} 个大模型机器人在使用该模型"),
        ));
    }
    llm_model::Entity::delete_by_id(id)
        .filter(llm_model::Column::TenantId.eq(caller.tenant()))
        .exec(&state.db)
        .await?;
    audit::by(&state.db, &caller, "llm.model", row.name, "删除").await?;
    Ok(StatusCode::NO_CONTENT)
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

/// Send one sentence to the model and show its answer (or why it failed).
#[utoipa::path(post, path = "/api/llm-models/{id}/test", tag = "robot", request_body = TestModelRequest,
    params(("id" = i64, Path, description = "Model id")),
    responses((status = 200, body = TestModelResponse), (status = 502, body = ErrorBody)))]
async fn test_model(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<TestModelRequest>,
) -> ApiResult<Json<TestModelResponse>> {
    caller.require(ROBOT_VIEW)?;
    let row = find_model(&state, &caller, id).await?;
    let text = request.text.trim();
    if text.is_empty() || text.chars().count() > 500 {
        return Err(ApiError::validation(
            "text",
            "测试内容不能为空，且不超过 500 个字",
        ));
    }
    let started = Instant::now();
    let mut budget = Budget::new(TEST_BUDGET);
    let answer = client(&row)?
        .complete(&[Message::user(text)], 300, &mut budget)
        .await
        .map_err(llm_failed)?;
    Ok(Json(TestModelResponse {
        reply: answer.text,
        tokens: budget.used,
        elapsed_ms: started.elapsed().as_millis(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ConditionView {
    id: i64,
    name: String,
    model_id: i64,
    /// Levels re-checked, e.g. ["C"].
    levels: Vec<String>,
    criteria: String,
    enabled: bool,
    updated_at: DateTime<Utc>,
}

fn level_name(level: Level) -> String {
    format!("{level:?}")
}

impl From<quality_condition::Model> for ConditionView {
    fn from(row: quality_condition::Model) -> Self {
        Self {
            levels: llm_service::parse_levels(&row.levels)
                .into_iter()
                .map(level_name)
                .collect(),
            id: row.id,
            name: row.name,
            model_id: row.model_id,
            criteria: row.criteria,
            enabled: row.enabled,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ConditionRequest {
    name: String,
    model_id: i64,
    levels: Vec<String>,
    criteria: String,
    #[serde(default = "enabled")]
    enabled: bool,
}

fn enabled() -> bool {
    true
}

async fn check_condition(
    state: &AppState,
    caller: &Caller,
    request: &ConditionRequest,
) -> ApiResult<(String, String)> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(ApiError::validation(
            "name",
            "条件名称不能为空，且不超过 50 个字",
        ));
    }
    find_model(state, caller, request.model_id)
        .await
        .map_err(|_| ApiError::invalid("UNKNOWN_MODEL", "所选模型不存在").on_field("model_id"))?;
    let levels: Vec<Level> = request
        .levels
        .iter()
        .map(|code| {
            Level::ALL
                .into_iter()
                .find(|l| level_name(*l) == code.trim().to_uppercase())
        })
        .collect::<Option<_>>()
        .filter(|levels: &Vec<Level>| !levels.is_empty())
        .ok_or_else(|| ApiError::validation("levels", "请选择要复检的意向等级（A 到 F）"))?;
    if request.criteria.trim().is_empty() || request.criteria.chars().count() > 2_000 {
        return Err(ApiError::validation(
            "criteria",
            "请填写判定标准（不超过 2000 字）",
        ));
    }
    Ok((
        name.to_owned(),
        serde_json::to_string(&levels).map_err(|e| anyhow::anyhow!(e))?,
    ))
}

async fn find_condition(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> ApiResult<quality_condition::Model> {
    quality_condition::Entity::find_by_id(id)
        .filter(quality_condition::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("质检条件"))
}

/// The company's quality-check conditions.
#[utoipa::path(get, path = "/api/quality-conditions", tag = "robot", responses((status = 200, body = Vec<ConditionView>)))]
async fn list_conditions(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ConditionView>>> {
    caller.require(ROBOT_VIEW)?;
    let rows = quality_condition::Entity::find()
        .filter(quality_condition::Column::TenantId.eq(caller.tenant()))
        .order_by_asc(quality_condition::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(ConditionView::from).collect()))
}

/// Add a quality-check condition.
#[utoipa::path(post, path = "/api/quality-conditions", tag = "robot", request_body = ConditionRequest,
    responses((status = 201, body = ConditionView), (status = 422, body = ErrorBody)))]
async fn create_condition(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<ConditionRequest>,
) -> ApiResult<(StatusCode, Json<ConditionView>)> {
    caller.require(ROBOT_MANAGE)?;
    let (name, levels) = check_condition(&state, &caller, &request).await?;
    let now = Utc::now();
    let row = quality_condition::ActiveModel {
        tenant_id: Set(caller.tenant()),
        name: Set(name),
        model_id: Set(request.model_id),
        levels: Set(levels),
        criteria: Set(request.criteria.trim().to_owned()),
        enabled: Set(request.enabled),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    audit::by(&state.db, &caller, "llm.quality", row.name.clone(), "新增").await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Edit a quality-check condition.
#[utoipa::path(put, path = "/api/quality-conditions/{id}", tag = "robot", request_body = ConditionRequest,
    params(("id" = i64, Path, description = "Condition id")),
    responses((status = 200, body = ConditionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_condition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ConditionRequest>,
) -> ApiResult<Json<ConditionView>> {
    caller.require(ROBOT_MANAGE)?;
    let current = find_condition(&state, &caller, id).await?;
    let (name, levels) = check_condition(&state, &caller, &request).await?;
    let mut row = current.into_active_model();
    row.name = Set(name);
    row.model_id = Set(request.model_id);
    row.levels = Set(levels);
    row.criteria = Set(request.criteria.trim().to_owned());
    row.enabled = Set(request.enabled);
    row.updated_at = Set(Utc::now());
    let row = row.update(&state.db).await?;
    audit::by(&state.db, &caller, "llm.quality", row.name.clone(), "编辑").await?;
    Ok(Json(row.into()))
}

/// Delete a quality-check condition.
#[utoipa::path(delete, path = "/api/quality-conditions/{id}", tag = "robot", params(("id" = i64, Path, description = "Condition id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_condition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    let row = find_condition(&state, &caller, id).await?;
    quality_condition::Entity::delete_by_id(id)
        .filter(quality_condition::Column::TenantId.eq(caller.tenant()))
        .exec(&state.db)
        .await?;
    audit::by(&state.db, &caller, "llm.quality", row.name, "删除").await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct TestConditionRequest {
    /// The conversation, one line per turn (e.g. `机器人：…` / `客户：…`).
    transcript: String,
}

#[derive(Serialize, ToSchema)]
pub struct TestConditionResponse {
    grade: GradeView,
    reason: String,
}

/// Have the condition's model grade a transcript, as it would re-grade a call.
#[utoipa::path(post, path = "/api/quality-conditions/{id}/test", tag = "robot", request_body = TestConditionRequest,
    params(("id" = i64, Path, description = "Condition id")),
    responses((status = 200, body = TestConditionResponse), (status = 502, body = ErrorBody)))]
async fn test_condition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<TestConditionRequest>,
) -> ApiResult<Json<TestConditionResponse>> {
    caller.require(ROBOT_VIEW)?;
    let row = find_condition(&state, &caller, id).await?;
    let transcript = request.transcript.trim();
    if transcript.is_empty() || transcript.chars().count() > 10_000 {
        return Err(ApiError::validation(
            "transcript",
            "请粘贴通话记录（不超过 10000 字）",
        ));
    }
    let model = find_model(&state, &caller, row.model_id).await?;
    let condition = QualityCondition {
        name: row.name.clone(),
        levels: llm_service::parse_levels(&row.levels),
        criteria: row.criteria.clone(),
    };
    let (system, user) = condition.request(transcript);
    let mut budget = Budget::new(TEST_BUDGET);
    let answer = client(&model)?
        .complete(
            &[Message::system(system), Message::user(user)],
            300,
            &mut budget,
        )
        .await
        .map_err(llm_failed)?;
    let verdict = parse_verdict(&answer.text).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_GATEWAY,
            "LLM_GARBAGE",
            "大模型的回答中没有可用的意向等级，请调整判定标准后重试",
        )
    })?;
    Ok(Json(TestConditionResponse {
        grade: GradeView::new(verdict.level, Some(row.name)),
        reason: verdict.reason,
    }))
}
