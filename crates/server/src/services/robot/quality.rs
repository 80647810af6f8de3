//! LLM quality-check conditions (大模型质检, BOT-4): the conditions a company sets, testing one on
//! a transcript, and the post-call check that re-grades a call.

use chrono::{DateTime, Utc};
use llm::{Budget, Message};
use robot::grading::Level;
use robot::quality::{QualityCondition, Verdict, parse_verdict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{llm_model, quality_condition};
use utoipa::ToSchema;

use super::grading::{GradeView, level_code, parse_level};
use super::llm_models::{self, TEST_BUDGET};
use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Kind, Result};

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
    let client = llm_models::model_client(&model)?;
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

impl From<quality_condition::Model> for ConditionView {
    fn from(row: quality_condition::Model) -> Self {
        Self {
            levels: parse_levels(&row.levels)
                .into_iter()
                .map(|level| level_code(level).to_owned())
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

/// The condition's name and its levels as stored, once every field is checked.
async fn check_condition(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    request: &ConditionRequest,
) -> Result<(String, String)> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(Error::validation(
            "name",
            "条件名称不能为空，且不超过 50 个字",
        ));
    }
    llm_models::find(db, tenant_id, request.model_id)
        .await
        .map_err(|_| Error::invalid("UNKNOWN_MODEL", "所选模型不存在").on_field("model_id"))?;
    let levels: Vec<Level> = request
        .levels
        .iter()
        .map(|code| parse_level(&code.trim().to_uppercase()))
        .collect::<Option<_>>()
        .filter(|levels: &Vec<Level>| !levels.is_empty())
        .ok_or_else(|| Error::validation("levels", "请选择要复检的意向等级（A 到 F）"))?;
    if request.criteria.trim().is_empty() || request.criteria.chars().count() > 2_000 {
        return Err(Error::validation(
            "criteria",
            "请填写判定标准（不超过 2000 字）",
        ));
    }
    Ok((
        name.to_owned(),
        serde_json::to_string(&levels).map_err(|e| anyhow::anyhow!(e))?,
    ))
}

async fn find(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    id: i64,
) -> Result<quality_condition::Model> {
    quality_condition::Entity::find_by_id(id)
        .filter(quality_condition::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("质检条件"))
}

/// The company's quality-check conditions, in the order they were added.
pub async fn list(db: &DatabaseConnection, tenant_id: i64) -> Result<Vec<ConditionView>> {
    let rows = quality_condition::Entity::find()
        .filter(quality_condition::Column::TenantId.eq(tenant_id))
        .order_by_asc(quality_condition::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(ConditionView::from).collect())
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: ConditionRequest,
) -> Result<ConditionView> {
    let txn = store::begin(db).await?;
    let (name, levels) = check_condition(&txn, caller.tenant(), &request).await?;
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
    .insert(&txn)
    .await?;
    audit::by(&txn, caller, "llm.quality", row.name.clone(), "新增").await?;
    txn.commit().await?;
    Ok(row.into())
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: ConditionRequest,
) -> Result<ConditionView> {
    let txn = store::begin(db).await?;
    let current = find(&txn, caller.tenant(), id).await?;
    let (name, levels) = check_condition(&txn, caller.tenant(), &request).await?;
    let mut row = current.into_active_model();
    row.name = Set(name);
    row.model_id = Set(request.model_id);
    row.levels = Set(levels);
    row.criteria = Set(request.criteria.trim().to_owned());
    row.enabled = Set(request.enabled);
    row.updated_at = Set(Utc::now());
    let row = row.update(&txn).await?;
    audit::by(&txn, caller, "llm.quality", row.name.clone(), "编辑").await?;
    txn.commit().await?;
    Ok(row.into())
}

pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    let row = find(db, caller.tenant(), id).await?;
    let txn = store::begin(db).await?;
    quality_condition::Entity::delete_by_id(id)
        .filter(quality_condition::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(&txn, caller, "llm.quality", row.name, "删除").await?;
    txn.commit().await?;
    Ok(())
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

/// Has condition `id`'s model grade a transcript, as it would re-grade a call.
pub async fn test(
    db: &DatabaseConnection,
    tenant_id: i64,
    id: i64,
    request: TestConditionRequest,
) -> Result<TestConditionResponse> {
    let row = find(db, tenant_id, id).await?;
    let transcript = request.transcript.trim();
    if transcript.is_empty() || transcript.chars().count() > 10_000 {
        return Err(Error::validation(
            "transcript",
            "请粘贴通话记录（不超过 10000 字）",
        ));
    }
    let model = llm_models::find(db, tenant_id, row.model_id).await?;
    let condition = QualityCondition {
        name: row.name.clone(),
        levels: parse_levels(&row.levels),
        criteria: row.criteria.clone(),
    };
    let (system, user) = condition.request(transcript);
    let mut budget = Budget::new(TEST_BUDGET);
    let answer = llm_models::client(&model)?
        .complete(
            &[Message::system(system), Message::user(user)],
            300,
            &mut budget,
        )
        .await
        .map_err(llm_models::failed)?;
    let verdict = parse_verdict(&answer.text).ok_or_else(|| {
        Error::refused(
            Kind::Upstream,
            "LLM_GARBAGE",
            "大模型的回答中没有可用的意向等级，请调整判定标准后重试",
        )
    })?;
    Ok(TestConditionResponse {
        grade: GradeView::new(verdict.level, Some(row.name)),
        reason: verdict.reason,
    })
}
