//! The work after an answered call (DESIGN "post-call jobs"): grade it by the company's
//! rules, re-check the grade with the LLM when the task has a quality condition, and charge
//! it by its line's price and billing increment (BILL-2). Durable: a call waits in
//! `post_state = 'pending'` until one transaction marks it done and charges it, so a crash
//! in between finishes the work after restart, and the guard on `pending` charges it once.

use chrono::Utc;
use domain::billing::{Funds, billed_seconds, charge_mfen};
use domain::task::TaskSettings;
use robot::grading::{CallFacts, Level, grade};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};
use store::entity::{balance, call, charge, line, task};

use crate::env::Environment;
use crate::metrics::Metrics;
use domain::call::{Facts, PostState, Speaker, Turn};

/// The transcript as the quality check reads it: one line per turn.
pub fn transcript_text(turns: &[Turn]) -> String {
    turns
        .iter()
        .map(|turn| {
            let who = match turn.speaker {
                Speaker::Robot => "机器人",
                Speaker::Customer => "客户",
            };
            format!("{who}：{}", turn.text)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn level_code(level: Level) -> String {
    format!("{level:?}")
}

/// Grades, checks and charges one call; does nothing when it is not pending.
pub async fn process(
    db: &DatabaseConnection,
    env: &dyn Environment,
    metrics: &Metrics,
    call_id: i64,
) -> anyhow::Result<()> {
    let Some(row) = call::Entity::find_by_id(call_id).one(db).await? else {
        return Ok(());
    };
    if row.post_state != PostState::Pending.code() {
        return Ok(());
    }
    let company = env.company(row.tenant_id).await?;
    let facts: Facts = serde_json::from_str(&row.facts).unwrap_or_default();
    let duration_s = u32::try_from(row.duration_ms.max(0))
        .unwrap_or(0)
        .div_ceil(1000);
    let call_facts = CallFacts {
        intents_hit: &facts.intents_hit,
        nodes_reached: &facts.nodes_reached,
        interactions: facts.interactions,
        duration_seconds: duration_s,
        ended_by: facts.ended_by,
    };
    let (level, rule) = grade(&company.rules, company.default_level, &call_facts);
    let rule_name = rule.map(|r| r.name.clone()).unwrap_or_default();

    let task_row = task::Entity::find_by_id(row.task_id).one(db).await?;
    let condition = task_row
        .as_ref()
        .and_then(|t| serde_json::from_str::<TaskSettings>(&t.settings).ok())
        .and_then(|s| s.quality_condition_id);
    let (mut qc_grade, mut qc_reason) = (String::new(), String::new());
    if let Some(condition_id) = condition {
        let turns: Vec<Turn> = serde_json::from_str(&row.transcript).unwrap_or_default();
        match env
            .quality_check(row.tenant_id, condition_id, level, &transcript_text(&turns))
            .await
        {
            Ok(Some(verdict)) if verdict.level != level => {
                qc_grade = level_code(verdict.level);
                qc_reason = verdict.reason;
            }
            Ok(_) => {}
            Err(error) => qc_reason = format!("大模型质检失败：{error}"),
        }
    }

    let line_row = match row.line_id {
        Some(id) => line::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let increment = line_row
        .as_ref()
        .map_or(60, |l| u32::try_from(l.billing_increment_s).unwrap_or(60));
    let price = line_row.as_ref().map_or(0, |l| l.price_mfen_per_minute);
    let talk_ms = u64::try_from(row.duration_ms.max(0)).unwrap_or(0);
    let billed = billed_seconds(talk_ms, increment);
    let amount = charge_mfen(billed, price);

    let txn = store::begin(db).await?;
    let claimed = call::Entity::update_many()
        .col_expr(call::Column::PostState, PostState::Done.code().into())
        .col_expr(call::Column::Grade, level_code(level).into())
        .col_expr(call::Column::GradeRule, rule_name.into())
        .col_expr(call::Column::QcGrade, qc_grade.into())
        .col_expr(call::Column::QcReason, qc_reason.into())
        .col_expr(
            call::Column::BilledSeconds,
            i32::try_from(billed).unwrap_or(i32::MAX).into(),
        )
        .col_expr(call::Column::CostMfen, amount.into())
        .filter(call::Column::Id.eq(call_id))
        .filter(call::Column::PostState.eq(PostState::Pending.code()))
        .exec(&txn)
        .await?
        .rows_affected;
    if claimed == 0 {
        txn.rollback().await?;
        return Ok(());
    }
    let mut writes = 1;
    let mut exhausted = false;
    if amount > 0 {
        let now = Utc::now();
        let changed = balance::Entity::update_many()
            .col_expr(
                balance::Column::BalanceMfen,
                sea_orm::sea_query::ExprTrait::sub(Expr::col(balance::Column::BalanceMfen), amount),
            )
            .col_expr(balance::Column::UpdatedAt, now.into())
            .filter(balance::Column::TenantId.eq(row.tenant_id))
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 0 {
            balance::ActiveModel {
                tenant_id: Set(row.tenant_id),
                balance_mfen: Set(-amount),
                overdraft_mfen: Set(0),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        let after = balance::Entity::find_by_id(row.tenant_id)
            .one(&txn)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("balance".into()))?;
        exhausted = Funds::new(after.balance_mfen, after.overdraft_mfen).used_up();
        charge::ActiveModel {
            tenant_id: Set(row.tenant_id),
            kind: Set("call".into()),
            call_id: Set(Some(row.id)),
            task_id: Set(Some(row.task_id)),
            task_name: Set(task_row
                .as_ref()
                .map(|t| t.name.clone())
                .unwrap_or_default()),
            line_id: Set(row.line_id),
            line_name: Set(line_row
                .as_ref()
                .map(|l| l.name.clone())
                .unwrap_or_default()),
            phone: Set(row.phone.clone()),
            duration_seconds: Set(i32::try_from(duration_s).unwrap_or(i32::MAX)),
            billed_seconds: Set(i32::try_from(billed).unwrap_or(i32::MAX)),
            price_mfen_per_minute: Set(price),
            billing_increment_s: Set(i32::try_from(increment).unwrap_or(60)),
            amount_mfen: Set(amount),
            balance_after_mfen: Set(after.balance_mfen),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        writes += 2;
    }
    txn.commit().await?;
    metrics.writes(writes);
    if exhausted {
        env.balance_exhausted(row.tenant_id).await?;
    }
    Ok(())
}
