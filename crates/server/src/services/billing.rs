//! A company's money (BILL-1): what it may still spend, and what happens when that is used up.

use chrono::Utc;
use domain::billing::Funds;
use domain::idle::IdleReason;
use domain::task::TaskStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use store::entity::{balance, member, notification, task};

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
            crate::notify::inform(
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
