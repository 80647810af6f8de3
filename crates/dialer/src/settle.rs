//! Writing a call's end: the call row, the number's status, attempts and redial time, and the
//! task's counters, in one transaction (DESIGN "Data and invariants"). Every update is
//! guarded by the state it expects, so a call closed meanwhile by crash recovery is left as
//! recovery wrote it.

use chrono::{DateTime, Utc};
use domain::task::{NumberStatus, Retry};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use store::entity::{call, task, task_number};
use telephony::Party;

use crate::drive::Outcome;
use domain::call::{CallState, PostState};

pub fn party_code(party: Option<Party>) -> &'static str {
    match party {
        Some(Party::Caller) => "robot",
        Some(Party::Callee) => "customer",
        Some(Party::Network) => "network",
        None => "",
    }
}

/// Who hung up, as the record says it: an unanswered call the dialer gave up on (ring
/// timeout) ended by the system, not by the robot.
fn hangup_code(outcome: &Outcome) -> &'static str {
    match outcome.hangup_by {
        Some(Party::Caller) if outcome.answered_ms.is_none() => "system",
        by => party_code(by),
    }
}

/// The dial went out: the call is `dialing` (one write, so a crash knows it may have rung).
pub async fn mark_dialing(
    db: &DatabaseConnection,
    call_id: i64,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    call::Entity::update_many()
        .col_expr(call::Column::State, CallState::Dialing.code().into())
        .col_expr(call::Column::DialedAt, Some(at).into())
        .filter(call::Column::Id.eq(call_id))
        .filter(call::Column::State.eq(CallState::Claimed.code()))
        .exec(db)
        .await?;
    Ok(())
}

/// The customer answered: the live view shows the call as talking.
pub async fn mark_answered(
    db: &DatabaseConnection,
    call_id: i64,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    call::Entity::update_many()
        .col_expr(call::Column::State, CallState::Answered.code().into())
        .col_expr(call::Column::AnsweredAt, Some(at).into())
        .filter(call::Column::Id.eq(call_id))
        .filter(call::Column::State.eq(CallState::Dialing.code()))
        .exec(db)
        .await?;
    Ok(())
}

/// Everything the settlement writes besides the outcome.
pub struct Settlement<'a> {
    pub call_id: i64,
    pub number_id: i64,
    pub task_id: i64,
    pub attempt: i32,
    pub dialed_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub retry: &'a Retry,
    /// The line's time scale: line times become wall-clock times at this speed.
    pub time_scale: f64,
}

/// Settles a dialled call. `false` when recovery had closed it already.
pub async fn settle(
    db: &DatabaseConnection,
    s: &Settlement<'_>,
    outcome: &Outcome,
) -> Result<bool, DbErr> {
    let answered = outcome.answered_ms.is_some();
    // Durations stay in the line's time (a sped-up demo still bills real-looking calls);
    // the record's clock times are when things happened here.
    let to_wall = |line_ms: u64| {
        let wall = telephony::customer::scaled(line_ms, s.time_scale);
        s.dialed_at + chrono::Duration::from_std(wall).unwrap_or_default()
    };
    let ring_ms = outcome.answered_ms.unwrap_or(outcome.ended_ms);
    let txn = store::begin(db).await?;
    let closed = call::Entity::update_many()
        .col_expr(call::Column::State, CallState::Ended.code().into())
        .col_expr(call::Column::Status, outcome.status.code().into())
        .col_expr(call::Column::HangupBy, hangup_code(outcome).into())
        .col_expr(call::Column::Cause, outcome.cause.clone().into())
        .col_expr(
            call::Column::RingingAt,
            outcome.ringing_ms.map(to_wall).into(),
        )
        .col_expr(
            call::Column::AnsweredAt,
            outcome.answered_ms.map(to_wall).into(),
        )
        .col_expr(call::Column::EndedAt, Some(s.ended_at).into())
        .col_expr(call::Column::RingMs, clamp(ring_ms).into())
        .col_expr(call::Column::DurationMs, clamp(outcome.talk_ms()).into())
        .col_expr(call::Column::Tags, json(&outcome.facts.user_tags).into())
        .col_expr(
            call::Column::Interactions,
            i32::try_from(outcome.facts.interactions)
                .unwrap_or(i32::MAX)
                .into(),
        )
        .col_expr(call::Column::Transcript, json(&outcome.turns).into())
        .col_expr(call::Column::Events, json(&outcome.timeline).into())
        .col_expr(call::Column::Facts, json(&outcome.facts).into())
        .col_expr(
            call::Column::PostState,
            if answered {
                PostState::Pending.code()
            } else {
                PostState::Done.code()
            }
            .into(),
        )
        .filter(call::Column::Id.eq(s.call_id))
        .filter(call::Column::EndedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if closed == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    settle_number(&txn, s, outcome.status, s.ended_at).await?;
    txn.commit().await?;
    Ok(true)
}

/// The number's side of a settlement, and the task's counters.
pub async fn settle_number(
    db: &impl ConnectionTrait,
    s: &Settlement<'_>,
    status: NumberStatus,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    task_number::Entity::update_many()
        .col_expr(task_number::Column::Status, status.code().into())
        .col_expr(task_number::Column::Attempts, s.attempt.into())
        .col_expr(task_number::Column::LastCallAt, Some(s.dialed_at).into())
        .col_expr(
            task_number::Column::NextCallAt,
            s.retry.redial_at(status, s.attempt, now).into(),
        )
        .col_expr(
            task_number::Column::LeaseUntil,
            Option::<DateTime<Utc>>::None.into(),
        )
        .filter(task_number::Column::Id.eq(s.number_id))
        .filter(task_number::Column::Status.eq(NumberStatus::Calling.code()))
        .exec(db)
        .await?;
    let first = i64::from(s.attempt == 1);
    let connected = i64::from(status == NumberStatus::Answered);
    if first + connected > 0 {
        task::Entity::update_many()
            .col_expr(
                task::Column::CalledNumbers,
                Expr::col(task::Column::CalledNumbers).add(first),
            )
            .col_expr(
                task::Column::ConnectedNumbers,
                Expr::col(task::Column::ConnectedNumbers).add(connected),
            )
            .filter(task::Column::Id.eq(s.task_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// A claimed number that must not be dialled after all (blacklisted since the import, or
/// the line refused the dial): the call row ends with `status` and `cause`; the number is
/// settled (`requeue_at: None`) or goes back to the queue unchanged.
pub async fn settle_undialled(
    db: &DatabaseConnection,
    s: &Settlement<'_>,
    status: NumberStatus,
    cause: &str,
    requeue_at: Option<DateTime<Utc>>,
    number_status_before: &str,
) -> Result<(), DbErr> {
    let txn = store::begin(db).await?;
    call::Entity::update_many()
        .col_expr(call::Column::State, CallState::Ended.code().into())
        .col_expr(call::Column::Status, status.code().into())
        .col_expr(call::Column::Cause, cause.into())
        .col_expr(call::Column::EndedAt, Some(s.ended_at).into())
        .col_expr(call::Column::PostState, PostState::Done.code().into())
        .filter(call::Column::Id.eq(s.call_id))
        .filter(call::Column::EndedAt.is_null())
        .exec(&txn)
        .await?;
    // Requeued: the number is as it was, due again; settled: it takes the status for good.
    let (number_status, next_call_at) = match requeue_at {
        Some(at) => (number_status_before, Some(at)),
        None => (status.code(), None),
    };
    task_number::Entity::update_many()
        .col_expr(task_number::Column::Status, number_status.into())
        .col_expr(task_number::Column::NextCallAt, next_call_at.into())
        .col_expr(
            task_number::Column::LeaseUntil,
            Option::<DateTime<Utc>>::None.into(),
        )
        .filter(task_number::Column::Id.eq(s.number_id))
        .filter(task_number::Column::Status.eq(NumberStatus::Calling.code()))
        .exec(&txn)
        .await?;
    txn.commit().await
}

fn clamp(ms: u64) -> i32 {
    i32::try_from(ms).unwrap_or(i32::MAX)
}

/// JSON of what the record stores; serialising plain data cannot fail.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// A claimed call that never dialled: its number goes back to the queue as it was and the
/// call row is removed, as if never claimed.
pub async fn requeue(db: &DatabaseConnection, row: &call::Model) -> Result<(), DbErr> {
    let txn = store::begin(db).await?;
    let removed = call::Entity::delete_many()
        .filter(call::Column::Id.eq(row.id))
        .filter(call::Column::State.eq(CallState::Claimed.code()))
        .exec(&txn)
        .await?
        .rows_affected;
    if removed == 1 {
        task_number::Entity::update_many()
            .col_expr(
                task_number::Column::Status,
                row.number_status_before.clone().into(),
            )
            .col_expr(task_number::Column::NextCallAt, Some(row.due_at).into())
            .col_expr(
                task_number::Column::LeaseUntil,
                Option::<DateTime<Utc>>::None.into(),
            )
            .filter(task_number::Column::Id.eq(row.task_number_id))
            .filter(task_number::Column::Status.eq(NumberStatus::Calling.code()))
            .exec(&txn)
            .await?;
    }
    txn.commit().await
}
