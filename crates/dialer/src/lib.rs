//! The dialer (DESIGN "Architecture"): every node runs one. It keeps a runner per running
//! task (see [`runner`]), which claims due numbers with leases in the database ([`claim`]),
//! dials them on the task's line, lets the robot talk ([`drive`]), and settles each call with
//! its number in one transaction ([`settle`]). Answered calls are then graded, re-checked and
//! charged by durable post-call work ([`post_call`]). Nodes beat a heartbeat; calls left open
//! by a dead or restarted node are closed as interrupted ([`recovery`]).
//!
//! Several nodes share one PostgreSQL: each takes an exact share of every task's and line's
//! channels ([`share`]), and the line's channels are counted under a row lock at every claim,
//! so no line or task ever exceeds its concurrency across nodes.

mod attempt;
pub mod blacklist;
mod breaker;
pub mod claim;
pub mod drive;
pub mod env;
pub mod lines;
pub mod metrics;
pub mod post_call;
pub mod recovery;
mod runner;
pub mod settle;
pub mod share;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use domain::task::TaskStatus;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use store::entity::{call, line, task};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use attempt::variables_of;
pub use env::{Company, Environment};
pub use lines::{LineFactory, Lines};
pub use metrics::{Counts, Metrics};

use crate::share::{Shares, Standing};
use domain::call::PostState;

#[derive(Clone, Debug)]
pub struct DialerConfig {
    /// This node's name, unique among the nodes sharing a database.
    pub node: String,
    /// How often running tasks are looked for and idle runners look again.
    pub poll: Duration,
    pub heartbeat: Duration,
    /// A node silent this long is dead; its open calls are closed.
    pub dead_after: Duration,
    /// Numbers claimed per transaction at most.
    pub claim_batch: u32,
    /// The circuit breaker: this many recent calls…
    pub breaker_window: usize,
    /// …of which this share failed on the line pauses the task.
    pub breaker_threshold: f64,
    /// Post-call work running at once (LLM quality checks wait on the network).
    pub post_call_workers: usize,
}

impl Default for DialerConfig {
    fn default() -> Self {
        Self {
            node: "voxdial".into(),
            poll: Duration::from_secs(1),
            heartbeat: Duration::from_secs(2),
            dead_after: Duration::from_secs(15),
            claim_batch: 50,
            breaker_window: 20,
            breaker_threshold: 0.8,
            post_call_workers: 16,
        }
    }
}

/// Company settings are read this often at most.
const COMPANY_TTL: Duration = Duration::from_secs(5);
const LINE_TTL: Duration = Duration::from_secs(2);

/// What the runners and calls of a node share.
pub(crate) struct Inner {
    db: DatabaseConnection,
    env: Arc<dyn Environment>,
    lines: Arc<dyn LineFactory>,
    config: DialerConfig,
    metrics: Arc<Metrics>,
    /// Stop starting calls (shutdown); calls in progress finish.
    stop: CancellationToken,
    /// Drop everything now, as a crash would (tests).
    kill: CancellationToken,
    calls: TaskTracker,
    post_tx: mpsc::UnboundedSender<i64>,
    companies: Mutex<HashMap<i64, (Instant, Arc<Company>)>>,
    line_rows: Mutex<HashMap<i64, (Instant, Option<line::Model>)>>,
    /// Calls-per-second allowance per line: (tokens, last refill).
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
    runners: Mutex<HashMap<i64, watch::Sender<task::Model>>>,
    /// Where this node stands among the live nodes: its share of every task and line.
    shares: Arc<Shares>,
}

impl Inner {
    async fn company(&self, tenant_id: i64) -> anyhow::Result<Arc<Company>> {
        if let Ok(cache) = self.companies.lock()
            && let Some((at, company)) = cache.get(&tenant_id)
            && at.elapsed() < COMPANY_TTL
        {
            return Ok(company.clone());
        }
        let company = Arc::new(self.env.company(tenant_id).await?);
        if let Ok(mut cache) = self.companies.lock() {
            cache.insert(tenant_id, (Instant::now(), company.clone()));
        }
        Ok(company)
    }

    async fn line(&self, line_id: i64) -> anyhow::Result<Option<line::Model>> {
        if let Ok(cache) = self.line_rows.lock()
            && let Some((at, row)) = cache.get(&line_id)
            && at.elapsed() < LINE_TTL
        {
            return Ok(row.clone());
        }
        let row = line::Entity::find_by_id(line_id).one(&self.db).await?;
        if let Ok(mut cache) = self.line_rows.lock() {
            cache.insert(line_id, (Instant::now(), row.clone()));
        }
        Ok(row)
    }

    /// Takes up to `want` dials from this node's share of the line's calls-per-second
    /// allowance (0: no cap).
    fn take_dials(&self, line_id: i64, per_second: u32, want: u32) -> u32 {
        if per_second == 0 {
            return want;
        }
        let Ok(mut buckets) = self.buckets.lock() else {
            return 0;
        };
        let rate = self.shares.standing().rate(per_second);
        // A share below one call a second still dials, once its second has come.
        let burst = rate.max(1.0);
        let (tokens, last) = buckets.entry(line_id).or_insert((burst, Instant::now()));
        *tokens = (*tokens + last.elapsed().as_secs_f64() * rate).min(burst);
        *last = Instant::now();
        let granted = tokens.floor().min(f64::from(want)).max(0.0);
        *tokens -= granted;
        granted as u32
    }

    /// Gives back dials taken but not used.
    fn return_dials(&self, line_id: i64, unused: u32) {
        if unused == 0 {
            return;
        }
        if let Ok(mut buckets) = self.buckets.lock()
            && let Some((tokens, _)) = buckets.get_mut(&line_id)
        {
            *tokens += f64::from(unused);
        }
    }

    fn post_call(&self, call_id: i64) {
        let _ = self.post_tx.send(call_id);
    }

    /// This node's share of task `task_id`'s concurrency `channels`.
    fn task_share(&self, channels: u32, task_id: i64) -> usize {
        let share = self.shares.standing().channels(channels, task_id);
        usize::try_from(share).unwrap_or(0)
    }

    /// This node's share of line `line_id`'s `channels`.
    fn line_share(&self, channels: u32, line_id: i64) -> u32 {
        self.shares.standing().channels(channels, line_id)
    }

    /// Forgets a task's runner (it paused or finished the task itself).
    fn stop_task(&self, task_id: i64) {
        if let Ok(mut runners) = self.runners.lock() {
            runners.remove(&task_id);
        }
    }
}

/// One node's dialer. [`Dialer::run`] until the stop token is cancelled.
pub struct Dialer {
    inner: Arc<Inner>,
    post_rx: mpsc::UnboundedReceiver<i64>,
}

/// Controls a running dialer from outside.
#[derive(Clone)]
pub struct DialerHandle {
    pub stop: CancellationToken,
    pub kill: CancellationToken,
    pub metrics: Arc<Metrics>,
    shares: Arc<Shares>,
}

impl DialerHandle {
    /// The live dialer nodes this node counts (itself included), as of its last heartbeat.
    pub fn live_nodes(&self) -> usize {
        self.shares.standing().nodes
    }
}

impl Dialer {
    pub fn new(
        db: DatabaseConnection,
        env: Arc<dyn Environment>,
        lines: Arc<dyn LineFactory>,
        config: DialerConfig,
    ) -> Self {
        let (post_tx, post_rx) = mpsc::unbounded_channel();
        Self {
            inner: Arc::new(Inner {
                db,
                env,
                lines,
                config,
                metrics: Arc::new(Metrics::default()),
                stop: CancellationToken::new(),
                kill: CancellationToken::new(),
                calls: TaskTracker::new(),
                post_tx,
                companies: Mutex::new(HashMap::new()),
                line_rows: Mutex::new(HashMap::new()),
                buckets: Mutex::new(HashMap::new()),
                runners: Mutex::new(HashMap::new()),
                shares: Arc::new(Shares::default()),
            }),
            post_rx,
        }
    }

    pub fn handle(&self) -> DialerHandle {
        DialerHandle {
            stop: self.inner.stop.clone(),
            kill: self.inner.kill.clone(),
            metrics: self.inner.metrics.clone(),
            shares: self.inner.shares.clone(),
        }
    }

    /// Recovers this node's earlier life, then runs until stopped; waits for calls in
    /// progress to end (unless killed).
    pub async fn run(self) -> anyhow::Result<()> {
        let inner = self.inner.clone();
        let boot_id = format!("{:016x}", rand::random::<u64>());
        let node = inner.config.node.clone();
        let closed = recovery::close_calls_of(&inner.db, &node, Utc::now()).await?;
        if closed > 0 {
            tracing::warn!(
                closed,
                node,
                "closed the calls left open by this node's last run"
            );
        }
        recovery::register(&inner.db, &node, &boot_id, Utc::now()).await?;
        let post = tokio::spawn(run_post_calls(inner.clone(), self.post_rx));
        let beat = tokio::spawn(run_heartbeat(inner.clone()));
        let mut tick = tokio::time::interval(inner.config.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if let Err(error) = supervise(&inner).await {
                        tracing::warn!(%error, "dialer could not read running tasks");
                    }
                }
                () = inner.stop.cancelled() => break,
                () = inner.kill.cancelled() => break,
            }
        }
        if let Ok(mut runners) = inner.runners.lock() {
            runners.clear();
        }
        inner.calls.close();
        tokio::select! {
            () = inner.calls.wait() => {}
            () = inner.kill.cancelled() => {}
        }
        post.abort();
        beat.abort();
        if !inner.kill.is_cancelled() {
            // No call of this node is open: the others take over its share at once.
            recovery::deregister(&inner.db, &node).await?;
        }
        Ok(())
    }
}

/// Starts a runner for every running task that has none, and tells runners of changes; a
/// runner whose task stopped running sees its channel close.
async fn supervise(inner: &Arc<Inner>) -> anyhow::Result<()> {
    let running = task::Entity::find()
        .filter(task::Column::Status.eq(TaskStatus::Running.code()))
        .filter(task::Column::IsTemplate.eq(false))
        .all(&inner.db)
        .await?;
    let Ok(mut runners) = inner.runners.lock() else {
        return Ok(());
    };
    runners.retain(|id, sender| !sender.is_closed() && running.iter().any(|t| t.id == *id));
    for row in running {
        match runners.get(&row.id) {
            Some(sender) => {
                if sender.borrow().updated_at != row.updated_at {
                    sender.send_replace(row);
                }
            }
            None => {
                let (sender, receiver) = watch::channel(row.clone());
                runners.insert(row.id, sender);
                tokio::spawn(runner::run(inner.clone(), receiver));
            }
        }
    }
    Ok(())
}

async fn run_heartbeat(inner: Arc<Inner>) {
    let mut tick = tokio::time::interval(inner.config.heartbeat);
    loop {
        tick.tick().await;
        let now = Utc::now();
        if let Err(error) = recovery::heartbeat(&inner.db, &inner.config.node, now).await {
            tracing::warn!(%error, "dialer heartbeat failed");
            continue;
        }
        let dead_before =
            now - chrono::Duration::from_std(inner.config.dead_after).unwrap_or_default();
        match recovery::live_nodes(&inner.db, dead_before).await {
            Ok(alive) => {
                let standing = Standing::among(&inner.config.node, &alive);
                if inner.shares.set(standing) {
                    tracing::info!(
                        nodes = standing.nodes,
                        rank = standing.rank,
                        "dialer nodes changed; this node takes its share of every task"
                    );
                }
            }
            Err(error) => tracing::warn!(%error, "could not count the live dialer nodes"),
        }
        match recovery::dead_nodes(&inner.db, &inner.config.node, dead_before).await {
            Ok(dead) => {
                for node in dead {
                    match recovery::close_calls_of(&inner.db, &node, now).await {
                        Ok(closed) => {
                            tracing::warn!(
                                closed,
                                node,
                                "closed the calls of a silent dialer node"
                            );
                        }
                        Err(error) => {
                            tracing::warn!(%error, node, "could not close a dead node's calls")
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "could not look for dead dialer nodes"),
        }
    }
}

/// Post-call work: calls this node settled arrive on the channel; the queue in the database
/// is swept at start and now and then for work a crash or another node left behind.
async fn run_post_calls(inner: Arc<Inner>, mut rx: mpsc::UnboundedReceiver<i64>) {
    let limit = Arc::new(Semaphore::new(inner.config.post_call_workers.max(1)));
    let mut sweep = tokio::time::interval(Duration::from_secs(30));
    loop {
        let ids: Vec<i64> = tokio::select! {
            id = rx.recv() => match id {
                Some(id) => vec![id],
                None => return,
            },
            _ = sweep.tick() => {
                match pending_calls(&inner).await {
                    Ok(ids) => ids,
                    Err(error) => {
                        tracing::warn!(%error, "could not read pending post-call work");
                        Vec::new()
                    }
                }
            }
        };
        for id in ids {
            let Ok(permit) = limit.clone().acquire_owned().await else {
                return;
            };
            let inner = inner.clone();
            tokio::spawn(async move {
                if let Err(error) =
                    post_call::process(&inner.db, inner.env.as_ref(), &inner.metrics, id).await
                {
                    tracing::warn!(call_id = id, %error, "post-call work failed; retried later");
                }
                drop(permit);
            });
        }
    }
}

async fn pending_calls(inner: &Inner) -> anyhow::Result<Vec<i64>> {
    Ok(call::Entity::find()
        .select_only()
        .column(call::Column::Id)
        .filter(call::Column::PostState.eq(PostState::Pending.code()))
        .limit(500)
        .into_tuple()
        .all(&inner.db)
        .await?)
}
