//! The library as the rows of a two-column sheet (分组, 标签), out and in.

use std::collections::{HashMap, HashSet};

use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::Serialize;
use utoipa::ToSchema;

use super::groups::TagGroups;
use super::{load, tags};
use crate::auth::Caller;
use crate::services::audit;
use crate::services::grouped_list::{self, check_name};
use crate::services::{Error, Result};

const MAX_IMPORT_ROWS: usize = 5_000;

/// Every tag as (group, tag), in the library's order.
pub async fn export_rows(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<Vec<(String, String)>> {
    Ok(load(db, tenant_id)
        .await?
        .into_iter()
        .flat_map(|g| {
            let group = g.name;
            g.tags.into_iter().map(move |t| (group.clone(), t.name))
        })
        .collect())
}

/// One data row of an import sheet, as typed.
pub struct ImportRow<'a> {
    /// Its row number in the sheet.
    pub row: usize,
    pub group: &'a str,
    pub tag: &'a str,
}

#[derive(Serialize, ToSchema)]
#[schema(as = TagRowError)]
pub struct RowError {
    row: usize,
    reason: String,
}

#[derive(Serialize, ToSchema, Default)]
#[schema(as = TagImportResult)]
pub struct ImportResult {
    groups_created: usize,
    tags_created: usize,
    /// Rows naming a tag that already exists (in any group).
    skipped: usize,
    errors: Vec<RowError>,
}

/// Adds the rows of sheet `file_name` in one transaction: missing groups are created,
/// existing tags skipped, invalid rows reported with the reason.
pub async fn import(
    db: &DatabaseConnection,
    caller: &Caller,
    file_name: &str,
    rows: &[ImportRow<'_>],
) -> Result<ImportResult> {
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(Error::invalid(
            "TOO_MANY_ROWS",
            format!(
                "一次最多导入 {MAX_IMPORT_ROWS} 个标签，本文件有 {} 行",
                rows.len()
            ),
        ));
    }
    let txn = store::begin(db).await?;
    let mut groups: HashMap<String, i64> = HashMap::new();
    let mut known: HashSet<String> = HashSet::new();
    for group in load(&txn, caller.tenant()).await? {
        for tag in group.tags {
            known.insert(tag.name);
        }
        groups.insert(group.name, group.id);
    }
    let mut result = ImportResult::default();
    for row in rows {
        let checked = check_name(row.group, "分组")
            .and_then(|group| Ok((group, check_name(row.tag, "标签")?)));
        let (group, tag) = match checked {
            Ok(names) => names,
            Err(reason) => {
                result.errors.push(RowError {
                    row: row.row,
                    reason,
                });
                continue;
            }
        };
        if known.contains(&tag) {
            result.skipped += 1;
            continue;
        }
        let group_id = match groups.get(&group) {
            Some(&id) => id,
            None => {
                let id = grouped_list::insert::<TagGroups>(&txn, caller.tenant(), &group)
                    .await?
                    .id;
                result.groups_created += 1;
                groups.insert(group, id);
                id
            }
        };
        tags::insert(&txn, caller.tenant(), group_id, &tag).await?;
        known.insert(tag);
        result.tags_created += 1;
    }
    audit::by(
        &txn,
        caller,
        "user_tag.update",
        file_name,
        format!(
            "导入：新增分组 {}，新增标签 {}",
            result.groups_created, result.tags_created
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(result)
}
