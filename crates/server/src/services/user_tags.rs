//! The company's user-tag library (用户标签): groups of tags that script nodes give callers.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use store::entity::{user_tag, user_tag_group};

pub async fn insert_group(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    name: &str,
) -> Result<user_tag_group::Model, DbErr> {
    user_tag_group::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set(name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn insert_tag(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    group_id: i64,
    name: &str,
) -> Result<user_tag::Model, DbErr> {
    user_tag::ActiveModel {
        tenant_id: Set(tenant_id),
        group_id: Set(group_id),
        name: Set(name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Fills a new company's library (the demo's).
pub async fn seed(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    library: &[(&str, &[&str])],
) -> Result<(), DbErr> {
    for (group, tags) in library {
        let group = insert_group(db, tenant_id, group).await?;
        for tag in *tags {
            insert_tag(db, tenant_id, group.id, tag).await?;
        }
    }
    Ok(())
}
