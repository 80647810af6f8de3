//! Balance and overdraft limit (余额 / 透支额度, BILL-1): shown on the home page, topped up
//! by the platform operator. Money is integer milli-fen (1/100 000 元).

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use domain::billing::Funds;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{balance, company};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{Caller, OperatorCaller};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services;
use crate::services::audit;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show))
        .routes(routes!(set_balance))
}

/// Largest amount one change may carry: 1 亿元.
const MAX_CHANGE_MFEN: i64 = 100_000_000 * 100_000;

#[derive(Serialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalanceView {
    pub balance_mfen: i64,
    pub overdraft_mfen: i64,
    /// Balance plus overdraft: what calls may still spend.
    pub available_mfen: i64,
    /// Nothing left to spend: calls stop.
    pub exhausted: bool,
}

impl BalanceView {
    fn new(balance_mfen: i64, overdraft_mfen: i64) -> Self {
        let funds = Funds::new(balance_mfen, overdraft_mfen);
        Self {
            balance_mfen,
            overdraft_mfen,
            available_mfen: funds.available_mfen(),
            exhausted: funds.used_up(),
        }
    }
}

/// A company's balance as the console shows it (zero when it has none yet).
pub async fn balance_of(db: &impl ConnectionTrait, tenant_id: i64) -> Result<BalanceView, DbErr> {
    let funds = services::billing::funds(db, tenant_id).await?;
    Ok(BalanceView::new(funds.balance_mfen, funds.overdraft_mfen))
}

/// The company's balance and overdraft limit (every member sees it on the home page).
#[utoipa::path(get, path = "/api/balance", tag = "billing",
    responses((status = 200, body = BalanceView), (status = 401, body = ErrorBody)))]
async fn show(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<BalanceView>> {
    Ok(Json(balance_of(&state.db, caller.tenant()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct BalanceRequest {
    /// Added to the balance; negative to correct a mistake.
    top_up_mfen: Option<i64>,
    /// The new overdraft limit, at least 0.
    overdraft_mfen: Option<i64>,
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
    let top_up = request.top_up_mfen.filter(|&amount| amount != 0);
    if let Some(amount) = top_up
        && amount.abs() > MAX_CHANGE_MFEN
    {
        return Err(ApiError::validation(
            "top_up_mfen",
            "单次充值金额不能超过 1 亿元",
        ));
    }
    if let Some(overdraft) = request.overdraft_mfen
        && !(0..=MAX_CHANGE_MFEN).contains(&overdraft)
    {
        return Err(ApiError::validation(
            "overdraft_mfen",
            "透支额度应在 0 到 1 亿元之间",
        ));
    }
    if top_up.is_none() && request.overdraft_mfen.is_none() {
        return Err(ApiError::validation(
            "top_up_mfen",
            "请填写充值金额或透支额度",
        ));
    }
    company::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("企业"))?;
    let now = Utc::now();
    let txn = store::begin(&state.db).await?;
    if balance::Entity::find_by_id(id).one(&txn).await?.is_none() {
        balance::ActiveModel {
            tenant_id: Set(id),
            balance_mfen: Set(0),
            overdraft_mfen: Set(0),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    // Added in the database, so a concurrent charge for a call is never lost.
    let mut update = balance::Entity::update_many()
        .col_expr(balance::Column::UpdatedAt, Expr::value(now))
        .filter(balance::Column::TenantId.eq(id));
    if let Some(amount) = top_up {
        update = update.col_expr(
            balance::Column::BalanceMfen,
            Expr::col(balance::Column::BalanceMfen).add(amount),
        );
    }
    if let Some(overdraft) = request.overdraft_mfen {
        update = update.col_expr(balance::Column::OverdraftMfen, Expr::value(overdraft));
    }
    update.exec(&txn).await?;
    let view = balance_of(&txn, id).await?;
    let paused = if view.exhausted {
        services::billing::pause_for_balance(&txn, id).await?
    } else {
        None
    };
    let mut detail = Vec::new();
    if let Some(amount) = top_up {
        detail.push(format!("平台运营充值 {}", yuan(amount)));
    }
    if let Some(overdraft) = request.overdraft_mfen {
        detail.push(format!("透支额度设为 {}", yuan(overdraft)));
    }
    detail.push(format!("当前余额 {}", yuan(view.balance_mfen)));
    audit::record(
        &txn,
        audit::Entry {
            tenant_id: id,
            actor: None,
            action: "balance.update",
            target: "余额".to_owned(),
            detail: detail.join("，"),
            ip: &operator.ip,
        },
    )
    .await?;
    txn.commit().await?;
    if let Some(note) = &paused {
        state.notifications.publish(note);
    }
    tracing::info!(operator = %operator.operator.login, company = id, ?top_up, overdraft = ?request.overdraft_mfen, "balance changed");
    Ok(Json(view))
}

/// `123456789` mfen → `1234.56789 元` (trailing zeros dropped, at least 2 decimals).
fn yuan(mfen: i64) -> String {
    let sign = if mfen < 0 { "-" } else { "" };
    let abs = mfen.unsigned_abs();
    let mut fraction = format!("{:05}", abs % 100_000);
    while fraction.len() > 2 && fraction.ends_with('0') {
        fraction.pop();
    }
    format!("{sign}{}.{fraction} 元", abs / 100_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_in_yuan() {
        assert_eq!(yuan(6_000), "0.06 元");
        assert_eq!(yuan(100_000_000), "1000.00 元");
        assert_eq!(yuan(5_500), "0.055 元");
        assert_eq!(yuan(-250_000), "-2.50 元");
        assert!(BalanceView::new(0, 0).exhausted);
        assert!(!BalanceView::new(-100, 200).exhausted);
    }
}
