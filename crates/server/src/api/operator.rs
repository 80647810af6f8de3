//! The platform operator's screens (平台运营): companies.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{balance, company, member};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::OperatorCaller;
use crate::companies::{self, NewCompany};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(suspend))
        .routes(routes!(resume))
}

#[derive(Serialize, ToSchema)]
pub struct CompanyRow {
    id: i64,
    name: String,
    /// `active` or `suspended`
    status: String,
    contact_name: String,
    contact_phone: String,
    address: String,
    owner_name: Option<String>,
    owner_phone: Option<String>,
    member_count: u64,
    balance_mfen: i64,
    overdraft_mfen: i64,
    created_at: DateTime<Utc>,
}

async fn rows(state: &AppState, only: Option<i64>) -> ApiResult<Vec<CompanyRow>> {
    let mut query = company::Entity::find().order_by_asc(company::Column::Id);
    if let Some(id) = only {
        query = query.filter(company::Column::Id.eq(id));
    }
    let companies = query.all(&state.db).await?;
    let ids: Vec<i64> = companies.iter().map(|c| c.id).collect();
    let balances: HashMap<i64, balance::Model> = balance::Entity::find()
        .filter(balance::Column::TenantId.is_in(ids.iter().copied()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|b| (b.tenant_id, b))
        .collect();
    let members = member::Entity::find()
        .filter(member::Column::TenantId.is_in(ids))
        .all(&state.db)
        .await?;
    let mut counts: HashMap<i64, u64> = HashMap::new();
    let mut owners: HashMap<i64, &member::Model> = HashMap::new();
    for row in &members {
        *counts.entry(row.tenant_id).or_default() += 1;
        if row.is_owner {
            owners.insert(row.tenant_id, row);
        }
    }
    Ok(companies
        .into_iter()
        .map(|c| CompanyRow {
            owner_name: owners.get(&c.id).map(|o| o.name.clone()),
            owner_phone: owners.get(&c.id).map(|o| o.phone.clone()),
            member_count: counts.get(&c.id).copied().unwrap_or(0),
            balance_mfen: balances.get(&c.id).map_or(0, |b| b.balance_mfen),
            overdraft_mfen: balances.get(&c.id).map_or(0, |b| b.overdraft_mfen),
            id: c.id,
            name: c.name,
            status: c.status,
            contact_name: c.contact_name,
            contact_phone: c.contact_phone,
            address: c.address,
            created_at: c.created_at,
        })
        .collect())
}

async fn one(state: &AppState, id: i64) -> ApiResult<CompanyRow> {
    rows(state, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::not_found("企业"))
}

/// All companies on the platform.
#[utoipa::path(get, path = "/api/operator/companies", tag = "operator",
    responses((status = 200, body = Vec<CompanyRow>), (status = 403, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    _operator: OperatorCaller,
) -> ApiResult<Json<Vec<CompanyRow>>> {
    Ok(Json(rows(&state, None).await?))
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
        Json(one(&state, created.company.id).await?),
    ))
}

async fn set_status(state: &AppState, id: i64, status: &str) -> ApiResult<CompanyRow> {
    let row = company::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("企业"))?;
    let mut row = row.into_active_model();
    row.status = Set(status.to_owned());
    row.updated_at = Set(Utc::now());
    row.update(&state.db).await?;
    one(state, id).await
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
    Ok(Json(set_status(&state, id, "suspended").await?))
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
    Ok(Json(set_status(&state, id, "active").await?))
}
