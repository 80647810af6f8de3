//! 我的账单 (BILL-2): which charges a filter selects, for the list and for the export job.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition};
use serde::{Deserialize, Serialize};
use store::entity::charge;
use utoipa::{IntoParams, ToSchema};

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
    pub fn condition(&self, tenant_id: i64) -> Condition {
        let mut condition = Condition::all().add(charge::Column::TenantId.eq(tenant_id));
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
            condition = condition.add(charge::Column::Phone.contains(phone));
        }
        condition
    }
}
