//! The dialer's question "which of these numbers may not be called for this task now?" (BL-1,
//! DIAL-1), answered without HTTP: one indexed query per batch of numbers.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};
use store::entity::blacklist_entry;

/// Numbers asked about in one query; well under SQLite's and PostgreSQL's bind limits.
pub const BATCH: usize = 1_000;

/// The numbers among `phones` (stored form, see `domain::phone`) listed in any of the task's
/// blacklist groups `group_ids` of company `tenant_id` and not expired at `now`.
pub async fn blocked(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    group_ids: &[i64],
    phones: &[String],
    now: DateTime<Utc>,
) -> Result<HashSet<String>, DbErr> {
    let mut found = HashSet::new();
    if group_ids.is_empty() || phones.is_empty() {
        return Ok(found);
    }
    if phones.len() > BATCH {
        // A whole import's numbers: when the groups hold not many more entries than that,
        // one read of the list beats hundreds of IN (…) queries (PostgreSQL scans a small
        // table for each of them).
        let listed = blacklist_entry::Entity::find()
            .filter(blacklist_entry::Column::TenantId.eq(tenant_id))
            .filter(blacklist_entry::Column::GroupId.is_in(group_ids.iter().copied()))
            .filter(not_expired(now))
            .count(db)
            .await?;
        if listed <= 4 * phones.len() as u64 {
            let all: HashSet<String> = blacklist_entry::Entity::find()
                .select_only()
                .column(blacklist_entry::Column::Phone)
                .filter(blacklist_entry::Column::TenantId.eq(tenant_id))
                .filter(blacklist_entry::Column::GroupId.is_in(group_ids.iter().copied()))
                .filter(not_expired(now))
                .into_tuple()
                .all(db)
                .await?
                .into_iter()
                .collect();
            found.extend(phones.iter().filter(|p| all.contains(*p)).cloned());
            return Ok(found);
        }
    }
    for chunk in phones.chunks(BATCH) {
        let rows: Vec<String> = blacklist_entry::Entity::find()
            .select_only()
            .column(blacklist_entry::Column::Phone)
            .filter(blacklist_entry::Column::TenantId.eq(tenant_id))
            .filter(blacklist_entry::Column::Phone.is_in(chunk.iter().map(String::as_str)))
            .filter(blacklist_entry::Column::GroupId.is_in(group_ids.iter().copied()))
            .filter(not_expired(now))
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Entries in force at `now`: without expiry, or expiring later.
pub fn not_expired(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(blacklist_entry::Column::ExpiresAt.is_null())
        .add(blacklist_entry::Column::ExpiresAt.gt(now))
}
