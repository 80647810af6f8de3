//! Crash safety (DIAL-3). Each node beats a heartbeat into `dialer_nodes`. Calls still open
//! on a node that restarted (its own earlier life) or fell silent are closed: a number that
//! was claimed but never dialled goes back to the queue as it was; a call that may have rung
//! ends as 中断 (interrupted) with what its row holds, and its number is settled by the
//! task's redial rules, so nobody is called twice by accident.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::task::{NumberStatus, Retry, TaskSettings};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use store::entity::{call, dialer_node, task};

use crate::settle::{Settlement, requeue, settle_number};
use domain::call::{CallState, PostState};

pub const INTERRUPTED_CAUSE: &str = "外呼节点中断（服务重启或异常退出），通话结束";

/// Registers this node's new life (replacing its earlier one's row).
pub async fn register(
    db: &DatabaseConnection,
    node: &str,
    boot_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    dialer_node::Entity::delete_by_id(node.to_owned())
        .exec(db)
        .await?;
    dialer_node::ActiveModel {
        name: Set(node.to_owned()),
        boot_id: Set(boot_id.to_owned()),
        started_at: Set(now),
        heartbeat_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn heartbeat(
    db: &DatabaseConnection,
    node: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    dialer_node::Entity::update_many()
        .col_expr(dialer_node::Column::HeartbeatAt, now.into())
        .filter(dialer_node::Column::Name.eq(node))
        .exec(db)
        .await?;
    Ok(())
}

/// A node that stopped cleanly, with no call open, leaves the list of live nodes.
pub async fn deregister(db: &DatabaseConnection, node: &str) -> Result<(), DbErr> {
    dialer_node::Entity::delete_by_id(node.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// The names of the nodes alive now: their heartbeat is newer than `dead_before`.
pub async fn live_nodes(
    db: &DatabaseConnection,
    dead_before: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
    dialer_node::Entity::find()
        .select_only()
        .column(dialer_node::Column::Name)
        .filter(dialer_node::Column::HeartbeatAt.gte(dead_before))
        .into_tuple()
        .all(db)
        .await
}

/// Nodes with open calls that are not alive: silent since `dead_before`, or gone.
pub async fn dead_nodes(
    db: &DatabaseConnection,
    me: &str,
    dead_before: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
    let with_calls: Vec<String> = call::Entity::find()
        .select_only()
        .column(call::Column::Node)
        .filter(call::Column::EndedAt.is_null())
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    if with_calls.is_empty() {
        return Ok(Vec::new());
    }
    let alive: Vec<String> = dialer_node::Entity::find()
        .select_only()
        .column(dialer_node::Column::Name)
        .filter(dialer_node::Column::HeartbeatAt.gte(dead_before))
        .into_tuple()
        .all(db)
        .await?;
    Ok(with_calls
        .into_iter()
        .filter(|node| node != me && !alive.contains(node))
        .collect())
}

/// Closes every open call of `node`. Returns how many calls were closed.
pub async fn close_calls_of(
    db: &DatabaseConnection,
    node: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let open = call::Entity::find()
        .filter(call::Column::Node.eq(node))
        .filter(call::Column::EndedAt.is_null())
        .all(db)
        .await?;
    let mut retries: HashMap<i64, Retry> = HashMap::new();
    for row in &open {
        if let std::collections::hash_map::Entry::Vacant(entry) = retries.entry(row.task_id) {
            let retry = task::Entity::find_by_id(row.task_id)
                .one(db)
                .await?
                .and_then(|t| serde_json::from_str::<TaskSettings>(&t.settings).ok())
                .map(|s| s.retry)
                .unwrap_or_default();
            entry.insert(retry);
        }
        let retry = &retries[&row.task_id];
        let settlement = Settlement {
            call_id: row.id,
            number_id: row.task_number_id,
            task_id: row.task_id,
            attempt: row.attempt,
            dialed_at: row.dialed_at.unwrap_or(row.claimed_at),
            ended_at: now,
            retry,
            time_scale: 1.0,
        };
        if row.state == CallState::Claimed.code() {
            // Never dialled: the number returns to the queue as it was, and the row goes.
            requeue(db, row).await?;
            continue;
        }
        let txn = store::begin(db).await?;
        let closed = call::Entity::update_many()
            .col_expr(call::Column::State, CallState::Ended.code().into())
            .col_expr(
                call::Column::Status,
                NumberStatus::Interrupted.code().into(),
            )
            .col_expr(call::Column::Cause, INTERRUPTED_CAUSE.into())
            .col_expr(call::Column::EndedAt, Some(now).into())
            .col_expr(call::Column::PostState, PostState::Done.code().into())
            .filter(call::Column::Id.eq(row.id))
            .filter(call::Column::EndedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if closed == 1 {
            settle_number(&txn, &settlement, NumberStatus::Interrupted, now).await?;
        }
        txn.commit().await?;
    }
    Ok(open.len())
}
