//! A task's calls (通话记录 tab): the list with its basic filters, one call's detail with the
//! conversation, the live view (SSE), and redial (重呼, TASK-7).

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use futures::Stream;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::paging::{Page, PageQuery};
use crate::services::tasks::calls::{self, CallDetail, CallQuery, CallSummary};
use crate::services::tasks::live;
use crate::services::tasks::scope::TaskScope;
use crate::state::AppState;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(live))
        .routes(routes!(redial))
}

/// The task's calls, newest first.
#[utoipa::path(get, path = "/api/tasks/{id}/calls", tag = "calls",
    params(("id" = i64, Path, description = "Task id"), PageQuery, CallQuery),
    responses((status = 200, body = Page<CallSummary>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(page): Query<PageQuery>,
    Query(query): Query<CallQuery>,
) -> ApiResult<Json<Page<CallSummary>>> {
    caller.require(TASK_VIEW)?;
    Ok(Json(
        calls::list(&state.db, &TaskScope::of(&caller), id, &page, &query).await?,
    ))
}

/// One call with its timeline and conversation.
#[utoipa::path(get, path = "/api/calls/{id}", tag = "calls", params(("id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallDetail), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CallDetail>> {
    caller.require(TASK_VIEW)?;
    Ok(Json(
        calls::detail(&state.db, &TaskScope::of(&caller), id).await?,
    ))
}

const LIVE_EVERY: Duration = Duration::from_secs(1);

/// The task live: a `snapshot` event every second (calls in progress, counters, balance).
#[utoipa::path(get, path = "/api/tasks/{id}/live", tag = "calls", params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, description = "text/event-stream of LiveSnapshot", content_type = "text/event-stream"), (status = 404, body = ErrorBody)))]
async fn live(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    caller.require(TASK_VIEW)?;
    let scope = TaskScope::of(&caller);
    // Refuse at once (404) rather than with an empty stream.
    scope.find(&state.db, id).await?;
    let events = futures::stream::unfold(
        (state, scope, None::<String>),
        move |(state, scope, last)| async move {
            loop {
                if last.is_some() {
                    tokio::time::sleep(LIVE_EVERY).await;
                }
                let data = match live::snapshot(&state.db, &scope, id).await {
                    Ok(snapshot) => serde_json::to_string(&snapshot).unwrap_or_default(),
                    // The task is gone (deleted): end the stream.
                    Err(_) => return None,
                };
                if last.as_deref() == Some(data.as_str()) {
                    continue;
                }
                let event = Event::default().event("snapshot").data(data.clone());
                return Some((Ok(event), (state, scope, Some(data))));
            }
        },
    );
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

#[derive(Deserialize, ToSchema)]
pub struct RedialRequest {
    /// Outcome codes to call again, e.g. `["no_answer", "busy"]`.
    statuses: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RedialResult {
    /// Numbers queued again.
    numbers: u64,
}

/// 重呼: queue the numbers with these outcomes again; they are called when the task runs.
#[utoipa::path(post, path = "/api/tasks/{id}/redial", tag = "calls", request_body = RedialRequest,
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = RedialResult), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn redial(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(request): Json<RedialRequest>,
) -> ApiResult<Json<RedialResult>> {
    caller.require(TASK_MANAGE)?;
    let numbers = calls::redial(&state.db, &caller, id, &request.statuses).await?;
    Ok(Json(RedialResult { numbers }))
}
