//! Claiming due numbers (DESIGN "Data and invariants"): in one transaction that holds the
//! line (a row lock on PostgreSQL, the write lock on SQLite), count the calls open on the line
//! across every task and node, take at most what the line, this node's share of the line and
//! the task still allow, mark the numbers `calling` and open a call row for each. Other nodes
//! skip the rows this one locked.

use chrono::{DateTime, Utc};
use domain::call::{CallState, PostState};
use domain::task::NumberStatus;
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use store::entity::{call, line, task_number};

use crate::metrics::Metrics;

/// What to claim for.
pub struct ClaimRequest<'a> {
    pub tenant_id: i64,
    pub task_id: i64,
    pub line_id: i64,
    pub line_max: u32,
    /// This node's part of `line_max` (see [`crate::share`]).
    pub line_share: u32,
    pub task_max: u32,
    pub want: u32,
    pub node: &'a str,
    pub now: DateTime<Utc>,
    /// How long the number stays leased (informational: dead nodes are found by heartbeat).
    pub lease: chrono::Duration,
    pub script: Option<(i64, i64)>,
}

/// A number claimed for one call.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub call_id: i64,
    pub number: task_number::Model,
    pub attempt: i32,
    pub due_at: DateTime<Utc>,
}

/// Why fewer numbers than wanted were claimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Other tasks (or nodes) use the line's channels.
    Line,
    /// The task's own calls fill its concurrency (on other nodes, too).
    Task,
    /// No number is due now.
    NoneDue,
}

pub struct ClaimResult {
    pub claimed: Vec<Claimed>,
    pub limit: Option<Limit>,
}

pub async fn claim(
    db: &DatabaseConnection,
    request: &ClaimRequest<'_>,
    metrics: &Metrics,
) -> Result<ClaimResult, DbErr> {
    let txn = store::begin(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        // Every claimer on this line queues here, whatever its node.
        line::Entity::find_by_id(request.line_id)
            .lock_exclusive()
            .one(&txn)
            .await?;
    }
    let open: Vec<(i64, String, i64)> = call::Entity::find()
        .select_only()
        .column(call::Column::TaskId)
        .column(call::Column::Node)
        .column_as(call::Column::Id.count(), "open")
        .filter(call::Column::LineId.eq(request.line_id))
        .filter(call::Column::EndedAt.is_null())
        .group_by(call::Column::TaskId)
        .group_by(call::Column::Node)
        .into_tuple()
        .all(&txn)
        .await?;
    let line_open: i64 = open.iter().map(|(_, _, n)| n).sum();
    let mine_open: i64 = open
        .iter()
        .filter(|(_, node, _)| node == request.node)
        .map(|(_, _, n)| n)
        .sum();
    let task_open: i64 = open
        .iter()
        .filter(|(task, _, _)| *task == request.task_id)
        .map(|(_, _, n)| n)
        .sum();
    let line_free =
        (i64::from(request.line_max) - line_open).min(i64::from(request.line_share) - mine_open);
    let task_free = i64::from(request.task_max) - task_open;
    let room = line_free.min(task_free).min(i64::from(request.want));
    if room <= 0 {
        txn.rollback().await?;
        let limit = if line_free <= task_free {
            Limit::Line
        } else {
            Limit::Task
        };
        return Ok(ClaimResult {
            claimed: Vec::new(),
            limit: Some(limit),
        });
    }
    let mut due = task_number::Entity::find()
        .filter(task_number::Column::TaskId.eq(request.task_id))
        .filter(task_number::Column::NextCallAt.lte(request.now))
        .order_by_asc(task_number::Column::NextCallAt)
        .order_by_asc(task_number::Column::Id)
        .limit(u64::try_from(room).unwrap_or(0));
    if db.get_database_backend() == DbBackend::Postgres {
        due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let numbers = due.all(&txn).await?;
    if numbers.is_empty() {
        txn.rollback().await?;
        return Ok(ClaimResult {
            claimed: Vec::new(),
            limit: Some(Limit::NoneDue),
        });
    }
    let ids: Vec<i64> = numbers.iter().map(|n| n.id).collect();
    task_number::Entity::update_many()
        .col_expr(
            task_number::Column::Status,
            NumberStatus::Calling.code().into(),
        )
        .col_expr(
            task_number::Column::NextCallAt,
            Option::<DateTime<Utc>>::None.into(),
        )
        .col_expr(
            task_number::Column::LeaseUntil,
            Some(request.now + request.lease).into(),
        )
        .filter(task_number::Column::Id.is_in(ids))
        .exec(&txn)
        .await?;
    let rows: Vec<call::ActiveModel> = numbers
        .iter()
        .map(|number| new_call(request, number))
        .collect();
    let inserted = call::Entity::insert_many(rows)
        .exec_with_returning(&txn)
        .await?;
    txn.commit().await?;
    metrics.writes(3);
    let limit = (i64::try_from(numbers.len()).unwrap_or(0) < room).then_some(Limit::NoneDue);
    let claimed = numbers
        .into_iter()
        .filter_map(|number| {
            let row = inserted.iter().find(|c| c.task_number_id == number.id)?;
            Some(Claimed {
                call_id: row.id,
                attempt: row.attempt,
                due_at: row.due_at,
                number,
            })
        })
        .collect();
    Ok(ClaimResult { claimed, limit })
}

fn new_call(request: &ClaimRequest<'_>, number: &task_number::Model) -> call::ActiveModel {
    let empty = || Set(String::new());
    call::ActiveModel {
        tenant_id: Set(request.tenant_id),
        task_id: Set(request.task_id),
        task_number_id: Set(number.id),
        line_id: Set(Some(request.line_id)),
        node: Set(request.node.to_owned()),
        phone: Set(number.phone.clone()),
        script_id: Set(request.script.map(|(script, _)| script)),
        script_version_id: Set(request.script.map(|(_, version)| version)),
        state: Set(CallState::Claimed.code().to_owned()),
        status: empty(),
        number_status_before: Set(number.status.clone()),
        hangup_by: empty(),
        cause: empty(),
        attempt: Set(number.attempts + 1),
        due_at: Set(number.next_call_at.unwrap_or(request.now)),
        claimed_at: Set(request.now),
        dialed_at: Set(None),
        ringing_at: Set(None),
        answered_at: Set(None),
        ended_at: Set(None),
        ring_ms: Set(0),
        duration_ms: Set(0),
        billed_seconds: Set(0),
        cost_mfen: Set(0),
        grade: empty(),
        grade_rule: empty(),
        qc_grade: empty(),
        qc_reason: empty(),
        tags: Set("[]".to_owned()),
        interactions: Set(0),
        transcript: Set("[]".to_owned()),
        events: Set("[]".to_owned()),
        facts: Set("{}".to_owned()),
        post_state: Set(PostState::Open.code().to_owned()),
        created_at: Set(request.now),
        ..Default::default()
    }
}
