//! LLM-driven robots (大模型外呼, BOT-3): the prompt, knowledge, opening and fallback of a
//! robot whose lines a model writes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use robot::llm_dialog::{Fallback, LlmRobotConfig};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{llm_model, llm_robot};
use utoipa::ToSchema;

use super::{llm_models, scripts};
use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Result};

#[derive(Serialize, ToSchema)]
pub struct RobotSummary {
    id: i64,
    name: String,
    model_id: i64,
    model_name: String,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RobotDetail {
    #[serde(flatten)]
    summary: RobotSummary,
    #[schema(value_type = Object)]
    config: LlmRobotConfig,
}

#[derive(Deserialize, ToSchema)]
pub struct RobotRequest {
    name: String,
    model_id: i64,
    #[schema(value_type = Object)]
    config: serde_json::Value,
}

fn summary(row: &llm_robot::Model, models: &HashMap<i64, String>) -> RobotSummary {
    RobotSummary {
        id: row.id,
        name: row.name.clone(),
        model_id: row.model_id,
        model_name: models.get(&row.model_id).cloned().unwrap_or_default(),
        updated_at: row.updated_at,
    }
}

async fn model_names(db: &DatabaseConnection, tenant_id: i64) -> Result<HashMap<i64, String>> {
    Ok(llm_model::Entity::find()
        .filter(llm_model::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect())
}

/// A robot's configuration as stored.
pub fn config_of(row: &llm_robot::Model) -> Result<LlmRobotConfig> {
    serde_json::from_str(&row.config)
        .map_err(|e| anyhow::anyhow!("stored robot config unreadable: {e}").into())
}

async fn detail_of(db: &DatabaseConnection, row: llm_robot::Model) -> Result<RobotDetail> {
    let models = model_names(db, row.tenant_id).await?;
    Ok(RobotDetail {
        summary: summary(&row, &models),
        config: config_of(&row)?,
    })
}

pub async fn find(db: &impl ConnectionTrait, tenant_id: i64, id: i64) -> Result<llm_robot::Model> {
    llm_robot::Entity::find_by_id(id)
        .filter(llm_robot::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("大模型机器人"))
}

/// A new robot's configuration: a complete example to edit.
pub fn default_config() -> LlmRobotConfig {
    LlmRobotConfig {
        prompt: "你是星火少儿编程的课程顾问小星，语气亲切、专业。你的目标是邀请家长带孩子参加免费的编程体验课，并约定一个时间。不知道的事情不要编造，可以说稍后请老师回电。".to_owned(),
        knowledge: "体验课免费，时长 45 分钟，适合 6 到 14 岁的孩子。\n正式课每节一百二十元，一期 24 节。\n线下校区：人民路校区、科技园校区、滨江校区；也有线上小班课。".to_owned(),
        opening: "${姓名}您好，我是星火少儿编程的课程顾问小星，想邀请孩子参加一节免费的编程体验课，您看有兴趣了解一下吗？".to_owned(),
        fallback: Fallback::SayAndContinue,
        fallback_text: "不好意思，刚才信号不太好，您可以再说一遍吗？".to_owned(),
        max_turns: 12,
        closing_text: "今天先聊到这里，稍后老师会加您微信详细沟通，祝您生活愉快，再见。".to_owned(),
        stop_calling_text: "好的，以后不再打扰您，祝您生活愉快，再见。".to_owned(),
    }
}

fn text_field(value: &str, field: &'static str, label: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(Error::validation(
            field,
            format!("{label}不能为空，且不超过 {max} 个字"),
        ));
    }
    Ok(value.to_owned())
}

/// What a save stores, after every check.
struct CheckedRobot {
    name: String,
    model_id: i64,
    config: String,
}

async fn check(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    request: RobotRequest,
) -> Result<CheckedRobot> {
    let name = text_field(&request.name, "name", "名称", 50)?;
    llm_models::find(db, tenant_id, request.model_id)
        .await
        .map_err(|_| Error::validation("model_id", "请选择一个已配置的 AI 对话模型"))?;
    let config: LlmRobotConfig = serde_path_to_error::deserialize(request.config).map_err(|e| {
        Error::validation(
            "config",
            format!("配置格式不正确：字段“{}”缺失或内容不符合要求", e.path()),
        )
    })?;
    let config = LlmRobotConfig {
        prompt: text_field(&config.prompt, "prompt", "角色与目标", 4_000)?,
        knowledge: config.knowledge.trim().to_owned(),
        opening: text_field(&config.opening, "opening", "开场白", 500)?,
        fallback_text: text_field(&config.fallback_text, "fallback_text", "兜底话术", 200)?,
        closing_text: text_field(&config.closing_text, "closing_text", "结束语", 200)?,
        stop_calling_text: text_field(
            &config.stop_calling_text,
            "stop_calling_text",
            "拒绝来电时的话术",
            200,
        )?,
        ..config
    };
    if config.knowledge.chars().count() > 20_000 {
        return Err(Error::validation("knowledge", "知识资料不超过 20000 个字"));
    }
    if !(1..=50).contains(&config.max_turns) {
        return Err(Error::validation(
            "max_turns",
            "最多对话轮数应在 1 到 50 之间",
        ));
    }
    if let Fallback::HandToScript { script_id, node } = &config.fallback {
        check_hand_over(db, tenant_id, *script_id, node).await?;
    }
    Ok(CheckedRobot {
        name,
        model_id: request.model_id,
        config: serde_json::to_string(&config).map_err(|e| anyhow::anyhow!(e))?,
    })
}

/// The script a failing model hands the call to must exist and have that node.
async fn check_hand_over(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    script_id: i64,
    node: &str,
) -> Result<()> {
    let target = scripts::lookup(db, tenant_id, script_id)
        .await?
        .ok_or_else(|| Error::validation("fallback", "转接的话术不存在"))?;
    let draft: robot::script::Script = serde_json::from_str(&target.draft)
        .map_err(|_| Error::validation("fallback", "转接的话术内容无法解析"))?;
    if !draft.nodes.iter().any(|n| n.id == node) {
        return Err(Error::validation(
            "fallback",
            format!("话术《{}》中没有节点“{node}”", target.name),
        ));
    }
    Ok(())
}

/// The company's LLM robots, the last changed first.
pub async fn list(db: &DatabaseConnection, tenant_id: i64) -> Result<Vec<RobotSummary>> {
    let rows = llm_robot::Entity::find()
        .filter(llm_robot::Column::TenantId.eq(tenant_id))
        .order_by_desc(llm_robot::Column::UpdatedAt)
        .all(db)
        .await?;
    let models = model_names(db, tenant_id).await?;
    Ok(rows.iter().map(|row| summary(row, &models)).collect())
}

/// An LLM robot with its configuration.
pub async fn detail(db: &DatabaseConnection, tenant_id: i64, id: i64) -> Result<RobotDetail> {
    let row = find(db, tenant_id, id).await?;
    detail_of(db, row).await
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: RobotRequest,
) -> Result<RobotDetail> {
    let txn = store::begin(db).await?;
    let checked = check(&txn, caller.tenant(), request).await?;
    let now = Utc::now();
    let row = llm_robot::ActiveModel {
        tenant_id: Set(caller.tenant()),
        name: Set(checked.name),
        model_id: Set(checked.model_id),
        config: Set(checked.config),
        created_by: Set(Some(caller.member.id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::by(&txn, caller, "llm.robot", row.name.clone(), "新建").await?;
    txn.commit().await?;
    detail_of(db, row).await
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: RobotRequest,
) -> Result<RobotDetail> {
    let txn = store::begin(db).await?;
    let row = find(&txn, caller.tenant(), id).await?;
    let checked = check(&txn, caller.tenant(), request).await?;
    let mut row = row.into_active_model();
    row.name = Set(checked.name);
    row.model_id = Set(checked.model_id);
    row.config = Set(checked.config);
    row.updated_at = Set(Utc::now());
    let row = row.update(&txn).await?;
    audit::by(&txn, caller, "llm.robot", row.name.clone(), "编辑").await?;
    txn.commit().await?;
    detail_of(db, row).await
}

pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    let row = find(db, caller.tenant(), id).await?;
    let txn = store::begin(db).await?;
    llm_robot::Entity::delete_by_id(row.id)
        .filter(llm_robot::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(&txn, caller, "llm.robot", row.name, "删除").await?;
    txn.commit().await?;
    Ok(())
}
