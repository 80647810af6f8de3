//! The durable job queue. Jobs live in the database; a worker claims one with a lease
//! and keeps the lease alive while it runs. A job whose lease runs out (its node crashed) is
//! claimed again and re-run from the start; handlers write their results and the job's end in
//! one transaction, so a re-run never doubles anything. After `MAX_ATTEMPTS` interrupted runs
//! the job fails with a reason instead of looping.

pub mod bill_export;
pub mod import;
pub mod member_import;
pub mod number_import;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use store::entity::{job, notification};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::state::AppState;

const LEASE: Duration = Duration::from_secs(30);
const HEARTBEAT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_secs(2);
const MAX_ATTEMPTS: i32 = 3;
const PARALLEL_JOBS: usize = 2;

pub struct NewJob<'a> {
    pub tenant_id: i64,
    pub member_id: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub payload: serde_json::Value,
}

pub struct Queued {
    pub job_id: i64,
    pub notification_id: i64,
}

/// Queues a job and its notification together, and wakes the worker.
pub async fn enqueue(state: &AppState, new: NewJob<'_>) -> Result<Queued, sea_orm::DbErr> {
    let now = Utc::now();
    let txn = store::begin(&state.db).await?;
    let job = job::ActiveModel {
        tenant_id: Set(new.tenant_id),
        member_id: Set(new.member_id),
        kind: Set(new.kind.to_owned()),
        payload: Set(new.payload.to_string()),
        status: Set("queued".to_owned()),
        attempts: Set(0),
        lease_until: Set(None),
        error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let notification = notification::ActiveModel {
        tenant_id: Set(new.tenant_id),
        member_id: Set(new.member_id),
        job_id: Set(Some(job.id)),
        kind: Set(new.kind.to_owned()),
        title: Set(new.title.to_owned()),
        status: Set("queued".to_owned()),
        progress: Set(0),
        total: Set(None),
        success_count: Set(0),
        fail_count: Set(0),
        error: Set(None),
        result_file_id: Set(None),
        read: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    state.notifications.publish(&notification);
    state.jobs_waker.notify_one();
    Ok(Queued {
        job_id: job.id,
        notification_id: notification.id,
    })
}

/// A job's failure, with the reason shown to the user.
#[derive(Debug)]
pub struct JobFailure(pub String);

impl From<sea_orm::DbErr> for JobFailure {
    fn from(error: sea_orm::DbErr) -> Self {
        tracing::error!(%error, "job failed on a database error");
        Self("数据库错误，请稍后重试".to_owned())
    }
}

impl From<anyhow::Error> for JobFailure {
    fn from(error: anyhow::Error) -> Self {
        tracing::error!("job failed: {error:#}");
        Self("服务器内部错误，请稍后重试".to_owned())
    }
}

/// How a job ended, as its notification shows it.
pub struct Outcome {
    pub total: i64,
    pub success_count: i64,
    pub fail_count: i64,
    pub summary: Option<String>,
    pub result_file_id: Option<i64>,
    /// `false` when nothing at all succeeded.
    pub succeeded: bool,
}

/// One running job, as its handler sees it.
pub struct JobRun {
    pub state: AppState,
    pub job: job::Model,
    notification: Option<notification::Model>,
}

impl JobRun {
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, JobFailure> {
        serde_json::from_str(&self.job.payload).map_err(|_| JobFailure("任务参数无效".to_owned()))
    }

    /// Reports progress (0–100) with the total once known.
    pub async fn progress(&mut self, percent: i32, total: Option<i64>) -> Result<(), JobFailure> {
        let Some(current) = self.notification.clone() else {
            return Ok(());
        };
        if current.progress == percent && current.total == total {
            return Ok(());
        }
        let mut row = current.into_active_model();
        row.progress = Set(percent.clamp(0, 100));
        row.total = Set(total);
        row.updated_at = Set(Utc::now());
        let row = row.update(&self.state.db).await?;
        self.state.notifications.publish(&row);
        self.notification = Some(row);
        Ok(())
    }

    /// Marks the job done inside the handler's transaction, so results and completion commit
    /// together. Publish the returned notification after the commit.
    pub async fn finish(
        &self,
        txn: &impl ConnectionTrait,
        outcome: Outcome,
    ) -> Result<Option<notification::Model>, JobFailure> {
        let status = if outcome.succeeded {
            "succeeded"
        } else {
            "failed"
        };
        let now = Utc::now();
        job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value(status))
            .col_expr(job::Column::Error, Expr::value(outcome.summary.clone()))
            .col_expr(job::Column::FinishedAt, Expr::value(now))
            .col_expr(job::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                job::Column::LeaseUntil,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .filter(job::Column::Id.eq(self.job.id))
            .exec(txn)
            .await?;
        let Some(current) = self.notification.clone() else {
            return Ok(None);
        };
        let mut row = current.into_active_model();
        row.status = Set(status.to_owned());
        row.progress = Set(100);
        row.total = Set(Some(outcome.total));
        row.success_count = Set(outcome.success_count);
        row.fail_count = Set(outcome.fail_count);
        row.error = Set(outcome.summary);
        row.result_file_id = Set(outcome.result_file_id);
        row.updated_at = Set(now);
        row.finished_at = Set(Some(now));
        Ok(Some(row.update(txn).await?))
    }
}

async fn notification_of(
    db: &DatabaseConnection,
    job_id: i64,
) -> Result<Option<notification::Model>, sea_orm::DbErr> {
    notification::Entity::find()
        .filter(notification::Column::JobId.eq(job_id))
        .one(db)
        .await
}

/// Marks a job failed with a reason, outside any handler transaction.
async fn fail(state: &AppState, job_id: i64, reason: &str) -> Result<(), sea_orm::DbErr> {
    let now = Utc::now();
    let txn = store::begin(&state.db).await?;
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("failed"))
        .col_expr(job::Column::Error, Expr::value(reason))
        .col_expr(job::Column::FinishedAt, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(job_id))
        .exec(&txn)
        .await?;
    let notification = match notification_of(&state.db, job_id).await? {
        Some(current) => {
            let mut row = current.into_active_model();
            row.status = Set("failed".to_owned());
            row.error = Set(Some(reason.to_owned()));
            row.updated_at = Set(now);
            row.finished_at = Set(Some(now));
            Some(row.update(&txn).await?)
        }
        None => None,
    };
    txn.commit().await?;
    if let Some(notification) = notification {
        state.notifications.publish(&notification);
    }
    Ok(())
}

/// Takes the oldest job that is queued or whose lease ran out. The conditional update makes
/// the claim safe when several nodes poll the same database.
async fn claim(db: &DatabaseConnection) -> Result<Option<job::Model>, sea_orm::DbErr> {
    let now = Utc::now();
    let claimable = Condition::any().add(job::Column::Status.eq("queued")).add(
        Condition::all()
            .add(job::Column::Status.eq("running"))
            .add(job::Column::LeaseUntil.lt(now)),
    );
    let Some(candidate) = job::Entity::find()
        .filter(claimable.clone())
        .order_by_asc(job::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let lease_until = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
    let claimed = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("running"))
        .col_expr(
            job::Column::Attempts,
            Expr::col(job::Column::Attempts).add(1),
        )
        .col_expr(job::Column::LeaseUntil, Expr::value(lease_until))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(candidate.id))
        .filter(claimable)
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(None);
    }
    job::Entity::find_by_id(candidate.id).one(db).await
}

async fn extend_lease(db: &DatabaseConnection, job_id: i64) -> Result<(), sea_orm::DbErr> {
    let lease_until = Utc::now() + chrono::Duration::from_std(LEASE).unwrap_or_default();
    job::Entity::update_many()
        .col_expr(job::Column::LeaseUntil, Expr::value(lease_until))
        .filter(job::Column::Id.eq(job_id))
        .filter(job::Column::Status.eq("running"))
        .exec(db)
        .await?;
    Ok(())
}

/// Runs jobs until shutdown.
pub async fn run_worker(state: AppState, shutdown: CancellationToken) {
    let slots = Arc::new(Semaphore::new(PARALLEL_JOBS));
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return;
        };
        match claim(&state.db).await {
            Ok(Some(job)) => {
                let state = state.clone();
                tokio::spawn(async move {
                    run_one(state, job).await;
                    drop(permit);
                });
                continue;
            }
            Ok(None) => drop(permit),
            Err(error) => {
                drop(permit);
                tracing::warn!(%error, "cannot poll the job queue");
            }
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = state.jobs_waker.notified() => {},
            () = tokio::time::sleep(POLL) => {},
        }
    }
}

async fn run_one(state: AppState, job: job::Model) {
    let job_id = job.id;
    if job.attempts > MAX_ATTEMPTS {
        let reason = "任务执行中多次被中断（服务重启），已停止重试，请重新提交";
        if let Err(error) = fail(&state, job_id, reason).await {
            tracing::error!(%error, job_id, "cannot record job failure");
        }
        return;
    }
    let notification = match notification_of(&state.db, job_id).await {
        Ok(row) => row,
        Err(error) => {
            tracing::error!(%error, job_id, "cannot load the job's notification");
            return;
        }
    };
    if let Some(current) = notification.clone() {
        let mut row = current.into_active_model();
        row.status = Set("running".to_owned());
        row.updated_at = Set(Utc::now());
        if let Ok(row) = row.update(&state.db).await {
            state.notifications.publish(&row);
        }
    }
    let heartbeat = {
        let db = state.db.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(HEARTBEAT).await;
                if let Err(error) = extend_lease(&db, job_id).await {
                    tracing::warn!(%error, job_id, "cannot extend job lease");
                }
            }
        })
    };
    let mut run = JobRun {
        state: state.clone(),
        job,
        notification,
    };
    tracing::info!(job_id, kind = %run.job.kind, attempt = run.job.attempts, "job started");
    let result = match run.job.kind.as_str() {
        bill_export::KIND => bill_export::run(&mut run).await,
        member_import::KIND => member_import::run(&mut run).await,
        number_import::KIND => number_import::run(&mut run).await,
        other => Err(JobFailure(format!("未知的任务类型 {other}"))),
    };
    heartbeat.abort();
    match result {
        Ok(Some(notification)) => {
            tracing::info!(job_id, status = %notification.status, "job finished");
            state.notifications.publish(&notification);
        }
        Ok(None) => tracing::info!(job_id, "job finished"),
        Err(JobFailure(reason)) => {
            tracing::warn!(job_id, %reason, "job failed");
            if let Err(error) = fail(&state, job_id, &reason).await {
                tracing::error!(%error, job_id, "cannot record job failure");
            }
        }
    }
}
