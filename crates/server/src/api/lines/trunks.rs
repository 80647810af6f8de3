//! The operator's SIP trunks (`/api/operator/lines`): add, change, delete, give to companies.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::OperatorCaller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::lines::sip::LineRequest;
use crate::services::lines::trunks::{self, OperatorLineView};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(operator_lines, create))
        .routes(routes!(update, delete))
        .routes(routes!(assign))
}

/// The platform's SIP lines.
#[utoipa::path(get, path = "/api/operator/lines", tag = "operator",
    responses((status = 200, body = Vec<OperatorLineView>), (status = 403, body = ErrorBody)))]
async fn operator_lines(
    State(state): State<AppState>,
    _operator: OperatorCaller,
) -> ApiResult<Json<Vec<OperatorLineView>>> {
    Ok(Json(trunks::list(&state.db).await?))
}

/// Add a SIP line to the platform.
#[utoipa::path(post, path = "/api/operator/lines", tag = "operator", request_body = LineRequest,
    responses((status = 201, body = OperatorLineView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Json(request): Json<LineRequest>,
) -> ApiResult<(StatusCode, Json<OperatorLineView>)> {
    let view = trunks::create(&state.db, request).await?;
    tracing::info!(operator = %operator.operator.login, line = view.id, "line created");
    Ok((StatusCode::CREATED, Json(view)))
}

/// Change a SIP line; a null or absent password keeps the stored one.
#[utoipa::path(put, path = "/api/operator/lines/{id}", tag = "operator", request_body = LineRequest,
    params(("id" = i64, Path, description = "Line id")),
    responses((status = 200, body = OperatorLineView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Path(id): Path<i64>,
    Json(request): Json<LineRequest>,
) -> ApiResult<Json<OperatorLineView>> {
    let view = trunks::update(&state.db, id, request).await?;
    tracing::info!(operator = %operator.operator.login, line = id, "line updated");
    Ok(Json(view))
}

/// Delete a SIP line no task uses.
#[utoipa::path(delete, path = "/api/operator/lines/{id}", tag = "operator",
    params(("id" = i64, Path, description = "Line id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    trunks::delete(&state.db, id).await?;
    tracing::info!(operator = %operator.operator.login, line = id, "line deleted");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct AssignRequest {
    /// Every company that may use the line (replaces the current list).
    company_ids: Vec<i64>,
}

/// Choose the companies a SIP line is given to.
#[utoipa::path(put, path = "/api/operator/lines/{id}/companies", tag = "operator", request_body = AssignRequest,
    params(("id" = i64, Path, description = "Line id")),
    responses((status = 200, body = OperatorLineView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assign(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Path(id): Path<i64>,
    Json(request): Json<AssignRequest>,
) -> ApiResult<Json<OperatorLineView>> {
    let view = trunks::assign(&state.db, id, request.company_ids).await?;
    tracing::info!(operator = %operator.operator.login, line = id, companies = ?view.company_ids, "line assigned");
    Ok(Json(view))
}
