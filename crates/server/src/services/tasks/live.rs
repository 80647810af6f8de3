//! What the task page shows live: the calls in progress, today's counters and the balance.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use domain::task::NumberStatus;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use store::entity::call;
use utoipa::ToSchema;

use super::calls::names;
use super::lists::{TaskSummary, summary_of};
use super::scope::TaskScope;
use crate::services::{self, Result};

/// A call on the line right now.
#[derive(Serialize, ToSchema)]
pub struct LiveCall {
    call_id: i64,
    phone: String,
    name: String,
    state: String,
    dialed_at: Option<DateTime<Utc>>,
    answered_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct LiveBalance {
    balance_mfen: i64,
    available_mfen: i64,
}

/// What the task page shows live.
#[derive(Serialize, ToSchema)]
pub struct LiveSnapshot {
    task: TaskSummary,
    in_progress: Vec<LiveCall>,
    finished_today: u64,
    answered_today: u64,
    balance: LiveBalance,
}

/// Calls a live snapshot lists at most.
const LIVE_CALLS: u64 = 200;

/// Task `id` as its page shows it live now.
pub async fn snapshot(
    db: &impl ConnectionTrait,
    scope: &TaskScope,
    id: i64,
) -> Result<LiveSnapshot> {
    let row = scope.find(db, id).await?;
    let tz = crate::services::org::time_zone(db, row.tenant_id).await?;
    let now = Utc::now();
    let midnight = tz
        .from_local_datetime(&now.with_timezone(&tz).date_naive().and_time(NaiveTime::MIN))
        .earliest()
        .map_or(now, |t| t.with_timezone(&Utc));
    let open = call::Entity::find()
        .filter(call::Column::TenantId.eq(row.tenant_id))
        .filter(call::Column::TaskId.eq(row.id))
        .filter(call::Column::EndedAt.is_null())
        .order_by_asc(call::Column::Id)
        .limit(LIVE_CALLS)
        .all(db)
        .await?;
    let names = names(db, &open).await?;
    let today = call::Entity::find()
        .filter(call::Column::TaskId.eq(row.id))
        .filter(call::Column::EndedAt.gte(midnight));
    let finished_today = today.clone().count(db).await?;
    let answered_today = today
        .filter(call::Column::Status.eq(NumberStatus::Answered.code()))
        .count(db)
        .await?;
    let funds = services::billing::funds(db, row.tenant_id).await?;
    Ok(LiveSnapshot {
        in_progress: open
            .into_iter()
            .map(|c| LiveCall {
                call_id: c.id,
                name: names.get(&c.task_number_id).cloned().unwrap_or_default(),
                phone: c.phone,
                state: c.state,
                dialed_at: c.dialed_at,
                answered_at: c.answered_at,
            })
            .collect(),
        task: summary_of(db, &row).await?,
        finished_today,
        answered_today,
        balance: LiveBalance {
            balance_mfen: funds.balance_mfen,
            available_mfen: funds.available_mfen(),
        },
    })
}
