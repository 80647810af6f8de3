//! 我的账单 (BILL-2): which charges a filter selects, for the list and for the export job,
//! and the list itself: one page with the total of every selected charge.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use store::entity::charge;
use utoipa::{IntoParams, ToSchema};

use crate::services::Result;
use crate::services::paging::{Page, PageQuery};
use crate::services::search;
use crate::services::tasks::scope::TaskScope;

/// The bill's filters, the same for the list and the export (the job's payload).
#[derive(Clone, Debug, Default, Deserialize, Serialize, IntoParams, ToSchema)]
pub struct BillFilter {
    /// Charged at or after.
    pub from: Option<DateTime<Utc>>,
    /// Charged before.
    pub to: Option<DateTime<Utc>>,
    pub task_id: Option<i64>,
    /// Part of the number.
    pub phone: Option<String>,
}

impl BillFilter {
    /// The charges selected, within what `scope` sees: a member who does not see every task
    /// sees only the charges of their tasks.
    pub fn condition(&self, scope: &TaskScope) -> Condition {
        let mut condition = Condition::all().add(charge::Column::TenantId.eq(scope.tenant_id));
        if let Some(tasks) = scope.task_ids() {
            condition = condition.add(charge::Column::TaskId.in_subquery(tasks));
        }
        if let Some(from) = self.from {
            condition = condition.add(charge::Column::CreatedAt.gte(from));
        }
        if let Some(to) = self.to {
            condition = condition.add(charge::Column::CreatedAt.lt(to));
        }
        if let Some(task_id) = self.task_id {
            condition = condition.add(charge::Column::TaskId.eq(task_id));
        }
        if let Some(phone) = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            condition = condition.add(search::contains(charge::Column::Phone, phone));
        }
        condition
    }
}

/// The export job's payload: the filter and the requester's view of the tasks.
#[derive(Deserialize, Serialize)]
pub struct BillExport {
    #[serde(flatten)]
    pub filter: BillFilter,
    pub scope: TaskScope,
}

#[derive(Serialize, ToSchema)]
pub struct BillView {
    id: i64,
    kind: String,
    task_id: Option<i64>,
    task_name: String,
    line_name: String,
    phone: String,
    duration_seconds: i32,
    billed_seconds: i32,
    price_mfen_per_minute: i64,
    billing_increment_s: i32,
    amount_mfen: i64,
    balance_after_mfen: i64,
    created_at: DateTime<Utc>,
}

impl From<charge::Model> for BillView {
    fn from(row: charge::Model) -> Self {
        Self {
            id: row.id,
            kind: row.kind,
            task_id: row.task_id,
            task_name: row.task_name,
            line_name: row.line_name,
            phone: row.phone,
            duration_seconds: row.duration_seconds,
            billed_seconds: row.billed_seconds,
            price_mfen_per_minute: row.price_mfen_per_minute,
            billing_increment_s: row.billing_increment_s,
            amount_mfen: row.amount_mfen,
            balance_after_mfen: row.balance_after_mfen,
            created_at: row.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BillPage {
    #[serde(flatten)]
    page: Page<BillView>,
    /// The sum over every charge the filter selects, not only this page.
    total_amount_mfen: i64,
}

/// One page of the company's charges, newest first, with the total of all selected.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TaskScope,
    page: &PageQuery,
    filter: &BillFilter,
) -> Result<BillPage> {
    let select = charge::Entity::find().filter(filter.condition(scope));
    let total = select.clone().count(db).await?;
    let sum: Option<Option<i64>> = select
        .clone()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(amount_mfen), 0) AS BIGINT)"),
            "sum",
        )
        .into_tuple()
        .one(db)
        .await?;
    let items = select
        .order_by_desc(charge::Column::Id)
        .offset(page.offset())
        .limit(page.size())
        .all(db)
        .await?
        .into_iter()
        .map(BillView::from)
        .collect();
    Ok(BillPage {
        page: Page { items, total },
        total_amount_mfen: sum.flatten().unwrap_or(0),
    })
}
