//! Groups of the tag library (标签分组): deleting one deletes its tags.

use chrono::Utc;
use sea_orm::{DatabaseConnection, Set};
use store::entity::{user_tag, user_tag_group};

use super::{GroupView, load};
use crate::auth::Caller;
use crate::services::grouped_list::{self, GroupKind};
use crate::services::{Error, Result};

/// Tag groups as a [`GroupKind`]: they hold tags.
pub struct TagGroups;

impl GroupKind for TagGroups {
    type Group = user_tag_group::Entity;
    type Item = user_tag::Entity;

    const GROUP_ID: user_tag_group::Column = user_tag_group::Column::Id;
    const GROUP_TENANT: user_tag_group::Column = user_tag_group::Column::TenantId;
    const GROUP_NAME: user_tag_group::Column = user_tag_group::Column::Name;
    const ITEM_ID: user_tag::Column = user_tag::Column::Id;
    const ITEM_TENANT: user_tag::Column = user_tag::Column::TenantId;
    const ITEM_GROUP: user_tag::Column = user_tag::Column::GroupId;

    const WHAT: &'static str = "标签分组";
    const AUDIT_ACTION: &'static str = "user_tag.update";

    fn new_group(tenant_id: i64, name: &str) -> user_tag_group::ActiveModel {
        user_tag_group::ActiveModel {
            tenant_id: Set(tenant_id),
            name: Set(name.to_owned()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
    }

    fn id(group: &user_tag_group::Model) -> i64 {
        group.id
    }

    fn name(group: &user_tag_group::Model) -> &str {
        &group.name
    }

    fn renamed(_old: &str) -> String {
        "重命名分组".to_owned()
    }

    fn deleted(_items: u64) -> String {
        "删除分组".to_owned()
    }
}

pub async fn create(db: &DatabaseConnection, caller: &Caller, name: &str) -> Result<GroupView> {
    let row = grouped_list::create::<TagGroups>(db, caller, name).await?;
    Ok(GroupView {
        id: row.id,
        name: row.name,
        tags: Vec::new(),
    })
}

pub async fn rename(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    name: &str,
) -> Result<GroupView> {
    grouped_list::rename::<TagGroups>(db, caller, id, name).await?;
    load(db, caller.tenant())
        .await?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| Error::not_found(TagGroups::WHAT))
}

/// Deletes a group with its tags.
pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    grouped_list::delete::<TagGroups>(db, caller, id).await
}
