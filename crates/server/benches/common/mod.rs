//! What the server benchmarks share: a logged-in HTTP client of the demo company, and a fresh
//! PostgreSQL database per run.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Duration;

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use voxdial_server::config::Config;

pub const PASSWORD: &str = "Bench1234";

/// A server on a fresh data folder with the demo company, on SQLite or the given database.
pub fn config(data_dir: &Path, database_url: Option<String>) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.to_path_buf(),
        database_url,
        demo: true,
        demo_password: Some(PASSWORD.to_owned()),
        secure_cookies: false,
        dialer: false,
        node: None,
        simulated_time_scale: 1.0,
    }
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    csrf: String,
}

impl Client {
    /// The demo company's owner, logged in.
    pub async fn login(base: String) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let response = http
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"login": "13800000000", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "login failed");
        let csrf = response
            .cookies()
            .find(|c| c.name() == "voxdial_csrf")
            .map(|c| c.value().to_owned())
            .unwrap();
        Self { http, base, csrf }
    }

    pub async fn get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "GET {path}");
        response.json().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        self.http
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn upload(&self, path: &str, name: &str, bytes: Vec<u8>) -> Value {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
        self.http
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .multipart(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// A task from the form's defaults.
    pub async fn new_task(&self, name: &str) -> i64 {
        let mut form = self.get("/api/tasks/defaults").await;
        form["name"] = json!(name);
        let task = self.post("/api/tasks", form).await;
        task["id"].as_i64().expect("task created")
    }

    /// Waits for a job's notification to finish.
    pub async fn wait(&self, notification: i64) -> Value {
        loop {
            let page = self.get("/api/notifications?page_size=20").await;
            let found = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["id"] == notification)
                .cloned()
                .unwrap();
            if found["status"] == "succeeded" || found["status"] == "failed" {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// VOXDIAL_BENCH_POSTGRES_URL, when set and not empty.
pub fn postgres_url() -> Option<String> {
    std::env::var("VOXDIAL_BENCH_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A new, empty database on the server at `url`, so every run starts alike.
pub async fn fresh_postgres_database(url: &str) -> String {
    let admin = store::connect(url).await.unwrap();
    // One database per run: an earlier run's pool may still hold connections to its own.
    static RUNS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let name = format!("voxdial_bench_{}_{run}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{name}")
}

/// The value at quantile `p` of sorted samples.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}
