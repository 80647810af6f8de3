//! Listed numbers: the filtered list, adding one, and batch delete and move (selected rows or
//! everything a filter selects).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::permissions::{BLACKLIST_MANAGE, BLACKLIST_VIEW};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::blacklist::entries::{
    self, AddRequest, BatchRequest, EntryView, Filter, MoveRequest,
};
use crate::services::paging::{Page, PageQuery};
use crate::state::AppState;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(delete_entries))
        .routes(routes!(move_entries))
}

/// Numbers in the blacklist, newest first.
#[utoipa::path(get, path = "/api/blacklist", tag = "blacklist", params(Filter, PageQuery),
    responses((status = 200, body = Page<EntryView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(filter): Query<Filter>,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<Page<EntryView>>> {
    caller.require_any(&[BLACKLIST_VIEW, BLACKLIST_MANAGE])?;
    Ok(Json(
        entries::list(&state.db, &caller, &filter, &paging).await?,
    ))
}

/// Add one number to a group.
#[utoipa::path(post, path = "/api/blacklist", tag = "blacklist", request_body = AddRequest,
    responses((status = 201, body = EntryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<AddRequest>,
) -> ApiResult<(StatusCode, Json<EntryView>)> {
    caller.require(BLACKLIST_MANAGE)?;
    let entry = entries::add(&state.db, &caller, &request).await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

#[derive(Serialize, ToSchema)]
#[schema(as = BlacklistDeleted)]
pub struct Deleted {
    deleted: u64,
}

/// Remove the chosen numbers, or all matching a filter, from the blacklist.
#[utoipa::path(post, path = "/api/blacklist/delete", tag = "blacklist", request_body = BatchRequest,
    responses((status = 200, body = Deleted), (status = 422, body = ErrorBody)))]
async fn delete_entries(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<BatchRequest>,
) -> ApiResult<Json<Deleted>> {
    caller.require(BLACKLIST_MANAGE)?;
    let deleted = entries::delete(&state.db, &caller, &request).await?;
    Ok(Json(Deleted { deleted }))
}

#[derive(Serialize, ToSchema)]
pub struct Moved {
    moved: u64,
}

/// Move the chosen numbers, or all matching a filter, to another group; a number already in
/// that group is merged into it.
#[utoipa::path(post, path = "/api/blacklist/move", tag = "blacklist", request_body = MoveRequest,
    responses((status = 200, body = Moved), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn move_entries(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<MoveRequest>,
) -> ApiResult<Json<Moved>> {
    caller.require(BLACKLIST_MANAGE)?;
    let moved = entries::move_to_group(&state.db, &caller, &request).await?;
    Ok(Json(Moved { moved }))
}
