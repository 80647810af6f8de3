//! Listed numbers: the filtered list, adding one, and batch delete and move (selected rows or
//! everything a filter selects).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query as SqlQuery};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, SqlErr,
};
use serde::{Deserialize, Serialize};
use store::entity::blacklist_entry;
use utoipa::{IntoParams, ToSchema};

use super::{groups, zone};
use crate::auth::Caller;
use crate::blacklist::not_expired;
use crate::services::audit;
use crate::services::paging::{Page, PageQuery};
use crate::services::search;
use crate::services::{Error, Result};
use crate::sheet::parse_time;

const MAX_NOTE: usize = 200;

/// Which numbers a list, an export or a batch action covers.
#[derive(Deserialize, ToSchema, IntoParams, Default)]
pub struct Filter {
    /// Only this group.
    group_id: Option<i64>,
    /// The number contains this.
    phone: Option<String>,
    /// Added at or after this time (ISO date-time; a date means its start).
    created_from: Option<String>,
    /// Added at or before this time (ISO date-time; a date means its end).
    created_to: Option<String>,
    /// Also numbers whose expiry has passed (default true).
    include_expired: Option<bool>,
}

impl Filter {
    pub(super) fn condition(&self, caller: &Caller, now: DateTime<Utc>) -> Result<Condition> {
        let zone = zone(caller);
        let mut condition =
            Condition::all().add(blacklist_entry::Column::TenantId.eq(caller.tenant()));
        if let Some(group_id) = self.group_id {
            condition = condition.add(blacklist_entry::Column::GroupId.eq(group_id));
        }
        if let Some(text) = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            // As stored when the whole number is typed, else its digits.
            let wanted = domain::phone::normalize(text).map_or_else(
                |_| {
                    text.chars()
                        .filter(char::is_ascii_digit)
                        .collect::<String>()
                },
                |phone| phone.number,
            );
            if wanted.is_empty() {
                return Err(Error::validation("phone", "请输入号码中的数字"));
            }
            condition = condition.add(search::contains(blacklist_entry::Column::Phone, &wanted));
        }
        for (text, field, end) in [
            (&self.created_from, "created_from", false),
            (&self.created_to, "created_to", true),
        ] {
            let Some(text) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
                continue;
            };
            let at = parse_time(text, zone, end)
                .ok_or_else(|| Error::validation(field, "时间格式不正确"))?;
            condition = condition.add(if end {
                blacklist_entry::Column::CreatedAt.lte(at)
            } else {
                blacklist_entry::Column::CreatedAt.gte(at)
            });
        }
        if !self.include_expired.unwrap_or(true) {
            condition = condition.add(not_expired(now));
        }
        Ok(condition)
    }
}

#[derive(Serialize, ToSchema)]
pub struct EntryView {
    id: i64,
    phone: String,
    group_id: i64,
    group_name: String,
    note: String,
    expires_at: Option<DateTime<Utc>>,
    /// The expiry has passed: the number may be called again.
    expired: bool,
    created_at: DateTime<Utc>,
}

fn entry_view(
    row: blacklist_entry::Model,
    groups: &HashMap<i64, String>,
    now: DateTime<Utc>,
) -> EntryView {
    EntryView {
        group_name: groups.get(&row.group_id).cloned().unwrap_or_default(),
        expired: row.expires_at.is_some_and(|at| at <= now),
        id: row.id,
        phone: row.phone,
        group_id: row.group_id,
        note: row.note,
        expires_at: row.expires_at,
        created_at: row.created_at,
    }
}

/// An entry's note trimmed, or why it is refused.
pub(super) fn check_note(note: Option<&str>) -> std::result::Result<String, String> {
    let note = note.unwrap_or("").trim();
    if note.chars().count() > MAX_NOTE {
        return Err(format!("备注不能超过 {MAX_NOTE} 个字"));
    }
    Ok(note.to_owned())
}

/// The numbers `filter` selects, newest first.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &Filter,
    paging: &PageQuery,
) -> Result<Page<EntryView>> {
    let now = Utc::now();
    let groups = groups::names(db, caller.tenant()).await?;
    let paginator = blacklist_entry::Entity::find()
        .filter(filter.condition(caller, now)?)
        .order_by_desc(blacklist_entry::Column::CreatedAt)
        .order_by_desc(blacklist_entry::Column::Id)
        .paginate(db, paging.size());
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(paging.index()).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|row| entry_view(row, &groups, now))
            .collect(),
        total,
    })
}

#[derive(Deserialize, ToSchema)]
pub struct AddRequest {
    phone: String,
    group_id: i64,
    note: Option<String>,
    /// Until when (定时拉黑); null or absent: for good.
    expires_at: Option<String>,
}

/// Adds one number to a group, unless it is there already.
pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    request: &AddRequest,
) -> Result<EntryView> {
    let phone = domain::phone::normalize(&request.phone)
        .map_err(|reason| Error::invalid("INVALID_PHONE", reason.to_string()).on_field("phone"))?
        .number;
    let note = check_note(request.note.as_deref()).map_err(|m| Error::validation("note", m))?;
    let expires_at = match request
        .expires_at
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(text) => Some(
            parse_time(text, zone(caller), true)
                .ok_or_else(|| Error::validation("expires_at", "到期时间格式不正确"))?,
        ),
        None => None,
    };
    let txn = store::begin(db).await?;
    let group = groups::find(&txn, caller.tenant(), request.group_id).await?;
    let listed = blacklist_entry::Entity::find()
        .filter(blacklist_entry::Column::TenantId.eq(caller.tenant()))
        .filter(blacklist_entry::Column::GroupId.eq(group.id))
        .filter(blacklist_entry::Column::Phone.eq(&phone))
        .one(&txn)
        .await?;
    if listed.is_some() {
        return Err(already_listed(&phone, &group.name));
    }
    let now = Utc::now();
    let row = blacklist_entry::ActiveModel {
        tenant_id: Set(caller.tenant()),
        group_id: Set(group.id),
        phone: Set(phone.clone()),
        note: Set(note),
        expires_at: Set(expires_at),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => already_listed(&phone, &group.name),
        _ => e.into(),
    })?;
    audit::by(
        &txn,
        caller,
        "blacklist.add",
        phone,
        format!("加入分组“{}”", group.name),
    )
    .await?;
    txn.commit().await?;
    let groups = HashMap::from([(group.id, group.name)]);
    Ok(entry_view(row, &groups, now))
}

fn already_listed(phone: &str, group: &str) -> Error {
    Error::conflict(
        "ALREADY_LISTED",
        format!("号码 {phone} 已在分组“{group}”中"),
    )
    .on_field("phone")
}

#[derive(Deserialize, ToSchema)]
pub struct BatchRequest {
    /// The chosen numbers' ids…
    ids: Option<Vec<i64>>,
    /// …or every number matching a filter (全选).
    filter: Option<Filter>,
}

#[derive(Deserialize, ToSchema)]
#[schema(as = BlacklistMoveRequest)]
pub struct MoveRequest {
    ids: Option<Vec<i64>>,
    filter: Option<Filter>,
    /// The group to move them to.
    group_id: i64,
}

fn selection(
    caller: &Caller,
    ids: Option<&[i64]>,
    filter: Option<&Filter>,
    now: DateTime<Utc>,
) -> Result<Condition> {
    match (ids, filter) {
        (Some(ids), _) if !ids.is_empty() => Ok(Condition::all()
            .add(blacklist_entry::Column::TenantId.eq(caller.tenant()))
            .add(blacklist_entry::Column::Id.is_in(ids.iter().copied()))),
        (_, Some(filter)) => filter.condition(caller, now),
        _ => Err(Error::validation("ids", "请先选择号码")),
    }
}

/// Removes the chosen numbers, or all matching a filter; returns how many went.
pub async fn delete(
    db: &DatabaseConnection,
    caller: &Caller,
    request: &BatchRequest,
) -> Result<u64> {
    let condition = selection(
        caller,
        request.ids.as_deref(),
        request.filter.as_ref(),
        Utc::now(),
    )?;
    let txn = store::begin(db).await?;
    let deleted = blacklist_entry::Entity::delete_many()
        .filter(condition)
        .exec(&txn)
        .await?
        .rows_affected;
    audit::by(
        &txn,
        caller,
        "blacklist.delete",
        format!("{deleted} 个号码"),
        "移出黑名单",
    )
    .await?;
    txn.commit().await?;
    Ok(deleted)
}

/// Moves the chosen numbers, or all matching a filter, to another group; a number already in
/// that group is merged into it. Returns how many were chosen outside the target group.
pub async fn move_to_group(
    db: &DatabaseConnection,
    caller: &Caller,
    request: &MoveRequest,
) -> Result<u64> {
    let target = groups::find(db, caller.tenant(), request.group_id).await?;
    let chosen = selection(
        caller,
        request.ids.as_deref(),
        request.filter.as_ref(),
        Utc::now(),
    )?
    .add(blacklist_entry::Column::GroupId.ne(target.id));
    let txn = store::begin(db).await?;
    let moved = blacklist_entry::Entity::find()
        .filter(chosen.clone())
        .count(&txn)
        .await?;
    // Merge numbers the target group has already…
    let in_target = SqlQuery::select()
        .column(blacklist_entry::Column::Phone)
        .from(blacklist_entry::Entity)
        .and_where(blacklist_entry::Column::TenantId.eq(caller.tenant()))
        .and_where(blacklist_entry::Column::GroupId.eq(target.id))
        .to_owned();
    blacklist_entry::Entity::delete_many()
        .filter(chosen.clone())
        .filter(blacklist_entry::Column::Phone.in_subquery(in_target))
        .exec(&txn)
        .await?;
    // …and the same number chosen from several groups: the first one added moves.
    let first_of_each = SqlQuery::select()
        .expr(Expr::col(blacklist_entry::Column::Id).min())
        .from(blacklist_entry::Entity)
        .cond_where(chosen.clone())
        .group_by_col(blacklist_entry::Column::Phone)
        .to_owned();
    blacklist_entry::Entity::delete_many()
        .filter(chosen.clone())
        .filter(blacklist_entry::Column::Id.not_in_subquery(first_of_each))
        .exec(&txn)
        .await?;
    blacklist_entry::Entity::update_many()
        .col_expr(blacklist_entry::Column::GroupId, Expr::value(target.id))
        .filter(chosen)
        .exec(&txn)
        .await?;
    audit::by(
        &txn,
        caller,
        "blacklist.move",
        format!("{moved} 个号码"),
        format!("移动到分组“{}”", target.name),
    )
    .await?;
    txn.commit().await?;
    Ok(moved)
}
