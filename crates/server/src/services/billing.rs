//! A company's money (BILL-1): what it may still spend, what happens when that is used up,
//! and the operator's top-ups and overdraft limits. Money is integer milli-fen (1/100 000 元).

use chrono::Utc;
use domain::billing::Funds;
use domain::idle::IdleReason;
use domain::task::TaskStatus;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{balance, company, member, notification, task};
use utoipa::ToSchema;

use crate::services::audit;
use crate::services::{self, Error};

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

#[derive(Deserialize, ToSchema)]
pub struct BalanceRequest {
    /// Added to the balance; negative to correct a mistake.
    pub top_up_mfen: Option<i64>,
    /// The new overdraft limit, at least 0.
    pub overdraft_mfen: Option<i64>,
}

/// A company's balance and overdraft (none yet: nothing to spend).
pub async fn funds(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Funds, DbErr> {
    Ok(balance::Entity::find_by_id(tenant_id)
        .one(db)
        .await?
        .map_or(Funds::default(), |row| {
            Funds::new(row.balance_mfen, row.overdraft_mfen)
        }))
}

/// BILL-1: when balance and overdraft are used up, every running task of the company pauses
/// and the owner is told. Returns the notification to publish after the commit.
pub async fn pause_for_balance(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<Option<notification::Model>, DbErr> {
    let paused = task::Entity::update_many()
        .col_expr(task::Column::Status, TaskStatus::Paused.code().into())
        .col_expr(
            task::Column::IdleReason,
            IdleReason::PausedForFunds.to_string().into(),
        )
        .col_expr(task::Column::UpdatedAt, Utc::now().into())
        .filter(task::Column::TenantId.eq(tenant_id))
        .filter(task::Column::IsTemplate.eq(false))
        .filter(task::Column::Status.eq(TaskStatus::Running.code()))
        .exec(db)
        .await?
        .rows_affected;
    if paused == 0 {
        return Ok(None);
    }
    let owner = member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant_id))
        .filter(member::Column::IsOwner.eq(true))
        .one(db)
        .await?;
    match owner {
        Some(owner) => Ok(Some(
            crate::services::notifications::inform(
                db,
                tenant_id,
                owner.id,
                "balance_exhausted",
                &format!("余额和透支额度已用完，{paused} 个执行中的任务已自动暂停，请联系平台充值"),
            )
            .await?,
        )),
        None => Ok(None),
    }
}

/// A company's balance as the console shows it (zero when it has none yet).
pub async fn balance_of(db: &impl ConnectionTrait, tenant_id: i64) -> Result<BalanceView, DbErr> {
    let funds = funds(db, tenant_id).await?;
    Ok(BalanceView::new(funds.balance_mfen, funds.overdraft_mfen))
}

/// The operator tops up a company's balance and/or sets its overdraft limit, from `ip`.
/// Returns the new balance, and the notification to publish after the commit when the
/// change left nothing to spend and running tasks were paused.
pub async fn set_balance(
    db: &DatabaseConnection,
    company_id: i64,
    request: &BalanceRequest,
    ip: &str,
) -> services::Result<(BalanceView, Option<notification::Model>)> {
    let top_up = request.top_up_mfen.filter(|&amount| amount != 0);
    if let Some(amount) = top_up
        && amount.abs() > MAX_CHANGE_MFEN
    {
        return Err(Error::validation(
            "top_up_mfen",
            "单次充值金额不能超过 1 亿元",
        ));
    }
    if let Some(overdraft) = request.overdraft_mfen
        && !(0..=MAX_CHANGE_MFEN).contains(&overdraft)
    {
        return Err(Error::validation(
            "overdraft_mfen",
            "透支额度应在 0 到 1 亿元之间",
        ));
    }
    if top_up.is_none() && request.overdraft_mfen.is_none() {
        return Err(Error::validation("top_up_mfen", "请填写充值金额或透支额度"));
    }
    company::Entity::find_by_id(company_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("企业"))?;
    let now = Utc::now();
    let txn = store::begin(db).await?;
    if balance::Entity::find_by_id(company_id)
        .one(&txn)
        .await?
        .is_none()
    {
        balance::ActiveModel {
            tenant_id: Set(company_id),
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
        .filter(balance::Column::TenantId.eq(company_id));
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
    let view = balance_of(&txn, company_id).await?;
    let paused = if view.exhausted {
        pause_for_balance(&txn, company_id).await?
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
            tenant_id: company_id,
            actor: None,
            action: "balance.update",
            target: "余额".to_owned(),
            detail: detail.join("，"),
            ip,
        },
    )
    .await?;
    txn.commit().await?;
    Ok((view, paused))
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
