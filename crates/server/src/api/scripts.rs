//! Scripts (话术, AI语音机器人): list, create, import/export, edit the draft, publish versions,
//! copy, delete, and the test chat that runs the draft.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use domain::call::EndedByName;
use domain::permissions::{ROBOT_MANAGE, ROBOT_VIEW};
use robot::dialog::{Action, Conversation, EndedBy, Event};
use robot::grading::CallFacts;
use robot::script::Script;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{member, script, script_version};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::files::attachment;
use super::grading::GradeView;
use super::intents::IntentHit;
use crate::audit;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::notifications;
use crate::services::scripts;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(import))
        .routes(routes!(detail, update, delete))
        .routes(routes!(publish))
        .routes(routes!(copy))
        .routes(routes!(share))
        .routes(routes!(export))
        .routes(routes!(chat))
}

#[derive(Serialize, ToSchema)]
pub struct ScriptSummary {
    id: i64,
    name: String,
    description: String,
    published_version: Option<i32>,
    node_count: usize,
    updated_at: DateTime<Utc>,
    /// The draft's first problem, in Chinese; `null` when it can be published.
    problem: Option<String>,
    /// Who owns the script: its author, or whom it was shared to.
    created_by: Option<i64>,
    created_by_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VersionView {
    version: i32,
    published_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ScriptDetail {
    #[serde(flatten)]
    summary: ScriptSummary,
    /// The script JSON being edited.
    #[schema(value_type = Object)]
    draft: serde_json::Value,
    versions: Vec<VersionView>,
}

/// Reads script JSON from a request; the error names the field at fault, in Chinese.
fn script_from(value: serde_json::Value, what: &str) -> ApiResult<Script> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = if path == "." {
            format!("{what}格式不正确，请检查是否为导出的话术文件")
        } else {
            format!("{what}格式不正确：字段“{path}”缺失或内容不符合要求")
        };
        ApiError::invalid("INVALID_SCRIPT_JSON", message)
    })
}

fn summary(row: &script::Model, names: &HashMap<i64, String>) -> ScriptSummary {
    let parsed = scripts::parse(&row.draft);
    ScriptSummary {
        id: row.id,
        name: row.name.clone(),
        description: row.description.clone(),
        published_version: row.published_version,
        node_count: parsed.as_ref().map_or(0, |s| s.nodes.len()),
        updated_at: row.updated_at,
        problem: scripts::compile(&row.draft).err(),
        created_by: row.created_by,
        created_by_name: row.created_by.and_then(|id| names.get(&id).cloned()),
    }
}

/// Names of the company's members, to show who owns each script.
async fn member_names(state: &AppState, tenant_id: i64) -> ApiResult<HashMap<i64, String>> {
    Ok(member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect())
}

async fn detail_of(state: &AppState, row: script::Model) -> ApiResult<ScriptDetail> {
    let versions = script_version::Entity::find()
        .filter(script_version::Column::ScriptId.eq(row.id))
        .filter(script_version::Column::TenantId.eq(row.tenant_id))
        .order_by_desc(script_version::Column::Version)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|v| VersionView {
            version: v.version,
            published_at: v.published_at,
        })
        .collect();
    let names = member_names(state, row.tenant_id).await?;
    Ok(ScriptDetail {
        summary: summary(&row, &names),
        draft: serde_json::from_str(&row.draft).unwrap_or(serde_json::Value::Null),
        versions,
    })
}

async fn find(state: &AppState, caller: &Caller, id: i64) -> ApiResult<script::Model> {
    script::Entity::find_by_id(id)
        .filter(script::Column::TenantId.eq(caller.tenant()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("话术"))
}

fn check_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(ApiError::validation(
            "name",
            "话术名称不能为空，且不超过 50 个字",
        ));
    }
    Ok(name.to_owned())
}

/// A new script starts as a minimal valid flow: an opening line and a goodbye.
fn skeleton(name: &str) -> String {
    serde_json::json!({
        "name": name,
        "start": "open",
        "variables": ["姓名"],
        "nodes": [
            {"id": "open", "name": "开场白", "type": "say",
             "text": "${姓名}您好，请问现在方便说话吗？",
             "branches": [], "otherwise": "bye"},
            {"id": "bye", "name": "结束语", "type": "hang_up", "text": "好的，感谢您的接听，再见。"}
        ]
    })
    .to_string()
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// `mine`: only the caller's scripts; otherwise the whole company's.
    owner: Option<String>,
}

/// The company's scripts.
#[utoipa::path(get, path = "/api/scripts", tag = "robot", params(ListQuery),
    responses((status = 200, body = Vec<ScriptSummary>)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Vec<ScriptSummary>>> {
    caller.require(ROBOT_VIEW)?;
    let mut select = script::Entity::find().filter(script::Column::TenantId.eq(caller.tenant()));
    if query.owner.as_deref() == Some("mine") {
        select = select.filter(script::Column::CreatedBy.eq(caller.member.id));
    }
    let rows = select
        .order_by_desc(script::Column::UpdatedAt)
        .all(&state.db)
        .await?;
    let names = member_names(&state, caller.tenant()).await?;
    Ok(Json(rows.iter().map(|row| summary(row, &names)).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateRequest {
    name: String,
    #[serde(default)]
    description: String,
}

/// Create a script with a minimal flow to start from.
#[utoipa::path(post, path = "/api/scripts", tag = "robot", request_body = CreateRequest,
    responses((status = 201, body = ScriptDetail), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<CreateRequest>,
) -> ApiResult<(StatusCode, Json<ScriptDetail>)> {
    caller.require(ROBOT_MANAGE)?;
    let name = check_name(&request.name)?;
    let row = scripts::insert(
        &state.db,
        caller.tenant(),
        Some(caller.member.id),
        &name,
        request.description.trim(),
        skeleton(&name),
    )
    .await?;
    audit::by(&state.db, &caller, "script.create", row.name.clone(), "").await?;
    Ok((StatusCode::CREATED, Json(detail_of(&state, row).await?)))
}

/// Import a script from its JSON (as exported).
#[utoipa::path(post, path = "/api/scripts/import", tag = "robot", request_body = Object,
    responses((status = 201, body = ScriptDetail), (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<ScriptDetail>)> {
    caller.require(ROBOT_MANAGE)?;
    let script = script_from(body, "话术文件")?;
    let name = check_name(&script.name)?;
    let draft = serde_json::to_string(&script).map_err(|e| anyhow::anyhow!(e))?;
    let row = scripts::insert(
        &state.db,
        caller.tenant(),
        Some(caller.member.id),
        &name,
        "",
        draft,
    )
    .await?;
    audit::by(&state.db, &caller, "script.import", row.name.clone(), "").await?;
    Ok((StatusCode::CREATED, Json(detail_of(&state, row).await?)))
}

/// A script with its draft and published versions.
#[utoipa::path(get, path = "/api/scripts/{id}", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ScriptDetail), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ScriptDetail>> {
    caller.require(ROBOT_VIEW)?;
    let row = find(&state, &caller, id).await?;
    Ok(Json(detail_of(&state, row).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateRequest {
    name: String,
    #[serde(default)]
    description: String,
    #[schema(value_type = Object)]
    draft: serde_json::Value,
}

/// Save the draft (kept even with a problem, which the answer names).
#[utoipa::path(put, path = "/api/scripts/{id}", tag = "robot", request_body = UpdateRequest,
    params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ScriptDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<UpdateRequest>,
) -> ApiResult<Json<ScriptDetail>> {
    caller.require(ROBOT_MANAGE)?;
    let name = check_name(&request.name)?;
    let mut script = script_from(request.draft, "话术内容")?;
    script.name = name.clone();
    let row = find(&state, &caller, id).await?;
    let mut row = row.into_active_model();
    row.name = Set(name);
    row.description = Set(request.description.trim().to_owned());
    row.draft = Set(serde_json::to_string(&script).map_err(|e| anyhow::anyhow!(e))?);
    row.updated_at = Set(Utc::now());
    let row = row.update(&state.db).await?;
    audit::by(&state.db, &caller, "script.update", row.name.clone(), "").await?;
    Ok(Json(detail_of(&state, row).await?))
}

fn invalid(problem: String) -> ApiError {
    ApiError::invalid("SCRIPT_INVALID", problem)
}

/// Publish the draft as a new version; tasks keep the version they started with.
#[utoipa::path(post, path = "/api/scripts/{id}/publish", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ScriptDetail), (status = 422, body = ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ScriptDetail>> {
    caller.require(ROBOT_MANAGE)?;
    let row = find(&state, &caller, id).await?;
    scripts::compile(&row.draft).map_err(invalid)?;
    let txn = store::begin(&state.db).await?;
    let row = scripts::publish(&txn, row).await?;
    let version = row.published_version.unwrap_or_default();
    audit::by(
        &txn,
        &caller,
        "script.publish",
        row.name.clone(),
        format!("v{version}"),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(detail_of(&state, row).await?))
}

/// Copy a script's draft into a new script.
#[utoipa::path(post, path = "/api/scripts/{id}/copy", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 201, body = ScriptDetail), (status = 404, body = ErrorBody)))]
async fn copy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<ScriptDetail>)> {
    caller.require(ROBOT_MANAGE)?;
    let source = find(&state, &caller, id).await?;
    let name: String = format!("{}（副本）", source.name)
        .chars()
        .take(50)
        .collect();
    let row = scripts::insert(
        &state.db,
        caller.tenant(),
        Some(caller.member.id),
        &name,
        &source.description,
        source.draft,
    )
    .await?;
    audit::by(
        &state.db,
        &caller,
        "script.create",
        row.name.clone(),
        format!("复制自 {}", id),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(detail_of(&state, row).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct ShareRequest {
    member_ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ShareResponse {
    shared: usize,
}

/// Share a script with sub-accounts: each gets a copy of the draft as their own, and a notification.
#[utoipa::path(post, path = "/api/scripts/{id}/share", tag = "robot", request_body = ShareRequest,
    params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ShareResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn share(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ShareRequest>,
) -> ApiResult<Json<ShareResponse>> {
    caller.require(ROBOT_MANAGE)?;
    let source = find(&state, &caller, id).await?;
    let mut ids = request.member_ids;
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|&member| member != caller.member.id);
    if ids.is_empty() || ids.len() > 200 {
        return Err(ApiError::validation(
            "member_ids",
            "请选择要分享的子账户（不含自己，最多 200 个）",
        ));
    }
    let targets = member::Entity::find()
        .filter(member::Column::TenantId.eq(caller.tenant()))
        .filter(member::Column::Id.is_in(ids.clone()))
        .all(&state.db)
        .await?;
    // A member outside the caller's data scope is treated as unknown, like a wrong id.
    let visible = targets
        .iter()
        .filter(|m| caller.scope.covers(m.id, m.department_id, caller.member.id))
        .count();
    if visible != ids.len() {
        return Err(ApiError::not_found("子账户"));
    }
    let name: String = format!("{}（来自 {}）", source.name, caller.member.name)
        .chars()
        .take(50)
        .collect();
    let txn = store::begin(&state.db).await?;
    let mut notes = Vec::with_capacity(targets.len());
    for target in &targets {
        scripts::insert(
            &txn,
            caller.tenant(),
            Some(target.id),
            &name,
            &source.description,
            source.draft.clone(),
        )
        .await?;
        let title = format!("{} 分享了话术《{}》给您", caller.member.name, source.name);
        notes.push(
            notifications::inform(&txn, caller.tenant(), target.id, "script_share", &title).await?,
        );
    }
    audit::by(
        &txn,
        &caller,
        "script.share",
        source.name.clone(),
        targets
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join("、"),
    )
    .await?;
    txn.commit().await?;
    for note in &notes {
        state.notifications.publish(note);
    }
    Ok(Json(ShareResponse {
        shared: targets.len(),
    }))
}

/// Delete a script and its versions.
#[utoipa::path(delete, path = "/api/scripts/{id}", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(ROBOT_MANAGE)?;
    let row = find(&state, &caller, id).await?;
    script::Entity::delete_by_id(row.id)
        .filter(script::Column::TenantId.eq(caller.tenant()))
        .exec(&state.db)
        .await?;
    audit::by(&state.db, &caller, "script.delete", row.name, "").await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Download the draft as a JSON file (to import elsewhere).
#[utoipa::path(get, path = "/api/scripts/{id}/export", tag = "robot", params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, description = "The script JSON")))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    caller.require(ROBOT_VIEW)?;
    let row = find(&state, &caller, id).await?;
    attachment(
        &format!("{}.json", row.name),
        "script.json",
        "application/json; charset=utf-8",
        row.draft,
    )
}

/// One customer event of the test chat.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChatEvent {
    Utterance { text: String },
    Silence,
    HangUp,
}

#[derive(Deserialize, ToSchema)]
pub struct ChatRequest {
    /// Values of the script's variables, e.g. {"姓名": "王先生"}.
    #[serde(default)]
    variables: HashMap<String, String>,
    /// Every customer event so far, in order.
    events: Vec<ChatEvent>,
}

#[derive(Serialize, ToSchema)]
pub struct ChatTurn {
    /// What the customer did: `utterance`, `silence`, `hang_up`; `null` for the opening.
    event: Option<&'static str>,
    at_ms: u64,
    customer: Option<String>,
    intent: Option<IntentHit>,
    knowledge: Option<String>,
    node: String,
    node_name: String,
    /// What the robot said in this turn.
    robot: Vec<String>,
    /// `say`, `stop_speaking`, `transfer`, `hang_up`, `offer_blacklist`.
    actions: Vec<&'static str>,
}

#[derive(Serialize, ToSchema)]
pub struct ChatResponse {
    turns: Vec<ChatTurn>,
    /// `robot`, `customer` or `transfer` once the conversation ended.
    ended: Option<&'static str>,
    /// The grade, once ended.
    grade: Option<GradeView>,
    intents_hit: Vec<String>,
    nodes_reached: Vec<String>,
    /// User tags (用户标签) of the nodes reached.
    user_tags: Vec<String>,
    interactions: u32,
}

/// The customer is assumed to take this long per turn in the test chat.
const TEST_TURN_MS: u64 = 5_000;

/// Test the draft: replays the whole conversation from the start with the events given.
#[utoipa::path(post, path = "/api/scripts/{id}/chat", tag = "robot", request_body = ChatRequest,
    params(("id" = i64, Path, description = "Script id")),
    responses((status = 200, body = ChatResponse), (status = 422, body = ErrorBody)))]
async fn chat(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<ChatRequest>,
) -> ApiResult<Json<ChatResponse>> {
    caller.require(ROBOT_VIEW)?;
    if request.events.len() > 200 {
        return Err(ApiError::validation(
            "events",
            "测试对话最多 200 轮，请重新开始",
        ));
    }
    let row = find(&state, &caller, id).await?;
    let robot = scripts::compile(&row.draft).map_err(invalid)?;
    let (rules, default_level) =
        crate::services::company::grading_rules(&state.db, caller.tenant()).await?;
    let mut conversation = Conversation::start(&robot, request.variables, 0);
    let kinds: Vec<&'static str> = request
        .events
        .iter()
        .map(|event| match event {
            ChatEvent::Utterance { .. } => "utterance",
            ChatEvent::Silence => "silence",
            ChatEvent::HangUp => "hang_up",
        })
        .collect();
    let mut at = 0;
    for event in request.events {
        at += TEST_TURN_MS;
        let event = match event {
            ChatEvent::Utterance { text } => Event::Utterance {
                text,
                is_final: true,
            },
            ChatEvent::Silence => Event::Silence,
            ChatEvent::HangUp => Event::HangUp,
        };
        conversation.handle(event, at);
    }
    let names: HashMap<&str, &str> = robot
        .script()
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.name.as_str()))
        .collect();
    let turns = conversation
        .log()
        .iter()
        .enumerate()
        // Each chat event makes exactly one turn, after the opening one.
        .map(|(index, turn)| ChatTurn {
            event: index.checked_sub(1).and_then(|i| kinds.get(i).copied()),
            at_ms: turn.at_ms,
            customer: turn.customer.clone(),
            intent: turn.intent.as_ref().map(IntentHit::from),
            knowledge: turn.knowledge.clone(),
            node_name: names
                .get(turn.node.as_str())
                .copied()
                .unwrap_or_default()
                .to_owned(),
            node: turn.node.clone(),
            robot: turn
                .actions
                .iter()
                .filter_map(|a| match a {
                    Action::Say { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .collect(),
            actions: turn.actions.iter().map(action_name).collect(),
        })
        .collect();
    let ended = conversation.ended();
    let grade = ended.map(|by| {
        let facts = CallFacts {
            intents_hit: conversation.intents_hit(),
            nodes_reached: conversation.reached(),
            interactions: conversation.interactions(),
            duration_seconds: u32::try_from(at / 1000).unwrap_or(u32::MAX),
            ended_by: Some(EndedByName::from(by)),
        };
        let (level, rule) = robot::grading::grade(&rules, default_level, &facts);
        GradeView::new(level, rule.map(|r| r.name.clone()))
    });
    Ok(Json(ChatResponse {
        turns,
        ended: ended.map(|by| match by {
            EndedBy::Robot => "robot",
            EndedBy::Customer => "customer",
            EndedBy::Transfer => "transfer",
        }),
        grade,
        intents_hit: conversation.intents_hit().to_vec(),
        nodes_reached: conversation.reached().to_vec(),
        user_tags: conversation.user_tags().to_vec(),
        interactions: conversation.interactions(),
    }))
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Say { .. } => "say",
        Action::StopSpeaking => "stop_speaking",
        Action::Transfer => "transfer",
        Action::HangUp => "hang_up",
        Action::OfferBlacklist => "offer_blacklist",
    }
}
