//! The notification list (通知列表) and its live stream (SSE).

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::Utc;
use futures::Stream;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use store::entity::notification;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::notify::NotificationView;
use crate::services::paging::PageQuery;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark_read))
        .routes(routes!(mark_all_read))
        .routes(routes!(stream))
}

#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    items: Vec<NotificationView>,
    total: u64,
    unread: u64,
}

fn mine(caller: &Caller) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(notification::Column::TenantId.eq(caller.tenant()))
        .add(notification::Column::MemberId.eq(caller.member.id))
}

/// The caller's notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/notifications", tag = "notifications", params(PageQuery),
    responses((status = 200, body = NotificationPage)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<NotificationPage>> {
    let paginator = notification::Entity::find()
        .filter(mine(&caller))
        .order_by_desc(notification::Column::Id)
        .paginate(&state.db, paging.size());
    let total = paginator.num_items().await?;
    let items = paginator
        .fetch_page(paging.index())
        .await?
        .iter()
        .map(NotificationView::from)
        .collect();
    let unread = notification::Entity::find()
        .filter(mine(&caller))
        .filter(notification::Column::Read.eq(false))
        .count(&state.db)
        .await?;
    Ok(Json(NotificationPage {
        items,
        total,
        unread,
    }))
}

/// Mark one notification read.
#[utoipa::path(post, path = "/api/notifications/{id}/read", tag = "notifications",
    params(("id" = i64, Path, description = "Notification id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let result = notification::Entity::update_many()
        .col_expr(notification::Column::Read, Expr::value(true))
        .col_expr(notification::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(mine(&caller))
        .filter(notification::Column::Id.eq(id))
        .exec(&state.db)
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::not_found("通知"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Mark all of the caller's notifications read.
#[utoipa::path(post, path = "/api/notifications/read-all", tag = "notifications", responses((status = 204)))]
async fn mark_all_read(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    notification::Entity::update_many()
        .col_expr(notification::Column::Read, Expr::value(true))
        .col_expr(notification::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(mine(&caller))
        .filter(notification::Column::Read.eq(false))
        .exec(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Server-sent events: `event: notification` with the changed notification as JSON.
#[utoipa::path(get, path = "/api/notifications/stream", tag = "notifications",
    responses((status = 200, description = "text/event-stream of NotificationView", content_type = "text/event-stream")))]
async fn stream(
    State(state): State<AppState>,
    caller: Caller,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let member_id = caller.member.id;
    let events = BroadcastStream::new(state.notifications.subscribe()).filter_map(move |event| {
        let event = event.ok()?;
        if event.member_id != member_id {
            return None;
        }
        Event::default()
            .event("notification")
            .json_data(&event.notification)
            .ok()
            .map(Ok)
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
