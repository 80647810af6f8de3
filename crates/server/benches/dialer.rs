//! `scripts/bench dialer` (issue 5): the dialer under sustained load on the simulated line,
//! with the robot running every conversation and every record written, on SQLite and (with
//! VOXDIAL_BENCH_POSTGRES_URL) PostgreSQL.
//!
//! 1. Real time (time scale 1): about 1 000 calls at once for a minute — calls completed per
//!    second, CPU per 100 concurrent calls (this process; PostgreSQL's server processes
//!    apart), memory, p50/p99 from "number due" to "dial started", database writes per call.
//! 2. Ten times faster than real time: the same figures under ten times the call rate.
//! 3. Claim and settle alone, without calls, with 5 000 000 numbers in the database.
//!
//! "Due" is when both the number (imported, or its redial time) and a free channel of the
//! task were there; the delay ends when the line starts the dial. Prints `key: value unit`.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use dialer::claim::{ClaimRequest, claim};
use dialer::drive::Outcome;
use dialer::settle::{Settlement, settle};
use dialer::{Dialer, DialerConfig, Lines, Metrics};
use domain::call::Facts;
use domain::task::{NumberStatus, Retry, TaskSettings};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde_json::json;
use store::entity::{balance, company, line, task};
use telephony::SimulatedConfig;
use voxdial_server::dialing::ServerEnvironment;
use voxdial_server::jobs::number_import::{self, NewNumber};

/// Clock ticks per second of /proc's CPU times (Linux's USER_HZ).
const TICKS: f64 = 100.0;

/// CPU seconds used by this process so far.
fn process_cpu() -> f64 {
    cpu_of("/proc/self/stat")
}

fn cpu_of(path: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(path) else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at ")".
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / TICKS
}

/// CPU seconds used by the PostgreSQL server's processes so far.
fn postgres_cpu() -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter(|e| {
            std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == "postgres")
        })
        .map(|e| cpu_of(&e.path().join("stat").to_string_lossy()))
        .sum()
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn numbers(task_id: i64, count: usize, offset: usize) -> Vec<NewNumber> {
    (0..count)
        .map(|i| NewNumber {
            task_id,
            phone: format!("13{:09}", offset + i),
            name: "张伟".to_owned(),
            company: String::new(),
            gender: 1,
            extra: "{}".to_owned(),
            province: "",
            city: "",
            carrier: "",
        })
        .collect()
}

async fn insert(db: &DatabaseConnection, tenant: i64, rows: &[NewNumber]) {
    for chunk in rows.chunks(250_000) {
        let txn = store::begin(db).await.unwrap();
        number_import::insert_numbers(&txn, tenant, None, chunk, Utc::now())
            .await
            .unwrap();
        txn.commit().await.unwrap();
    }
}

/// The demo task set up for load: `concurrency` channels, no redials, a line without a CPS
/// cap worth mentioning, and money enough.
async fn prepare(db: &DatabaseConnection, count: usize, concurrency: u32) -> (i64, i64) {
    let tenant = company::Entity::find().one(db).await.unwrap().unwrap().id;
    let row = task::Entity::find()
        .filter(task::Column::TenantId.eq(tenant))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut settings: TaskSettings = serde_json::from_str(&row.settings).unwrap();
    settings.concurrency = concurrency;
    settings.retry = Retry {
        statuses: Vec::new(),
        ..Retry::default()
    };
    let line_id = settings.line_id;
    let mut active = row.clone().into_active_model();
    active.settings = Set(serde_json::to_string(&settings).unwrap());
    active.update(db).await.unwrap();
    line::Entity::update_many()
        .col_expr(line::Column::CallsPerSecond, 1_000.into())
        .col_expr(line::Column::MaxConcurrency, 100_000.into())
        .filter(line::Column::Id.eq(line_id))
        .exec(db)
        .await
        .unwrap();
    balance::Entity::update_many()
        .col_expr(balance::Column::BalanceMfen, 1_000_000_000_000i64.into())
        .filter(balance::Column::TenantId.eq(tenant))
        .exec(db)
        .await
        .unwrap();
    insert(db, tenant, &numbers(row.id, count, 0)).await;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
    (tenant, row.id)
}

fn ms(sorted_micros: &[f64], p: f64) -> f64 {
    if sorted_micros.is_empty() {
        return f64::NAN;
    }
    common::percentile(sorted_micros, p) / 1000.0
}

/// One sustained run: ramp up to the task's concurrency, then measure for `window`.
async fn sustained(
    backend: &str,
    label: &str,
    database_url: Option<String>,
    time_scale: f64,
    count: usize,
    window: Duration,
) {
    let dir = tempfile::tempdir().unwrap();
    let server = voxdial_server::api::spawn(common::config(dir.path(), database_url))
        .await
        .unwrap();
    let db = server.state.db.clone();
    let (_, task_id) = prepare(&db, count, 1_000).await;
    let client = common::Client::login(format!("http://{}", server.address)).await;
    let started = client
        .post(&format!("/api/tasks/{task_id}/start"), json!({}))
        .await;
    assert_eq!(started["status"], "running", "{started}");
    let dialer = Dialer::new(
        db.clone(),
        Arc::new(ServerEnvironment::new(server.state.clone())),
        Arc::new(
            Lines::new(SimulatedConfig {
                seed: 0,
                time_scale,
            })
            .unwrap(),
        ),
        DialerConfig {
            node: "bench".into(),
            claim_batch: 100,
            ..DialerConfig::default()
        },
    );
    let handle = dialer.handle();
    let running = tokio::spawn(dialer.run());
    let metrics: Arc<Metrics> = handle.metrics.clone();
    let in_flight = || {
        let c = metrics.counts();
        c.dials.saturating_sub(c.finished)
    };
    let ramp = Instant::now();
    while in_flight() < 950 {
        assert!(
            ramp.elapsed() < Duration::from_secs(120),
            "never reached 1 000 calls"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ramp_time = ramp.elapsed();
    metrics.take_delays();
    let before = metrics.counts();
    let (cpu0, pg0) = (process_cpu(), postgres_cpu());
    let t0 = Instant::now();
    let mut samples = Vec::new();
    while t0.elapsed() < window {
        tokio::time::sleep(Duration::from_millis(500)).await;
        samples.push(in_flight() as f64);
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let after = metrics.counts();
    let (cpu1, pg1) = (process_cpu(), postgres_cpu());
    let rss = rss_mib();
    let mut delays: Vec<f64> = metrics
        .take_delays()
        .into_iter()
        .map(|d| d as f64)
        .collect();
    delays.sort_by(f64::total_cmp);
    handle.kill.cancel();
    let _ = running.await;
    server.stop().await.unwrap();

    let finished = (after.finished - before.finished) as f64;
    let concurrent = samples.iter().sum::<f64>() / samples.len().max(1) as f64;
    let cores = (cpu1 - cpu0) / elapsed;
    let p = format!("{backend}_{label}");
    println!("{p}_time_scale: {time_scale}");
    println!("{p}_ramp_to_950_calls: {:.1} s", ramp_time.as_secs_f64());
    println!("{p}_concurrent_calls_mean: {concurrent:.0}");
    println!("{p}_calls_completed_per_second: {:.1}", finished / elapsed);
    println!(
        "{p}_answered_share: {:.1} %",
        100.0 * (after.answered - before.answered) as f64 / finished.max(1.0)
    );
    println!("{p}_cpu_cores: {cores:.3}");
    println!(
        "{p}_cpu_per_100_concurrent_calls: {:.3} cores",
        cores / (concurrent / 100.0).max(0.01)
    );
    if backend == "postgres" {
        println!(
            "{p}_postgres_server_cpu_cores: {:.3}",
            (pg1 - pg0) / elapsed
        );
    }
    println!("{p}_rss: {rss:.0} MiB");
    println!("{p}_due_to_dial_p50: {:.2} ms", ms(&delays, 0.5));
    println!("{p}_due_to_dial_p99: {:.2} ms", ms(&delays, 0.99));
    println!(
        "{p}_db_write_statements_per_call: {:.2}",
        (after.writes - before.writes) as f64 / finished.max(1.0)
    );
}

/// Claim and settle without calls, in a database of 5 000 000 numbers.
async fn throughput(backend: &str, database_url: Option<String>) {
    const TASKS: usize = 20;
    const PER_TASK: usize = 250_000;
    const WORKERS: usize = 4;
    const BATCH: u32 = 50;
    let dir = tempfile::tempdir().unwrap();
    let server = voxdial_server::api::spawn(common::config(dir.path(), database_url))
        .await
        .unwrap();
    let db = server.state.db.clone();
    let client = common::Client::login(format!("http://{}", server.address)).await;
    let tenant = company::Entity::find().one(&db).await.unwrap().unwrap().id;
    let line_id = line::Entity::find().one(&db).await.unwrap().unwrap().id;
    let fill = Instant::now();
    let mut measured = 0;
    for index in 0..TASKS {
        let task = client.new_task(&format!("任务{index}")).await;
        insert(&db, tenant, &numbers(task, PER_TASK, index * PER_TASK)).await;
        measured = task;
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await.unwrap();
    }
    println!(
        "{backend}_claim_settle_numbers_in_database: {} (filled in {:.0} s)",
        TASKS * PER_TASK,
        fill.elapsed().as_secs_f64()
    );
    let metrics = Arc::new(Metrics::default());
    let deadline = Instant::now() + Duration::from_secs(20);
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..WORKERS {
        let db = db.clone();
        let metrics = metrics.clone();
        workers.push(tokio::spawn(async move {
            let node = format!("bench-{worker}");
            let retry = Retry {
                statuses: Vec::new(),
                ..Retry::default()
            };
            let mut settled = 0u64;
            while Instant::now() < deadline {
                let now = Utc::now();
                let claimed = claim(
                    &db,
                    &ClaimRequest {
                        tenant_id: tenant,
                        task_id: measured,
                        line_id,
                        line_max: 100_000,
                        line_share: 100_000,
                        task_max: 100_000,
                        want: BATCH,
                        node: &node,
                        now,
                        lease: chrono::Duration::minutes(10),
                        script: None,
                    },
                    &metrics,
                )
                .await
                .unwrap();
                for claimed in claimed.claimed {
                    let outcome = Outcome {
                        status: NumberStatus::NoAnswer,
                        hangup_by: None,
                        cause: "487".into(),
                        ringing_ms: Some(500),
                        answered_ms: None,
                        ended_ms: 45_500,
                        turns: Vec::new(),
                        timeline: Vec::new(),
                        facts: Facts::default(),
                    };
                    settle(
                        &db,
                        &Settlement {
                            call_id: claimed.call_id,
                            number_id: claimed.number.id,
                            task_id: measured,
                            attempt: claimed.attempt,
                            dialed_at: now,
                            ended_at: Utc::now(),
                            retry: &retry,
                            time_scale: 1.0,
                        },
                        &outcome,
                    )
                    .await
                    .unwrap();
                    settled += 1;
                }
            }
            settled
        }));
    }
    let mut settled = 0;
    for worker in workers {
        settled += worker.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{backend}_claimed_and_settled_per_second: {:.0} ({WORKERS} workers, {BATCH} a claim)",
        settled as f64 / elapsed
    );
    server.stop().await.unwrap();
}

async fn all(backend: &str, url: Option<&str>) {
    let fresh = || async {
        match url {
            Some(url) => Some(common::fresh_postgres_database(url).await),
            None => None,
        }
    };
    sustained(
        backend,
        "realtime",
        fresh().await,
        1.0,
        8_000,
        Duration::from_secs(60),
    )
    .await;
    sustained(
        backend,
        "x10",
        fresh().await,
        10.0,
        40_000,
        Duration::from_secs(30),
    )
    .await;
    throughput(backend, fresh().await).await;
}

fn main() {
    // As the server runs: a multi-threaded runtime; the work runs on its workers.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        tokio::spawn(async {
            all("sqlite", None).await;
            if let Some(url) = common::postgres_url() {
                all("postgres", Some(&url)).await;
            }
        })
        .await
        .unwrap();
    });
}
