//! One running task on this node: the loop that decides, again and again, whether the task
//! may call now (DIAL-1), how many channels it may take, claims that many due numbers and
//! starts their calls; and that notices when the task is finished, over quota, or its line is
//! failing (the circuit breaker).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use domain::billing::Funds;
use domain::calltime::Decision;
use domain::idle::IdleReason;
use domain::task::{EndAction, NumberStatus, TaskKind, TaskSettings, TaskStatus};
use robot::dialog::Robot;
use robot::script::Script;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use store::entity::{balance, call, script_version, task, task_number};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::Inner;
use crate::attempt::{Finished, TaskCall, place_call, settle_blacklisted};
use crate::breaker::Breaker;
use crate::claim::{ClaimRequest, Limit, claim};

pub async fn run(inner: Arc<Inner>, mut task_rx: watch::Receiver<task::Model>) {
    let task_id = task_rx.borrow().id;
    let result = match Runner::new(inner, &task_rx) {
        Ok(runner) => runner.run(&mut task_rx).await,
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        tracing::warn!(task_id, %error, "task runner stopped on an error; it restarts shortly");
    }
}

struct Runner {
    inner: Arc<Inner>,
    task: task::Model,
    settings: TaskSettings,
    robots: HashMap<i64, (i64, Arc<Robot>)>,
    in_flight: usize,
    /// Channels resting for the call interval, until then.
    resting: VecDeque<Instant>,
    breaker: Breaker,
    idle: String,
    /// When capacity last became free: the "due" end of the due-to-dial delay.
    free_since: Instant,
    connected_today: Option<(chrono::NaiveDate, u64)>,
    finished_tx: mpsc::UnboundedSender<Finished>,
    finished_rx: mpsc::UnboundedReceiver<Finished>,
}

impl Runner {
    fn new(inner: Arc<Inner>, task_rx: &watch::Receiver<task::Model>) -> anyhow::Result<Self> {
        let task = task_rx.borrow().clone();
        let settings = serde_json::from_str(&task.settings)?;
        let (finished_tx, finished_rx) = mpsc::unbounded_channel();
        Ok(Self {
            inner,
            idle: task.idle_reason.clone(),
            task,
            settings,
            robots: HashMap::new(),
            in_flight: 0,
            resting: VecDeque::new(),
            breaker: Breaker::default(),
            free_since: Instant::now(),
            connected_today: None,
            finished_tx,
            finished_rx,
        })
    }

    async fn run(mut self, task_rx: &mut watch::Receiver<task::Model>) -> anyhow::Result<()> {
        self.load_robots().await?;
        loop {
            if self.inner.stop.is_cancelled() {
                return Ok(());
            }
            if task_rx.has_changed().is_err() {
                // The task stopped running: calls in progress finish on their own.
                return Ok(());
            }
            // `sleep` may have consumed the change notice: compare the rows themselves.
            let row = task_rx.borrow_and_update().clone();
            if row.updated_at != self.task.updated_at {
                self.settings = serde_json::from_str(&row.settings)?;
                self.load_robots().await?;
                self.idle = row.idle_reason.clone();
            }
            self.task = row;
            self.collect_finished();
            if let Some((failures, calls)) = self.breaker.tripped(
                self.inner.config.breaker_window,
                self.inner.config.breaker_threshold,
            ) {
                self.trip(failures, calls).await?;
                return Ok(());
            }
            let wait = self.step().await?;
            if let Some(wait) = wait {
                self.sleep(wait, task_rx).await;
            }
        }
    }

    /// One decision: start calls, or say how long to wait.
    async fn step(&mut self) -> anyhow::Result<Option<Duration>> {
        let poll = self.inner.config.poll;
        let now = Utc::now();
        let company = self.inner.company(self.task.tenant_id).await?;
        if let Decision::Blocked { next, .. } = self
            .settings
            .policy(&company.calendar, company.tz)
            .check(now)
        {
            // The task list words this reason itself from the same rule.
            self.set_idle(None).await?;
            return Ok(Some(until(next, now).min(poll * 10)));
        }
        let Some(line_row) = self.inner.line(self.settings.line_id).await? else {
            return Ok(Some(poll));
        };
        if line_row.status != "active" {
            return Ok(Some(poll));
        }
        let line = match self.inner.lines.open(&line_row) {
            Ok(line) => line,
            Err(error) => {
                self.set_idle(Some(IdleReason::LineUnusable(error.to_string())))
                    .await?;
                return Ok(Some(poll * 5));
            }
        };
        if self.balance_exhausted().await? {
            self.inner
                .env
                .balance_exhausted(self.task.tenant_id)
                .await?;
            return Ok(Some(poll));
        }
        if let Some(limit) = self.settings.quota.daily_connected_limit {
            let (today, connected) = self.connected_today(&company.tz, now).await?;
            if connected >= u64::from(limit) {
                let tomorrow = today.succ_opt().unwrap_or(today);
                let resume = company
                    .tz
                    .from_local_datetime(&tomorrow.and_time(NaiveTime::MIN))
                    .earliest()
                    .map_or(now, |t| t.with_timezone(&Utc));
                self.set_idle(Some(IdleReason::DailyQuotaReached { connected, limit }))
                    .await?;
                return Ok(Some(until(Some(resume), now).min(poll * 10)));
            }
        }
        let resting_now = Instant::now();
        while self.resting.front().is_some_and(|t| *t <= resting_now) {
            self.resting.pop_front();
        }
        let concurrency = self
            .inner
            .task_share(self.settings.concurrency, self.task.id);
        let line_max = u32::try_from(line_row.max_concurrency).unwrap_or(0);
        let line_share = self.inner.line_share(line_max, line_row.id);
        if concurrency == 0 || line_share == 0 {
            // The other nodes carry this task (or line) alone: nothing for this node to do.
            return Ok(Some(poll));
        }
        let free = concurrency.saturating_sub(self.in_flight + self.resting.len());
        if free == 0 {
            let wait = self
                .resting
                .front()
                .map_or(poll, |t| t.saturating_duration_since(resting_now));
            return Ok(Some(wait.min(poll)));
        }
        let rate = u32::try_from(line_row.calls_per_second).unwrap_or(0);
        let granted = self.inner.take_dials(line_row.id, rate, free as u32);
        if granted == 0 {
            return Ok(Some(Duration::from_millis(1000 / u64::from(rate.max(1)))));
        }
        let want = granted.min(self.inner.config.claim_batch);
        let Some(script) = self.script_for(now, &company.tz) else {
            self.inner.return_dials(line_row.id, granted);
            self.set_idle(Some(if self.settings.kind == TaskKind::Llm {
                IdleReason::LlmTaskNotDialable
            } else {
                IdleReason::NoPublishedScript
            }))
            .await?;
            return Ok(Some(poll * 5));
        };
        let request = ClaimRequest {
            tenant_id: self.task.tenant_id,
            task_id: self.task.id,
            line_id: line_row.id,
            line_max,
            line_share,
            task_max: self.settings.concurrency,
            want,
            node: &self.inner.config.node,
            now,
            lease: chrono::Duration::seconds(
                i64::from(company.timing.ring_timeout_seconds)
                    + i64::from(company.timing.max_call_seconds)
                    + 60,
            ),
            script: Some((script.0, script.1)),
        };
        let result = claim(&self.inner.db, &request, &self.inner.metrics).await?;
        self.inner.return_dials(
            line_row.id,
            granted.saturating_sub(result.claimed.len() as u32),
        );
        if result.claimed.is_empty() {
            return self.nothing_claimed(result.limit, now).await.map(Some);
        }
        self.set_idle(None).await?;
        let call = Arc::new(TaskCall {
            task_id: self.task.id,
            scale: self.inner.lines.time_scale(&line_row),
            line,
            timing: company.timing,
            settings: self.settings.clone(),
        });
        let phones: Vec<String> = result
            .claimed
            .iter()
            .map(|c| c.number.phone.clone())
            .collect();
        let blocked = crate::blacklist::blocked(
            &self.inner.db,
            self.task.tenant_id,
            &self.settings.blacklist_group_ids,
            &phones,
            now,
        )
        .await?;
        let ready = self.free_since;
        for claimed in result.claimed {
            if blocked.contains(&claimed.number.phone) {
                settle_blacklisted(&self.inner, &call, &claimed).await?;
                continue;
            }
            self.in_flight += 1;
            self.inner.calls.spawn(place_call(
                self.inner.clone(),
                call.clone(),
                claimed,
                script.2.clone(),
                ready,
                self.finished_tx.clone(),
            ));
        }
        self.free_since = Instant::now();
        Ok(None)
    }

    /// Nothing was claimed: say why, finish the task when nothing is left.
    async fn nothing_claimed(
        &mut self,
        limit: Option<Limit>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Duration> {
        let poll = self.inner.config.poll;
        match limit {
            Some(Limit::Line) => {
                self.set_idle(Some(IdleReason::LineFull)).await?;
                return Ok(poll);
            }
            Some(Limit::Task) => return Ok(poll),
            _ => {}
        }
        if self.in_flight > 0 {
            return Ok(poll);
        }
        let db = &self.inner.db;
        let open = call::Entity::find()
            .filter(call::Column::TaskId.eq(self.task.id))
            .filter(call::Column::EndedAt.is_null())
            .count(db)
            .await?;
        if open > 0 {
            return Ok(poll);
        }
        let next: Option<(Option<DateTime<Utc>>, i64)> = task_number::Entity::find()
            .select_only()
            .column_as(task_number::Column::NextCallAt.min(), "next")
            .column_as(task_number::Column::Id.count(), "waiting")
            .filter(task_number::Column::TaskId.eq(self.task.id))
            .filter(task_number::Column::NextCallAt.is_not_null())
            .into_tuple()
            .one(db)
            .await?;
        match next {
            Some((Some(at), waiting)) if waiting > 0 => {
                let tz = self.inner.company(self.task.tenant_id).await?.tz;
                self.set_idle(Some(IdleReason::WaitingForRedials {
                    numbers: waiting,
                    from: at.with_timezone(&tz).naive_local(),
                }))
                .await?;
                Ok(until(Some(at), now).min(poll * 10))
            }
            _ => {
                if self.settings.end_action == EndAction::PauseRelease {
                    self.complete().await?;
                    Ok(poll)
                } else {
                    self.set_idle(Some(IdleReason::AllCalled)).await?;
                    Ok(poll * 5)
                }
            }
        }
    }

    async fn complete(&mut self) -> anyhow::Result<()> {
        let text = format!(
            "任务“{}”的号码已全部呼叫完毕，任务已完成并释放并发",
            self.task.name
        );
        self.end_run(TaskStatus::Completed, None, "task_completed", &text)
            .await
    }

    async fn trip(&mut self, failures: usize, calls: usize) -> anyhow::Result<()> {
        let reason = IdleReason::LineFailing { failures, calls };
        let text = format!("任务“{}”{reason}", self.task.name);
        self.end_run(TaskStatus::Paused, Some(reason), "task_line_failure", &text)
            .await
    }

    /// The dialer stops the task by itself (`Completed` or `Paused`, with the reason shown)
    /// and tells its creator, unless someone changed its status meanwhile.
    async fn end_run(
        &mut self,
        status: TaskStatus,
        reason: Option<IdleReason>,
        kind: &str,
        text: &str,
    ) -> anyhow::Result<()> {
        let now = Utc::now();
        let finished_at = (status == TaskStatus::Completed).then_some(now);
        let changed = task::Entity::update_many()
            .col_expr(task::Column::Status, status.code().into())
            .col_expr(task::Column::IdleReason, stored(reason.as_ref()).into())
            .col_expr(task::Column::FinishedAt, finished_at.into())
            .col_expr(task::Column::UpdatedAt, now.into())
            .filter(task::Column::Id.eq(self.task.id))
            .filter(task::Column::Status.eq(TaskStatus::Running.code()))
            .exec(&self.inner.db)
            .await?
            .rows_affected;
        if changed == 1 {
            self.inner.env.task_event(&self.task, kind, text).await?;
        }
        self.inner.stop_task(self.task.id);
        Ok(())
    }

    fn collect_finished(&mut self) {
        while let Ok(finished) = self.finished_rx.try_recv() {
            self.finish(finished);
        }
    }

    fn finish(&mut self, finished: Finished) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let interval = self.settings.call_interval_s;
        if interval > 0 {
            self.resting
                .push_back(Instant::now() + Duration::from_secs(u64::from(interval)));
        }
        if finished.status != NumberStatus::Blacklisted {
            self.breaker
                .record(finished.line_failure, self.inner.config.breaker_window);
        }
        if finished.status == NumberStatus::Answered
            && let Some((_, connected)) = self.connected_today.as_mut()
        {
            *connected += 1;
        }
        let share = self
            .inner
            .task_share(self.settings.concurrency, self.task.id);
        if self.in_flight + self.resting.len() < share {
            self.free_since = Instant::now();
        }
    }

    /// Waits up to `wait`, waking early when a call ends, the task changes or the node stops.
    async fn sleep(&mut self, wait: Duration, task_rx: &mut watch::Receiver<task::Model>) {
        tokio::select! {
            finished = self.finished_rx.recv() => {
                if let Some(finished) = finished {
                    self.finish(finished);
                }
            }
            _ = task_rx.changed() => {}
            () = tokio::time::sleep(wait) => {}
            () = self.inner.stop.cancelled() => {}
        }
    }

    /// Stores why the task is not calling (`None`: it is, or the list words it itself).
    async fn set_idle(&mut self, reason: Option<IdleReason>) -> anyhow::Result<()> {
        let reason = stored(reason.as_ref());
        if self.idle == reason {
            return Ok(());
        }
        task::Entity::update_many()
            .col_expr(task::Column::IdleReason, reason.clone().into())
            .filter(task::Column::Id.eq(self.task.id))
            .filter(task::Column::Status.eq(TaskStatus::Running.code()))
            .exec(&self.inner.db)
            .await?;
        self.idle = reason;
        Ok(())
    }

    async fn balance_exhausted(&self) -> anyhow::Result<bool> {
        let row = balance::Entity::find_by_id(self.task.tenant_id)
            .one(&self.inner.db)
            .await?;
        Ok(row.is_none_or(|b| Funds::new(b.balance_mfen, b.overdraft_mfen).used_up()))
    }

    /// Answered calls of the task since midnight in the company's time zone.
    async fn connected_today(
        &mut self,
        tz: &chrono_tz::Tz,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(chrono::NaiveDate, u64)> {
        let today = now.with_timezone(tz).date_naive();
        if let Some((day, connected)) = self.connected_today
            && day == today
        {
            return Ok((day, connected));
        }
        let midnight = tz
            .from_local_datetime(&today.and_time(NaiveTime::MIN))
            .earliest()
            .map_or(now, |t| t.with_timezone(&Utc));
        let connected = call::Entity::find()
            .filter(call::Column::TaskId.eq(self.task.id))
            .filter(call::Column::Status.eq(NumberStatus::Answered.code()))
            .filter(call::Column::DialedAt.gte(midnight))
            .count(&self.inner.db)
            .await?;
        self.connected_today = Some((today, connected));
        Ok((today, connected))
    }

    /// The script for a call starting now (按时间配置 by the company's local time).
    fn script_for(&self, now: DateTime<Utc>, tz: &chrono_tz::Tz) -> Option<(i64, i64, Arc<Robot>)> {
        let script_id = self.settings.script_at(now.with_timezone(tz).time())?;
        self.robots
            .get(&script_id)
            .map(|(version, robot)| (script_id, *version, robot.clone()))
    }

    /// Compiles the script versions the task started with (the newest published version
    /// when it started before versions were pinned).
    async fn load_robots(&mut self) -> anyhow::Result<()> {
        let pinned: HashMap<String, i64> =
            serde_json::from_str(&self.task.pinned_scripts).unwrap_or_default();
        let mut robots = HashMap::new();
        for script_id in self.settings.script_ids() {
            let version = match pinned.get(&script_id.to_string()) {
                Some(version_id) => {
                    script_version::Entity::find_by_id(*version_id)
                        .filter(script_version::Column::TenantId.eq(self.task.tenant_id))
                        .one(&self.inner.db)
                        .await?
                }
                None => {
                    script_version::Entity::find()
                        .filter(script_version::Column::TenantId.eq(self.task.tenant_id))
                        .filter(script_version::Column::ScriptId.eq(script_id))
                        .order_by_desc(script_version::Column::Version)
                        .one(&self.inner.db)
                        .await?
                }
            };
            let Some(version) = version else { continue };
            let script: Script = serde_json::from_str(&version.body)?;
            let robot = Robot::new(script).map_err(|e| anyhow::anyhow!(e.to_string()))?;
            robots.insert(script_id, (version.id, Arc::new(robot)));
        }
        self.robots = robots;
        Ok(())
    }
}

/// An idle reason as `tasks.idle_reason` holds it (empty: none).
fn stored(reason: Option<&IdleReason>) -> String {
    reason.map(ToString::to_string).unwrap_or_default()
}

/// How long from `now` until `next` (a minute when unknown).
fn until(next: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Duration {
    next.map_or(Duration::from_secs(60), |next| {
        (next - now).to_std().unwrap_or(Duration::ZERO)
    })
}
