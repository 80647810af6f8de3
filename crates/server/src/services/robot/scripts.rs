//! Scripts (话术) as stored: a draft, and the published versions tasks pin when they start;
//! creating, importing, editing, publishing, copying, sharing and deleting them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use robot::dialog::Robot;
use robot::script::Script;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{member, notification, script, script_version};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::services::audit;
use crate::services::notifications;
use crate::services::{Error, Result};

#[derive(Serialize, ToSchema)]
pub struct ScriptSummary {
    id: i64,
    name: String,
    description: String,
    published_version: Option<i32>,
    node_count: usize,
    updated_at: DateTime<Utc>,
    /// The draft's first problem, in Chinese; `null` when it can be published.
    problem: Option<String>,
    /// Who owns the script: its author, or whom it was shared to.
    created_by: Option<i64>,
    created_by_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VersionView {
    version: i32,
    published_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ScriptDetail {
    #[serde(flatten)]
    summary: ScriptSummary,
    /// The script JSON being edited.
    #[schema(value_type = Object)]
    draft: serde_json::Value,
    versions: Vec<VersionView>,
}

#[derive(Deserialize, ToSchema)]
#[schema(as = ScriptCreateRequest)]
pub struct CreateRequest {
    name: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize, ToSchema)]
#[schema(as = ScriptUpdateRequest)]
pub struct UpdateRequest {
    name: String,
    #[serde(default)]
    description: String,
    #[schema(value_type = Object)]
    draft: serde_json::Value,
}

/// The stored draft as a script.
pub fn parse(draft: &str) -> std::result::Result<Script, String> {
    serde_json::from_str(draft).map_err(|e| format!("话术内容无法解析：{e}"))
}

/// The draft compiled, or its first problem.
pub fn compile(draft: &str) -> std::result::Result<Robot, String> {
    Robot::new(parse(draft)?).map_err(|e| e.to_string())
}

/// The draft compiled, or its first problem as a refusal.
pub fn compile_or_refuse(draft: &str) -> Result<Robot> {
    compile(draft).map_err(|problem| Error::invalid("SCRIPT_INVALID", problem))
}

/// Reads script JSON sent by the console; the refusal names the field at fault, in Chinese.
fn script_from(value: serde_json::Value, what: &str) -> Result<Script> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = if path == "." {
            format!("{what}格式不正确，请检查是否为导出的话术文件")
        } else {
            format!("{what}格式不正确：字段“{path}”缺失或内容不符合要求")
        };
        Error::invalid("INVALID_SCRIPT_JSON", message)
    })
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(Error::validation(
            "name",
            "话术名称不能为空，且不超过 50 个字",
        ));
    }
    Ok(name.to_owned())
}

/// A new script starts as a minimal valid flow: an opening line and a goodbye.
fn skeleton(name: &str) -> String {
    serde_json::json!({
        "name": name,
        "start": "open",
        "variables": ["姓名"],
        "nodes": [
            {"id": "open", "name": "开场白", "type": "say",
             "text": "${姓名}您好，请问现在方便说话吗？",
             "branches": [], "otherwise": "bye"},
            {"id": "bye", "name": "结束语", "type": "hang_up", "text": "好的，感谢您的接听，再见。"}
        ]
    })
    .to_string()
}

/// A name with `suffix`, cut to the 50 characters a name may have.
fn derived_name(name: &str, suffix: &str) -> String {
    format!("{name}{suffix}").chars().take(50).collect()
}

fn summary(row: &script::Model, names: &HashMap<i64, String>) -> ScriptSummary {
    let parsed = parse(&row.draft);
    ScriptSummary {
        id: row.id,
        name: row.name.clone(),
        description: row.description.clone(),
        published_version: row.published_version,
        node_count: parsed.as_ref().map_or(0, |s| s.nodes.len()),
        updated_at: row.updated_at,
        problem: compile(&row.draft).err(),
        created_by: row.created_by,
        created_by_name: row.created_by.and_then(|id| names.get(&id).cloned()),
    }
}

/// Names of the company's members, to show who owns each script.
async fn member_names(db: &DatabaseConnection, tenant_id: i64) -> Result<HashMap<i64, String>> {
    Ok(member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect())
}

async fn detail_of(db: &DatabaseConnection, row: script::Model) -> Result<ScriptDetail> {
    let versions = script_version::Entity::find()
        .filter(script_version::Column::ScriptId.eq(row.id))
        .filter(script_version::Column::TenantId.eq(row.tenant_id))
        .order_by_desc(script_version::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(|v| VersionView {
            version: v.version,
            published_at: v.published_at,
        })
        .collect();
    let names = member_names(db, row.tenant_id).await?;
    Ok(ScriptDetail {
        summary: summary(&row, &names),
        draft: serde_json::from_str(&row.draft).unwrap_or(serde_json::Value::Null),
        versions,
    })
}

/// The company's script `id`; `None` when it has none.
pub async fn lookup(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    id: i64,
) -> std::result::Result<Option<script::Model>, DbErr> {
    script::Entity::find_by_id(id)
        .filter(script::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
}

pub async fn find(db: &impl ConnectionTrait, tenant_id: i64, id: i64) -> Result<script::Model> {
    lookup(db, tenant_id, id)
        .await?
        .ok_or_else(|| Error::not_found("话术"))
}

/// The company's scripts, the last changed first; `owner` keeps only that member's.
pub async fn list(
    db: &DatabaseConnection,
    tenant_id: i64,
    owner: Option<i64>,
) -> Result<Vec<ScriptSummary>> {
    let mut select = script::Entity::find().filter(script::Column::TenantId.eq(tenant_id));
    if let Some(owner) = owner {
        select = select.filter(script::Column::CreatedBy.eq(owner));
    }
    let rows = select
        .order_by_desc(script::Column::UpdatedAt)
        .all(db)
        .await?;
    let names = member_names(db, tenant_id).await?;
    Ok(rows.iter().map(|row| summary(row, &names)).collect())
}

/// A script with its draft and published versions.
pub async fn detail(db: &DatabaseConnection, tenant_id: i64, id: i64) -> Result<ScriptDetail> {
    let row = find(db, tenant_id, id).await?;
    detail_of(db, row).await
}

/// A new script with `draft`, not published.
pub async fn insert(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    created_by: Option<i64>,
    name: &str,
    description: &str,
    draft: String,
) -> std::result::Result<script::Model, DbErr> {
    let now = Utc::now();
    script::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set(name.to_owned()),
        description: Set(description.to_owned()),
        draft: Set(draft),
        published_version: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A new script of the caller's, audited as `action`.
async fn insert_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    name: &str,
    description: &str,
    draft: String,
    action: &str,
    detail: String,
) -> Result<script::Model> {
    let txn = store::begin(db).await?;
    let row = insert(
        &txn,
        caller.tenant(),
        Some(caller.member.id),
        name,
        description,
        draft,
    )
    .await?;
    audit::by(&txn, caller, action, row.name.clone(), detail).await?;
    txn.commit().await?;
    Ok(row)
}

/// A new script with a minimal flow to start from.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: CreateRequest,
) -> Result<ScriptDetail> {
    let name = check_name(&request.name)?;
    let row = insert_audited(
        db,
        caller,
        &name,
        request.description.trim(),
        skeleton(&name),
        "script.create",
        String::new(),
    )
    .await?;
    detail_of(db, row).await
}

/// A new script from its JSON, as exported.
pub async fn import(
    db: &DatabaseConnection,
    caller: &Caller,
    body: serde_json::Value,
) -> Result<ScriptDetail> {
    let script = script_from(body, "话术文件")?;
    let name = check_name(&script.name)?;
    let draft = serde_json::to_string(&script).map_err(|e| anyhow::anyhow!(e))?;
    let row = insert_audited(db, caller, &name, "", draft, "script.import", String::new()).await?;
    detail_of(db, row).await
}

/// Saves the draft, kept even with a problem (which the detail names).
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: UpdateRequest,
) -> Result<ScriptDetail> {
    let name = check_name(&request.name)?;
    let mut script = script_from(request.draft, "话术内容")?;
    script.name = name.clone();
    let row = find(db, caller.tenant(), id).await?;
    let txn = store::begin(db).await?;
    let mut row = row.into_active_model();
    row.name = Set(name);
    row.description = Set(request.description.trim().to_owned());
    row.draft = Set(serde_json::to_string(&script).map_err(|e| anyhow::anyhow!(e))?);
    row.updated_at = Set(Utc::now());
    let row = row.update(&txn).await?;
    audit::by(&txn, caller, "script.update", row.name.clone(), "").await?;
    txn.commit().await?;
    detail_of(db, row).await
}

/// Freezes the draft as the next published version.
async fn freeze(
    db: &impl ConnectionTrait,
    row: script::Model,
) -> std::result::Result<script::Model, DbErr> {
    let version = row.published_version.unwrap_or(0) + 1;
    script_version::ActiveModel {
        tenant_id: Set(row.tenant_id),
        script_id: Set(row.id),
        version: Set(version),
        body: Set(row.draft.clone()),
        published_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut updated = row.into_active_model();
    updated.published_version = Set(Some(version));
    updated.update(db).await
}

/// Publishes a valid draft as a new version; tasks keep the version they started with.
pub async fn publish(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<ScriptDetail> {
    let row = find(db, caller.tenant(), id).await?;
    compile_or_refuse(&row.draft)?;
    let txn = store::begin(db).await?;
    let row = freeze(&txn, row).await?;
    let version = row.published_version.unwrap_or_default();
    audit::by(
        &txn,
        caller,
        "script.publish",
        row.name.clone(),
        format!("v{version}"),
    )
    .await?;
    txn.commit().await?;
    detail_of(db, row).await
}

/// Publishes a script that is known to be valid (the demo's) as its first version.
pub async fn publish_first(db: &impl ConnectionTrait, row: &script::Model) -> anyhow::Result<()> {
    compile(&row.draft).map_err(|problem| anyhow::anyhow!(problem))?;
    freeze(db, row.clone()).await?;
    Ok(())
}

/// A new script of the caller's with a copy of script `id`'s draft.
pub async fn copy(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<ScriptDetail> {
    let source = find(db, caller.tenant(), id).await?;
    let name = derived_name(&source.name, "（副本）");
    let row = insert_audited(
        db,
        caller,
        &name,
        &source.description,
        source.draft,
        "script.create",
        format!("复制自 {id}"),
    )
    .await?;
    detail_of(db, row).await
}

/// Shares script `id` with sub-accounts in the caller's data scope: each gets a copy of the
/// draft as their own, and a notification. Returns the notifications, to publish once
/// committed (one per member shared with).
pub async fn share(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    mut member_ids: Vec<i64>,
) -> Result<Vec<notification::Model>> {
    let source = find(db, caller.tenant(), id).await?;
    member_ids.sort_unstable();
    member_ids.dedup();
    member_ids.retain(|&member| member != caller.member.id);
    if member_ids.is_empty() || member_ids.len() > 200 {
        return Err(Error::validation(
            "member_ids",
            "请选择要分享的子账户（不含自己，最多 200 个）",
        ));
    }
    let wanted = member_ids.len();
    let targets = member::Entity::find()
        .filter(member::Column::TenantId.eq(caller.tenant()))
        .filter(member::Column::Id.is_in(member_ids))
        .all(db)
        .await?;
    // A member outside the caller's data scope is treated as unknown, like a wrong id.
    let visible = targets
        .iter()
        .filter(|m| caller.scope.covers(m.id, m.department_id, caller.member.id))
        .count();
    if visible != wanted {
        return Err(Error::not_found("子账户"));
    }
    let name = derived_name(&source.name, &format!("（来自 {}）", caller.member.name));
    let txn = store::begin(db).await?;
    let mut notes = Vec::with_capacity(targets.len());
    for target in &targets {
        insert(
            &txn,
            caller.tenant(),
            Some(target.id),
            &name,
            &source.description,
            source.draft.clone(),
        )
        .await?;
        let title = format!("{} 分享了话术《{}》给您", caller.member.name, source.name);
        notes.push(
            notifications::inform(&txn, caller.tenant(), target.id, "script_share", &title).await?,
        );
    }
    audit::by(
        &txn,
        caller,
        "script.share",
        source.name.clone(),
        targets
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join("、"),
    )
    .await?;
    txn.commit().await?;
    Ok(notes)
}

/// Deletes a script and its versions.
pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    let row = find(db, caller.tenant(), id).await?;
    let txn = store::begin(db).await?;
    script::Entity::delete_by_id(row.id)
        .filter(script::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(&txn, caller, "script.delete", row.name, "").await?;
    txn.commit().await?;
    Ok(())
}
