//! The user tag library (用户标签) and sharing scripts with sub-accounts.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{DEMO_PASSWORD, TestApp, code, xlsx};

fn tag_names(library: &Value, group: &str) -> Vec<String> {
    library["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == group)
        .map(|g| {
            g["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_tag_library_is_edited_imported_and_exported() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (status, library) = admin.get("/api/user-tags").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        tag_names(&library, "客户意向").contains(&"关注价格".to_owned()),
        "the demo's script tags are in its library: {library}"
    );

    let (status, group) = admin
        .post("/api/user-tags/groups", json!({"name": "家长画像"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let group_id = group["id"].as_i64().unwrap();
    let (status, body) = admin
        .post("/api/user-tags/groups", json!({"name": " 家长画像 "}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "GROUP_EXISTS")
    );
    let (status, tag) = admin
        .post(
            "/api/user-tags",
            json!({"group_id": group_id, "name": "二胎家庭"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{tag}");
    let (status, body) = admin
        .post(
            "/api/user-tags",
            json!({"group_id": group_id, "name": "关注价格"}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "TAG_EXISTS"),
        "a name is unique across groups"
    );
    let (status, body) = admin
        .post("/api/user-tags", json!({"group_id": group_id, "name": ""}))
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("name"))
    );

    let sheet = xlsx(&[
        &["标签", "分组"],
        &["关注师资", "家长画像"],
        &["二胎家庭", "家长画像"],
        &["周末有空", "时间偏好"],
        &["", "时间偏好"],
        &["这个标签的名字实在是太长了超过了二十个字的限制", "时间偏好"],
    ]);
    let (status, result) = admin
        .upload("/api/user-tags/import", "标签.xlsx", sheet)
        .await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["groups_created"], 1);
    assert_eq!(result["tags_created"], 2);
    assert_eq!(result["skipped"], 1, "二胎家庭 exists already");
    let errors = result["errors"].as_array().unwrap();
    assert_eq!(
        errors
            .iter()
            .map(|e| e["row"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [5, 6]
    );
    assert!(
        errors[0]["reason"]
            .as_str()
            .unwrap()
            .contains("标签名称不能为空")
    );

    let (gbk, _, _) = encoding_rs::GBK.encode("分组,标签\r\n时间偏好,晚上有空\r\n");
    let (status, result) = admin
        .upload("/api/user-tags/import", "标签.csv", gbk.into_owned())
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a GBK csv from Chinese Excel: {result}"
    );
    assert_eq!(result["tags_created"], 1);

    let (status, body) = admin
        .upload(
            "/api/user-tags/import",
            "标签.xlsx",
            xlsx(&[&["名称"], &["甲"]]),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "BAD_HEADERS")
    );
    assert!(body["message"].as_str().unwrap().contains("分组"));

    let (_, library) = admin.get("/api/user-tags").await;
    assert_eq!(tag_names(&library, "时间偏好"), ["周末有空", "晚上有空"]);
    assert_eq!(tag_names(&library, "家长画像"), ["二胎家庭", "关注师资"]);

    let (status, bytes) = admin.download("/api/user-tags/export").await;
    assert_eq!(status, StatusCode::OK);
    let (status, again) = admin
        .upload("/api/user-tags/import", "导出.xlsx", bytes)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        again["tags_created"], 0,
        "the export reads back as the same library"
    );
    assert!(again["errors"].as_array().unwrap().is_empty());

    let tag_id = tag["id"].as_i64().unwrap();
    let (status, moved) = admin
        .put(
            &format!("/api/user-tags/{tag_id}"),
            json!({"group_id": group_id, "name": "多孩家庭"}),
        )
        .await;
    assert_eq!(
        (status, moved["name"].as_str()),
        (StatusCode::OK, Some("多孩家庭"))
    );
    let (status, _) = admin
        .delete(&format!("/api/user-tags/groups/{group_id}"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, library) = admin.get("/api/user-tags").await;
    assert!(
        tag_names(&library, "家长画像").is_empty(),
        "the group's tags went with it"
    );

    let operator = app.login("operator", DEMO_PASSWORD).await;
    operator
        .post("/api/operator/companies", json!({"name": "乙公司", "admin_name": "乙", "admin_phone": "13600000000", "admin_password": "Other1234"}))
        .await;
    let other = app.login("13600000000", "Other1234").await;
    let (_, theirs) = other.get("/api/user-tags").await;
    assert_eq!(theirs, json!({"groups": []}));
    let some_group = library["groups"][0]["id"].as_i64().unwrap();
    let some_tag = library["groups"][0]["tags"][0]["id"].as_i64().unwrap();
    for (status, body) in [
        other
            .delete(&format!("/api/user-tags/groups/{some_group}"))
            .await,
        other.delete(&format!("/api/user-tags/{some_tag}")).await,
        other
            .post(
                "/api/user-tags",
                json!({"group_id": some_group, "name": "越界"}),
            )
            .await,
    ] {
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
}

#[tokio::test]
async fn a_script_is_shared_as_a_copy_the_colleague_owns() {
    let app = TestApp::start().await;
    let admin = app.admin().await;
    let (_, scripts) = admin.get("/api/scripts").await;
    let demo = scripts[0]["id"].as_i64().unwrap();
    assert_eq!(scripts[0]["created_by_name"], "演示管理员", "{scripts}");
    let (_, members) = admin.get("/api/members/picker?q=%E7%8E%8B%E8%8A%B3").await;
    assert_eq!(members[0]["department_name"], "管理层", "{members}");
    let wang = members[0]["id"].as_i64().unwrap();

    let (status, body) = admin
        .post(
            &format!("/api/scripts/{demo}/share"),
            json!({"member_ids": []}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = admin
        .post(
            &format!("/api/scripts/{demo}/share"),
            json!({"member_ids": [wang, wang]}),
        )
        .await;
    assert_eq!(
        (status, body["shared"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{body}"
    );

    let (_, all) = admin.get("/api/scripts").await;
    let copy = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["created_by"] == wang)
        .expect("the colleague owns a copy");
    assert_eq!(copy["name"], "少儿编程体验课邀约（来自 演示管理员）");
    assert!(
        copy["published_version"].is_null(),
        "a copy starts as a draft"
    );
    let (_, mine) = admin.get("/api/scripts?owner=mine").await;
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|s| s["created_by"] != wang)
    );

    let colleague = app.login("13800000001", "123456").await;
    colleague
        .post(
            "/api/me/password",
            json!({"old_password": "123456", "new_password": "Newpass123"}),
        )
        .await;
    let (_, notes) = colleague.get("/api/notifications").await;
    assert!(
        notes["items"][0]["title"]
            .as_str()
            .unwrap()
            .contains("分享了话术《少儿编程体验课邀约》"),
        "{notes}"
    );

    let operator = app.login("operator", DEMO_PASSWORD).await;
    operator
        .post("/api/operator/companies", json!({"name": "乙公司", "admin_name": "乙", "admin_phone": "13600000000", "admin_password": "Other1234"}))
        .await;
    let other = app.login("13600000000", "Other1234").await;
    let (_, me) = other.get("/api/me").await;
    let stranger = me["id"].as_i64().unwrap();
    let (status, _) = admin
        .post(
            &format!("/api/scripts/{demo}/share"),
            json!({"member_ids": [stranger]}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no sharing into another company"
    );
    let (status, _) = other
        .post(
            &format!("/api/scripts/{demo}/share"),
            json!({"member_ids": [stranger]}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
