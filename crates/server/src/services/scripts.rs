//! Scripts (话术) as stored: a draft, and the published versions tasks pin when they start.

use chrono::Utc;
use robot::dialog::Robot;
use robot::script::Script;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, IntoActiveModel, Set};
use store::entity::{script, script_version};

/// The stored draft as a script.
pub fn parse(draft: &str) -> Result<Script, String> {
    serde_json::from_str(draft).map_err(|e| format!("话术内容无法解析：{e}"))
}

/// The draft compiled, or its first problem.
pub fn compile(draft: &str) -> Result<Robot, String> {
    Robot::new(parse(draft)?).map_err(|e| e.to_string())
}

/// A new script with `draft`, not published.
pub async fn insert(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    created_by: Option<i64>,
    name: &str,
    description: &str,
    draft: String,
) -> Result<script::Model, DbErr> {
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

/// Freezes the draft as the next published version.
pub async fn publish(
    db: &impl ConnectionTrait,
    row: script::Model,
) -> Result<script::Model, DbErr> {
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

/// Publishes a script that is known to be valid (the demo's) as its first version.
pub async fn publish_first(db: &impl ConnectionTrait, row: &script::Model) -> anyhow::Result<()> {
    compile(&row.draft).map_err(|problem| anyhow::anyhow!(problem))?;
    publish(db, row.clone()).await?;
    Ok(())
}
