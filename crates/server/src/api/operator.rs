//! The platform operator's screens (平台运营): companies.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::OperatorCaller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::companies::{self, CompanyRow, NewCompany};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(suspend))
        .routes(routes!(resume))
}

/// All companies on the platform.
#[utoipa::path(get, path = "/api/operator/companies", tag = "operator",
    responses((status = 200, body = Vec<CompanyRow>), (status = 403, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    _operator: OperatorCaller,
) -> ApiResult<Json<Vec<CompanyRow>>> {
    Ok(Json(companies::list(&state.db).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateCompanyRequest {
    name: String,
    admin_name: String,
    admin_phone: String,
    /// Empty: `123456`, to be changed at first login.
    admin_password: Option<String>,
}

/// Create a company with its admin account.
#[utoipa::path(post, path = "/api/operator/companies", tag = "operator", request_body = CreateCompanyRequest,
    responses((status = 201, body = CompanyRow), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Json(request): Json<CreateCompanyRequest>,
) -> ApiResult<(StatusCode, Json<CompanyRow>)> {
    let created = companies::create(
        &state.db,
        NewCompany {
            name: request.name,
            admin_name: request.admin_name,
            admin_phone: request.admin_phone,
            admin_password: request.admin_password,
        },
    )
    .await?;
    tracing::info!(operator = %operator.operator.login, company = created.company.id, "company created");
    Ok((
        StatusCode::CREATED,
        Json(companies::row(&state.db, created.company.id).await?),
    ))
}

/// Suspend a company: its members can no longer use the platform.
#[utoipa::path(post, path = "/api/operator/companies/{id}/suspend", tag = "operator",
    params(("id" = i64, Path, description = "Company id")),
    responses((status = 200, body = CompanyRow), (status = 404, body = ErrorBody)))]
async fn suspend(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CompanyRow>> {
    tracing::info!(operator = %operator.operator.login, company = id, "company suspended");
    Ok(Json(companies::suspend(&state.db, id).await?))
}

/// Resume a suspended company.
#[utoipa::path(post, path = "/api/operator/companies/{id}/resume", tag = "operator",
    params(("id" = i64, Path, description = "Company id")),
    responses((status = 200, body = CompanyRow), (status = 404, body = ErrorBody)))]
async fn resume(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CompanyRow>> {
    tracing::info!(operator = %operator.operator.login, company = id, "company resumed");
    Ok(Json(companies::resume(&state.db, id).await?))
}
