//! Models (大模型配置) and quality-check conditions (大模型质检) against a local stand-in for a
//! cloud model.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{TestApp, code, fake_llm};

#[tokio::test]
async fn models_are_configured_tested_and_their_keys_stay_hidden() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let url = fake_llm().await;
    let (status, body) = admin
        .post(
            "/api/llm-models",
            json!({"name": "通义千问", "base_url": "ftp://x", "model": "echo", "api_key": "sk-1"}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("base_url"))
    );
    let (status, body) = admin
        .post(
            "/api/llm-models",
            json!({"name": "通义千问", "base_url": url, "model": "echo"}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("api_key"))
    );
    let (status, model) = admin
        .post("/api/llm-models", json!({"name": "通义千问", "base_url": url, "model": "echo", "api_key": "sk-secret-abcd"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{model}");
    assert_eq!(model["api_key_hint"], "****abcd");
    assert!(
        !model.to_string().contains("sk-secret"),
        "the key is never sent back"
    );
    let id = model["id"].as_i64().unwrap();

    let (status, answer) = admin
        .post(
            &format!("/api/llm-models/{id}/test"),
            json!({"text": "你好"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["reply"], "收到：你好");
    assert_eq!(answer["tokens"], 20);

    let (status, edited) = admin
        .put(&format!("/api/llm-models/{id}"), json!({"name": "千问", "base_url": url, "model": "down", "api_key": null, "max_retries": 0}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        edited["api_key_hint"], "****abcd",
        "an empty key keeps the saved one"
    );
    let (status, body) = admin
        .post(
            &format!("/api/llm-models/{id}/test"),
            json!({"text": "你好"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_GATEWAY, "LLM_FAILED")
    );
    assert!(body["message"].as_str().unwrap().contains("503"));
}

#[tokio::test]
async fn a_quality_condition_regrades_a_transcript() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let url = fake_llm().await;
    let (_, model) = admin
        .post(
            "/api/llm-models",
            json!({"name": "质检模型", "base_url": url, "model": "grader", "api_key": "sk-1"}),
        )
        .await;
    let model_id = model["id"].as_i64().unwrap();
    let (status, body) = admin
        .post(
            "/api/quality-conditions",
            json!({"name": "C级复检", "model_id": model_id, "levels": [], "criteria": "x"}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("levels"))
    );
    let (status, condition) = admin
        .post(
            "/api/quality-conditions",
            json!({"name": "C级复检", "model_id": model_id, "levels": ["C"], "criteria": "问过价格的客户至少是 B 级"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{condition}");
    assert_eq!(condition["levels"], json!(["C"]));
    let id = condition["id"].as_i64().unwrap();

    let transcript = "机器人：您好，我是星火少儿编程的顾问。\n客户：多少钱？\n机器人：体验课免费。\n客户：我再想想。";
    let (status, verdict) = admin
        .post(
            &format!("/api/quality-conditions/{id}/test"),
            json!({"transcript": transcript}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{verdict}");
    assert_eq!(verdict["grade"]["level"], "B");
    assert_eq!(verdict["grade"]["label"], "B级(有意向)");
    assert_eq!(verdict["reason"], "客户询问了价格");

    let (status, body) = admin.delete(&format!("/api/llm-models/{model_id}")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "MODEL_IN_USE")
    );

    admin
        .put(
            &format!("/api/llm-models/{model_id}"),
            json!({"name": "质检模型", "base_url": url, "model": "prose"}),
        )
        .await;
    let (status, body) = admin
        .post(
            &format!("/api/quality-conditions/{id}/test"),
            json!({"transcript": transcript}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_GATEWAY, "LLM_GARBAGE")
    );
    let (status, _) = admin.delete(&format!("/api/quality-conditions/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = admin.delete(&format!("/api/llm-models/{model_id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn another_company_cannot_touch_models_or_conditions() {
    let app = TestApp::start().await;
    let admin_a = app.admin().await;
    let url = fake_llm().await;
    let (_, model) = admin_a
        .post(
            "/api/llm-models",
            json!({"name": "甲的模型", "base_url": url, "model": "echo", "api_key": "sk-a"}),
        )
        .await;
    let model_id = model["id"].as_i64().unwrap();
    let (_, condition) = admin_a
        .post(
            "/api/quality-conditions",
            json!({"name": "甲的条件", "model_id": model_id, "levels": ["C"], "criteria": "标准"}),
        )
        .await;
    let condition_id = condition["id"].as_i64().unwrap();

    let operator = app.login("operator", crate::support::DEMO_PASSWORD).await;
    operator
        .post("/api/operator/companies", json!({"name": "乙公司", "admin_name": "乙", "admin_phone": "13600000000", "admin_password": "Other1234"}))
        .await;
    let admin_b = app.login("13600000000", "Other1234").await;
    let (_, models) = admin_b.get("/api/llm-models").await;
    assert_eq!(models, json!([]));
    let checks = [
        admin_b
            .put(
                &format!("/api/llm-models/{model_id}"),
                json!({"name": "x", "base_url": url, "model": "echo"}),
            )
            .await,
        admin_b
            .post(
                &format!("/api/llm-models/{model_id}/test"),
                json!({"text": "你好"}),
            )
            .await,
        admin_b.delete(&format!("/api/llm-models/{model_id}")).await,
        admin_b
            .post(
                &format!("/api/quality-conditions/{condition_id}/test"),
                json!({"transcript": "x"}),
            )
            .await,
        admin_b
            .delete(&format!("/api/quality-conditions/{condition_id}"))
            .await,
    ];
    for (status, body) in checks {
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    let (status, body) = admin_b
        .post(
            "/api/quality-conditions",
            json!({"name": "借用", "model_id": model_id, "levels": ["C"], "criteria": "x"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "UNKNOWN_MODEL")
    );
}

#[tokio::test]
async fn an_llm_robot_is_configured_and_tested_in_a_chat() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let url = fake_llm().await;
    let (_, model) = admin
        .post(
            "/api/llm-models",
            json!({"name": "回声", "base_url": url, "model": "echo", "api_key": "sk-1"}),
        )
        .await;
    let model_id = model["id"].as_i64().unwrap();
    let (status, config) = admin.get("/api/llm-robots/defaults").await;
    assert_eq!(status, StatusCode::OK);
    assert!(config["opening"].as_str().unwrap().contains("${姓名}"));

    let (status, body) = admin
        .post(
            "/api/llm-robots",
            json!({"name": "体验课邀约", "model_id": 999_999, "config": config}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("model_id"))
    );
    let mut broken = config.clone();
    broken["max_turns"] = json!(0);
    let (status, body) = admin
        .post(
            "/api/llm-robots",
            json!({"name": "体验课邀约", "model_id": model_id, "config": broken}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("max_turns"))
    );
    let mut hand_over = config.clone();
    hand_over["fallback"] = json!({"type": "hand_to_script", "script_id": 999_999, "node": "open"});
    let (status, body) = admin
        .post(
            "/api/llm-robots",
            json!({"name": "体验课邀约", "model_id": model_id, "config": hand_over}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("fallback"))
    );

    let (status, robot) = admin
        .post(
            "/api/llm-robots",
            json!({"name": "体验课邀约", "model_id": model_id, "config": config}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{robot}");
    assert_eq!(robot["model_name"], "回声");
    let id = robot["id"].as_i64().unwrap();
    let chat = format!("/api/llm-robots/{id}/chat");

    let (status, opening) = admin
        .post(
            &chat,
            json!({"variables": {"姓名": "王女士"}, "message": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{opening}");
    assert!(
        opening["robot"][0]
            .as_str()
            .unwrap()
            .starts_with("王女士您好")
    );
    assert_eq!(opening["tokens"], 0, "the opening needs no model");

    let (status, turn) = admin
        .post(
            &chat,
            json!({"variables": {"姓名": "王女士"}, "transcript": [], "message": "体验课要钱吗"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{turn}");
    assert_eq!(turn["robot"], json!(["收到：体验课要钱吗"]));
    assert_eq!(
        (turn["ended"].as_bool(), turn["tokens"].as_i64()),
        (Some(false), Some(20))
    );

    let transcript = json!([{"customer": "体验课要钱吗", "robot": ["收到：体验课要钱吗"]}]);
    let (_, closing) = admin
        .post(
            &chat,
            json!({"transcript": transcript, "message": "好的周六见[挂机]"}),
        )
        .await;
    assert_eq!(
        closing["robot"],
        json!(["收到：好的周六见"]),
        "the mark is not spoken"
    );
    assert_eq!(closing["actions"], json!(["say", "hang_up"]));
    assert_eq!(closing["ended"], true);

    let (_, refusal) = admin
        .post(
            &chat,
            json!({"transcript": transcript, "message": "别再给我打电话了"}),
        )
        .await;
    assert_eq!(
        refusal["actions"],
        json!(["say", "offer_blacklist", "hang_up"])
    );
    assert_eq!(
        refusal["tokens"], 0,
        "a refusal is caught without the model"
    );

    let mut down = model.clone();
    down["model"] = json!("down");
    down["max_retries"] = json!(0);
    down["api_key"] = json!(null);
    admin
        .put(&format!("/api/llm-models/{model_id}"), down)
        .await;
    let (status, failed) = admin.post(&chat, json!({"message": "你们在哪"})).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a failing model is a turn, not an error: {failed}"
    );
    assert_eq!(failed["fallback"], true);
    assert!(
        failed["error"].as_str().unwrap().contains("503"),
        "{failed}"
    );
    assert_eq!(failed["robot"][0], config["fallback_text"]);
    assert_eq!(
        failed["ended"], false,
        "say the line and let the customer go on"
    );
    let (_, twice) = admin
        .post(&chat, json!({"transcript": [{"customer": "你们在哪", "robot": [config["fallback_text"]], "fallback": true}], "message": "喂？"}))
        .await;
    assert_eq!(
        twice["ended"], true,
        "two failures in a row end the call politely"
    );

    let (status, body) = admin.delete(&format!("/api/llm-models/{model_id}")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "MODEL_IN_USE")
    );

    let operator = app.login("operator", crate::support::DEMO_PASSWORD).await;
    operator
        .post("/api/operator/companies", json!({"name": "乙公司", "admin_name": "乙", "admin_phone": "13600000000", "admin_password": "Other1234"}))
        .await;
    let other = app.login("13600000000", "Other1234").await;
    let (_, theirs) = other.get("/api/llm-robots").await;
    assert_eq!(theirs, json!([]));
    for (status, body) in [
        other.get(&format!("/api/llm-robots/{id}")).await,
        other.post(&chat, json!({"message": null})).await,
        other.delete(&format!("/api/llm-robots/{id}")).await,
    ] {
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    let (status, _) = admin.delete(&format!("/api/llm-robots/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}
