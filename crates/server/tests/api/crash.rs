//! DIAL-3 with a real crash: the `voxdial` binary runs the demo task, is killed with SIGKILL
//! in the middle, and starts again. Nothing is lost, nobody is called twice, every answered
//! call is charged once.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use store::entity::{balance, call, charge, task_number};
use tempfile::TempDir;

use crate::support::{Client, DEMO_ADMIN, DEMO_PASSWORD, database_url};

struct Node {
    child: Child,
    base: String,
}

/// A failing test must not leave a server running.
impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn launch(data: &TempDir, database: &str, port: u16, life: u32) -> Node {
    let log = std::fs::File::create(data.path().join(format!("server-{life}.log"))).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_voxdial"))
        .arg("serve")
        .env("VOXDIAL_LISTEN", format!("127.0.0.1:{port}"))
        .env("VOXDIAL_DATA_DIR", data.path())
        .env("VOXDIAL_DATABASE_URL", database)
        .env("VOXDIAL_DEMO_PASSWORD", DEMO_PASSWORD)
        .env("VOXDIAL_SIMULATED_TIME_SCALE", "10")
        .env("VOXDIAL_NODE", "crash-test")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let node = Node {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..150 {
        if reqwest::get(format!("{}/api/health", node.base))
            .await
            .is_ok()
        {
            return node;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("voxdial did not start");
}

async fn open_calls(db: &DatabaseConnection) -> Vec<call::Model> {
    call::Entity::find()
        .filter(call::Column::EndedAt.is_null())
        .all(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_node_killed_mid_run_loses_nothing_and_calls_nobody_twice() {
    let data = TempDir::new().unwrap();
    let database = match database_url().await {
        Some(url) => url,
        None => format!(
            "sqlite://{}?mode=rwc",
            data.path().join("voxdial.db").display()
        ),
    };
    let port = free_port();
    let mut node = launch(&data, &database, port, 1).await;
    let admin = Client::at(node.base.clone());
    let (status, body) = admin.login(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, tasks) = admin.get("/api/tasks").await;
    let id = tasks["items"][0]["id"].as_i64().unwrap();
    let (_, detail) = admin.get(&format!("/api/tasks/{id}")).await;
    let mut form = detail["settings"].clone();
    form["name"] = detail["name"].clone();
    form["retry"]["statuses"] = json!([]);
    form["concurrency"] = json!(20);
    let (status, body) = admin.put(&format!("/api/tasks/{id}"), form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let db = store::connect(&database).await.unwrap();
    let before = balance::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .balance_mfen;
    let (status, body) = admin
        .post(&format!("/api/tasks/{id}/start"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Kill it while calls are on the line, some of them talking.
    let mut waited = 0;
    loop {
        let open = open_calls(&db).await;
        let ended = call::Entity::find()
            .filter(call::Column::EndedAt.is_not_null())
            .all(&db)
            .await
            .unwrap()
            .len();
        if ended >= 40 && open.iter().any(|c| c.state == "answered") {
            break;
        }
        waited += 1;
        assert!(waited < 600, "the task never got going");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    node.child.kill().unwrap();
    node.child.wait().unwrap();
    drop(node);
    let in_flight: HashMap<i64, call::Model> = open_calls(&db)
        .await
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    assert!(!in_flight.is_empty(), "calls were open at the kill");

    let node = launch(&data, &database, port, 2).await;
    let admin = Client::at(node.base.clone());
    admin.login(DEMO_ADMIN, DEMO_PASSWORD).await;
    let mut waited = 0;
    let task = loop {
        let (_, task) = admin.get(&format!("/api/tasks/{id}")).await;
        if task["status"] == "completed" {
            break task;
        }
        waited += 1;
        assert!(
            waited < 600,
            "the task did not finish after the restart: {task}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(task["called_numbers"], 200, "{task}");
    assert!(open_calls(&db).await.is_empty());

    // The calls open at the kill: those that had dialled ended as 中断 and stay so (no
    // redial rule for it); those only claimed vanished and their number was called once later.
    let calls = call::Entity::find()
        .filter(call::Column::TaskId.eq(id))
        .all(&db)
        .await
        .unwrap();
    let mut interrupted = 0;
    for (call_id, was) in &in_flight {
        match calls.iter().find(|c| c.id == *call_id) {
            Some(now) => {
                assert_ne!(was.state, "claimed");
                assert_eq!(now.status, "interrupted", "{now:?}");
                assert!(now.cause.contains("中断"));
                assert!(now.answered_at.is_some() || was.state == "dialing");
                interrupted += 1;
            }
            None => assert_eq!(was.state, "claimed", "only never-dialled calls vanish"),
        }
    }
    assert!(interrupted > 0);
    eprintln!(
        "crash test: {} calls open at the kill, {interrupted} closed as 中断, {} returned to the queue",
        in_flight.len(),
        in_flight.len() - interrupted
    );

    // Every number settled; none dialled twice.
    let numbers = task_number::Entity::find()
        .filter(task_number::Column::TaskId.eq(id))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(numbers.len(), 200);
    for number in &numbers {
        let dialled: Vec<&call::Model> = calls
            .iter()
            .filter(|c| c.task_number_id == number.id && c.dialed_at.is_some())
            .collect();
        assert_eq!(dialled.len(), 1, "{number:?} dialled {dialled:?}");
        assert_eq!(number.status, dialled[0].status);
        assert_eq!(number.attempts, 1);
        assert!(!["pending", "calling"].contains(&number.status.as_str()));
    }

    // Answered calls, those settled just before the kill included, are graded and charged
    // once; the balance fell by exactly the charges.
    let mut charges = Vec::new();
    for _ in 0..100 {
        charges = charge::Entity::find().all(&db).await.unwrap();
        let pending = call::Entity::find()
            .filter(call::Column::PostState.eq("pending"))
            .all(&db)
            .await
            .unwrap();
        if pending.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let answered: Vec<&call::Model> = calls.iter().filter(|c| c.status == "answered").collect();
    assert_eq!(charges.len(), answered.len());
    for call in &answered {
        assert!(!call.grade.is_empty(), "{call:?}");
        assert_eq!(
            charges
                .iter()
                .filter(|c| c.call_id == Some(call.id))
                .count(),
            1
        );
    }
    let charged: i64 = charges.iter().map(|c| c.amount_mfen).sum();
    let after = balance::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .balance_mfen;
    assert_eq!(after, before - charged);
    drop(node);
}
