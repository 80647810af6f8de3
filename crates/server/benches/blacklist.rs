//! `scripts/bench blacklist`: how fast the dialer learns which numbers are blacklisted for a
//! task now (`voxdial_server::blacklist::blocked`), with 1 000 000 numbers listed: one number
//! at a time and batches of 100, half of them listed (a tenth of the listed ones expired,
//! which must not count). SQLite always; PostgreSQL too when `VOXDIAL_BENCH_POSTGRES_URL`
//! names an admin connection (a throw-away database is created and dropped).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement, TransactionTrait, Value,
};
use store::entity::blacklist_group;
use voxdial_server::blacklist::blocked;
use voxdial_server::services::companies::{self, NewCompany};

const ENTRIES: u64 = 1_000_000;
const SINGLE_QUERIES: usize = 4_000;
const BATCHES: usize = 1_000;
const BATCH: usize = 100;
/// Rows a transaction inserts.
const TRANSACTION_ROWS: u64 = 100_000;

/// The `i`-th listed number: distinct 139 numbers (37 is coprime with 10^8).
fn listed(i: u64) -> String {
    format!("139{:08}", (i * 37) % 100_000_000)
}

/// A number that is never listed.
fn unlisted(i: u64) -> String {
    format!("137{:08}", i % 100_000_000)
}

/// Every tenth entry expired yesterday; it must not block.
fn expired(i: u64) -> bool {
    i % 10 == 3
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index].as_secs_f64() * 1e6
}

struct Setup {
    tenant_id: i64,
    group_ids: Vec<i64>,
}

async fn setup(db: &DatabaseConnection) -> anyhow::Result<Setup> {
    store::migrate(db).await?;
    let created = companies::create(
        db,
        NewCompany {
            name: "基准测试公司".to_owned(),
            admin_name: "基准".to_owned(),
            admin_phone: "13500000000".to_owned(),
            admin_password: Some("Bench12345".to_owned()),
        },
    )
    .await
    .map_err(|e| anyhow!("cannot create the company: {e}"))?;
    let tenant_id = created.company.id;
    let default = blacklist_group::Entity::find()
        .filter(blacklist_group::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .context("no default blacklist group")?;
    let now = Utc::now();
    let other = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                DbBackend::Postgres => "INSERT INTO blacklist_groups (tenant_id, name, is_default, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                _ => "INSERT INTO blacklist_groups (tenant_id, name, is_default, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            },
            [tenant_id.into(), "投诉客户".into(), false.into(), now.into()],
        ))
        .await?
        .context("no group id returned")?
        .try_get_by_index::<i64>(0)?;
    Ok(Setup {
        tenant_id,
        group_ids: vec![default.id, other],
    })
}

/// Multi-row INSERTs (as many rows as the bind limit allows), one transaction per
/// `TRANSACTION_ROWS`; entries alternate between the two groups.
async fn fill(db: &DatabaseConnection, setup: &Setup) -> anyhow::Result<Duration> {
    let backend = db.get_database_backend();
    let rows_per_statement: u64 = match backend {
        DbBackend::Postgres => 10_000,
        _ => 5_000,
    };
    let now: DateTime<Utc> = Utc::now();
    let yesterday = now - chrono::Duration::days(1);
    let started = Instant::now();
    let mut next = 0;
    while next < ENTRIES {
        let txn = db.begin().await?;
        let end = (next + TRANSACTION_ROWS).min(ENTRIES);
        while next < end {
            let stop = (next + rows_per_statement).min(end);
            let mut sql = String::from(
                "INSERT INTO blacklist_entries (tenant_id, group_id, phone, note, expires_at, created_at) VALUES ",
            );
            let mut values: Vec<Value> = Vec::with_capacity(((stop - next) * 6) as usize);
            for (n, i) in (next..stop).enumerate() {
                if n > 0 {
                    sql.push(',');
                }
                match backend {
                    DbBackend::Postgres => {
                        let b = n * 6;
                        sql.push_str(&format!(
                            "(${},${},${},${},${},${})",
                            b + 1,
                            b + 2,
                            b + 3,
                            b + 4,
                            b + 5,
                            b + 6
                        ));
                    }
                    _ => sql.push_str("(?,?,?,?,?,?)"),
                }
                #[allow(clippy::cast_possible_truncation)]
                let group = setup.group_ids[(i % 2) as usize];
                let expires: Option<DateTime<Utc>> = expired(i).then_some(yesterday);
                values.extend([
                    setup.tenant_id.into(),
                    group.into(),
                    listed(i).into(),
                    String::new().into(),
                    expires.into(),
                    now.into(),
                ]);
            }
            txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
            next = stop;
        }
        txn.commit().await?;
    }
    let elapsed = started.elapsed();
    if backend == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE blacklist_entries").await?;
    }
    Ok(elapsed)
}

async fn plan(db: &DatabaseConnection, setup: &Setup) -> anyhow::Result<String> {
    let backend = db.get_database_backend();
    let (explain, placeholders) = match backend {
        DbBackend::Postgres => ("EXPLAIN", ["$1", "$2", "$3", "$4", "$5"]),
        _ => ("EXPLAIN QUERY PLAN", ["?", "?", "?", "?", "?"]),
    };
    let sql = format!(
        "{explain} SELECT DISTINCT phone FROM blacklist_entries WHERE tenant_id = {} AND phone IN ({}) AND group_id IN ({}, {}) AND (expires_at IS NULL OR expires_at > {})",
        placeholders[0], placeholders[1], placeholders[2], placeholders[3], placeholders[4]
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                setup.tenant_id.into(),
                listed(1).into(),
                setup.group_ids[0].into(),
                setup.group_ids[1].into(),
                Utc::now().into(),
            ],
        ))
        .await?;
    let lines: Vec<String> = rows
        .iter()
        .map(|row| match backend {
            DbBackend::Postgres => row.try_get_by_index::<String>(0).unwrap_or_default(),
            _ => row.try_get_by_index::<String>(3).unwrap_or_default(),
        })
        .collect();
    Ok(lines.join(" | "))
}

/// A number to ask about: listed or not, and whether `blocked` must report it.
fn pick(rng: &mut StdRng) -> (String, bool) {
    let i = rng.random_range(0..ENTRIES);
    if rng.random_bool(0.5) {
        (listed(i), !expired(i))
    } else {
        (unlisted(i), false)
    }
}

async fn measure(prefix: &str, db: &DatabaseConnection) -> anyhow::Result<()> {
    let setup = setup(db).await?;
    let insert = fill(db, &setup).await?;
    eprintln!("{prefix}plan: {}", plan(db, &setup).await?);
    let mut rng = StdRng::seed_from_u64(4);

    // Warm the cache as a running dialer would have.
    for _ in 0..200 {
        let (phone, _) = pick(&mut rng);
        blocked(db, setup.tenant_id, &setup.group_ids, &[phone], Utc::now()).await?;
    }

    let mut single = Vec::with_capacity(SINGLE_QUERIES);
    for _ in 0..SINGLE_QUERIES {
        let (phone, expected) = pick(&mut rng);
        let asked = [phone];
        let started = Instant::now();
        let found = blocked(db, setup.tenant_id, &setup.group_ids, &asked, Utc::now()).await?;
        single.push(started.elapsed());
        anyhow::ensure!(
            found.contains(&asked[0]) == expected && found.len() <= 1,
            "wrong answer for {}",
            asked[0]
        );
    }
    let mut batches = Vec::with_capacity(BATCHES);
    for _ in 0..BATCHES {
        let picked: Vec<(String, bool)> = (0..BATCH).map(|_| pick(&mut rng)).collect();
        let phones: Vec<String> = picked.iter().map(|(p, _)| p.clone()).collect();
        let started = Instant::now();
        let found = blocked(db, setup.tenant_id, &setup.group_ids, &phones, Utc::now()).await?;
        batches.push(started.elapsed());
        let expected: std::collections::HashSet<&String> =
            picked.iter().filter(|(_, e)| *e).map(|(p, _)| p).collect();
        anyhow::ensure!(
            found.len() == expected.len() && found.iter().all(|p| expected.contains(p)),
            "wrong answer for a batch"
        );
    }
    single.sort();
    batches.sort();
    let count: i64 = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) FROM blacklist_entries",
        ))
        .await?
        .context("no count")?
        .try_get_by_index(0)?;
    println!("{prefix}blacklist_entries: {count} count");
    println!("{prefix}insert_1m_s: {:.2} s", insert.as_secs_f64());
    println!(
        "{prefix}blocked_single_p50_us: {:.0} us",
        percentile(&single, 0.5)
    );
    println!(
        "{prefix}blocked_single_p99_us: {:.0} us",
        percentile(&single, 0.99)
    );
    println!(
        "{prefix}blocked_batch100_p50_us: {:.0} us",
        percentile(&batches, 0.5)
    );
    println!(
        "{prefix}blocked_batch100_p99_us: {:.0} us",
        percentile(&batches, 0.99)
    );
    Ok(())
}

async fn sqlite() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let db = store::connect(&url).await?;
    measure("", &db).await?;
    db.close().await?;
    Ok(())
}

async fn postgres(admin: &str) -> anyhow::Result<()> {
    let name = format!("voxdial_bench_{}", std::process::id());
    let server = store::connect(admin).await?;
    server
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await?;
    server
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    let db = store::connect(&format!("{base}/{name}")).await?;
    let result = measure("postgres_", &db).await;
    db.close().await?;
    server
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await?;
    result
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    sqlite().await?;
    if let Ok(admin) = std::env::var("VOXDIAL_BENCH_POSTGRES_URL") {
        postgres(&admin).await?;
    }
    Ok(())
}
