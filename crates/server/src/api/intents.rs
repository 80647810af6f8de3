//! Intents (意图): the built-in list, and classifying one sentence (the editor's test box).

use axum::Json;
use axum::extract::State;
use domain::permissions::ROBOT_VIEW;
use robot::intent::{IntentDef, IntentMatch, Matcher, builtin_intents};
use robot::script::Script;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use store::entity::script;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(classify))
}

#[derive(Serialize, ToSchema)]
pub struct IntentView {
    code: String,
    name: String,
    priority: i32,
    keywords: Vec<String>,
    patterns: Vec<String>,
}

/// The intent a sentence was classified as, and the keyword or pattern that decided it.
#[derive(Serialize, ToSchema)]
pub struct IntentHit {
    code: String,
    name: String,
    hit: String,
}

impl From<&IntentMatch> for IntentHit {
    fn from(found: &IntentMatch) -> Self {
        Self {
            code: found.code.clone(),
            name: found.name.clone(),
            hit: found.hit.clone(),
        }
    }
}

/// The built-in intents.
#[utoipa::path(get, path = "/api/intents", tag = "robot", responses((status = 200, body = Vec<IntentView>)))]
async fn list(caller: Caller) -> ApiResult<Json<Vec<IntentView>>> {
    caller.require(ROBOT_VIEW)?;
    Ok(Json(
        builtin_intents()
            .into_iter()
            .map(|d| IntentView {
                code: d.code,
                name: d.name,
                priority: d.priority,
                keywords: d.keywords,
                patterns: d.patterns,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ClassifyRequest {
    text: String,
    /// Also use this script's own intents.
    script_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ClassifyResponse {
    /// `null`: no intent recognised (未识别).
    intent: Option<IntentHit>,
}

/// Classify one sentence against the built-in intents (and a script's own).
#[utoipa::path(post, path = "/api/intents/classify", tag = "robot", request_body = ClassifyRequest,
    responses((status = 200, body = ClassifyResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn classify(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<ClassifyRequest>,
) -> ApiResult<Json<ClassifyResponse>> {
    caller.require(ROBOT_VIEW)?;
    if request.text.chars().count() > 500 {
        return Err(ApiError::validation("text", "测试语句不能超过 500 个字"));
    }
    let mut defs = builtin_intents();
    if let Some(id) = request.script_id {
        let row = script::Entity::find_by_id(id)
            .filter(script::Column::TenantId.eq(caller.tenant()))
            .one(&state.db)
            .await?
            .ok_or_else(|| ApiError::not_found("话术"))?;
        if let Ok(parsed) = serde_json::from_str::<Script>(&row.draft) {
            defs.extend(parsed.intents.iter().map(IntentDef::from));
        }
    }
    let matcher =
        Matcher::new(defs).map_err(|e| ApiError::invalid("SCRIPT_INVALID", e.to_string()))?;
    Ok(Json(ClassifyResponse {
        intent: matcher
            .classify(&request.text)
            .as_ref()
            .map(IntentHit::from),
    }))
}
