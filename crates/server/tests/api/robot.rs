//! AI机器人中心: scripts, the test chat, intents and grading rules.

use crate::support::{DEMO_PASSWORD, TestApp, code};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn utterances(texts: &[&str]) -> Value {
    Value::Array(
        texts
            .iter()
            .map(|t| json!({"type": "utterance", "text": t}))
            .collect(),
    )
}

#[tokio::test]
async fn the_demo_script_can_be_tested_at_once() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (status, list) = admin.get("/api/scripts").await;
    assert_eq!(status, StatusCode::OK);
    let demo = &list[0];
    assert_eq!(demo["name"], "少儿编程体验课邀约");
    assert_eq!(demo["published_version"], 1);
    assert!(demo["problem"].is_null());
    let id = demo["id"].as_i64().unwrap();
    let (_, detail) = admin.get(&format!("/api/scripts/{id}")).await;
    assert!(detail["draft"]["knowledge"].as_array().unwrap().len() >= 15);

    let (status, chat) = admin
        .post(
            &format!("/api/scripts/{id}/chat"),
            json!({"variables": {"姓名": "王先生"}, "events": utterances(&["你们在哪里上课", "多少钱", "可以"])}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{chat}");
    let turns = chat["turns"].as_array().unwrap();
    assert!(
        turns[0]["robot"][0]
            .as_str()
            .unwrap()
            .starts_with("王先生您好")
    );
    assert_eq!(turns[1]["knowledge"], "kb_location");
    assert!(turns[0]["event"].is_null());
    assert_eq!(turns[1]["event"], "utterance");
    assert_eq!(
        detail["draft"]["nodes"][0]["interruptible"], true,
        "every field is written out"
    );
    assert_eq!(turns[2]["intent"]["code"], "ask_price");
    assert_eq!(turns[2]["node_name"], "报价");
    assert_eq!(chat["ended"], "robot");
    assert_eq!(chat["user_tags"], json!(["关注价格", "预约体验课"]));
    assert_eq!(chat["grade"]["level"], "A");
    assert_eq!(chat["grade"]["label"], "A级(较强意向)");

    let (_, silent) = admin
        .post(
            &format!("/api/scripts/{id}/chat"),
            json!({"events": [{"type": "silence"}, {"type": "silence"}, {"type": "silence"}]}),
        )
        .await;
    assert_eq!(silent["ended"], "robot");
    assert_eq!(silent["turns"][1]["event"], "silence");
    assert_eq!(silent["grade"]["level"], "F", "no interaction");

    let (_, classified) = admin
        .post("/api/intents/classify", json!({"text": "我不需要，谢谢"}))
        .await;
    assert_eq!(classified["intent"]["code"], "deny");
    let (_, unknown) = admin
        .post("/api/intents/classify", json!({"text": "今天下雨了"}))
        .await;
    assert!(unknown["intent"].is_null());
    let (_, intents) = admin.get("/api/intents").await;
    assert_eq!(intents.as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn drafts_versions_import_and_export() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (status, created) = admin
        .post(
            "/api/scripts",
            json!({"name": "保险回访", "description": "测试"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(created["problem"].is_null(), "a new script starts valid");
    let id = created["id"].as_i64().unwrap();

    let mut draft = created["draft"].clone();
    draft["nodes"][0]["otherwise"] = json!("nowhere");
    let (status, saved) = admin
        .put(
            &format!("/api/scripts/{id}"),
            json!({"name": "保险回访", "description": "", "draft": draft}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a draft with a problem is still saved"
    );
    assert_eq!(saved["problem"], "节点“开场白”指向的节点“nowhere”不存在");
    let (status, body) = admin
        .post(&format!("/api/scripts/{id}/publish"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "SCRIPT_INVALID")
    );
    let (status, _) = admin
        .post(&format!("/api/scripts/{id}/chat"), json!({"events": []}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    draft["nodes"][0]["otherwise"] = json!("bye");
    draft["layout"] = json!({"open": {"x": 10, "y": 20}});
    admin
        .put(
            &format!("/api/scripts/{id}"),
            json!({"name": "保险回访", "draft": draft}),
        )
        .await;
    let (status, published) = admin
        .post(&format!("/api/scripts/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(published["published_version"], 1);
    assert_eq!(
        published["draft"]["layout"]["open"]["x"], 10,
        "the editor's layout is kept"
    );

    let (status, exported) = admin.download(&format!("/api/scripts/{id}/export")).await;
    assert_eq!(status, StatusCode::OK);
    let exported: Value = serde_json::from_slice(&exported).unwrap();
    let (status, imported) = admin.post("/api/scripts/import", exported).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(imported["name"], "保险回访");
    assert!(imported["published_version"].is_null());
    let (status, body) = admin
        .post(
            "/api/scripts/import",
            json!({"name": "坏文件", "nodes": "不是数组"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "INVALID_SCRIPT_JSON")
    );

    let (status, copy) = admin
        .post(&format!("/api/scripts/{id}/copy"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(copy["name"], "保险回访（副本）");
    let (status, _) = admin.delete(&format!("/api/scripts/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = admin.get(&format!("/api/scripts/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn grading_rules_are_per_company_and_used_by_the_chat() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (_, rules) = admin.get("/api/grading-rules").await;
    assert!(!rules["rules"].as_array().unwrap().is_empty());
    assert_eq!(rules["levels"].as_array().unwrap().len(), 6);

    let (status, body) = admin
        .put(
            "/api/grading-rules",
            json!({"rules": [{"name": "", "level": "A", "conditions": []}], "default_level": "C"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION")
    );
    let (status, body) = admin
        .put(
            "/api/grading-rules",
            json!({"rules": [{"name": "x", "level": "Z", "conditions": []}], "default_level": "C"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let only_price = json!({"rules": [{"name": "问过价格", "level": "B", "conditions": [{"type": "intent_hit", "intent": "ask_price"}]}], "default_level": "E"});
    let (status, saved) = admin.put("/api/grading-rules", only_price).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (_, list) = admin.get("/api/scripts").await;
    let id = list[0]["id"].as_i64().unwrap();
    let (_, chat) = admin
        .post(
            &format!("/api/scripts/{id}/chat"),
            json!({"events": utterances(&["多少钱", "可以"])}),
        )
        .await;
    assert_eq!(chat["grade"]["level"], "B");
    assert_eq!(chat["grade"]["rule"], "问过价格");
    let (_, chat) = admin
        .post(
            &format!("/api/scripts/{id}/chat"),
            json!({"events": utterances(&["不需要", "不用了"])}),
        )
        .await;
    assert_eq!(chat["grade"]["level"], "E", "the default level");
}

#[tokio::test]
async fn scripts_respect_permissions_and_companies() {
    let app = TestApp::start().await;
    let admin_a = app.admin().await;
    let (_, list) = admin_a.get("/api/scripts").await;
    let script_a = list[0]["id"].as_i64().unwrap();

    let employee = app.login("13800000002", "123456").await;
    employee
        .post(
            "/api/me/password",
            json!({"old_password": "123456", "new_password": "Newpass123"}),
        )
        .await;
    let (status, _) = employee.get("/api/scripts").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the default group has no robot rights"
    );

    let operator = app.login("operator", DEMO_PASSWORD).await;
    operator
        .post("/api/operator/companies", json!({"name": "乙公司", "admin_name": "乙", "admin_phone": "13600000000", "admin_password": "Other1234"}))
        .await;
    let admin_b = app.login("13600000000", "Other1234").await;
    let (_, own) = admin_b.get("/api/scripts").await;
    assert_eq!(own, json!([]));
    let checks = [
        admin_b.get(&format!("/api/scripts/{script_a}")).await,
        admin_b
            .put(
                &format!("/api/scripts/{script_a}"),
                json!({"name": "x", "draft": {"name": "x", "start": "a", "nodes": []}}),
            )
            .await,
        admin_b
            .post(&format!("/api/scripts/{script_a}/publish"), json!({}))
            .await,
        admin_b
            .post(&format!("/api/scripts/{script_a}/copy"), json!({}))
            .await,
        admin_b
            .post(
                &format!("/api/scripts/{script_a}/chat"),
                json!({"events": []}),
            )
            .await,
        admin_b
            .get(&format!("/api/scripts/{script_a}/export"))
            .await,
        admin_b.delete(&format!("/api/scripts/{script_a}")).await,
        admin_b
            .post(
                "/api/intents/classify",
                json!({"text": "多少钱", "script_id": script_a}),
            )
            .await,
    ];
    for (status, body) in checks {
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    let (_, still) = admin_a.get(&format!("/api/scripts/{script_a}")).await;
    assert_eq!(still["name"], "少儿编程体验课邀约");
}

#[tokio::test]
async fn call_settings_have_defaults_and_ranges() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (_, settings) = admin.get("/api/call-settings").await;
    assert_eq!(settings["timing"]["max_pause_ms"], 800);
    assert_eq!(settings["timing"], settings["defaults"]);
    let (status, body) = admin
        .put(
            "/api/call-settings",
            json!({"timing": {"max_pause_ms": 10}}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("max_pause_ms"))
    );
    assert!(body["message"].as_str().unwrap().contains("最大停顿时间"));
    let (status, _) = admin
        .put(
            "/api/call-settings",
            json!({"timing": {"barge_in_ms": 1000}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, settings) = admin.get("/api/call-settings").await;
    assert_eq!(settings["timing"]["barge_in_ms"], 1000);
    assert_eq!(
        settings["timing"]["max_pause_ms"], 800,
        "unchanged values keep their defaults"
    );
}
