//! Accounts and organisation: login, sub-accounts, departments, groups, isolation, jobs.

use std::time::Duration;

use crate::support::{DEMO_ADMIN, DEMO_PASSWORD, TestApp, code, wait_for_notification, xlsx};
use reqwest::StatusCode;
use serde_json::{Value, json};

const TEMPLATE_HEADERS: &[&str] = &["姓名*", "手机号*", "部门", "邮箱", "密码"];

async fn member_id(client: &crate::support::Client, phone: &str) -> i64 {
    let (_, body) = client.get(&format!("/api/members?q={phone}")).await;
    body["items"][0]["id"].as_i64().expect("member listed")
}

async fn department_id(client: &crate::support::Client, name: &str) -> i64 {
    let (_, body) = client.get("/api/departments").await;
    body.as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .and_then(|d| d["id"].as_i64())
        .expect("department listed")
}

/// Logs in with the initial password and sets a real one.
async fn first_login(app: &TestApp, phone: &str) -> crate::support::Client {
    let client = app.login(phone, "123456").await;
    let (status, _) = client
        .post(
            "/api/me/password",
            json!({"old_password": "123456", "new_password": "Newpass123"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    client
}

#[tokio::test]
async fn health_and_openapi_describe_every_route() {
    let app = TestApp::start().await;
    let client = app.client();
    let (status, health) = client.get("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    let expected_backend = if std::env::var("VOXDIAL_TEST_POSTGRES_URL").is_ok() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(health["database"], expected_backend);

    let (status, doc) = client.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/auth/login",
        "/api/auth/logout",
        "/api/me",
        "/api/me/profile",
        "/api/me/avatar",
        "/api/me/password",
        "/api/company",
        "/api/permissions",
        "/api/members",
        "/api/members/{id}",
        "/api/members/{id}/disable",
        "/api/members/{id}/enable",
        "/api/members/{id}/reset-password",
        "/api/members/import-template",
        "/api/members/import",
        "/api/departments",
        "/api/departments/{id}",
        "/api/departments/{id}/move",
        "/api/permission-groups",
        "/api/permission-groups/{id}",
        "/api/audit-log",
        "/api/notifications",
        "/api/notifications/{id}/read",
        "/api/notifications/read-all",
        "/api/notifications/stream",
        "/api/files/{id}",
        "/api/operator/companies",
        "/api/operator/companies/{id}/suspend",
        "/api/operator/companies/{id}/resume",
        "/api/health",
        "/api/openapi.json",
        "/api/scripts",
        "/api/scripts/{id}/chat",
        "/api/intents/classify",
        "/api/grading-rules",
        "/api/llm-models",
        "/api/quality-conditions/{id}/test",
        "/api/call-settings",
    ] {
        assert!(paths.contains_key(path), "{path} missing from openapi.json");
    }
    let (status, body) = client.get("/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(code(&body), "NOT_FOUND");
}

#[tokio::test]
async fn login_errors_rate_limit_and_csrf() {
    let app = TestApp::start().await;
    let client = app.client();
    let (status, body) = client.login(DEMO_ADMIN, "wrong-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "INVALID_CREDENTIALS");
    assert!(body["message"].as_str().unwrap().contains("密码错误"));
    let (status, body) = client.login("", "x").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "login");

    let (status, body) = client.get("/api/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "UNAUTHENTICATED");

    // A write without the CSRF header is refused even with a valid session cookie.
    let admin = app.admin().await;
    let response = admin
        .http
        .post(format!("{}/api/departments", admin.base))
        .json(&json!({"name": "无令牌"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        code(&response.json::<Value>().await.unwrap()),
        "CSRF_FAILED"
    );

    for _ in 0..4 {
        client.login("13800000001", "guess-1").await;
    }
    let (status, _) = client.login("13800000001", "guess-2").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = client.login("13800000001", "123456").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the right password is refused too once limited"
    );
    assert_eq!(code(&body), "LOGIN_RATE_LIMITED");

    let (_, log) = admin.get("/api/audit-log?action=login_failed").await;
    assert!(log["total"].as_u64().unwrap() >= 6);
    let (status, _) = admin.post("/api/auth/logout", json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = admin.get("/api/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn session_cookies_are_http_only_and_secure_behind_https() {
    let app = TestApp::start().await;
    let client = app.client();
    let login = |proto: Option<&'static str>| {
        let mut request = client
            .http
            .post(format!("{}/api/auth/login", client.base))
            .json(&json!({"login": DEMO_ADMIN, "password": DEMO_PASSWORD}));
        if let Some(proto) = proto {
            request = request.header("x-forwarded-proto", proto);
        }
        request.send()
    };
    let cookies = |response: &reqwest::Response| -> Vec<String> {
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    };
    let plain = cookies(&login(None).await.unwrap());
    let session = plain
        .iter()
        .find(|c| c.starts_with("voxdial_session="))
        .unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    assert!(!session.contains("Secure"));
    let csrf = plain
        .iter()
        .find(|c| c.starts_with("voxdial_csrf="))
        .unwrap();
    assert!(
        !csrf.contains("HttpOnly"),
        "the console must read the CSRF token"
    );
    let https = cookies(&login(Some("https")).await.unwrap());
    assert!(https.iter().all(|c| c.contains("Secure")), "{https:?}");
}

#[tokio::test]
async fn without_the_demo_the_database_starts_empty() {
    let app = TestApp::start_with(false).await;
    let (status, body) = app.client().login(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS")
    );
    let (status, _) = app.client().login("operator", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sub_account_lifecycle_and_forced_password_change() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let sales = department_id(&admin, "销售部").await;
    let (status, created) = admin
        .post(
            "/api/members",
            json!({"name": "孙丽", "phone": "139 0000 0001", "department_id": sales}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["phone"], "13900000001");
    assert_eq!(created["must_change_password"], true);
    assert_eq!(created["department_name"], "销售部");

    let (status, body) = admin
        .post(
            "/api/members",
            json!({"name": "重复", "phone": "13900000001"}),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "PHONE_TAKEN"));
    let (status, body) = admin
        .post(
            "/api/members",
            json!({"name": "无部门", "phone": "13900000002", "department_id": 999_999}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "UNKNOWN_DEPARTMENT")
    );
    let (status, body) = admin
        .post("/api/members", json!({"name": "坏号", "phone": "12345"}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "INVALID_PHONE")
    );
    let (_, list) = admin.get("/api/members?q=13900000002").await;
    assert_eq!(list["total"], 0, "nothing half-written");

    let member = app.login("13900000001", "123456").await;
    let (_, me) = member.get("/api/me").await;
    assert_eq!(me["must_change_password"], true);
    let (status, body) = member.get("/api/members").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "PASSWORD_CHANGE_REQUIRED")
    );
    let (status, body) = member
        .post(
            "/api/me/password",
            json!({"old_password": "123456", "new_password": "short"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "WEAK_PASSWORD")
    );
    let (status, body) = member
        .post(
            "/api/me/password",
            json!({"old_password": "nope", "new_password": "Newpass123"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "WRONG_PASSWORD")
    );
    let (status, _) = member
        .post(
            "/api/me/password",
            json!({"old_password": "123456", "new_password": "Newpass123"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = member.get("/api/members").await;
    assert_eq!(status, StatusCode::OK);

    let id = created["id"].as_i64().unwrap();
    let (status, body) = admin
        .post(&format!("/api/members/{id}/disable"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "disabled");
    let (status, body) = member.get("/api/me").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
        "sessions end on disable"
    );
    let (status, body) = app.client().login("13900000001", "Newpass123").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "ACCOUNT_DISABLED")
    );
    admin
        .post(&format!("/api/members/{id}/enable"), json!({}))
        .await;
    let (status, _) = admin
        .post(&format!("/api/members/{id}/reset-password"), json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let again = app.login("13900000001", "123456").await;
    let (_, me) = again.get("/api/me").await;
    assert_eq!(me["must_change_password"], true);

    let owner_id = member_id(&admin, DEMO_ADMIN).await;
    let (status, body) = admin
        .post(&format!("/api/members/{owner_id}/disable"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "CANNOT_DISABLE_OWNER")
    );

    let (status, body) = admin
        .put("/api/me/profile", json!({"name": "演示管理员", "phone": "13900000001", "email": null, "popup_enabled": false}))
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "PHONE_TAKEN"));
    let (status, body) = admin
        .put("/api/me/profile", json!({"name": "管理员甲", "phone": "13700000000", "email": "Boss@Example.cn", "popup_enabled": false}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["email"], "boss@example.cn");
    assert_eq!(body["popup_enabled"], false);
    app.login("13700000000", DEMO_PASSWORD).await;
    app.login("boss@example.cn", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn departments_tree_settings_and_moves() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let sales = department_id(&admin, "销售部").await;
    let east = department_id(&admin, "华东组").await;
    let (status, shanghai) = admin
        .post(
            "/api/departments",
            json!({"name": "上海小组", "parent_id": east}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let shanghai_id = shanghai["id"].as_i64().unwrap();
    assert_eq!(
        shanghai["effective"]["permission_group_name"], "默认权限组",
        "inherited from the company"
    );
    assert_eq!(
        shanghai["effective"]["inherited"]["permission_group_id"],
        true
    );
    let (status, body) = admin
        .post(
            "/api/departments",
            json!({"name": "上海小组", "parent_id": east}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "DEPARTMENT_NAME_TAKEN")
    );

    let (status, body) = admin
        .put(&format!("/api/departments/{east}"), json!({"name": "华东组", "admin_user_id": null, "settings": {"recycle_days": 7, "claim_quota": null, "sales_stages": ["初步接触", "签约"], "permission_group_id": null}}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = admin.get("/api/departments").await;
    let leaf = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == shanghai_id)
        .unwrap()
        .clone();
    assert_eq!(leaf["effective"]["recycle_days"], 7);
    assert_eq!(
        leaf["effective"]["sales_stages"],
        json!(["初步接触", "签约"])
    );
    assert_eq!(leaf["effective"]["claim_quota"], 100);
    let (status, body) = admin
        .put(
            &format!("/api/departments/{east}"),
            json!({"name": "华东组", "settings": {"recycle_days": 0}}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("recycle_days"))
    );

    let (status, body) = admin
        .post(
            &format!("/api/departments/{sales}/move"),
            json!({"parent_id": shanghai_id, "index": 0}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "DEPARTMENT_CYCLE")
    );
    let (status, body) = admin
        .post(
            &format!("/api/departments/{shanghai_id}/move"),
            json!({"parent_id": null, "index": 0}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let roots: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["parent_id"].is_null())
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(roots, vec!["上海小组", "销售部", "客服部", "管理层"]);

    let (status, body) = admin.delete(&format!("/api/departments/{sales}")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "DEPARTMENT_HAS_CHILDREN")
    );
    let (_, before) = admin
        .get(&format!("/api/members?department_id={east}"))
        .await;
    assert_eq!(before["total"], 1);
    let (status, _) = admin.delete(&format!("/api/departments/{east}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let li_qiang = member_id(&admin, "13800000002").await;
    let (_, member) = admin.get("/api/members?q=13800000002").await;
    assert_eq!(member["items"][0]["id"], li_qiang);
    assert!(
        member["items"][0]["department_id"].is_null(),
        "members are released"
    );
}

#[tokio::test]
async fn permission_groups_and_data_scope() {
    let app = TestApp::start().await;
    let admin = app.admin().await;

    // 李强 is an employee in 华东组 under the default group: sees only himself.
    let employee = first_login(&app, "13800000002").await;
    let (status, body) = employee.get("/api/members").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["phone"], "13800000002");
    let (status, _) = employee
        .post(
            "/api/members",
            json!({"name": "越权", "phone": "13900000009"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = employee
        .post("/api/departments", json!({"name": "越权部门"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = employee.get("/api/audit-log").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = employee.get("/api/permission-groups").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // 王芳 heads 销售部 with the 部门主管 group: her department and below, nothing else.
    let head = first_login(&app, "13800000001").await;
    let (_, me) = head.get("/api/me").await;
    assert_eq!(me["is_department_admin"], true);
    // The default group applies company-wide: only the owner changes it, though she holds
    // group.manage.
    let (_, groups) = admin.get("/api/permission-groups").await;
    let default = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["is_default"] == true)
        .unwrap()
        .clone();
    let edit = json!({"name": default["name"], "description": "", "permissions": ["member.view", "task.view"]});
    let (status, body) = head
        .put(
            &format!("/api/permission-groups/{}", default["id"]),
            edit.clone(),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "FORBIDDEN"),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap().contains("企业所有者"),
        "{body}"
    );
    let (_, after) = admin.get("/api/permission-groups").await;
    assert_eq!(after, groups, "the refused edit changed nothing");
    let (status, body) = admin
        .put(
            &format!("/api/permission-groups/{}", default["id"]),
            json!({"name": default["name"], "description": default["description"], "permissions": default["permissions"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the owner may: {body}");
    let (_, visible) = head.get("/api/members?page_size=100").await;
    let phones: Vec<&str> = visible["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["phone"].as_str().unwrap())
        .collect();
    assert!(phones.contains(&"13800000002") && phones.contains(&"13800000003"));
    assert!(
        !phones.contains(&DEMO_ADMIN),
        "the owner has no department: outside her scope"
    );
    let service = department_id(&admin, "客服部").await;
    let east = department_id(&admin, "华东组").await;
    let sales = department_id(&admin, "销售部").await;
    let (status, _) = head
        .post(
            "/api/members",
            json!({"name": "客服甲", "phone": "13900000010", "department_id": service}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = head
        .post(
            "/api/members",
            json!({"name": "销售甲", "phone": "13900000011", "department_id": east}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let owner_id = member_id(&admin, DEMO_ADMIN).await;
    let (status, _) = head
        .put(
            &format!("/api/members/{owner_id}"),
            json!({"name": "x", "phone": DEMO_ADMIN}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "outside the scope looks like nothing"
    );
    let (status, _) = head
        .put(
            &format!("/api/departments/{sales}"),
            json!({"name": "销售部改名"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "her own department is managed above her"
    );
    let (status, _) = head
        .post(
            "/api/departments",
            json!({"name": "华东二组", "parent_id": sales}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // A group narrowed by the owner takes effect at once.
    let (_, groups) = admin.get("/api/permission-groups").await;
    let managers = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "部门主管")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, body) = admin
        .put(&format!("/api/permission-groups/{managers}"), json!({"name": "部门主管", "description": "", "permissions": ["member.view", "no.such.thing"]}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "UNKNOWN_PERMISSION")
    );
    let (status, _) = admin
        .put(
            &format!("/api/permission-groups/{managers}"),
            json!({"name": "部门主管", "description": "只读", "permissions": ["member.view"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = head
        .post(
            "/api/members",
            json!({"name": "销售乙", "phone": "13900000012", "department_id": east}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = admin
        .delete(&format!("/api/permission-groups/{managers}"))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "GROUP_IN_USE")
    );
    let default = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["is_default"] == true)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, body) = admin
        .delete(&format!("/api/permission-groups/{default}"))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "DEFAULT_GROUP")
    );
}

#[tokio::test]
async fn companies_are_isolated_from_each_other() {
    let app = TestApp::start().await;
    let admin_a = app.admin().await;
    let operator = app.login("operator", DEMO_PASSWORD).await;
    let (status, company) = operator
        .post("/api/operator/companies", json!({"name": "另一家公司", "admin_name": "乙老板", "admin_phone": "13600000000", "admin_password": "Other1234"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{company}");
    let (status, _) = admin_a.get("/api/operator/companies").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a company admin is no operator"
    );
    let admin_b = app.login("13600000000", "Other1234").await;

    // Company A's ids, as B might guess them.
    let member_a = member_id(&admin_a, "13800000001").await;
    let dept_a = department_id(&admin_a, "销售部").await;
    let (_, groups) = admin_a.get("/api/permission-groups").await;
    let group_a = groups[0]["id"].as_i64().unwrap();
    let (_, accepted) = admin_a
        .upload(
            "/api/members/import",
            "a.xlsx",
            xlsx(&[TEMPLATE_HEADERS, &["甲", "bad", "", "", ""]]),
        )
        .await;
    let notification_a = accepted["notification_id"].as_i64().unwrap();
    let finished = wait_for_notification(&admin_a, notification_a).await;
    let file_a = finished["result_file_url"].as_str().unwrap().to_owned();

    let (_, list) = admin_b.get("/api/members?page_size=100").await;
    assert_eq!(list["total"], 1, "B sees only its own owner");
    let (_, departments) = admin_b.get("/api/departments").await;
    assert_eq!(departments, json!([]));
    let checks = [
        admin_b
            .put(
                &format!("/api/members/{member_a}"),
                json!({"name": "x", "phone": "13800000001"}),
            )
            .await,
        admin_b
            .post(&format!("/api/members/{member_a}/disable"), json!({}))
            .await,
        admin_b
            .post(
                &format!("/api/members/{member_a}/reset-password"),
                json!({}),
            )
            .await,
        admin_b
            .put(&format!("/api/departments/{dept_a}"), json!({"name": "x"}))
            .await,
        admin_b.delete(&format!("/api/departments/{dept_a}")).await,
        admin_b
            .post(
                &format!("/api/departments/{dept_a}/move"),
                json!({"parent_id": null, "index": 0}),
            )
            .await,
        admin_b
            .put(
                &format!("/api/permission-groups/{group_a}"),
                json!({"name": "x", "permissions": []}),
            )
            .await,
        admin_b
            .delete(&format!("/api/permission-groups/{group_a}"))
            .await,
        admin_b
            .post(
                &format!("/api/notifications/{notification_a}/read"),
                json!({}),
            )
            .await,
        admin_b.get(&file_a).await,
    ];
    for (status, body) in checks {
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    let (status, _) = admin_b
        .post(
            "/api/members",
            json!({"name": "x", "phone": "13600000001", "department_id": dept_a}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "A's department is unknown to B"
    );
    let (_, notifications) = admin_b.get("/api/notifications").await;
    assert_eq!(notifications["total"], 0);
    let (_, log) = admin_b.get("/api/audit-log?page_size=100").await;
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor_name"] == "乙老板")
    );
    let (_, untouched) = admin_a.get("/api/members?q=13800000001").await;
    assert_eq!(untouched["items"][0]["status"], "active");

    // Suspending B locks its members out.
    let b_id = company["id"].as_i64().unwrap();
    let (status, body) = operator
        .post(
            &format!("/api/operator/companies/{b_id}/suspend"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("suspended"))
    );
    let (status, body) = admin_b.get("/api/members").await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "COMPANY_SUSPENDED")
    );
}

#[tokio::test]
async fn sub_accounts_import_with_error_report() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (status, template) = admin.download("/api/members/import-template").await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.starts_with(b"PK"));

    let sheet = xlsx(&[
        TEMPLATE_HEADERS,
        &[
            "周杰",
            "13911110001",
            "销售部/华东组",
            "zhoujie@example.cn",
            "",
        ],
        &["吴磊", "+86 139-1111-0002", "", "", "Strong123"],
        &["坏行", "1391111", "销售部", "", ""],
        &["", "", "", "", ""],
    ]);
    let (status, accepted) = admin
        .upload("/api/members/import", "成员.xlsx", sheet)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{accepted}");
    let done = wait_for_notification(&admin, accepted["notification_id"].as_i64().unwrap()).await;
    assert_eq!(done["status"], "succeeded");
    assert_eq!(
        (
            done["total"].as_i64(),
            done["success_count"].as_i64(),
            done["fail_count"].as_i64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(done["progress"], 100);
    let (status, report) = admin
        .download(done["result_file_url"].as_str().unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(report)).unwrap();
    use calamine::Reader;
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "4", "sheet row number of the bad row");
    assert!(rows[1].last().unwrap().contains("格式不正确"));

    let (_, zhou) = admin.get("/api/members?q=13911110001").await;
    assert_eq!(zhou["items"][0]["department_name"], "华东组");
    assert_eq!(zhou["items"][0]["must_change_password"], true);
    app.login("13911110002", "Strong123").await;

    // Bad files are refused at once, and nothing is queued.
    let (status, body) = admin
        .upload(
            "/api/members/import",
            "x.xlsx",
            xlsx(&[&["名字", "电话"], &["a", "b"]]),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "BAD_HEADERS")
    );
    let (status, body) = admin
        .upload("/api/members/import", "x.xlsx", xlsx(&[TEMPLATE_HEADERS]))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "EMPTY_FILE")
    );
    let (status, body) = admin
        .upload("/api/members/import", "x.csv", b"a,b\n".to_vec())
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_FILE")
    );
    let (status, body) = admin
        .upload("/api/members/import", "x.xlsx", Vec::new())
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "EMPTY_FILE")
    );
    let (status, body) = admin
        .upload(
            "/api/members/import",
            "big.xlsx",
            vec![b'P'; 50 * 1024 * 1024],
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "FILE_TOO_LARGE")
    );
    let (_, notifications) = admin.get("/api/notifications").await;
    assert_eq!(notifications["total"], 1);
    assert_eq!(notifications["unread"], 1);
    admin.post("/api/notifications/read-all", json!({})).await;
    let (_, notifications) = admin.get("/api/notifications").await;
    assert_eq!(notifications["unread"], 0);
}

/// Reads an event stream until a notification reports success (20 s at most).
async fn events_until_success(response: reqwest::Response) -> String {
    use futures::StreamExt;
    let mut stream = response.bytes_stream();
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !seen.contains("\"status\":\"succeeded\"") {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("event in time")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    seen
}

#[tokio::test]
async fn notifications_stream_live_progress() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let response = admin
        .http
        .get(format!("{}/api/notifications/stream", admin.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (_, accepted) = admin
        .upload(
            "/api/members/import",
            "a.xlsx",
            xlsx(&[TEMPLATE_HEADERS, &["郑爽", "13922220001", "", "", ""]]),
        )
        .await;
    let seen = events_until_success(response).await;
    assert!(seen.contains("event: notification"));
    assert!(seen.contains(&format!("\"id\":{}", accepted["notification_id"])));
}

#[tokio::test]
async fn progress_reaches_a_console_connected_to_another_node() {
    if std::env::var("VOXDIAL_TEST_POSTGRES_URL").is_err() {
        return; // several nodes share a database only on PostgreSQL
    }
    let app = TestApp::start().await;
    let node_b = app.second_node().await;
    let admin = app.admin().await;
    let on_b = admin.on(&node_b);
    let response = on_b
        .http
        .get(format!("{}/api/notifications/stream", on_b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, accepted) = admin
        .upload(
            "/api/members/import",
            "a.xlsx",
            xlsx(&[TEMPLATE_HEADERS, &["冯巩", "13944440001", "", "", ""]]),
        )
        .await;
    let seen = events_until_success(response).await;
    assert!(seen.contains(&format!("\"id\":{}", accepted["notification_id"])));
    node_b.stop().await.unwrap();
}

#[tokio::test]
async fn an_interrupted_job_is_resumed_after_restart_and_gives_up_after_retries() {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    use store::entity::job;

    let mut app = TestApp::start().await;
    let admin = app.admin().await;
    let (_, accepted) = admin
        .upload(
            "/api/members/import",
            "a.xlsx",
            xlsx(&[TEMPLATE_HEADERS, &["钱多", "13933330001", "", "", ""]]),
        )
        .await;
    let job_id = accepted["job_id"].as_i64().unwrap();
    wait_for_notification(&admin, accepted["notification_id"].as_i64().unwrap()).await;

    // Make the finished job look as if its node died mid-run, twice: a lease in the past.
    let db = app.state().db.clone();
    let stuck = |attempts: i32| {
        let db = db.clone();
        async move {
            let row = job::Entity::find_by_id(job_id)
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            let mut row = row.into_active_model();
            row.status = Set("running".to_owned());
            row.attempts = Set(attempts);
            row.lease_until = Set(Some(chrono::Utc::now() - chrono::Duration::seconds(1)));
            row.update(&db).await.unwrap();
        }
    };
    // The import already committed its rows; a re-run must not double them but fail cleanly.
    stuck(1).await;
    app.crash_and_restart().await;
    let admin = app.admin().await;
    let resumed =
        wait_for_notification(&admin, accepted["notification_id"].as_i64().unwrap()).await;
    let row = job::Entity::find_by_id(job_id)
        .one(&app.state().db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.attempts, 2, "claimed again after the restart");
    assert_eq!(
        resumed["status"], "failed",
        "the phone is now taken, so the re-run imports nothing"
    );
    let (_, list) = admin.get("/api/members?q=13933330001").await;
    assert_eq!(list["total"], 1, "no double import");

    stuck(3).await;
    app.crash_and_restart().await;
    let admin = app.admin().await;
    let gave_up =
        wait_for_notification(&admin, accepted["notification_id"].as_i64().unwrap()).await;
    assert_eq!(gave_up["status"], "failed");
    assert!(gave_up["error"].as_str().unwrap().contains("多次被中断"));
}

#[tokio::test]
async fn profile_avatar_company_and_audit() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
    let (status, me) = admin.upload("/api/me/avatar", "me.png", png.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let url = me["avatar_url"].as_str().unwrap().to_owned();
    let (status, bytes) = admin.download(&url).await;
    assert_eq!((status, bytes.len()), (StatusCode::OK, png.len()));
    let (status, body) = admin
        .upload("/api/me/avatar", "me.txt", b"hello".to_vec())
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_FILE")
    );
    let (status, body) = admin
        .upload("/api/me/avatar", "big.png", vec![0x89; 3 * 1024 * 1024])
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "FILE_TOO_LARGE")
    );

    let (status, company) = admin
        .put("/api/company", json!({"name": "新名字教育", "contact_name": "张经理", "contact_phone": "021-12345678", "address": "上海市"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(company["name"], "新名字教育");
    let employee = first_login(&app, "13800000003").await;
    let (status, _) = employee
        .put(
            "/api/company",
            json!({"name": "篡改", "contact_name": "", "contact_phone": "", "address": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, log) = admin.get("/api/audit-log?page_size=100").await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in ["login", "profile.avatar", "company.update"] {
        assert!(actions.contains(&action), "{action} not in {actions:?}");
    }
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action_label"] == "修改企业信息")
    );
}
