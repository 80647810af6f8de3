//! Company settings: one JSON value per company and key, read with a default and replaced whole.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use store::entity::company_setting;

async fn row(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    key: &str,
) -> Result<Option<company_setting::Model>, DbErr> {
    company_setting::Entity::find()
        .filter(company_setting::Column::TenantId.eq(tenant_id))
        .filter(company_setting::Column::Key.eq(key))
        .one(db)
        .await
}

/// The saved value, or `None` when never saved (or no longer readable).
pub async fn get<T: DeserializeOwned>(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    key: &str,
) -> Result<Option<T>, DbErr> {
    Ok(row(db, tenant_id, key)
        .await?
        .and_then(|row| serde_json::from_str(&row.value).ok()))
}

/// Saves the value, replacing the previous one.
pub async fn put<T: Serialize>(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    key: &str,
    value: &T,
) -> Result<(), DbErr> {
    let value = serde_json::to_string(value).map_err(|e| DbErr::Custom(e.to_string()))?;
    match row(db, tenant_id, key).await? {
        Some(existing) => {
            let mut existing = existing.into_active_model();
            existing.value = Set(value);
            existing.updated_at = Set(Utc::now());
            existing.update(db).await?;
        }
        None => {
            company_setting::ActiveModel {
                tenant_id: Set(tenant_id),
                key: Set(key.to_owned()),
                value: Set(value),
                updated_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}
