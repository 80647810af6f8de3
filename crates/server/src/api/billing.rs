//! Balance and overdraft limit (余额 / 透支额度, BILL-1): shown on the home page, topped up
//! by the platform operator.

use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{Caller, OperatorCaller};
use crate::error::{ApiResult, ErrorBody};
use crate::services::billing::{self, BalanceRequest, BalanceView};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show))
        .routes(routes!(set_balance))
}

/// The company's balance and overdraft limit (every member sees it on the home page).
#[utoipa::path(get, path = "/api/balance", tag = "billing",
    responses((status = 200, body = BalanceView), (status = 401, body = ErrorBody)))]
async fn show(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BalanceView>> {
    Ok(Json(billing::balance_of(&state.db, caller.tenant()).await?))
}

/// Top up a company's balance and/or set its overdraft limit.
#[utoipa::path(put, path = "/api/operator/companies/{id}/balance", tag = "operator",
    request_body = BalanceRequest,
    params(("id" = i64, Path, description = "Company id")),
    responses((status = 200, body = BalanceView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_balance(
    State(state): State<AppState>,
    operator: OperatorCaller,
    Path(id): Path<i64>,
    Json(request): Json<BalanceRequest>,
) -> ApiResult<Json<BalanceView>> {
    let (view, paused) = billing::set_balance(&state.db, id, &request, &operator.ip).await?;
    if let Some(note) = &paused {
        state.notifications.publish(note);
    }
    tracing::info!(operator = %operator.operator.login, company = id, top_up = ?request.top_up_mfen, overdraft = ?request.overdraft_mfen, "balance changed");
    Ok(Json(view))
}
