//! The audit log screen (审计日志): the company owner reads who did what.

use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::audit::{self, AuditQuery, action_label};
use crate::services::paging::{Page, PageQuery};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    id: i64,
    actor_name: String,
    action: String,
    action_label: &'static str,
    target: String,
    detail: String,
    ip: String,
    created_at: DateTime<Utc>,
}

/// The company's audit log, newest first (owner only).
#[utoipa::path(get, path = "/api/audit-log", tag = "audit", params(AuditQuery, PageQuery),
    responses((status = 200, body = Page<AuditEntryView>), (status = 403, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<AuditQuery>,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<Page<AuditEntryView>>> {
    caller.require_owner()?;
    let page = audit::list(&state.db, caller.tenant(), &query, &paging).await?;
    let items = page
        .items
        .into_iter()
        .map(|row| AuditEntryView {
            id: row.id,
            action_label: action_label(&row.action),
            actor_name: row.actor_name,
            action: row.action,
            target: row.target,
            detail: row.detail,
            ip: row.ip,
            created_at: row.created_at,
        })
        .collect();
    Ok(Json(Page {
        items,
        total: page.total,
    }))
}
