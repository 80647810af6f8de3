//! Named groups of a company that hold items: blacklist groups holding numbers, user-tag groups
//! holding tags. A name is used once in a company; a group is created, renamed, and deleted
//! together with its items; its items are counted. Each kind names its tables, its columns and
//! its words through [`GroupKind`].

use std::collections::HashMap;

use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect,
};

use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Result};

/// Longest name of a group or of an item, in characters.
pub const MAX_NAME: usize = 20;

type Column<E> = <E as EntityTrait>::Column;
type Active<E> = <E as EntityTrait>::ActiveModel;
/// A stored group of kind `K`.
pub type Row<K> = <<K as GroupKind>::Group as EntityTrait>::Model;

/// One kind of grouped list: its two tables and what it says about them.
pub trait GroupKind {
    /// The groups' table (`tenant_id`, `name`, …).
    type Group: EntityTrait<ActiveModel: Send, Model: IntoActiveModel<Active<Self::Group>> + Sync>;
    /// The items' table; each item belongs to one group of the same company.
    type Item: EntityTrait;

    const GROUP_ID: Column<Self::Group>;
    const GROUP_TENANT: Column<Self::Group>;
    const GROUP_NAME: Column<Self::Group>;
    const ITEM_ID: Column<Self::Item>;
    const ITEM_TENANT: Column<Self::Item>;
    const ITEM_GROUP: Column<Self::Item>;

    /// The group as named in "…不存在".
    const WHAT: &'static str;
    /// The audit action recorded for each change of a group.
    const AUDIT_ACTION: &'static str;

    /// A new group, not yet stored.
    fn new_group(tenant_id: i64, name: &str) -> Active<Self::Group>;
    fn id(group: &Row<Self>) -> i64;
    fn name(group: &Row<Self>) -> &str;
    /// The audit detail of a rename from `old`.
    fn renamed(old: &str) -> String;
    /// The audit detail of a deletion that took `items` with it.
    fn deleted(items: u64) -> String;

    /// Refuses to delete a group the kind keeps (the blacklist's default one).
    fn check_delete(_group: &Row<Self>) -> Result<()> {
        Ok(())
    }
}

/// `name` trimmed, or why it cannot name a `what` (分组, 标签).
pub fn check_name(name: &str, what: &str) -> std::result::Result<String, String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(format!("{what}名称不能为空，且不超过 {MAX_NAME} 个字"));
    }
    Ok(name.to_owned())
}

/// The company's group `id`.
pub async fn find<K: GroupKind>(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    id: i64,
) -> Result<Row<K>> {
    K::Group::find()
        .filter(K::GROUP_ID.eq(id))
        .filter(K::GROUP_TENANT.eq(tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found(K::WHAT))
}

/// Stores a group named `name` as it is (the caller checked it).
pub async fn insert<K: GroupKind>(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    name: &str,
) -> Result<Row<K>> {
    Ok(K::new_group(tenant_id, name).insert(db).await?)
}

/// Refuses `name` when another group of the company than `except` has it.
async fn check_free<K: GroupKind>(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    name: &str,
    except: Option<i64>,
) -> Result<()> {
    let clash = K::Group::find()
        .filter(K::GROUP_TENANT.eq(tenant_id))
        .filter(K::GROUP_NAME.eq(name))
        .one(db)
        .await?
        .filter(|group| Some(K::id(group)) != except);
    match clash {
        Some(_) => {
            Err(Error::conflict("GROUP_EXISTS", format!("分组“{name}”已存在")).on_field("name"))
        }
        None => Ok(()),
    }
}

fn checked_group_name(name: &str) -> Result<String> {
    check_name(name, "分组").map_err(|message| Error::validation("name", message))
}

/// Adds a group named `name`.
pub async fn create<K: GroupKind>(
    db: &DatabaseConnection,
    caller: &Caller,
    name: &str,
) -> Result<Row<K>> {
    let name = checked_group_name(name)?;
    let txn = store::begin(db).await?;
    check_free::<K>(&txn, caller.tenant(), &name, None).await?;
    let row = insert::<K>(&txn, caller.tenant(), &name).await?;
    audit::by(&txn, caller, K::AUDIT_ACTION, name, "新增分组").await?;
    txn.commit().await?;
    Ok(row)
}

/// Renames group `id` to `name`.
pub async fn rename<K: GroupKind>(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    name: &str,
) -> Result<Row<K>> {
    let txn = store::begin(db).await?;
    let row = find::<K>(&txn, caller.tenant(), id).await?;
    let name = checked_group_name(name)?;
    check_free::<K>(&txn, caller.tenant(), &name, Some(id)).await?;
    let old = K::name(&row).to_owned();
    let mut active = row.into_active_model();
    active.try_set(K::GROUP_NAME, name.clone().into())?;
    let row = active.update(&txn).await?;
    audit::by(&txn, caller, K::AUDIT_ACTION, name, K::renamed(&old)).await?;
    txn.commit().await?;
    Ok(row)
}

/// Deletes group `id` and the items in it.
pub async fn delete<K: GroupKind>(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    let txn = store::begin(db).await?;
    let row = find::<K>(&txn, caller.tenant(), id).await?;
    K::check_delete(&row)?;
    let items = K::Item::delete_many()
        .filter(K::ITEM_TENANT.eq(caller.tenant()))
        .filter(K::ITEM_GROUP.eq(id))
        .exec(&txn)
        .await?
        .rows_affected;
    K::Group::delete_many()
        .filter(K::GROUP_ID.eq(id))
        .filter(K::GROUP_TENANT.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(
        &txn,
        caller,
        K::AUDIT_ACTION,
        K::name(&row).to_owned(),
        K::deleted(items),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// How many items each group of the company holds; empty groups are absent.
pub async fn item_counts<K: GroupKind>(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<HashMap<i64, u64>> {
    Ok(K::Item::find()
        .select_only()
        .column(K::ITEM_GROUP)
        .expr(K::ITEM_ID.into_expr().count())
        .filter(K::ITEM_TENANT.eq(tenant_id))
        .group_by(K::ITEM_GROUP)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(group, count)| Some((group, u64::try_from(count).ok()?)))
        .collect())
}
