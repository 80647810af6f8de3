//! The dialer end to end (issue 5): the demo task on the simulated line, records, grades,
//! bills; redial; quota; balance; the circuit breaker; and two dialer nodes on one database.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use dialer::{Dialer, DialerConfig, LineFactory};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use store::entity::{call, charge, line, task_number};
use telephony::{
    Call, CallEvent, DialRequest, Hangup, Line, LineError, Party, SimulatedConfig, SimulatedLine,
    TimedEvent,
};
use voxdial_server::dialing::ServerEnvironment;

use crate::support::{Client, DEMO_PASSWORD, TestApp};

async fn demo_task(admin: &Client) -> i64 {
    let (status, tasks) = admin.get("/api/tasks").await;
    assert_eq!(status, StatusCode::OK, "{tasks}");
    tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "演示任务")
        .expect("the demo company has 演示任务")["id"]
        .as_i64()
        .unwrap()
}

/// Changes a task's settings through the form's endpoint.
async fn edit(admin: &Client, id: i64, change: impl FnOnce(&mut Value)) {
    let (status, detail) = admin.get(&format!("/api/tasks/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let mut form = detail["settings"].clone();
    form["name"] = detail["name"].clone();
    change(&mut form);
    let (status, body) = admin.put(&format!("/api/tasks/{id}"), form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn start(admin: &Client, id: i64) {
    let (status, body) = admin
        .post(&format!("/api/tasks/{id}/start"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Polls the task until `done` holds (panics after `limit`).
async fn wait_for_task(
    admin: &Client,
    id: i64,
    limit: Duration,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let (_, task) = admin.get(&format!("/api/tasks/{id}")).await;
        if done(&task) {
            return task;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "task did not get there in time: {task}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn balance(admin: &Client) -> i64 {
    admin.get("/api/balance").await.1["balance_mfen"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_demo_task_calls_every_number_and_records_grades_and_bills_each_call() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let id = demo_task(&admin).await;
    edit(&admin, id, |form| form["retry"]["statuses"] = json!([])).await;
    let before = balance(&admin).await;
    start(&admin, id).await;
    let task = wait_for_task(&admin, id, Duration::from_secs(120), |t| {
        t["status"] == "completed"
    })
    .await;
    assert_eq!(task["called_numbers"], 200, "{task}");

    let db = &app.state().db;
    let numbers = task_number::Entity::find()
        .filter(task_number::Column::TaskId.eq(id))
        .all(db)
        .await
        .unwrap();
    let calls = call::Entity::find()
        .filter(call::Column::TaskId.eq(id))
        .all(db)
        .await
        .unwrap();
    // Every number called exactly once, settled with its call's outcome.
    assert_eq!(numbers.len(), 200);
    assert_eq!(calls.len(), 200);
    let by_number: HashMap<i64, &call::Model> =
        calls.iter().map(|c| (c.task_number_id, c)).collect();
    for number in &numbers {
        let call = by_number[&number.id];
        assert_eq!(number.status, call.status, "{number:?}");
        assert_eq!(number.attempts, 1);
        assert!(number.next_call_at.is_none() && number.lease_until.is_none());
        assert_eq!(call.state, "ended");
        assert!(call.ended_at.is_some() && call.dialed_at.is_some());
    }
    let answered: Vec<&call::Model> = calls.iter().filter(|c| c.status == "answered").collect();
    assert!(
        (50..=90).contains(&answered.len()),
        "about a third answered: {}",
        answered.len()
    );
    assert_eq!(task["connected_numbers"], answered.len());
    // Post-call work finishes shortly after the last hang-up.
    let charges = wait_for_charges(&app, answered.len()).await;
    let calls = call::Entity::find()
        .filter(call::Column::TaskId.eq(id))
        .all(db)
        .await
        .unwrap();
    let mut conversations = 0;
    for call in calls.iter().filter(|c| c.status == "answered") {
        assert_eq!(call.post_state, "done");
        assert!(["A", "B", "C", "D", "E", "F"].contains(&call.grade.as_str()));
        let turns: Vec<Value> = serde_json::from_str(&call.transcript).unwrap();
        assert_eq!(turns[0]["speaker"], "robot", "the robot opens: {turns:?}");
        if turns.iter().any(|t| t["speaker"] == "customer") {
            conversations += 1;
        }
        // 0.06 元/分钟 per started minute.
        assert_eq!(call.billed_seconds % 60, 0);
        assert!(call.billed_seconds * 1000 >= call.duration_ms);
        assert_eq!(call.cost_mfen, i64::from(call.billed_seconds) * 6000 / 60);
        assert!(call.answered_at.unwrap() <= call.ended_at.unwrap());
    }
    assert!(
        conversations * 2 > answered.len(),
        "most customers talk back: {conversations} of {}",
        answered.len()
    );
    for call in calls.iter().filter(|c| c.status != "answered") {
        assert_eq!((call.cost_mfen, call.grade.as_str()), (0, ""));
    }
    let charged: i64 = charges.iter().map(|c| c.amount_mfen).sum();
    let billed: i64 = calls.iter().map(|c| c.cost_mfen).sum();
    assert_eq!(charged, billed);
    assert_eq!(
        balance(&admin).await,
        before - charged,
        "each call charged once"
    );

    // The 通话记录 tab's filters.
    let (status, page) = admin
        .get(&format!(
            "/api/tasks/{id}/calls?statuses=answered&page_size=100"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], answered.len());
    let (_, long) = admin
        .get(&format!(
            "/api/tasks/{id}/calls?min_duration=30&statuses=answered"
        ))
        .await;
    let long_count = calls
        .iter()
        .filter(|c| c.status == "answered" && c.duration_ms > 29_000)
        .count();
    assert_eq!(long["total"], long_count);
    let graded_d = calls.iter().filter(|c| c.grade == "D").count();
    let (_, d) = admin.get(&format!("/api/tasks/{id}/calls?grades=D")).await;
    assert_eq!(d["total"], graded_d);
    let (status, bad) = admin.get(&format!("/api/tasks/{id}/calls?grades=Z")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let first = &page["items"][0];
    let (status, detail) = admin.get(&format!("/api/calls/{}", first["id"])).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["transcript"][0]["speaker"], "robot");
    assert!(
        detail["transcript"][0]["text"]
            .as_str()
            .unwrap()
            .contains(detail["name"].as_str().unwrap()),
        "the opening names the customer: {detail}"
    );
    assert_eq!(detail["timeline"][0]["kind"], "dial");
    // Intent codes come with their names (e.g. refuse → 拒绝).
    let (_, named) = admin
        .get(&format!(
            "/api/tasks/{id}/calls?statuses=answered&page_size=100"
        ))
        .await;
    let mut names = 0;
    for call in named["items"].as_array().unwrap() {
        let (_, detail) = admin.get(&format!("/api/calls/{}", call["id"])).await;
        for turn in detail["transcript"].as_array().unwrap() {
            if turn["intent"].is_string() {
                assert!(turn["intent_name"].is_string(), "{turn}");
                names += 1;
            }
        }
    }
    assert!(names > 0, "some customers' intents were recognised");

    // 我的账单.
    let (status, bills) = admin.get("/api/bills?page_size=5").await;
    assert_eq!(status, StatusCode::OK, "{bills}");
    assert_eq!(bills["total"], answered.len());
    assert_eq!(bills["total_amount_mfen"], charged);
    let (status, queued) = admin
        .post("/api/bills/export", json!({"task_id": id}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    let done =
        crate::support::wait_for_notification(&admin, queued["notification_id"].as_i64().unwrap())
            .await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["success_count"], answered.len());

    // Another company sees none of it.
    let operator = app.login("operator", DEMO_PASSWORD).await;
    let (status, other) = operator
        .post("/api/operator/companies", json!({"name": "乙公司", "admin_name": "乙", "admin_phone": "13600000000", "admin_password": "Other1234"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    let stranger = app.login("13600000000", "Other1234").await;
    let (status, _) = stranger.get(&format!("/api/calls/{}", first["id"])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = stranger.get(&format!("/api/tasks/{id}/calls")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, their_bills) = stranger.get("/api/bills").await;
    assert_eq!(their_bills["total"], 0);
}

async fn wait_for_charges(app: &TestApp, count: usize) -> Vec<charge::Model> {
    for _ in 0..100 {
        let charges = charge::Entity::find().all(&app.state().db).await.unwrap();
        if charges.len() >= count {
            return charges;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the answered calls were not all charged");
}

#[tokio::test]
async fn redial_calls_the_chosen_outcomes_again_and_quota_and_balance_stop_the_dialer() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let id = demo_task(&admin).await;
    edit(&admin, id, |form| {
        form["retry"]["statuses"] = json!([]);
        form["quota"]["daily_connected_limit"] = json!(5);
    })
    .await;
    start(&admin, id).await;
    let task = wait_for_task(&admin, id, Duration::from_secs(60), |t| {
        t["idle_reason"]
            .as_str()
            .is_some_and(|r| r.contains("每日接通上限"))
    })
    .await;
    assert_eq!(task["status"], "running");
    // Calls already ringing when the fifth answered may still connect; no new ones start.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, settled) = admin.get(&format!("/api/tasks/{id}/calls")).await;
    let (_, answered) = admin
        .get(&format!("/api/tasks/{id}/calls?statuses=answered"))
        .await;
    let connected = answered["total"].as_i64().unwrap();
    assert!((5..=15).contains(&connected), "the quota holds: {answered}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, later) = admin.get(&format!("/api/tasks/{id}/calls")).await;
    assert_eq!(later["total"], settled["total"], "no calls after the quota");

    // Redial is refused while running; after a pause it queues the chosen outcomes.
    let (status, body) = admin
        .post(
            &format!("/api/tasks/{id}/redial"),
            json!({"statuses": ["no_answer"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = admin
        .post(&format!("/api/tasks/{id}/pause"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = admin
        .post(
            &format!("/api/tasks/{id}/redial"),
            json!({"statuses": ["answered"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let db = &app.state().db;
    let no_answer = task_number::Entity::find()
        .filter(task_number::Column::TaskId.eq(id))
        .filter(task_number::Column::Status.eq("no_answer"))
        .all(db)
        .await
        .unwrap();
    let (status, body) = admin
        .post(
            &format!("/api/tasks/{id}/redial"),
            json!({"statuses": ["no_answer"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["numbers"], no_answer.len());

    // Without the quota, the task calls the rest and the redials, then completes.
    edit(&admin, id, |form| {
        form["quota"]["daily_connected_limit"] = json!(null)
    })
    .await;
    start(&admin, id).await;
    wait_for_task(&admin, id, Duration::from_secs(120), |t| {
        t["status"] == "completed"
    })
    .await;
    for number in &no_answer {
        let calls = call::Entity::find()
            .filter(call::Column::TaskNumberId.eq(number.id))
            .order_by_asc(call::Column::Id)
            .all(db)
            .await
            .unwrap();
        assert_eq!(calls.len(), 2, "redialled once: {number:?}");
        assert_eq!(calls[1].attempt, 2);
    }

    // A balance that runs out pauses the task (BILL-1) and tells the owner.
    let operator = app.login("operator", DEMO_PASSWORD).await;
    let company = store::entity::company::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let left = balance(&admin).await;
    let (status, body) = operator
        .put(
            &format!("/api/operator/companies/{company}/balance"),
            json!({"top_up_mfen": 12_000 - left}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = admin
        .post(&format!("/api/tasks/{id}/redial"), json!({"statuses": ["no_answer", "busy", "powered_off", "rejected", "vacant", "suspended", "carrier_blocked", "arrears", "user_blocked", "incoming_restricted"]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    start(&admin, id).await;
    let task = wait_for_task(&admin, id, Duration::from_secs(60), |t| {
        t["status"] == "paused"
    })
    .await;
    assert!(balance(&admin).await <= 0, "{task}");
    let (_, notifications) = admin.get("/api/notifications").await;
    assert!(
        notifications.to_string().contains("余额和透支额度已用完"),
        "{notifications}"
    );
}

/// A line that fails every dial, as a dead trunk does.
struct DeadLines;

struct DeadLine;

#[async_trait]
impl Line for DeadLine {
    async fn dial(&self, _request: DialRequest) -> Result<Call, LineError> {
        Err(LineError::Unavailable("503 Service Unavailable".into()))
    }
}

impl LineFactory for DeadLines {
    fn open(&self, _row: &line::Model) -> Result<Arc<dyn Line>, LineError> {
        Ok(Arc::new(DeadLine))
    }

    fn time_scale(&self, _row: &line::Model) -> f64 {
        1.0
    }
}

fn dialer_on(app: &TestApp, node: &str, lines: Arc<dyn LineFactory>) -> dialer::DialerHandle {
    let dialer = Dialer::new(
        app.state().db.clone(),
        Arc::new(ServerEnvironment::new(app.state().clone())),
        lines,
        DialerConfig {
            node: node.to_owned(),
            poll: Duration::from_millis(200),
            ..DialerConfig::default()
        },
    );
    let handle = dialer.handle();
    tokio::spawn(async move { dialer.run().await.unwrap() });
    handle
}

#[tokio::test]
async fn a_dead_line_pauses_the_task_without_burning_the_list() {
    let app = TestApp::start_configured(true, |config| config.dialer = false).await;
    let admin = app.admin().await;
    let id = demo_task(&admin).await;
    let node = dialer_on(&app, "dead-line", Arc::new(DeadLines));
    start(&admin, id).await;
    let task = wait_for_task(&admin, id, Duration::from_secs(30), |t| {
        t["status"] == "paused"
    })
    .await;
    node.stop.cancel();
    let (_, detail) = admin.get(&format!("/api/tasks/{id}")).await;
    assert_eq!(detail["called_numbers"], 0, "{task}");
    let pending = task_number::Entity::find()
        .filter(task_number::Column::TaskId.eq(id))
        .filter(task_number::Column::Status.eq("pending"))
        .all(&app.state().db)
        .await
        .unwrap();
    assert_eq!(pending.len(), 200, "every number is still to call");
    let (_, notifications) = admin.get("/api/notifications").await;
    assert!(
        notifications.to_string().contains("线路异常"),
        "the owner is told: {notifications}"
    );
}

/// Calls open at once, and the most seen since the last reset.
#[derive(Default)]
struct Gauge {
    open: AtomicI64,
    most: AtomicI64,
}

impl Gauge {
    fn up(&self) {
        let now = self.open.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }

    fn down(&self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
    }

    fn most(&self) -> i64 {
        self.most.load(Ordering::SeqCst)
    }

    /// Forgets the peak: from now on `most` is what is open now or more.
    fn reset(&self) {
        self.most
            .store(self.open.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

/// The simulated line as one node sees it, watched: the calls open at once (on the whole line
/// and on this node) and which numbers were dialled.
struct Watched {
    line: SimulatedLine,
    gauges: Vec<Arc<Gauge>>,
    dialled: Arc<Mutex<Vec<String>>>,
}

impl Watched {
    fn new(line: SimulatedLine, gauges: Vec<Arc<Gauge>>, dialled: Arc<Mutex<Vec<String>>>) -> Self {
        Self {
            line,
            gauges,
            dialled,
        }
    }
}

#[async_trait]
impl Line for Watched {
    async fn dial(&self, request: DialRequest) -> Result<Call, LineError> {
        self.dialled.lock().unwrap().push(request.number.clone());
        let mut inner = self.line.dial(request.clone()).await?;
        for gauge in &self.gauges {
            gauge.up();
        }
        let (outer, mut side) = Call::pair(request.number);
        let gauges = self.gauges.clone();
        let down = move || gauges.iter().for_each(|g| g.down());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    event = inner.next_event() => {
                        let Some(event) = event else { break };
                        let last = matches!(event.event, CallEvent::Ended(_));
                        if last {
                            down();
                        }
                        let _ = side.events.send(event).await;
                        if last {
                            return;
                        }
                    }
                    command = side.commands.recv() => match command {
                        Some(command) => { let _ = inner.send(command).await; }
                        None => { let _ = inner.hang_up().await; }
                    }
                }
            }
            down();
            let _ = side
                .events
                .send(TimedEvent {
                    at_ms: 0,
                    event: CallEvent::Ended(Hangup {
                        status: domain::task::NumberStatus::Interrupted,
                        by: Party::Network,
                        cause: "gone".into(),
                    }),
                })
                .await;
        });
        Ok(outer)
    }
}

struct WatchedLines(Arc<Watched>);

impl LineFactory for WatchedLines {
    fn open(&self, _row: &line::Model) -> Result<Arc<dyn Line>, LineError> {
        Ok(self.0.clone() as Arc<dyn Line>)
    }

    fn time_scale(&self, _row: &line::Model) -> f64 {
        self.0.line.config().time_scale
    }
}

fn simulated(time_scale: f64) -> SimulatedLine {
    SimulatedLine::new(SimulatedConfig {
        seed: 0,
        time_scale,
    })
    .unwrap()
}

/// Waits until every node counts `nodes` live dialer nodes.
async fn until_nodes(handles: &[&dialer::DialerHandle], nodes: usize) {
    let what = format!("the nodes did not see {nodes} live nodes in time");
    wait_until(Duration::from_secs(10), &what, || {
        handles.iter().all(|h| h.live_nodes() == nodes)
    })
    .await;
}

/// Waits until a node has dialled a number.
async fn until_dialled(dialled: &Mutex<Vec<String>>, limit: Duration, what: &str) {
    wait_until(limit, what, || !dialled.lock().unwrap().is_empty()).await;
}

#[tokio::test]
async fn two_dialer_nodes_split_a_task_evenly_without_doubling_a_number_or_exceeding_concurrency() {
    let app = TestApp::start_configured(true, |config| config.dialer = false).await;
    let admin = app.admin().await;
    let id = demo_task(&admin).await;
    edit(&admin, id, |form| {
        form["retry"]["statuses"] = json!([]);
        form["concurrency"] = json!(6);
    })
    .await;
    let line = Arc::new(Gauge::default());
    let (gauge_a, gauge_b) = (Arc::new(Gauge::default()), Arc::new(Gauge::default()));
    let dialled_a = Arc::new(Mutex::new(Vec::new()));
    let dialled_b = Arc::new(Mutex::new(Vec::new()));
    let watched = |gauge: &Arc<Gauge>, dialled: &Arc<Mutex<Vec<String>>>| {
        Arc::new(WatchedLines(Arc::new(Watched::new(
            simulated(60.0),
            vec![line.clone(), gauge.clone()],
            dialled.clone(),
        ))))
    };
    let a = dialer_on(&app, "node-a", watched(&gauge_a, &dialled_a));
    let b = dialer_on(&app, "node-b", watched(&gauge_b, &dialled_b));
    until_nodes(&[&a, &b], 2).await;
    start(&admin, id).await;
    // Neither node waits for the other to leave it room: both dial at once.
    until_dialled(&dialled_a, Duration::from_secs(5), "node-a dialled").await;
    until_dialled(&dialled_b, Duration::from_secs(5), "node-b dialled").await;
    wait_for_task(&admin, id, Duration::from_secs(60), |t| {
        t["called_numbers"].as_i64().unwrap_or(0) >= 100
    })
    .await;
    let (line_before, a_before, b_before) = (line.most(), gauge_a.most(), gauge_b.most());
    // Halfway, the operator lowers the line to 4 channels: both nodes keep to it.
    let db = &app.state().db;
    let line_id = line::Entity::find()
        .filter(line::Column::Kind.eq("simulated"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    line::Entity::update_many()
        .col_expr(line::Column::MaxConcurrency, 4.into())
        .filter(line::Column::Id.eq(line_id))
        .exec(db)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    for gauge in [&line, &gauge_a, &gauge_b] {
        gauge.reset();
    }
    wait_for_task(&admin, id, Duration::from_secs(120), |t| {
        t["status"] == "completed"
    })
    .await;
    a.stop.cancel();
    b.stop.cancel();

    assert!(line_before <= 6, "task concurrency held: {line_before}");
    assert!(
        a_before == 3 && b_before == 3,
        "each node took its half of the task's 6 channels: {a_before} and {b_before}"
    );
    let (line_after, a_after, b_after) = (line.most(), gauge_a.most(), gauge_b.most());
    assert!(line_after <= 4, "line concurrency held: {line_after}");
    assert!(
        a_after <= 2 && b_after <= 2,
        "each node kept to its half of the line's 4 channels: {a_after} and {b_after}"
    );
    let on_a = dialled_a.lock().unwrap().clone();
    let on_b = dialled_b.lock().unwrap().clone();
    let all: Vec<&String> = on_a.iter().chain(&on_b).collect();
    let distinct: HashSet<&String> = all.iter().copied().collect();
    assert_eq!(all.len(), 200, "every number dialled");
    assert_eq!(distinct.len(), 200, "and none twice");
    // Equal channels give equal work, up to the mix of long and short calls each node drew.
    for (node, calls) in [("node-a", on_a.len()), ("node-b", on_b.len())] {
        assert!(
            (70..=130).contains(&calls),
            "{node} placed {calls} of the 200 calls (node-a {}, node-b {})",
            on_a.len(),
            on_b.len()
        );
    }
}

#[tokio::test]
async fn the_shares_follow_a_node_that_joins_and_one_that_leaves() {
    let app = TestApp::start_configured(true, |config| config.dialer = false).await;
    let admin = app.admin().await;
    let id = demo_task(&admin).await;
    edit(&admin, id, |form| {
        form["retry"]["statuses"] = json!([]);
        form["concurrency"] = json!(4);
    })
    .await;
    let (gauge_a, gauge_b) = (Arc::new(Gauge::default()), Arc::new(Gauge::default()));
    let dialled_b = Arc::new(Mutex::new(Vec::new()));
    // Slow calls, so that the task outlasts the changes.
    let a = dialer_on(
        &app,
        "node-a",
        Arc::new(WatchedLines(Arc::new(Watched::new(
            simulated(10.0),
            vec![gauge_a.clone()],
            Arc::new(Mutex::new(Vec::new())),
        )))),
    );
    until_nodes(&[&a], 1).await;
    start(&admin, id).await;
    wait_until(
        Duration::from_secs(20),
        "node-a alone takes all 4 channels",
        || gauge_a.most() == 4,
    )
    .await;

    let b = dialer_on(
        &app,
        "node-b",
        Arc::new(WatchedLines(Arc::new(Watched::new(
            simulated(10.0),
            vec![gauge_b.clone()],
            dialled_b.clone(),
        )))),
    );
    until_nodes(&[&a, &b], 2).await;
    until_dialled(
        &dialled_b,
        Duration::from_secs(30),
        "node-b joined the task",
    )
    .await;
    // node-a lets its calls end and keeps to its half from then on.
    wait_until(
        Duration::from_secs(60),
        "node-a came down to its half",
        || gauge_a.open.load(Ordering::SeqCst) <= 2,
    )
    .await;
    gauge_a.reset();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        gauge_a.most() <= 2,
        "node-a took {} channels",
        gauge_a.most()
    );
    assert!(
        gauge_b.most() <= 2,
        "node-b took {} channels",
        gauge_b.most()
    );

    // node-b stops cleanly: node-a takes the whole task back.
    b.stop.cancel();
    until_nodes(&[&a], 1).await;
    wait_until(
        Duration::from_secs(30),
        "node-a took node-b's share",
        || gauge_a.open.load(Ordering::SeqCst) >= 3,
    )
    .await;
    a.stop.cancel();
}

/// Waits until `done` holds (panics after `limit` with `what`).
async fn wait_until(limit: Duration, what: &str, done: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + limit;
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
