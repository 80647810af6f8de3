//! The company's user-tag library (用户标签 → 标签库): groups of tags that script nodes give
//! callers. Tags are unique by name in a company (scripts and calls name them), and the
//! library can be exported to and imported from a two-column sheet (分组, 标签).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use store::entity::{user_tag, user_tag_group};
use utoipa::ToSchema;

use crate::services::Result;
use crate::services::grouped_list;

pub mod groups;
pub mod tags;
pub mod transfer;

use groups::TagGroups;

#[derive(Serialize, ToSchema)]
pub struct TagView {
    id: i64,
    name: String,
    group_id: i64,
}

#[derive(Serialize, ToSchema)]
#[schema(as = TagGroupView)]
pub struct GroupView {
    id: i64,
    name: String,
    tags: Vec<TagView>,
}

#[derive(Serialize, ToSchema)]
pub struct Library {
    groups: Vec<GroupView>,
}

impl From<user_tag::Model> for TagView {
    fn from(row: user_tag::Model) -> Self {
        Self {
            id: row.id,
            name: row.name,
            group_id: row.group_id,
        }
    }
}

/// The groups in creation order, their tags by name.
async fn load(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Vec<GroupView>> {
    let groups = user_tag_group::Entity::find()
        .filter(user_tag_group::Column::TenantId.eq(tenant_id))
        .order_by_asc(user_tag_group::Column::Id)
        .all(db)
        .await?;
    let mut tags: HashMap<i64, Vec<TagView>> = HashMap::new();
    for tag in user_tag::Entity::find()
        .filter(user_tag::Column::TenantId.eq(tenant_id))
        .order_by_asc(user_tag::Column::Name)
        .all(db)
        .await?
    {
        tags.entry(tag.group_id).or_default().push(tag.into());
    }
    Ok(groups
        .into_iter()
        .map(|g| GroupView {
            tags: tags.remove(&g.id).unwrap_or_default(),
            id: g.id,
            name: g.name,
        })
        .collect())
}

/// The whole library: groups in creation order, their tags by name.
pub async fn library(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Library> {
    Ok(Library {
        groups: load(db, tenant_id).await?,
    })
}

/// Fills a new company's library (the demo's).
pub async fn seed(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    library: &[(&str, &[&str])],
) -> Result<()> {
    for (group, tags) in library {
        let group = grouped_list::insert::<TagGroups>(db, tenant_id, group).await?;
        for tag in *tags {
            tags::insert(db, tenant_id, group.id, tag).await?;
        }
    }
    Ok(())
}
