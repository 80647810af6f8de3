//! Blacklist groups (黑名单分组): every company has a default one that cannot be deleted; the
//! others go with their numbers.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use store::entity::{blacklist_entry, blacklist_group};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::services::grouped_list::{self, GroupKind};
use crate::services::{Error, Result};

/// Blacklist groups as a [`GroupKind`]: they hold numbers.
pub struct BlacklistGroups;

impl GroupKind for BlacklistGroups {
    type Group = blacklist_group::Entity;
    type Item = blacklist_entry::Entity;

    const GROUP_ID: blacklist_group::Column = blacklist_group::Column::Id;
    const GROUP_TENANT: blacklist_group::Column = blacklist_group::Column::TenantId;
    const GROUP_NAME: blacklist_group::Column = blacklist_group::Column::Name;
    const ITEM_ID: blacklist_entry::Column = blacklist_entry::Column::Id;
    const ITEM_TENANT: blacklist_entry::Column = blacklist_entry::Column::TenantId;
    const ITEM_GROUP: blacklist_entry::Column = blacklist_entry::Column::GroupId;

    const WHAT: &'static str = "黑名单分组";
    const AUDIT_ACTION: &'static str = "blacklist.group";

    fn new_group(tenant_id: i64, name: &str) -> blacklist_group::ActiveModel {
        blacklist_group::ActiveModel {
            tenant_id: Set(tenant_id),
            name: Set(name.to_owned()),
            is_default: Set(false),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
    }

    fn id(group: &blacklist_group::Model) -> i64 {
        group.id
    }

    fn name(group: &blacklist_group::Model) -> &str {
        &group.name
    }

    fn renamed(old: &str) -> String {
        format!("重命名分组（原名“{old}”）")
    }

    fn deleted(items: u64) -> String {
        format!("删除分组及其中 {items} 个号码")
    }

    fn check_delete(group: &blacklist_group::Model) -> Result<()> {
        if group.is_default {
            return Err(Error::conflict("DEFAULT_GROUP", "默认分组不能删除"));
        }
        Ok(())
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = BlacklistGroupView)]
pub struct GroupView {
    id: i64,
    name: String,
    is_default: bool,
    entry_count: u64,
}

/// The company's groups, the default one first.
async fn rows(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Vec<blacklist_group::Model>> {
    Ok(blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(tenant_id))
        .order_by_desc(blacklist_group::Column::IsDefault)
        .order_by_asc(blacklist_group::Column::Id)
        .all(db)
        .await?)
}

/// The company's groups by id, for showing an entry's group.
pub(super) async fn names(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<HashMap<i64, String>> {
    Ok(rows(db, tenant_id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect())
}

pub(super) async fn find(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    id: i64,
) -> Result<blacklist_group::Model> {
    grouped_list::find::<BlacklistGroups>(db, tenant_id, id).await
}

pub(super) async fn default_group(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<blacklist_group::Model> {
    blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(tenant_id))
        .filter(blacklist_group::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("默认黑名单分组"))
}

/// The company's groups, the default one first, with their numbers' count.
pub async fn list(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Vec<GroupView>> {
    let counts = grouped_list::item_counts::<BlacklistGroups>(db, tenant_id).await?;
    Ok(rows(db, tenant_id)
        .await?
        .into_iter()
        .map(|g| GroupView {
            entry_count: counts.get(&g.id).copied().unwrap_or(0),
            id: g.id,
            name: g.name,
            is_default: g.is_default,
        })
        .collect())
}

pub async fn create(db: &DatabaseConnection, caller: &Caller, name: &str) -> Result<GroupView> {
    let row = grouped_list::create::<BlacklistGroups>(db, caller, name).await?;
    Ok(GroupView {
        id: row.id,
        name: row.name,
        is_default: false,
        entry_count: 0,
    })
}

pub async fn rename(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    name: &str,
) -> Result<GroupView> {
    grouped_list::rename::<BlacklistGroups>(db, caller, id, name).await?;
    list(db, caller.tenant())
        .await?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| Error::not_found(BlacklistGroups::WHAT))
}

/// Deletes a group with its numbers; the default group stays.
pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    grouped_list::delete::<BlacklistGroups>(db, caller, id).await
}
