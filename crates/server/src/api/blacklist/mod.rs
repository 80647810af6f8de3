//! The blacklist (呼叫中台 → 黑名单, BL-1): groups with a default one, numbers with an optional
//! expiry (定时拉黑), filters by group, number and time added, select-all batch delete and
//! move, and xlsx/csv import and export. Tasks bind groups; the dialer asks
//! [`crate::blacklist::blocked`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use store::entity::{blacklist_entry, blacklist_group};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

mod entries;
mod groups;
mod transfer;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(groups::routes())
        .merge(entries::routes())
        .merge(transfer::routes())
}

const MAX_GROUP_NAME: usize = 20;
const MAX_NOTE: usize = 200;
const MAX_IMPORT_ROWS: usize = 100_000;
const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Rows inserted by one statement: 5 values each, far below the bind limits.
const INSERT_CHUNK: usize = 2_000;
const IMPORT_COLUMNS: [&str; 3] = ["号码", "备注", "到期时间"];
const EXPORT_COLUMNS: [&str; 5] = ["号码", "分组", "备注", "到期时间", "加入时间"];

#[derive(Serialize, ToSchema)]
pub struct GroupView {
    id: i64,
    name: String,
    is_default: bool,
    entry_count: u64,
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

/// The company's time zone, for dates typed without one.
fn zone(caller: &Caller) -> Tz {
    caller
        .company
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Asia::Shanghai)
}

fn check_group_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_GROUP_NAME {
        return Err(ApiError::validation(
            "name",
            format!("分组名称不能为空，且不超过 {MAX_GROUP_NAME} 个字"),
        ));
    }
    Ok(name.to_owned())
}

fn check_note(note: Option<&str>) -> Result<String, String> {
    let note = note.unwrap_or("").trim();
    if note.chars().count() > MAX_NOTE {
        return Err(format!("备注不能超过 {MAX_NOTE} 个字"));
    }
    Ok(note.to_owned())
}

async fn group_rows(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<Vec<blacklist_group::Model>, sea_orm::DbErr> {
    blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(tenant_id))
        .order_by_desc(blacklist_group::Column::IsDefault)
        .order_by_asc(blacklist_group::Column::Id)
        .all(db)
        .await
}

async fn group_names(db: &impl ConnectionTrait, tenant_id: i64) -> ApiResult<HashMap<i64, String>> {
    Ok(group_rows(db, tenant_id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect())
}

async fn find_group(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> ApiResult<blacklist_group::Model> {
    blacklist_group::Entity::find_by_id(id)
        .filter(blacklist_group::Column::TenantId.eq(caller.tenant()))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("黑名单分组"))
}

async fn default_group(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> ApiResult<blacklist_group::Model> {
    blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(caller.tenant()))
        .filter(blacklist_group::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("默认黑名单分组"))
}

async fn group_name_taken(
    state: &AppState,
    caller: &Caller,
    name: &str,
    except: Option<i64>,
) -> ApiResult<()> {
    let clash = blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(caller.tenant()))
        .filter(blacklist_group::Column::Name.eq(name))
        .one(&state.db)
        .await?
        .filter(|g| Some(g.id) != except);
    match clash {
        Some(_) => {
            Err(ApiError::conflict("GROUP_EXISTS", format!("分组“{name}”已存在")).on_field("name"))
        }
        None => Ok(()),
    }
}

async fn group_view(state: &AppState, caller: &Caller, id: i64) -> ApiResult<GroupView> {
    load_groups(state, caller)
        .await?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| ApiError::not_found("黑名单分组"))
}

async fn load_groups(state: &AppState, caller: &Caller) -> ApiResult<Vec<GroupView>> {
    let counts: HashMap<i64, i64> = blacklist_entry::Entity::find()
        .select_only()
        .column(blacklist_entry::Column::GroupId)
        .expr(Expr::col(blacklist_entry::Column::Id).count())
        .filter(blacklist_entry::Column::TenantId.eq(caller.tenant()))
        .group_by(blacklist_entry::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    Ok(group_rows(&state.db, caller.tenant())
        .await?
        .into_iter()
        .map(|g| GroupView {
            entry_count: counts
                .get(&g.id)
                .copied()
                .and_then(|n| u64::try_from(n).ok())
                .unwrap_or(0),
            id: g.id,
            name: g.name,
            is_default: g.is_default,
        })
        .collect())
}
