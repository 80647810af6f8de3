//! The lines a company may call on: its simulated line (模拟线路) and the trunks it was given,
//! with how much of each line's concurrency its running tasks hold.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Serialize;
use store::entity::{line, line_assignment, task};
use utoipa::ToSchema;

/// A line as a company sees it.
#[derive(Serialize, ToSchema)]
pub struct LineView {
    id: i64,
    name: String,
    /// `sip` or `simulated`.
    kind: String,
    /// SIP线路 or 模拟线路.
    kind_label: &'static str,
    max_concurrency: i32,
    /// Concurrency the company's running tasks hold on this line.
    in_use: i64,
    calls_per_second: i32,
    price_mfen_per_minute: i64,
    billing_increment_s: i32,
    /// `active` or `disabled`.
    status: String,
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "simulated" => "模拟线路",
        _ => "SIP线路",
    }
}

/// The lines a company may call on: its simulated line, then the trunks assigned to it.
async fn usable_lines(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<Vec<line::Model>, DbErr> {
    let assigned: Vec<i64> = line_assignment::Entity::find()
        .filter(line_assignment::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.line_id)
        .collect();
    let mut rows = line::Entity::find()
        .filter(
            Condition::any()
                .add(line::Column::TenantId.eq(tenant_id))
                .add(
                    Condition::all()
                        .add(line::Column::TenantId.is_null())
                        .add(line::Column::Id.is_in(assigned)),
                ),
        )
        .order_by_asc(line::Column::Id)
        .all(db)
        .await?;
    rows.sort_by_key(|row| (row.kind != "simulated", row.id));
    Ok(rows)
}

/// Per line, the concurrency held by the company's running tasks (each task's
/// `settings.concurrency`).
async fn in_use(db: &impl ConnectionTrait, tenant_id: i64) -> Result<HashMap<i64, i64>, DbErr> {
    let running = task::Entity::find()
        .filter(task::Column::TenantId.eq(tenant_id))
        .filter(task::Column::Status.eq("running"))
        .filter(task::Column::IsTemplate.eq(false))
        .filter(task::Column::LineId.is_not_null())
        .all(db)
        .await?;
    let mut held: HashMap<i64, i64> = HashMap::new();
    for row in running {
        let Some(line_id) = row.line_id else { continue };
        let concurrency = serde_json::from_str::<serde_json::Value>(&row.settings)
            .ok()
            .and_then(|settings| {
                settings
                    .get("concurrency")
                    .and_then(serde_json::Value::as_i64)
            })
            .unwrap_or(0)
            .max(0);
        *held.entry(line_id).or_default() += concurrency;
    }
    Ok(held)
}

/// The company's usable lines as it sees them, each with the concurrency in use.
pub async fn list(
    db: &DatabaseConnection,
    tenant_id: i64,
) -> crate::services::Result<Vec<LineView>> {
    let held = in_use(db, tenant_id).await?;
    Ok(usable_lines(db, tenant_id)
        .await?
        .into_iter()
        .map(|row| LineView {
            in_use: held.get(&row.id).copied().unwrap_or(0),
            kind_label: kind_label(&row.kind),
            id: row.id,
            name: row.name,
            kind: row.kind,
            max_concurrency: row.max_concurrency,
            calls_per_second: row.calls_per_second,
            price_mfen_per_minute: row.price_mfen_per_minute,
            billing_increment_s: row.billing_increment_s,
            status: row.status,
        })
        .collect())
}
