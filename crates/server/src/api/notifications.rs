//! The notification list (通知列表) and its live stream (SSE).

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::notifications::{self, NotificationPage};
use crate::services::paging::PageQuery;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark_read))
        .routes(routes!(mark_all_read))
        .routes(routes!(stream))
}

/// The caller's notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/notifications", tag = "notifications", params(PageQuery),
    responses((status = 200, body = NotificationPage)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<NotificationPage>> {
    Ok(Json(
        notifications::list(&state.db, caller.tenant(), caller.member.id, &paging).await?,
    ))
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
    notifications::mark_read(&state.db, caller.tenant(), caller.member.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark all of the caller's notifications read.
#[utoipa::path(post, path = "/api/notifications/read-all", tag = "notifications", responses((status = 204)))]
async fn mark_all_read(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    notifications::mark_all_read(&state.db, caller.tenant(), caller.member.id).await?;
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
