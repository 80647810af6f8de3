//! What calling needs besides tasks: lines (线路), the balance (余额) and the blacklist (黑名单).

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};
use store::entity::task;

use crate::support::{Client, DEMO_PASSWORD, TestApp, code, xlsx};

async fn tenant_of(client: &Client) -> i64 {
    let (status, me) = client.get("/api/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    me["company"]["id"].as_i64().expect("company id")
}

/// A second company, B, and its admin.
async fn other_company(app: &TestApp, operator: &Client) -> (i64, Client) {
    let (status, company) = operator
        .post("/api/operator/companies", json!({"name": "乙公司", "admin_name": "乙", "admin_phone": "13600000000", "admin_password": "Other1234"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{company}");
    (
        company["id"].as_i64().unwrap(),
        app.login("13600000000", "Other1234").await,
    )
}

/// 李强 of the demo, in a department without calling rights, past the first-login change.
async fn member_without_rights(app: &TestApp) -> Client {
    let client = app.login("13800000002", "123456").await;
    let (status, _) = client
        .post(
            "/api/me/password",
            json!({"old_password": "123456", "new_password": "Newpass123"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    client
}

fn sip_line(name: &str) -> Value {
    json!({
        "name": name,
        "address": "sip.carrier.example:5060",
        "transport": "udp",
        "username": "voxdial",
        "password": "s3cret-trunk-pw",
        "caller_ids": ["0571-8877 6655", "+86 021-66778899"],
        "codecs": ["PCMA", "pcmu"],
        "max_concurrency": 200,
        "calls_per_second": 20,
        "price_mfen_per_minute": 5_500,
        "billing_increment_s": 6,
        "status": "active"
    })
}

async fn running_task(app: &TestApp, tenant_id: i64, line_id: i64, status: &str, settings: Value) {
    let now = Utc::now();
    task::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set(format!("任务-{status}")),
        kind: Set("script".to_owned()),
        line_id: Set(Some(line_id)),
        settings: Set(settings.to_string()),
        status: Set(status.to_owned()),
        idle_reason: Set(String::new()),
        is_template: Set(false),
        total_numbers: Set(0),
        called_numbers: Set(0),
        connected_numbers: Set(0),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&app.state().db)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_operator_provisions_sip_lines_that_companies_then_see() {
    let app = TestApp::start().await;
    let operator = app.login("operator", DEMO_PASSWORD).await;
    let admin = app.admin().await;
    let demo = tenant_of(&admin).await;

    let (status, line) = operator
        .post("/api/operator/lines", sip_line("电信线路A"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{line}");
    let line_id = line["id"].as_i64().unwrap();
    assert_eq!(line["password_set"], true);
    assert_eq!(line["caller_ids"], json!(["057188776655", "02166778899"]));
    assert_eq!(line["codecs"], json!(["PCMA", "PCMU"]));
    assert_eq!(line["transport"], "udp");
    assert!(line.get("password").is_none() && line.get("secret").is_none());
    let (_, listed) = operator.get("/api/operator/lines").await;
    assert!(
        !listed.to_string().contains("s3cret-trunk-pw"),
        "the password is never sent back: {listed}"
    );
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "simulated lines are not platform lines"
    );

    let (status, body) = operator
        .post("/api/operator/lines", sip_line("电信线路A"))
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "LINE_EXISTS"));
    for (field, value) in [
        ("address", json!("sip carrier")),
        ("transport", json!("sctp")),
        ("codecs", json!([])),
        ("codecs", json!(["G729"])),
        ("max_concurrency", json!(0)),
        ("calls_per_second", json!(1001)),
        ("billing_increment_s", json!(61)),
        ("price_mfen_per_minute", json!(-1)),
        ("caller_ids", json!(["12345"])),
    ] {
        let mut request = sip_line("坏线路");
        request[field] = value;
        let (status, body) = operator.post("/api/operator/lines", request).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{field}: {body}"
        );
    }
    let (status, _) = admin.post("/api/operator/lines", sip_line("越权")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a company admin is no operator"
    );

    // The company has its simulated line only, until the trunk is assigned.
    let (status, lines) = admin.get("/api/lines").await;
    assert_eq!(status, StatusCode::OK, "{lines}");
    assert_eq!(lines.as_array().unwrap().len(), 1);
    assert_eq!(lines[0]["kind"], "simulated");
    assert_eq!(lines[0]["kind_label"], "模拟线路");
    let simulated_id = lines[0]["id"].as_i64().unwrap();
    let (status, assigned) = operator
        .put(
            &format!("/api/operator/lines/{line_id}/companies"),
            json!({"company_ids": [demo]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(assigned["company_ids"], json!([demo]));
    let (status, body) = operator
        .put(
            &format!("/api/operator/lines/{line_id}/companies"),
            json!({"company_ids": [demo, 999_999]}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "UNKNOWN_COMPANY")
    );

    running_task(&app, demo, line_id, "running", json!({"concurrency": 30})).await;
    running_task(&app, demo, line_id, "running", json!({"concurrency": 12})).await;
    running_task(&app, demo, line_id, "paused", json!({"concurrency": 50})).await;
    running_task(
        &app,
        demo,
        simulated_id,
        "running",
        json!({"name": "no concurrency"}),
    )
    .await;
    let (_, lines) = admin.get("/api/lines").await;
    let names: Vec<&str> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["模拟线路", "电信线路A"]);
    let sip = &lines[1];
    assert_eq!(sip["kind_label"], "SIP线路");
    assert_eq!(sip["in_use"], 42, "running tasks only: {sip}");
    assert_eq!(sip["max_concurrency"], 200);
    assert_eq!(sip["price_mfen_per_minute"], 5_500);
    assert_eq!(sip["billing_increment_s"], 6);
    assert!(sip.get("address").is_none() && !lines.to_string().contains("s3cret"));
    assert_eq!(lines[0]["in_use"], 0);

    // Editing without a password keeps it; the company sees the change.
    let mut edit = sip_line("电信线路A（主）");
    edit["password"] = Value::Null;
    edit["status"] = json!("disabled");
    edit["max_concurrency"] = json!(300);
    let (status, edited) = operator
        .put(&format!("/api/operator/lines/{line_id}"), edit)
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["password_set"], true);
    assert_eq!(edited["company_ids"], json!([demo]));
    let (_, lines) = admin.get("/api/lines").await;
    assert_eq!(lines[1]["status"], "disabled");
    assert_eq!(lines[1]["max_concurrency"], 300);

    let (status, body) = operator
        .delete(&format!("/api/operator/lines/{line_id}"))
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "LINE_IN_USE"));
    let (status, body) = operator
        .delete(&format!("/api/operator/lines/{simulated_id}"))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a company's simulated line is not the operator's: {body}"
    );

    // Another company neither sees the trunk nor the demo's simulated line.
    let (_, other) = other_company(&app, &operator).await;
    let (_, lines) = other.get("/api/lines").await;
    assert_eq!(lines.as_array().unwrap().len(), 1);
    assert_eq!(lines[0]["kind"], "simulated");
    assert_ne!(lines[0]["id"].as_i64().unwrap(), simulated_id);

    let (status, _) = member_without_rights(&app).await.get("/api/lines").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = operator
        .put(
            &format!("/api/operator/lines/{line_id}/companies"),
            json!({"company_ids": []}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, lines) = admin.get("/api/lines").await;
    assert_eq!(lines.as_array().unwrap().len(), 1, "unassigned: {lines}");

    let (status, line) = operator
        .post("/api/operator/lines", sip_line("备用线路"))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let spare = line["id"].as_i64().unwrap();
    let (status, _) = operator
        .delete(&format!("/api/operator/lines/{spare}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, listed) = operator.get("/api/operator/lines").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_operator_tops_up_and_the_company_sees_what_is_available() {
    let app = TestApp::start().await;
    let operator = app.login("operator", DEMO_PASSWORD).await;
    let demo_admin = app.admin().await;
    let (_, demo_before) = demo_admin.get("/api/balance").await;
    // A new company starts with nothing.
    let (demo, admin) = other_company(&app, &operator).await;

    let (status, balance) = admin.get("/api/balance").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        balance,
        json!({"balance_mfen": 0, "overdraft_mfen": 0, "available_mfen": 0, "exhausted": true})
    );
    let path = format!("/api/operator/companies/{demo}/balance");
    let (status, balance) = operator
        .put(
            &path,
            json!({"top_up_mfen": 100_000_000, "overdraft_mfen": 5_000_000}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{balance}");
    assert_eq!(balance["available_mfen"], 105_000_000);
    let (_, balance) = operator
        .put(&path, json!({"top_up_mfen": 20_000_000}))
        .await;
    assert_eq!(balance["balance_mfen"], 120_000_000, "top-ups add up");
    assert_eq!(balance["overdraft_mfen"], 5_000_000, "the overdraft stays");
    let (_, balance) = operator
        .put(&path, json!({"top_up_mfen": -125_000_000}))
        .await;
    assert_eq!(
        balance["balance_mfen"], -5_000_000,
        "a correction may go below zero"
    );
    assert_eq!(balance["available_mfen"], 0);
    assert_eq!(balance["exhausted"], true);
    let (_, balance) = operator
        .put(&path, json!({"overdraft_mfen": 10_000_000}))
        .await;
    assert_eq!(balance["available_mfen"], 5_000_000);
    assert_eq!(balance["exhausted"], false);

    let (status, body) = operator.put(&path, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = operator.put(&path, json!({"overdraft_mfen": -1})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("overdraft_mfen"))
    );
    let (status, _) = operator
        .put(
            "/api/operator/companies/999999/balance",
            json!({"top_up_mfen": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = admin.put(&path, json!({"top_up_mfen": 1})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a company cannot top itself up"
    );

    // Every member sees the home page card; the operator's list shows the figures.
    let (status, balance) = member_without_rights(&app).await.get("/api/balance").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(balance, demo_before, "each company has its own balance");
    let (_, companies) = operator.get("/api/operator/companies").await;
    let row = companies
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == demo)
        .unwrap();
    assert_eq!(
        (row["balance_mfen"].as_i64(), row["overdraft_mfen"].as_i64()),
        (Some(-5_000_000), Some(10_000_000))
    );
    let (_, log) = admin.get("/api/audit-log").await;
    assert!(log.to_string().contains("平台运营充值 1000.00 元"), "{log}");
}

async fn group_id(client: &Client, name: &str) -> i64 {
    let (_, groups) = client.get("/api/blacklist/groups").await;
    groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .and_then(|g| g["id"].as_i64())
        .unwrap_or_else(|| panic!("group {name} listed: {groups}"))
}

async fn add(client: &Client, phone: &str, group: i64) -> Value {
    let (status, entry) = client
        .post("/api/blacklist", json!({"phone": phone, "group_id": group}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{phone}: {entry}");
    entry
}

async fn phones(client: &Client, query: &str) -> Vec<String> {
    let (status, page) = client
        .get(&format!("/api/blacklist?page_size=100&{query}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let mut phones: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["phone"].as_str().unwrap().to_owned())
        .collect();
    phones.sort();
    phones
}

#[tokio::test]
async fn blacklist_groups_entries_expiry_and_the_dialer_check() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let demo = tenant_of(&admin).await;
    let (status, groups) = admin.get("/api/blacklist/groups").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        groups,
        json!([{"id": groups[0]["id"], "name": "默认分组", "is_default": true, "entry_count": 0}])
    );
    let default = groups[0]["id"].as_i64().unwrap();
    let (status, group) = admin
        .post("/api/blacklist/groups", json!({"name": "投诉客户"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let complaints = group["id"].as_i64().unwrap();
    let (status, body) = admin
        .post("/api/blacklist/groups", json!({"name": " 投诉客户 "}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "GROUP_EXISTS")
    );

    let entry = add(&admin, "+86 138-0013-8000", default).await;
    assert_eq!(entry["phone"], "13800138000");
    assert_eq!(entry["group_name"], "默认分组");
    assert_eq!(entry["expired"], false);
    assert_eq!(entry["expires_at"], Value::Null);
    let (status, body) = admin
        .post(
            "/api/blacklist",
            json!({"phone": "138 0013 8000", "group_id": default}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "ALREADY_LISTED")
    );
    assert!(body["message"].as_str().unwrap().contains("13800138000"));
    add(&admin, "13800138000", complaints).await;
    let (status, body) = admin
        .post(
            "/api/blacklist",
            json!({"phone": "12345", "group_id": default}),
        )
        .await;
    assert_eq!(
        (status, code(&body), body["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_PHONE",
            Some("phone")
        )
    );
    assert_eq!(body["message"], "号码位数不正确");
    let (status, body) = admin
        .post(
            "/api/blacklist",
            json!({"phone": "13900000009", "group_id": default, "expires_at": "下周"}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("expires_at"))
    );

    // 定时拉黑: one blocked until next month, one whose time is up.
    let later = (Utc::now() + Duration::days(30)).to_rfc3339();
    let (status, until) = admin
        .post("/api/blacklist", json!({"phone": "13900000001", "group_id": complaints, "note": "一个月内别打", "expires_at": later}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{until}");
    assert_eq!(until["expired"], false);
    let (status, past) = admin
        .post("/api/blacklist", json!({"phone": "0571-88776655", "group_id": complaints, "expires_at": "2020-01-01T00:00:00+08:00"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{past}");
    assert_eq!(past["phone"], "057188776655");
    assert_eq!(past["expired"], true);
    assert_eq!(past["expires_at"], "2019-12-31T16:00:00Z");

    let db = &app.state().db;
    let asked: Vec<String> = ["13800138000", "13900000001", "057188776655", "13700000000"]
        .map(str::to_owned)
        .to_vec();
    let blocked = voxdial_server::blacklist::blocked(db, demo, &[complaints], &asked, Utc::now())
        .await
        .unwrap();
    let mut blocked: Vec<String> = blocked.into_iter().collect();
    blocked.sort();
    assert_eq!(
        blocked,
        ["13800138000", "13900000001"],
        "the expired one may be called"
    );
    let blocked = voxdial_server::blacklist::blocked(
        db,
        demo,
        &[complaints],
        &asked,
        Utc::now() + Duration::days(31),
    )
    .await
    .unwrap();
    assert_eq!(
        blocked.len(),
        1,
        "a month later only the permanent one: {blocked:?}"
    );
    let blocked = voxdial_server::blacklist::blocked(db, demo, &[], &asked, Utc::now())
        .await
        .unwrap();
    assert!(blocked.is_empty(), "a task without groups blocks nothing");

    // Filters.
    assert_eq!(
        phones(&admin, &format!("group_id={default}")).await,
        ["13800138000"]
    );
    assert_eq!(
        phones(&admin, &format!("group_id={complaints}")).await,
        ["057188776655", "13800138000", "13900000001"]
    );
    assert_eq!(
        phones(
            &admin,
            &format!("group_id={complaints}&include_expired=false")
        )
        .await,
        ["13800138000", "13900000001"]
    );
    assert_eq!(
        phones(&admin, "phone=0013").await,
        ["13800138000", "13800138000"]
    );
    assert_eq!(
        phones(&admin, "phone=%2B86%20139-0000-0001").await,
        ["13900000001"]
    );
    let after_tomorrow = (Utc::now() + Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    assert!(
        phones(&admin, &format!("created_from={after_tomorrow}"))
            .await
            .is_empty()
    );
    assert_eq!(
        phones(&admin, &format!("created_to={after_tomorrow}"))
            .await
            .len(),
        4
    );
    let an_hour_ago = (Utc::now() - Duration::hours(1))
        .to_rfc3339()
        .replace('+', "%2B");
    assert_eq!(
        phones(&admin, &format!("created_from={an_hour_ago}"))
            .await
            .len(),
        4
    );
    let (status, body) = admin.get("/api/blacklist?created_from=昨天").await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("created_from"))
    );
    let (_, page) = admin.get("/api/blacklist?page=2&page_size=3").await;
    assert_eq!(
        (
            page["total"].as_i64(),
            page["items"].as_array().unwrap().len()
        ),
        (Some(4), 1)
    );
    let (_, page) = admin
        .get(&format!(
            "/api/blacklist?group_id={complaints}&phone=13900000001"
        ))
        .await;
    assert_eq!(page["items"][0]["note"], "一个月内别打");
    assert_eq!(page["items"][0]["group_name"], "投诉客户");

    // Groups: counts, rename, the default one stays, deleting takes the numbers along.
    let (_, groups) = admin.get("/api/blacklist/groups").await;
    assert_eq!(groups[1]["entry_count"], 3);
    let (status, renamed) = admin
        .put(
            &format!("/api/blacklist/groups/{complaints}"),
            json!({"name": "投诉"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (renamed["name"].as_str(), renamed["entry_count"].as_i64()),
        (Some("投诉"), Some(3))
    );
    let (status, body) = admin
        .delete(&format!("/api/blacklist/groups/{default}"))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "DEFAULT_GROUP")
    );
    let (status, _) = admin
        .delete(&format!("/api/blacklist/groups/{complaints}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, page) = admin.get("/api/blacklist").await;
    assert_eq!(page["total"], 1);
    let (status, _) = admin
        .post(
            "/api/blacklist",
            json!({"phone": "13900000002", "group_id": complaints}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn select_all_deletes_and_moves_by_filter_without_duplicates() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let default = group_id(&admin, "默认分组").await;
    let (_, vip) = admin
        .post("/api/blacklist/groups", json!({"name": "老客户"}))
        .await;
    let vip = vip["id"].as_i64().unwrap();
    for phone in ["13900000001", "13900000002", "13900000003", "13700000001"] {
        add(&admin, phone, default).await;
    }
    let already = add(&admin, "13900000002", vip).await;

    // 全选 of a filtered list: every 139 number of the default group.
    let (status, moved) = admin
        .post(
            "/api/blacklist/move",
            json!({"filter": {"group_id": default, "phone": "139"}, "group_id": vip}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["moved"], 3);
    assert_eq!(
        phones(&admin, &format!("group_id={default}")).await,
        ["13700000001"]
    );
    assert_eq!(
        phones(&admin, &format!("group_id={vip}")).await,
        ["13900000001", "13900000002", "13900000003"],
        "13900000002 merged, not doubled"
    );
    let (_, page) = admin
        .get(&format!("/api/blacklist?group_id={vip}&phone=13900000002"))
        .await;
    assert_eq!(
        page["items"][0]["id"], already["id"],
        "the entry already there stays"
    );

    // Chosen rows by id; the same number from two groups moves once.
    add(&admin, "13900000001", default).await;
    let (_, page) = admin.get("/api/blacklist?phone=13900000001").await;
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    let (_, other_group) = admin
        .post("/api/blacklist/groups", json!({"name": "第三组"}))
        .await;
    let third = other_group["id"].as_i64().unwrap();
    let (status, moved) = admin
        .post(
            "/api/blacklist/move",
            json!({"ids": ids, "group_id": third}),
        )
        .await;
    assert_eq!((status, moved["moved"].as_i64()), (StatusCode::OK, Some(2)));
    assert_eq!(
        phones(&admin, &format!("group_id={third}")).await,
        ["13900000001"]
    );
    assert_eq!(phones(&admin, "phone=13900000001").await.len(), 1);

    let (status, body) = admin
        .post("/api/blacklist/move", json!({"group_id": third}))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing chosen: {body}"
    );
    let (status, _) = admin
        .post(
            "/api/blacklist/move",
            json!({"ids": ids, "group_id": 999_999}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, page) = admin.get(&format!("/api/blacklist?group_id={vip}")).await;
    let first = page["items"][0]["id"].as_i64().unwrap();
    let (status, deleted) = admin
        .post("/api/blacklist/delete", json!({"ids": [first]}))
        .await;
    assert_eq!(
        (status, deleted["deleted"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    let (status, deleted) = admin
        .post(
            "/api/blacklist/delete",
            json!({"filter": {"group_id": vip}}),
        )
        .await;
    assert_eq!(
        (status, deleted["deleted"].as_i64()),
        (StatusCode::OK, Some(1))
    );
    let (status, deleted) = admin
        .post("/api/blacklist/delete", json!({"filter": {}}))
        .await;
    assert_eq!(
        (status, deleted["deleted"].as_i64()),
        (StatusCode::OK, Some(2)),
        "an empty filter selects the whole list"
    );
    let (_, page) = admin.get("/api/blacklist").await;
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn blacklist_import_reports_bad_rows_and_export_reads_back() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let default = group_id(&admin, "默认分组").await;
    add(&admin, "13800138000", default).await;

    let (status, template) = admin.download("/api/blacklist/import-template").await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.starts_with(b"PK"));
    let (status, result) = admin
        .send_multipart("/api/blacklist/import", "模板.xlsx", template, &[])
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the template imports as it is: {result}"
    );
    assert_eq!(
        (result["added"].as_i64(), result["skipped"].as_i64()),
        (Some(1), Some(1)),
        "its first number is listed already: {result}"
    );

    let sheet = xlsx(&[
        &["备注", "号码*", "到期时间"],
        &["老客户", "+86 139 0000 0001", ""],
        &["", "1.3900000002E+10", "2099-12-31"],
        &["", "138 0013 8000", ""],
        &["位数不对", "12345", ""],
        &["只有备注", "", ""],
        &["重复", "13900000001", ""],
        &["", "13900000003", "明天"],
        &["", "13900000004", "2020/1/1 08:00"],
    ]);
    let (status, result) = admin
        .send_multipart(
            "/api/blacklist/import",
            "黑名单.xlsx",
            sheet,
            &[("group_id", &default.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["added"], 3, "{result}");
    assert_eq!(
        result["skipped"], 2,
        "one already listed, one twice in the file"
    );
    let errors = result["errors"].as_array().unwrap();
    let rows: Vec<i64> = errors.iter().map(|e| e["row"].as_i64().unwrap()).collect();
    assert_eq!(rows, [5, 6, 8]);
    assert_eq!(errors[0]["reason"], "号码位数不正确");
    assert_eq!(errors[1]["reason"], "号码为空");
    assert!(errors[2]["reason"].as_str().unwrap().contains("到期时间"));
    let (_, page) = admin.get("/api/blacklist?phone=13900000004").await;
    assert_eq!(page["items"][0]["expired"], true);
    assert_eq!(
        page["items"][0]["expires_at"], "2020-01-01T00:00:00Z",
        "local time, Shanghai"
    );
    let (_, page) = admin.get("/api/blacklist?phone=13900000002").await;
    assert!(
        page["items"][0]["expires_at"]
            .as_str()
            .unwrap()
            .starts_with("2099-12-31T15:59:59")
    );

    let (_, group) = admin
        .post("/api/blacklist/groups", json!({"name": "外部名单"}))
        .await;
    let external = group["id"].as_i64().unwrap();
    let (gbk, _, _) =
        encoding_rs::GBK.encode("号码,备注\r\n13700000001,来自表格\r\n13700000002,\r\n");
    let (status, result) = admin
        .send_multipart(
            "/api/blacklist/import",
            "名单.csv",
            gbk.into_owned(),
            &[("group_id", &external.to_string())],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a GBK csv from Chinese Excel: {result}"
    );
    assert_eq!(result["added"], 2);
    let (_, page) = admin.get("/api/blacklist?phone=13700000001").await;
    assert_eq!(page["items"][0]["note"], "来自表格");
    assert_eq!(page["items"][0]["group_name"], "外部名单");

    for (name, bytes, wanted) in [
        (
            "x.xlsx",
            xlsx(&[&["手机"], &["13700000003"]]),
            "BAD_HEADERS",
        ),
        ("x.xlsx", xlsx(&[&["号码"]]), "EMPTY_FILE"),
    ] {
        let (status, body) = admin
            .send_multipart("/api/blacklist/import", name, bytes, &[])
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, wanted),
            "{body}"
        );
    }
    let (status, _) = admin
        .send_multipart(
            "/api/blacklist/import",
            "x.txt",
            b"13700000003".to_vec(),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Export the default group, import it into an empty group: the same numbers and times.
    let (status, bytes) = admin
        .download(&format!("/api/blacklist/export?group_id={default}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, copy) = admin
        .post("/api/blacklist/groups", json!({"name": "副本"}))
        .await;
    let copy = copy["id"].as_i64().unwrap();
    let (status, result) = admin
        .send_multipart(
            "/api/blacklist/import",
            "导出.xlsx",
            bytes.clone(),
            &[("group_id", &copy.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(
        (result["added"].as_i64(), result["skipped"].as_i64()),
        (Some(5), Some(0)),
        "{result}"
    );
    assert!(result["errors"].as_array().unwrap().is_empty());
    assert_eq!(
        phones(&admin, &format!("group_id={copy}")).await,
        phones(&admin, &format!("group_id={default}")).await
    );
    let (_, original) = admin
        .get(&format!(
            "/api/blacklist?group_id={default}&include_expired=false"
        ))
        .await;
    let (_, copied) = admin
        .get(&format!(
            "/api/blacklist?group_id={copy}&include_expired=false"
        ))
        .await;
    assert_eq!(
        original["total"], copied["total"],
        "expiry survives the round trip"
    );
    let (_, result) = admin
        .send_multipart(
            "/api/blacklist/import",
            "导出.xlsx",
            bytes,
            &[("group_id", &copy.to_string())],
        )
        .await;
    assert_eq!(
        (result["added"].as_i64(), result["skipped"].as_i64()),
        (Some(0), Some(5))
    );
}

#[tokio::test]
async fn blacklists_are_private_to_each_company_and_need_rights() {
    let app = TestApp::start().await;
    let operator = app.login("operator", DEMO_PASSWORD).await;
    let admin_a = app.admin().await;
    let a_default = group_id(&admin_a, "默认分组").await;
    let entry = add(&admin_a, "13800138000", a_default).await;
    let entry_id = entry["id"].as_i64().unwrap();
    let (b_id, admin_b) = other_company(&app, &operator).await;
    let b_default = group_id(&admin_b, "默认分组").await;

    let (_, page) = admin_b.get("/api/blacklist").await;
    assert_eq!(page["total"], 0);
    let (_, page) = admin_b
        .get(&format!("/api/blacklist?group_id={a_default}"))
        .await;
    assert_eq!(page["total"], 0);
    for (status, what) in [
        (
            admin_b
                .put(
                    &format!("/api/blacklist/groups/{a_default}"),
                    json!({"name": "偷改"}),
                )
                .await
                .0,
            "rename",
        ),
        (
            admin_b
                .delete(&format!("/api/blacklist/groups/{a_default}"))
                .await
                .0,
            "delete",
        ),
        (
            admin_b
                .post(
                    "/api/blacklist",
                    json!({"phone": "13900000001", "group_id": a_default}),
                )
                .await
                .0,
            "add",
        ),
        (
            admin_b
                .post(
                    "/api/blacklist/move",
                    json!({"ids": [entry_id], "group_id": a_default}),
                )
                .await
                .0,
            "move into",
        ),
        (
            admin_b
                .send_multipart(
                    "/api/blacklist/import",
                    "x.xlsx",
                    xlsx(&[&["号码"], &["13900000001"]]),
                    &[("group_id", &a_default.to_string())],
                )
                .await
                .0,
            "import into",
        ),
    ] {
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}");
    }
    let (_, moved) = admin_b
        .post(
            "/api/blacklist/move",
            json!({"ids": [entry_id], "group_id": b_default}),
        )
        .await;
    assert_eq!(moved["moved"], 0);
    let (_, deleted) = admin_b
        .post("/api/blacklist/delete", json!({"ids": [entry_id]}))
        .await;
    assert_eq!(deleted["deleted"], 0);
    let (_, deleted) = admin_b
        .post(
            "/api/blacklist/delete",
            json!({"filter": {"group_id": a_default}}),
        )
        .await;
    assert_eq!(deleted["deleted"], 0);
    let (_, page) = admin_a.get("/api/blacklist").await;
    assert_eq!(
        page["items"][0]["group_id"], a_default,
        "A's entry untouched: {page}"
    );
    let blocked = voxdial_server::blacklist::blocked(
        &app.state().db,
        b_id,
        &[a_default],
        &["13800138000".to_owned()],
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(blocked.is_empty(), "B's tasks never see A's list");

    let member = member_without_rights(&app).await;
    for path in [
        "/api/blacklist",
        "/api/blacklist/groups",
        "/api/blacklist/export",
    ] {
        let (status, _) = member.get(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _) = member
        .post(
            "/api/blacklist",
            json!({"phone": "13900000001", "group_id": a_default}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = member
        .post("/api/blacklist/delete", json!({"ids": [entry_id]}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
