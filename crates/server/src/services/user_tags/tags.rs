//! Tags of the library (用户标签): one name per company, whatever the group.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde::Deserialize;
use store::entity::user_tag;
use utoipa::ToSchema;

use super::TagView;
use super::groups::TagGroups;
use crate::auth::Caller;
use crate::services::audit;
use crate::services::grouped_list::{self, check_name};
use crate::services::{Error, Result};

#[derive(Deserialize, ToSchema)]
pub struct TagRequest {
    group_id: i64,
    name: String,
}

/// Stores a tag as it is (the caller checked its name and group).
pub(super) async fn insert(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    group_id: i64,
    name: &str,
) -> Result<user_tag::Model> {
    Ok(user_tag::ActiveModel {
        tenant_id: Set(tenant_id),
        group_id: Set(group_id),
        name: Set(name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

fn checked_name(name: &str) -> Result<String> {
    check_name(name, "标签").map_err(|message| Error::validation("name", message))
}

async fn find(db: &impl ConnectionTrait, tenant_id: i64, id: i64) -> Result<user_tag::Model> {
    user_tag::Entity::find_by_id(id)
        .filter(user_tag::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("标签"))
}

/// Refuses `name` when another tag of the company than `except` has it.
async fn check_free(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    name: &str,
    except: Option<i64>,
) -> Result<()> {
    let clash = user_tag::Entity::find()
        .filter(user_tag::Column::TenantId.eq(tenant_id))
        .filter(user_tag::Column::Name.eq(name))
        .one(db)
        .await?
        .filter(|t| Some(t.id) != except);
    match clash {
        Some(_) => {
            Err(Error::conflict("TAG_EXISTS", format!("标签“{name}”已存在")).on_field("name"))
        }
        None => Ok(()),
    }
}

/// Adds a tag to a group.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: &TagRequest,
) -> Result<TagView> {
    let name = checked_name(&request.name)?;
    let txn = store::begin(db).await?;
    grouped_list::find::<TagGroups>(&txn, caller.tenant(), request.group_id).await?;
    check_free(&txn, caller.tenant(), &name, None).await?;
    let row = insert(&txn, caller.tenant(), request.group_id, &name).await?;
    audit::by(&txn, caller, "user_tag.update", name, "新增标签").await?;
    txn.commit().await?;
    Ok(row.into())
}

/// Renames tag `id` or moves it to another group.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: &TagRequest,
) -> Result<TagView> {
    let txn = store::begin(db).await?;
    let row = find(&txn, caller.tenant(), id).await?;
    let name = checked_name(&request.name)?;
    grouped_list::find::<TagGroups>(&txn, caller.tenant(), request.group_id).await?;
    check_free(&txn, caller.tenant(), &name, Some(id)).await?;
    let mut active = row.into_active_model();
    active.name = Set(name.clone());
    active.group_id = Set(request.group_id);
    let row = active.update(&txn).await?;
    audit::by(&txn, caller, "user_tag.update", name, "编辑标签").await?;
    txn.commit().await?;
    Ok(row.into())
}

pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    let txn = store::begin(db).await?;
    let row = find(&txn, caller.tenant(), id).await?;
    user_tag::Entity::delete_by_id(id)
        .filter(user_tag::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(&txn, caller, "user_tag.update", row.name, "删除标签").await?;
    txn.commit().await?;
    Ok(())
}
