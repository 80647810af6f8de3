//! Calling tasks, their numbers and imports, call-time templates and holidays.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Client, DEMO_PASSWORD, TestApp, code, wait_for_notification, xlsx};

/// A task made from the form's defaults, with a name.
async fn new_task(admin: &Client, name: &str, change: impl FnOnce(&mut Value)) -> Value {
    let (status, mut form) = admin.get("/api/tasks/defaults").await;
    assert_eq!(status, StatusCode::OK, "{form}");
    form["name"] = json!(name);
    change(&mut form);
    let (status, task) = admin.post("/api/tasks", form).await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    task
}

/// Imports a sheet into a task and waits for the job.
async fn import(admin: &Client, task_id: i64, name: &str, bytes: Vec<u8>) -> Value {
    let (status, accepted) = admin
        .upload(&format!("/api/tasks/{task_id}/numbers/import"), name, bytes)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{accepted}");
    wait_for_notification(admin, accepted["notification_id"].as_i64().unwrap()).await
}

#[tokio::test]
async fn a_task_is_created_from_defaults_and_checked() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (_, form) = admin.get("/api/tasks/defaults").await;
    assert!(form["name"].as_str().unwrap().starts_with("外呼任务"));
    assert_eq!(
        form["dialog"]["mode"], "unified",
        "the demo script is chosen: {form}"
    );
    assert_eq!(
        form["schedule"]["days"]["mon"],
        json!([["09:00", "12:00"], ["13:00", "18:00"]])
    );
    let (_, lines) = admin.get("/api/lines").await;
    let simulated = lines
        .as_array()
        .map(|l| l.iter().find(|l| l["kind"] == "simulated").cloned())
        .unwrap_or_default();
    if let Some(simulated) = simulated {
        assert_eq!(form["line_id"], simulated["id"]);
    }

    let cases = [
        (json!({"concurrency": 5000}), "concurrency"),
        (json!({"dialog": null}), "dialog"),
        (
            json!({"valid_until": "2020-01-01T00:00:00Z"}),
            "valid_until",
        ),
        (
            json!({"schedule": {"days": {"mon": [["12:00", "11:00"]]}}}),
            "schedule",
        ),
        (json!({"line_id": 999_999}), "line_id"),
        (
            json!({"blacklist_group_ids": [999_999]}),
            "blacklist_group_ids",
        ),
        (json!({"kind": "llm", "llm_robot_id": null}), "llm_robot_id"),
    ];
    for (change, field) in cases {
        let mut body = form.clone();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let (status, error) = admin.post("/api/tasks", body).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{change}: {error}"
        );
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    let mut bad_schedule = form.clone();
    bad_schedule["schedule"] = json!({"days": {"mon": [["12:00", "11:00"]]}});
    let (_, error) = admin.post("/api/tasks", bad_schedule).await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("周一的时间段 12:00-11:00"),
        "the schedule's own message: {error}"
    );

    let first = new_task(&admin, "春季体验课邀约", |f| {
        f["alias"] = json!("春季")
    })
    .await;
    assert_eq!(first["status"], "not_started");
    assert_eq!(first["status_label"], "未开始");
    assert_eq!(first["settings"]["alias"], "春季");
    let mut clash = form.clone();
    clash["name"] = json!("另一个任务");
    clash["alias"] = json!("春季");
    let (status, error) = admin.post("/api/tasks", clash).await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("alias"))
    );

    let id = first["id"].as_i64().unwrap();
    let mut edited = form.clone();
    edited["name"] = json!("春季体验课邀约（改）");
    edited["alias"] = json!("春季");
    edited["concurrency"] = json!(20);
    let (status, body) = admin.put(&format!("/api/tasks/{id}"), edited).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["concurrency"], 20);
    let (_, list) = admin.get("/api/tasks?q=%E6%98%A5%E5%AD%A3").await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["name"], "春季体验课邀约（改）");
}

#[tokio::test]
async fn numbers_are_imported_normalised_and_filtered() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let task = new_task(&admin, "导入测试", |_| {}).await;
    let id = task["id"].as_i64().unwrap();
    let group = task["settings"]["blacklist_group_ids"][0].as_i64().unwrap();
    // A number already on the task's blacklist group.
    {
        use sea_orm::{ActiveModelTrait, Set};
        use store::entity::blacklist_entry;
        blacklist_entry::ActiveModel {
            tenant_id: Set(task_tenant(&app).await),
            group_id: Set(group),
            phone: Set("13900000009".into()),
            note: Set(String::new()),
            expires_at: Set(None),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&app.state().db)
        .await
        .unwrap();
    }

    let (status, template) = admin.download("/api/numbers/import-template").await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.starts_with(b"PK"));

    let sheet = xlsx(&[
        &["号码*", "联系人", "公司", "性别", "城市"],
        &["13800138000", "王先生", "星火教育", "1", "杭州"],
        &["+86 139-0000-0001", "李女士", "", "女", ""],
        &["１３９００００００02", "", "", "", ""],
        &["13800138000", "重复", "", "", ""],
        &["1.38E+10", "截断", "", "", ""],
        &["12345", "太短", "", "", ""],
        &["0571-88776655", "固话", "", "", ""],
        &["13900000009", "黑名单", "", "", ""],
        &["", "空号码", "", "", ""],
    ]);
    let done = import(&admin, id, "号码.xlsx", sheet).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(
        (done["success_count"].as_i64(), done["fail_count"].as_i64()),
        (Some(4), Some(5)),
        "{done}"
    );
    let (status, report) = admin
        .download(done["result_file_url"].as_str().unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    let reasons = read_reasons(&report);
    assert_eq!(
        reasons,
        [
            (5, "号码在文件中重复".to_owned()),
            (
                6,
                "号码被 Excel 显示为科学计数法并丢失了位数，请把号码列设为文本后重新填写"
                    .to_owned()
            ),
            (7, "号码位数不正确".to_owned()),
            (9, "号码在任务绑定的黑名单中".to_owned()),
            (10, "号码为空".to_owned()),
        ]
    );

    let (_, numbers) = admin
        .get(&format!("/api/tasks/{id}/numbers?page_size=10"))
        .await;
    assert_eq!(numbers["total"], 4);
    let first = &numbers["items"][0];
    assert_eq!(first["phone"], "13800138000");
    assert_eq!(
        (
            first["province"].as_str(),
            first["city"].as_str(),
            first["carrier"].as_str()
        ),
        (Some("北京"), Some("北京"), Some("移动"))
    );
    assert_eq!(first["status_label"], "未呼叫");
    assert_eq!(numbers["items"][3]["phone"], "057188776655");
    assert_eq!(numbers["items"][3]["city"], "杭州");
    let (_, filtered) = admin
        .get(&format!(
            "/api/tasks/{id}/numbers?carrier=%E7%A7%BB%E5%8A%A8&phone=1380"
        ))
        .await;
    assert_eq!(filtered["total"], 1);
    let (_, facets) = admin.get(&format!("/api/tasks/{id}/numbers/facets")).await;
    let pending = facets["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "pending")
        .unwrap();
    assert_eq!(pending["count"], 4);
    assert!(
        facets["provinces"]
            .as_array()
            .unwrap()
            .contains(&json!("浙江"))
    );
    let (_, detail) = admin.get(&format!("/api/tasks/{id}")).await;
    assert_eq!(detail["total_numbers"], 4);

    // Importing the same numbers again adds nothing: they are already in the task.
    let again = import(
        &admin,
        id,
        "again.csv",
        "号码\n13800138000\n13900000001\n".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(again["status"], "failed");
    assert_eq!(again["fail_count"], 2);

    // A GBK csv from Chinese Excel, with the pool copy.
    let (gbk, _, _) = encoding_rs::GBK.encode("号码,联系人\r\n13700000001,赵先生\r\n");
    let (status, accepted) = admin
        .send_multipart(
            &format!("/api/tasks/{id}/numbers/import"),
            "客户.csv",
            gbk.into_owned(),
            &[("to_pool", "true")],
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{accepted}");
    let done = wait_for_notification(&admin, accepted["notification_id"].as_i64().unwrap()).await;
    assert_eq!(done["success_count"], 1);
    let (_, zhao) = admin
        .get(&format!("/api/tasks/{id}/numbers?phone=13700000001"))
        .await;
    assert_eq!(zhao["items"][0]["name"], "赵先生");
    {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use store::entity::customer;
        let pooled = customer::Entity::find()
            .filter(customer::Column::Phone.eq("13700000001"))
            .one(&app.state().db)
            .await
            .unwrap()
            .expect("copied into the public pool");
        assert_eq!(pooled.name, "赵先生");
    }

    for (name, bytes, expected) in [
        ("空.xlsx", Vec::new(), "EMPTY_FILE"),
        (
            "表.xlsx",
            xlsx(&[&["姓名", "电话号"], &["王", "138"]]),
            "BAD_HEADERS",
        ),
        ("表.txt", b"13800138000".to_vec(), "UNSUPPORTED_FILE"),
    ] {
        let (status, body) = admin
            .upload(&format!("/api/tasks/{id}/numbers/import"), name, bytes)
            .await;
        assert!(status.is_client_error(), "{name}: {status}");
        assert_eq!(code(&body), expected, "{name}: {body}");
    }
    let mut big = String::from("号码\n");
    for i in 0..250_001u32 {
        big.push_str(&format!("1380{i:07}\n"));
    }
    let (status, body) = admin
        .upload(
            &format!("/api/tasks/{id}/numbers/import"),
            "big.csv",
            big.into_bytes(),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "TOO_MANY_ROWS"),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("250001"));
}

async fn task_tenant(app: &TestApp) -> i64 {
    use sea_orm::EntityTrait;
    use store::entity::company;
    company::Entity::find().all(&app.state().db).await.unwrap()[0].id
}

/// (row, reason) of an import error report.
fn read_reasons(bytes: &[u8]) -> Vec<(i64, String)> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .skip(1)
        .map(|row| {
            let line = match &row[0] {
                Data::Float(f) => *f as i64,
                other => other.to_string().parse().unwrap(),
            };
            (line, row[1].to_string())
        })
        .collect()
}

#[tokio::test]
async fn rows_find_their_task_by_alias() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let spring = new_task(&admin, "春季", |f| f["alias"] = json!("A")).await;
    let autumn = new_task(&admin, "秋季", |f| f["alias"] = json!("B")).await;
    let (status, body) = admin
        .upload(
            "/api/numbers/import",
            "无别名.xlsx",
            xlsx(&[&["号码"], &["13800138000"]]),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "BAD_HEADERS")
    );
    let sheet = xlsx(&[
        &["号码", "别名"],
        &["13800138000", "A"],
        &["13800138000", "B"],
        &["13800138001", "B"],
        &["13800138002", "C"],
    ]);
    let (status, accepted) = admin
        .upload("/api/numbers/import", "多任务.xlsx", sheet)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{accepted}");
    let done = wait_for_notification(&admin, accepted["notification_id"].as_i64().unwrap()).await;
    assert_eq!(
        (done["success_count"].as_i64(), done["fail_count"].as_i64()),
        (Some(3), Some(1))
    );
    for (task, expected) in [(&spring, 1), (&autumn, 2)] {
        let (_, detail) = admin.get(&format!("/api/tasks/{}", task["id"])).await;
        assert_eq!(detail["total_numbers"], expected);
    }
}

#[tokio::test]
async fn the_lifecycle_respects_numbers_concurrency_and_balance() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    // Only this test's tasks on the line: the demo company's 演示任务 goes.
    let (_, tasks) = admin.get("/api/tasks").await;
    let demo = tasks["items"][0]["id"].as_i64().unwrap();
    let (status, _) = admin.delete(&format!("/api/tasks/{demo}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let big = new_task(&admin, "大任务", |f| f["concurrency"] = json!(600)).await;
    let other = new_task(&admin, "另一个", |f| f["concurrency"] = json!(600)).await;
    let big_id = big["id"].as_i64().unwrap();
    let other_id = other["id"].as_i64().unwrap();
    let (status, body) = admin
        .post(&format!("/api/tasks/{big_id}/start"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "NO_NUMBERS")
    );
    for id in [big_id, other_id] {
        import(
            &admin,
            id,
            "n.csv",
            "号码\n13800138000\n13800138001\n".as_bytes().to_vec(),
        )
        .await;
    }
    let (status, started) = admin
        .post(&format!("/api/tasks/{big_id}/start"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{started}");
    assert_eq!(started["status_label"], "执行中");
    let (status, refused) = admin
        .post(&format!("/api/tasks/{other_id}/start"), json!({}))
        .await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::CONFLICT, "CONCURRENCY"),
        "{refused}"
    );
    assert!(refused["message"].as_str().unwrap().starts_with("并发不足"));
    assert_eq!(
        refused["holders"],
        json!([{"task_id": big_id, "name": "大任务", "concurrency": 600}])
    );

    let (status, body) = admin
        .put(&format!("/api/tasks/{big_id}"), json!({"name": "x"}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "TASK_RUNNING")
    );
    let (status, body) = admin
        .post("/api/tasks/delete", json!({"ids": [big_id, other_id]}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "TASK_RUNNING")
    );
    assert!(body["message"].as_str().unwrap().contains("大任务"));

    let (_, paused) = admin.post("/api/tasks/pause-all", json!({})).await;
    assert_eq!(paused["changed"], 1);
    let (_, all) = admin.post("/api/tasks/start-all", json!({})).await;
    assert_eq!(all["changed"], 1, "only one fits the line: {all}");
    assert_eq!(
        all["failed"][0]["reason"]
            .as_str()
            .map(|r| r.starts_with("并发不足")),
        Some(true)
    );

    let (status, stopped) = admin
        .post(&format!("/api/tasks/{big_id}/stop"), json!({}))
        .await;
    assert_eq!(
        (status, stopped["status"].as_str()),
        (StatusCode::OK, Some("stopped"))
    );
    let (status, body) = admin
        .post(&format!("/api/tasks/{big_id}/start"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "TASK_STOPPED")
    );

    let (status, copy) = admin
        .post(&format!("/api/tasks/{big_id}/copy"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (copy["name"].as_str(), copy["total_numbers"].as_i64()),
        (Some("大任务（副本）"), Some(0))
    );
    let (status, template) = admin
        .post(
            &format!("/api/tasks/{big_id}/template"),
            json!({"name": "600并发模板"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, templates) = admin.get("/api/task-templates").await;
    assert_eq!(templates[0]["name"], "600并发模板");
    let (status, from_template) = admin
        .post(
            &format!("/api/task-templates/{}/create", template["id"]),
            json!({"name": "模板任务"}),
        )
        .await;
    assert_eq!(
        (status, from_template["concurrency"].as_i64()),
        (StatusCode::CREATED, Some(600))
    );
    let (_, list) = admin.get("/api/tasks?page_size=50").await;
    assert_eq!(list["total"], 4, "templates are not tasks: {list}");

    let (status, deleted) = admin
        .post("/api/tasks/delete", json!({"ids": [big_id, other_id]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{deleted}");
    assert_eq!(deleted["deleted"], 2);
    {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        use store::entity::task_number;
        let orphans = task_number::Entity::find()
            .filter(task_number::Column::TaskId.is_in([big_id, other_id]))
            .count(&app.state().db)
            .await
            .unwrap();
        assert_eq!(orphans, 0, "numbers go with their task");
    }
    // Each change above wrote its audit entry with it.
    let (_, log) = admin.get("/api/audit-log?page_size=100").await;
    let entries: Vec<(&str, &str, &str)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = |key: &str| e[key].as_str().unwrap_or_default();
            (text("action"), text("target"), text("detail"))
        })
        .collect();
    for (action, target, detail) in [
        ("task.create", "大任务", ""),
        ("task.start", "大任务", ""),
        ("task.stop", "大任务", ""),
        ("task.create", "大任务（副本）", "复制自 大任务"),
        ("task.create", "600并发模板", "存为模板"),
        ("task.create", "模板任务", "来自模板 600并发模板"),
        ("task.delete", "大任务", "2 个号码"),
    ] {
        assert!(
            entries.contains(&(action, target, detail)),
            "{action} {target} {detail}: {entries:?}"
        );
    }
    assert!(
        entries.iter().any(|(action, _, _)| *action == "task.pause"),
        "pause-all: {entries:?}"
    );

    // A company with no balance cannot start.
    let operator = app.login("operator", DEMO_PASSWORD).await;
    operator
        .post("/api/operator/companies", json!({"name": "乙公司", "admin_name": "乙", "admin_phone": "13600000000", "admin_password": "Other1234"}))
        .await;
    let poor = app.login("13600000000", "Other1234").await;
    let (_, form) = poor.get("/api/tasks/defaults").await;
    assert!(form["dialog"].is_null(), "a new company has no script yet");
    let theirs = copy["id"].as_i64().unwrap();
    for (status, body) in [
        poor.get(&format!("/api/tasks/{theirs}")).await,
        poor.post(&format!("/api/tasks/{theirs}/start"), json!({}))
            .await,
        poor.get(&format!("/api/tasks/{theirs}/numbers")).await,
        poor.post("/api/tasks/delete", json!({"ids": [theirs]}))
            .await,
        poor.upload(
            &format!("/api/tasks/{theirs}/numbers/import"),
            "n.csv",
            b"\xe5\x8f\xb7\xe7\xa0\x81\n13800138000\n".to_vec(),
        )
        .await,
    ] {
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    let (_, scripts) = poor.post("/api/scripts", json!({"name": "乙的话术"})).await;
    poor.post(
        &format!("/api/scripts/{}/publish", scripts["id"]),
        json!({}),
    )
    .await;
    let task = new_task(&poor, "乙的任务", |_| {}).await;
    let id = task["id"].as_i64().unwrap();
    import(
        &poor,
        id,
        "n.csv",
        "号码\n13800138000\n".as_bytes().to_vec(),
    )
    .await;
    let (status, body) = poor
        .post(&format!("/api/tasks/{id}/start"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "NO_BALANCE"),
        "{body}"
    );

    let employee = app.login("13800000002", "123456").await;
    employee
        .post(
            "/api/me/password",
            json!({"old_password": "123456", "new_password": "Newpass123"}),
        )
        .await;
    let (status, _) = employee.get("/api/tasks").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the default group has no task rights"
    );
}

#[tokio::test]
async fn call_time_templates_and_the_holiday_calendar() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (_, templates) = admin.get("/api/call-time-templates").await;
    let names: Vec<&str> = templates
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["工作日默认", "早九晚六", "早九晚五", "早十晚六"]);
    let (status, error) = admin
        .post(
            "/api/call-time-templates",
            json!({"name": "午间", "days": {"mon": [["12:00", "13:00"], ["12:30", "14:00"]]}}),
        )
        .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("days"))
    );
    assert!(
        error["message"].as_str().unwrap().contains("重叠"),
        "{error}"
    );
    let (status, created) = admin
        .post("/api/call-time-templates", json!({"name": "周末上午", "days": {"sat": [["09:00", "12:00"]], "sun": [["09:00", "12:00"]]}}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap();
    let (status, _) = admin
        .delete("/api/call-time-templates/system-workday")
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = admin
        .delete(&format!("/api/call-time-templates/{id}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (_, year) = admin.get("/api/holidays?year=2025").await;
    let national = year["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2025-10-01")
        .unwrap();
    assert_eq!(
        (national["kind"].as_str(), national["name"].as_str()),
        (Some("holiday"), Some("国庆节"))
    );
    assert!(year["years"].as_array().unwrap().contains(&json!(2026)));
    assert_eq!(year["customized"], false);
    let (status, edited) = admin
        .put(
            "/api/holidays/2025",
            json!({"days": [{"date": "2025-12-31", "kind": "holiday", "name": "公司年会"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        (
            edited["customized"].as_bool(),
            edited["days"].as_array().unwrap().len()
        ),
        (Some(true), 1)
    );
    let (status, error) = admin
        .put(
            "/api/holidays/2025",
            json!({"days": [{"date": "2024-12-31", "kind": "holiday", "name": "错年"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    let (_, reset) = admin.post("/api/holidays/2025/reset", json!({})).await;
    assert_eq!(reset["customized"], false);
    assert!(reset["days"].as_array().unwrap().len() > 20);
    let (_, future) = admin.get("/api/holidays?year=2030").await;
    assert_eq!(future["days"], json!([]));
}

#[tokio::test]
async fn a_used_up_balance_pauses_running_tasks_and_tells_the_owner() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let task = new_task(&admin, "余额测试", |_| {}).await;
    let id = task["id"].as_i64().unwrap();
    import(
        &admin,
        id,
        "n.csv",
        "号码\n13800138000\n".as_bytes().to_vec(),
    )
    .await;
    let (status, _) = admin
        .post(&format!("/api/tasks/{id}/start"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let operator = app.login("operator", DEMO_PASSWORD).await;
    let (_, companies) = operator.get("/api/operator/companies").await;
    let company = companies
        .as_array()
        .or_else(|| companies["items"].as_array())
        .unwrap()[0]["id"]
        .as_i64()
        .unwrap();
    let (_, balance) = admin.get("/api/balance").await;
    let spend_all = -balance["balance_mfen"].as_i64().unwrap();
    let (status, after) = operator
        .put(
            &format!("/api/operator/companies/{company}/balance"),
            json!({"top_up_mfen": spend_all}),
        )
        .await;
    assert_eq!(
        (status, after["exhausted"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{after}"
    );

    let (_, detail) = admin.get(&format!("/api/tasks/{id}")).await;
    assert_eq!(
        detail["status"], "paused",
        "the running task paused by itself"
    );
    let (_, notes) = admin.get("/api/notifications").await;
    assert!(
        notes["items"][0]["title"]
            .as_str()
            .unwrap()
            .contains("已自动暂停"),
        "{notes}"
    );
    let (status, body) = admin
        .post(&format!("/api/tasks/{id}/start"), json!({}))
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "NO_BALANCE"));
}

#[tokio::test]
async fn an_import_cut_short_by_a_crash_runs_again_whole_after_restart() {
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
        Set,
    };
    use store::entity::{job, task_number};

    let mut app = TestApp::start().await;
    let admin = app.admin().await;
    let task = new_task(&admin, "断电测试", |_| {}).await;
    let id = task["id"].as_i64().unwrap();
    let (_, accepted) = admin
        .upload(
            &format!("/api/tasks/{id}/numbers/import"),
            "n.csv",
            "号码\n13800138000\n13800138001\n13800138002\n"
                .as_bytes()
                .to_vec(),
        )
        .await;
    let notification = accepted["notification_id"].as_i64().unwrap();
    wait_for_notification(&admin, notification).await;

    // As if the node died before the import's transaction committed: no rows, the job still
    // running under a lease that has run out.
    let db = app.state().db.clone();
    task_number::Entity::delete_many()
        .filter(task_number::Column::TaskId.eq(id))
        .exec(&db)
        .await
        .unwrap();
    let row = job::Entity::find_by_id(accepted["job_id"].as_i64().unwrap())
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let mut row = row.into_active_model();
    row.status = Set("running".to_owned());
    row.attempts = Set(1);
    row.lease_until = Set(Some(chrono::Utc::now() - chrono::Duration::seconds(1)));
    row.update(&db).await.unwrap();
    let note = store::entity::notification::Entity::find_by_id(notification)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let mut note = note.into_active_model();
    note.status = Set("running".to_owned());
    note.progress = Set(70);
    note.update(&db).await.unwrap();

    app.crash_and_restart().await;
    let admin = app.admin().await;
    let resumed = wait_for_notification(&admin, notification).await;
    assert_eq!(resumed["status"], "succeeded", "{resumed}");
    assert_eq!(resumed["success_count"], 3, "the whole batch, once");
    let stored = task_number::Entity::find()
        .filter(task_number::Column::TaskId.eq(id))
        .count(&app.state().db)
        .await
        .unwrap();
    assert_eq!(stored, 3);
}

#[tokio::test]
async fn formulas_count_by_their_value_and_merged_cells_by_their_first_row() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let task = new_task(&admin, "公式与合并单元格", |_| {}).await;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "号码").unwrap();
    sheet.write_string(0, 1, "联系人").unwrap();
    // A number built by a formula, as Excel saves it: with its computed value.
    sheet
        .write_formula(
            1,
            0,
            rust_xlsxwriter::Formula::new("=\"1380013\"&\"8099\"").set_result("13800138099"),
        )
        .unwrap();
    sheet.write_string(1, 1, "公式").unwrap();
    // A number merged over two rows belongs to the first; the second row has none.
    sheet
        .merge_range(2, 0, 3, 0, "13800138098", &rust_xlsxwriter::Format::new())
        .unwrap();
    sheet.write_string(2, 1, "合并上").unwrap();
    sheet.write_string(3, 1, "合并下").unwrap();
    let done = import(
        &admin,
        task["id"].as_i64().unwrap(),
        "公式.xlsx",
        workbook.save_to_buffer().unwrap(),
    )
    .await;
    assert_eq!(
        (done["success_count"].as_i64(), done["fail_count"].as_i64()),
        (Some(2), Some(1)),
        "{done}"
    );
    let (_, report) = admin
        .download(done["result_file_url"].as_str().unwrap())
        .await;
    assert_eq!(read_reasons(&report), [(4, "号码为空".to_owned())]);
    let (_, numbers) = admin
        .get(&format!("/api/tasks/{}/numbers", task["id"]))
        .await;
    let phones: Vec<&str> = numbers["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["phone"].as_str().unwrap())
        .collect();
    assert_eq!(phones, ["13800138099", "13800138098"]);
}

#[tokio::test]
async fn every_list_answers_any_page_number_with_an_empty_page() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (_, tasks) = admin.get("/api/tasks").await;
    let demo = tasks["items"][0]["id"].as_i64().unwrap();
    let lists = [
        "/api/tasks".to_owned(),
        format!("/api/tasks/{demo}/numbers"),
        format!("/api/tasks/{demo}/calls"),
        "/api/notifications".to_owned(),
        "/api/members".to_owned(),
        "/api/blacklist".to_owned(),
        "/api/bills".to_owned(),
        "/api/audit-log".to_owned(),
    ];
    // Page numbers whose row offset overflowed the database's OFFSET: the handler panicked
    // and the connection closed with no answer.
    for page in [i64::MAX as u64, u64::MAX, 1_000_001] {
        for list in &lists {
            let (status, body) = admin
                .get(&format!("{list}?page={page}&page_size=100"))
                .await;
            assert_eq!(status, StatusCode::OK, "{list} page {page}: {body}");
            assert_eq!(body["items"], json!([]), "{list} page {page}");
        }
    }
    let (_, far) = admin.get("/api/tasks?page=9223372036854775807").await;
    assert_eq!(
        far["total"], tasks["total"],
        "the total still counts every row"
    );
}

#[tokio::test]
async fn search_boxes_find_percent_and_underscore_as_typed() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    for name in ["满100减50%", "五折_活动"] {
        new_task(&admin, name, |_| {}).await;
    }
    let names = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    // LIKE's wildcards once matched every row.
    let (_, found) = admin.get("/api/tasks?q=%25").await;
    assert_eq!(names(&found), ["满100减50%"]);
    let (_, found) = admin.get("/api/tasks?q=_").await;
    assert_eq!(names(&found), ["五折_活动"]);
    let (_, found) = admin.get("/api/tasks?q=50%25").await;
    assert_eq!(names(&found), ["满100减50%"]);
    for list in [
        "/api/members?q=%25",
        "/api/members?q=_",
        "/api/bills?phone=_",
        "/api/audit-log?actor=%25",
    ] {
        let (status, body) = admin.get(list).await;
        assert_eq!(status, StatusCode::OK, "{list}: {body}");
        assert_eq!(body["total"], 0, "{list}: {body}");
    }
    let (_, members) = admin.get("/api/members?q=1380000").await;
    assert!(
        members["total"].as_u64().unwrap() > 0,
        "plain text still matches"
    );
}

/// Logs in a demo colleague for the first time (initial password 123456, changed at once).
async fn colleague(app: &TestApp, phone: &str) -> Client {
    let client = app.login(phone, "123456").await;
    let (status, body) = client
        .post(
            "/api/me/password",
            json!({"old_password": "123456", "new_password": "Newpass123"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    client
}

fn task_names(list: &Value) -> Vec<String> {
    let mut names: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn each_role_sees_and_operates_only_the_tasks_of_its_data_scope() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    // Employees get the task rights through the default group; scope, not rights, decides.
    let (_, groups) = admin.get("/api/permission-groups").await;
    let default = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["is_default"] == true)
        .unwrap()
        .clone();
    let (status, body) = admin
        .put(
            &format!("/api/permission-groups/{}", default["id"]),
            json!({"name": default["name"], "permissions": ["task.view", "task.manage"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // 王芳 heads 销售部 (华东组 李强, 华南组 赵敏); 客服部 has its own employee.
    let (_, departments) = admin.get("/api/departments").await;
    let service = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "客服部")
        .and_then(|d| d["id"].as_i64())
        .expect("客服部");
    let (status, body) = admin
        .post(
            "/api/members",
            json!({"name": "孙丽", "phone": "13800000009", "department_id": service}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let head = colleague(&app, "13800000001").await;
    let east = colleague(&app, "13800000002").await;
    let south = colleague(&app, "13800000003").await;
    let support = colleague(&app, "13800000009").await;

    let owners_task = new_task(&admin, "老板的任务", |_| {}).await;
    let east_task = new_task(&east, "李强的任务", |_| {}).await;
    let south_task = new_task(&south, "赵敏的任务", |_| {}).await;
    let support_task = new_task(&support, "孙丽的任务", |_| {}).await;
    let heads_task = new_task(&head, "王芳的任务", |_| {}).await;

    let (_, all) = admin.get("/api/tasks?page_size=100").await;
    assert_eq!(
        task_names(&all),
        [
            "孙丽的任务",
            "李强的任务",
            "演示任务",
            "王芳的任务",
            "老板的任务",
            "赵敏的任务"
        ]
    );
    let (_, heads) = head.get("/api/tasks?page_size=100").await;
    assert_eq!(
        task_names(&heads),
        ["李强的任务", "王芳的任务", "赵敏的任务"],
        "her own and her departments' tasks"
    );
    let (_, easts) = east.get("/api/tasks?page_size=100").await;
    assert_eq!(task_names(&easts), ["李强的任务"]);
    let (_, supports) = support.get("/api/tasks?page_size=100").await;
    assert_eq!(task_names(&supports), ["孙丽的任务"]);

    // Outside the scope a task is not found, wherever it is reached.
    let csv = "号码\n13800138000\n".as_bytes().to_vec();
    for (who, client, hidden, visible) in [
        ("王芳", &head, &support_task, &east_task),
        ("王芳", &head, &owners_task, &south_task),
        ("李强", &east, &south_task, &east_task),
        ("孙丽", &support, &heads_task, &support_task),
    ] {
        let hidden = hidden["id"].as_i64().unwrap();
        let visible = visible["id"].as_i64().unwrap();
        for path in [
            format!("/api/tasks/{hidden}"),
            format!("/api/tasks/{hidden}/numbers"),
            format!("/api/tasks/{hidden}/numbers/facets"),
            format!("/api/tasks/{hidden}/calls"),
            format!("/api/tasks/{hidden}/live"),
        ] {
            let (status, body) = client.get(&path).await;
            assert_eq!(
                (status, code(&body)),
                (StatusCode::NOT_FOUND, "NOT_FOUND"),
                "{who} GET {path}: {body}"
            );
        }
        for (path, body) in [
            (format!("/api/tasks/{hidden}/start"), json!({})),
            (format!("/api/tasks/{hidden}/copy"), json!({})),
            (
                format!("/api/tasks/{hidden}/template"),
                json!({"name": "模板"}),
            ),
        ] {
            let (status, body) = client.post(&path, body).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{who} POST {path}: {body}");
        }
        let (status, _) = client
            .upload(
                &format!("/api/tasks/{hidden}/numbers/import"),
                "n.csv",
                csv.clone(),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who} imports into {hidden}");
        let (status, _) = client.delete(&format!("/api/tasks/{hidden}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who} deletes {hidden}");

        for path in [
            format!("/api/tasks/{visible}"),
            format!("/api/tasks/{visible}/numbers"),
            format!("/api/tasks/{visible}/calls"),
        ] {
            let (status, body) = client.get(&path).await;
            assert_eq!(status, StatusCode::OK, "{who} GET {path}: {body}");
        }
    }

    // 全部启动 with numbers everywhere starts only the caller's own scope.
    for task in [
        &owners_task,
        &east_task,
        &south_task,
        &support_task,
        &heads_task,
    ] {
        import(&admin, task["id"].as_i64().unwrap(), "n.csv", csv.clone()).await;
    }
    let (status, body) = east.post("/api/tasks/start-all", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, listed) = admin.get("/api/tasks?page_size=100").await;
    let running: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status_label"] == "执行中")
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(running, ["李强的任务"], "{listed}");
    let (status, body) = support.post("/api/tasks/pause-all", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, still) = admin.get(&format!("/api/tasks/{}", east_task["id"])).await;
    assert_eq!(
        still["status_label"], "执行中",
        "孙丽 cannot pause 李强's task"
    );
}
