//! The audit log screen (审计日志): the company owner reads who did what.

use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use store::entity::audit_log;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::audit::action_label;
use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
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

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Exact action, e.g. `login` or `member.create`.
    action: Option<String>,
    /// Actor name contains this.
    actor: Option<String>,
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
    let mut select =
        audit_log::Entity::find().filter(audit_log::Column::TenantId.eq(caller.tenant()));
    if let Some(action) = query.action.as_deref().filter(|a| !a.is_empty()) {
        select = select.filter(audit_log::Column::Action.eq(action));
    }
    if let Some(actor) = query
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        select = select.filter(audit_log::Column::ActorName.contains(actor));
    }
    let paginator = select
        .order_by_desc(audit_log::Column::Id)
        .paginate(&state.db, paging.size());
    let total = paginator.num_items().await?;
    let items = paginator
        .fetch_page(paging.index())
        .await?
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
    Ok(Json(Page { items, total }))
}
