//! Blacklist import and export: the rows of a sheet checked and added to a group, and what a
//! filter selects as the rows of a sheet.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, TryInsertResult,
};
use serde::Serialize;
use store::entity::{blacklist_entry, blacklist_group};
use utoipa::ToSchema;

use super::entries::{Filter, check_note};
use super::{groups, zone};
use crate::auth::Caller;
use crate::services::audit;
use crate::services::{Error, Result};
use crate::sheet::parse_time;

const MAX_IMPORT_ROWS: usize = 100_000;
/// Rows inserted by one statement: 5 values each, far below the bind limits.
const INSERT_CHUNK: usize = 2_000;

/// The group an import goes into: `id`, or the company's default group.
pub async fn import_group(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    id: Option<i64>,
) -> Result<blacklist_group::Model> {
    match id {
        Some(id) => groups::find(db, tenant_id, id).await,
        None => groups::default_group(db, tenant_id).await,
    }
}

/// One data row of an import sheet, as typed.
pub struct ImportRow<'a> {
    /// Its row number in the sheet.
    pub row: usize,
    pub phone: &'a str,
    pub note: &'a str,
    pub expires_at: &'a str,
}

#[derive(Serialize, ToSchema)]
#[schema(as = BlacklistRowError)]
pub struct RowError {
    row: usize,
    reason: String,
}

#[derive(Serialize, ToSchema, Default)]
#[schema(as = BlacklistImportResult)]
pub struct ImportResult {
    added: u64,
    /// Rows whose number is already in the group (or earlier in the file).
    skipped: u64,
    errors: Vec<RowError>,
}

/// Adds the valid rows of sheet `file_name` to `group` in one transaction: numbers already
/// there (or earlier in the file) are skipped, invalid rows reported with the reason.
pub async fn import(
    db: &DatabaseConnection,
    caller: &Caller,
    group: &blacklist_group::Model,
    file_name: &str,
    rows: &[ImportRow<'_>],
) -> Result<ImportResult> {
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(Error::invalid(
            "TOO_MANY_ROWS",
            format!(
                "一次最多导入 {MAX_IMPORT_ROWS} 个号码，本文件有 {} 行",
                rows.len()
            ),
        ));
    }
    let zone = zone(caller);
    let mut result = ImportResult::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut valid: Vec<(String, String, Option<DateTime<Utc>>)> = Vec::new();
    for row in rows {
        let checked = domain::phone::normalize(row.phone)
            .map_err(|reason| reason.to_string())
            .and_then(|phone| Ok((phone.number, check_note(Some(row.note))?)))
            .and_then(|(phone, note)| match row.expires_at {
                "" => Ok((phone, note, None)),
                text => parse_time(text, zone, true)
                    .map(|at| (phone, note, Some(at)))
                    .ok_or_else(|| {
                        format!("到期时间“{text}”无法识别，请写成 2026-12-31 或 2026-12-31 18:00")
                    }),
            });
        match checked {
            Ok(entry) if seen.insert(entry.0.clone()) => valid.push(entry),
            Ok(_) => result.skipped += 1,
            Err(reason) => result.errors.push(RowError {
                row: row.row,
                reason,
            }),
        }
    }
    let now = Utc::now();
    let txn = store::begin(db).await?;
    for chunk in valid.chunks(INSERT_CHUNK) {
        let rows = chunk
            .iter()
            .map(|(phone, note, expires_at)| blacklist_entry::ActiveModel {
                tenant_id: Set(caller.tenant()),
                group_id: Set(group.id),
                phone: Set(phone.clone()),
                note: Set(note.clone()),
                expires_at: Set(*expires_at),
                created_at: Set(now),
                ..Default::default()
            });
        let inserted = blacklist_entry::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([
                blacklist_entry::Column::GroupId,
                blacklist_entry::Column::Phone,
            ])
            .exec_without_returning(&txn)
            .await?;
        let added = match inserted {
            TryInsertResult::Inserted(n) => n,
            _ => 0,
        };
        result.added += added;
        result.skipped += chunk.len() as u64 - added;
    }
    audit::by(
        &txn,
        caller,
        "blacklist.import",
        file_name,
        format!(
            "导入到分组“{}”：新增 {}，已存在 {}，错误 {}",
            group.name,
            result.added,
            result.skipped,
            result.errors.len()
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(result)
}

fn format_local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The numbers `filter` selects, newest first, as the export's cells (号码, 分组, 备注,
/// 到期时间, 加入时间) in the company's time zone.
pub async fn export_rows(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &Filter,
) -> Result<Vec<[String; 5]>> {
    let zone = zone(caller);
    let groups = groups::names(db, caller.tenant()).await?;
    Ok(blacklist_entry::Entity::find()
        .filter(filter.condition(caller, Utc::now())?)
        .order_by_desc(blacklist_entry::Column::CreatedAt)
        .order_by_desc(blacklist_entry::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            [
                row.phone,
                groups.get(&row.group_id).cloned().unwrap_or_default(),
                row.note,
                row.expires_at
                    .map(|at| format_local(at, zone))
                    .unwrap_or_default(),
                format_local(row.created_at, zone),
            ]
        })
        .collect())
}
