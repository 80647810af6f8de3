//! The platform's SIP trunks (the operator's 线路管理): adding, changing and deleting them,
//! and choosing the companies each is given to.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use store::entity::{company, line, line_assignment, task};
use utoipa::ToSchema;

use super::sip::{self, CheckedLine, LineRequest, SipSettings};
use crate::services::{Error, Result};

/// A platform line as the operator sees it.
#[derive(Serialize, ToSchema)]
pub struct OperatorLineView {
    pub id: i64,
    name: String,
    /// `host:port` of the carrier's proxy/registrar.
    address: String,
    /// `udp`, `tcp` or `tls`.
    transport: String,
    username: String,
    /// A password is stored (it is never sent back).
    password_set: bool,
    caller_ids: Vec<String>,
    /// `PCMA`, `PCMU`, in order of preference.
    codecs: Vec<String>,
    max_concurrency: i32,
    calls_per_second: i32,
    price_mfen_per_minute: i64,
    billing_increment_s: i32,
    status: String,
    pub company_ids: Vec<i64>,
    created_at: DateTime<Utc>,
}

fn operator_view(row: line::Model, company_ids: Vec<i64>) -> OperatorLineView {
    let settings: SipSettings = serde_json::from_str(&row.settings).unwrap_or_default();
    OperatorLineView {
        id: row.id,
        name: row.name,
        address: settings.address,
        transport: settings.transport,
        username: settings.username,
        password_set: !row.secret.is_empty(),
        caller_ids: settings.caller_ids,
        codecs: settings.codecs,
        max_concurrency: row.max_concurrency,
        calls_per_second: row.calls_per_second,
        price_mfen_per_minute: row.price_mfen_per_minute,
        billing_increment_s: row.billing_increment_s,
        status: row.status,
        company_ids,
        created_at: row.created_at,
    }
}

async fn assignments(
    db: &impl ConnectionTrait,
    line_ids: Vec<i64>,
) -> std::result::Result<HashMap<i64, Vec<i64>>, DbErr> {
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in line_assignment::Entity::find()
        .filter(line_assignment::Column::LineId.is_in(line_ids))
        .order_by_asc(line_assignment::Column::TenantId)
        .all(db)
        .await?
    {
        map.entry(row.line_id).or_default().push(row.tenant_id);
    }
    Ok(map)
}

async fn find_platform_line(db: &impl ConnectionTrait, id: i64) -> Result<line::Model> {
    line::Entity::find_by_id(id)
        .filter(line::Column::TenantId.is_null())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("线路"))
}

async fn one(db: &impl ConnectionTrait, id: i64) -> Result<OperatorLineView> {
    let row = find_platform_line(db, id).await?;
    let mut companies = assignments(db, vec![id]).await?;
    Ok(operator_view(
        row,
        companies.remove(&id).unwrap_or_default(),
    ))
}

/// The platform's SIP lines, each with the companies it is given to.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<OperatorLineView>> {
    let rows = line::Entity::find()
        .filter(line::Column::TenantId.is_null())
        .order_by_asc(line::Column::Id)
        .all(db)
        .await?;
    let mut companies = assignments(db, rows.iter().map(|r| r.id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let ids = companies.remove(&row.id).unwrap_or_default();
            operator_view(row, ids)
        })
        .collect())
}

async fn name_taken(db: &impl ConnectionTrait, name: &str, except: Option<i64>) -> Result<()> {
    let clash = line::Entity::find()
        .filter(line::Column::TenantId.is_null())
        .filter(line::Column::Name.eq(name))
        .one(db)
        .await?
        .filter(|row| Some(row.id) != except);
    match clash {
        Some(_) => {
            Err(Error::conflict("LINE_EXISTS", format!("线路“{name}”已存在")).on_field("name"))
        }
        None => Ok(()),
    }
}

fn apply(active: &mut line::ActiveModel, checked: CheckedLine) -> Result<()> {
    let settings = serde_json::to_string(&checked.settings).map_err(anyhow::Error::from)?;
    active.name = Set(checked.name);
    active.settings = Set(settings);
    active.max_concurrency = Set(checked.max_concurrency);
    active.calls_per_second = Set(checked.calls_per_second);
    active.price_mfen_per_minute = Set(checked.price_mfen_per_minute);
    active.billing_increment_s = Set(checked.billing_increment_s);
    active.status = Set(checked.status);
    active.updated_at = Set(Utc::now());
    Ok(())
}

/// Adds a SIP line to the platform, given to no company yet.
pub async fn create(db: &DatabaseConnection, request: LineRequest) -> Result<OperatorLineView> {
    let checked = sip::check(&request)?;
    name_taken(db, &checked.name, None).await?;
    let mut active = line::ActiveModel {
        tenant_id: Set(None),
        kind: Set("sip".to_owned()),
        secret: Set(request.password.unwrap_or_default()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut active, checked)?;
    let row = active.insert(db).await?;
    Ok(operator_view(row, Vec::new()))
}

/// Changes a SIP line; a `None` password keeps the stored one.
pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    request: LineRequest,
) -> Result<OperatorLineView> {
    let row = find_platform_line(db, id).await?;
    let checked = sip::check(&request)?;
    name_taken(db, &checked.name, Some(id)).await?;
    let mut active = row.into_active_model();
    apply(&mut active, checked)?;
    if let Some(password) = request.password {
        active.secret = Set(password);
    }
    active.update(db).await?;
    one(db, id).await
}

/// Deletes a SIP line with its assignments, unless a task (or template) uses it.
pub async fn delete(db: &DatabaseConnection, id: i64) -> Result<()> {
    find_platform_line(db, id).await?;
    let tasks = task::Entity::find()
        .filter(task::Column::LineId.eq(id))
        .count(db)
        .await?;
    if tasks > 0 {
        return Err(Error::conflict(
            "LINE_IN_USE",
            format!("有 {tasks} 个任务（含模板）使用此线路，请先让这些任务改用其他线路"),
        ));
    }
    let txn = store::begin(db).await?;
    line_assignment::Entity::delete_many()
        .filter(line_assignment::Column::LineId.eq(id))
        .exec(&txn)
        .await?;
    line::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Gives a SIP line to exactly these companies (replacing the current list).
pub async fn assign(
    db: &DatabaseConnection,
    id: i64,
    company_ids: Vec<i64>,
) -> Result<OperatorLineView> {
    find_platform_line(db, id).await?;
    let wanted: BTreeSet<i64> = company_ids.into_iter().collect();
    let known = company::Entity::find()
        .filter(company::Column::Id.is_in(wanted.iter().copied()))
        .count(db)
        .await?;
    if known != wanted.len() as u64 {
        return Err(Error::invalid("UNKNOWN_COMPANY", "所选企业不存在").on_field("company_ids"));
    }
    let txn = store::begin(db).await?;
    let current: BTreeSet<i64> = line_assignment::Entity::find()
        .filter(line_assignment::Column::LineId.eq(id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.tenant_id)
        .collect();
    line_assignment::Entity::delete_many()
        .filter(line_assignment::Column::LineId.eq(id))
        .filter(line_assignment::Column::TenantId.is_not_in(wanted.iter().copied()))
        .exec(&txn)
        .await?;
    let now = Utc::now();
    let added: Vec<line_assignment::ActiveModel> = wanted
        .difference(&current)
        .map(|&tenant_id| line_assignment::ActiveModel {
            line_id: Set(id),
            tenant_id: Set(tenant_id),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !added.is_empty() {
        line_assignment::Entity::insert_many(added)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    one(db, id).await
}
