//! `scripts/bench numbers`: the 电话号码 tab's queries through the real endpoint, with 250,000
//! numbers in the task and 5 million in the database (20 such tasks), on SQLite and (with
//! VOXDIAL_BENCH_POSTGRES_URL) PostgreSQL. Prints p50/p99 per filter as `key: value unit`.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, TransactionTrait};
use serde_json::Value;
use store::entity::company;
use voxdial_server::jobs::number_import::{self, NewNumber};

const PER_TASK: usize = 250_000;
const TASKS: usize = 20;
const SAMPLES: usize = 40;

const PROVINCES: [(&str, &str); 6] = [
    ("浙江", "杭州"),
    ("广东", "广州"),
    ("北京", "北京"),
    ("上海", "上海"),
    ("四川", "成都"),
    ("江苏", "南京"),
];
const CARRIERS: [&str; 3] = ["移动", "联通", "电信"];

fn numbers_for(task_id: i64, task_index: usize) -> Vec<NewNumber> {
    (0..PER_TASK)
        .map(|i| {
            let (province, city) = PROVINCES[i % PROVINCES.len()];
            NewNumber {
                task_id,
                phone: format!("1{}{:09}", 3 + task_index % 7, i * 7 + task_index),
                name: String::new(),
                company: String::new(),
                gender: 0,
                extra: "{}".to_owned(),
                province,
                city,
                carrier: CARRIERS[i % CARRIERS.len()],
            }
        })
        .collect()
}

async fn run(backend: &str, database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let server = voxdial_server::api::spawn(common::config(dir.path(), database_url))
        .await
        .unwrap();
    let db = server.state.db.clone();
    let client = common::Client::login(format!("http://{}", server.address)).await;
    let tenant = company::Entity::find().one(&db).await.unwrap().unwrap().id;
    let started = Instant::now();
    let mut measured = 0;
    for index in 0..TASKS {
        let task = client.new_task(&format!("任务{index}")).await;
        let rows = numbers_for(task, index);
        let created = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()
            + chrono::Duration::hours(index as i64);
        let txn = db.begin().await.unwrap();
        number_import::insert_numbers(&txn, tenant, None, &rows, created)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        measured = task;
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE task_numbers").await.unwrap();
    }
    println!("{backend}_numbers_in_database: {} rows", PER_TASK * TASKS);
    println!(
        "{backend}_fill_time: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let base = format!("/api/tasks/{measured}/numbers");
    let last_page = PER_TASK / 20;
    let queries = [
        ("first_page", format!("{base}?page=1&page_size=20")),
        ("last_page", format!("{base}?page={last_page}&page_size=20")),
        (
            "status",
            format!("{base}?status=pending&page=2&page_size=20"),
        ),
        (
            "province",
            format!("{base}?province=%E6%B5%99%E6%B1%9F&page=3&page_size=20"),
        ),
        (
            "carrier",
            format!("{base}?carrier=%E8%81%94%E9%80%9A&page_size=20"),
        ),
        ("phone_contains", format!("{base}?phone=0012&page_size=20")),
        (
            "created_range",
            format!(
                "{base}?created_from=2026-10-01T00:00:00Z&created_to=2026-12-01T00:00:00Z&page_size=20"
            ),
        ),
        ("facets", format!("{base}/facets")),
    ];
    for (name, path) in &queries {
        let mut times = Vec::with_capacity(SAMPLES);
        let mut total = Value::Null;
        for _ in 0..SAMPLES {
            let started = Instant::now();
            let body = client.get(path).await;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            total = body["total"].clone();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{backend}_{name}_p50: {:.1} ms (total {total})",
            common::percentile(&times, 0.5)
        );
        println!(
            "{backend}_{name}_p99: {:.1} ms",
            common::percentile(&times, 0.99)
        );
    }
    server.stop().await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
}

#[tokio::main]
async fn main() {
    run("sqlite", None).await;
    if let Some(url) = common::postgres_url() {
        run(
            "postgres",
            Some(common::fresh_postgres_database(&url).await),
        )
        .await;
    }
}
