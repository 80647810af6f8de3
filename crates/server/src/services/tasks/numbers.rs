//! A task's numbers as the 电话号码 tab shows them (NUM-5): filtered and paged, and the values
//! its filters offer.

use chrono::{DateTime, Utc};
use domain::task::NumberStatus;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use store::entity::task_number;
use utoipa::{IntoParams, ToSchema};

use super::scope::TaskScope;
use crate::services::Result;
use crate::services::paging::{Page, PageQuery};
use crate::services::search;

#[derive(Serialize, ToSchema)]
pub struct NumberView {
    id: i64,
    phone: String,
    name: String,
    company: String,
    province: String,
    city: String,
    carrier: String,
    status: String,
    status_label: &'static str,
    attempts: i32,
    last_call_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<task_number::Model> for NumberView {
    fn from(row: task_number::Model) -> Self {
        Self {
            status_label: NumberStatus::from_code(&row.status).map_or("", NumberStatus::label),
            id: row.id,
            phone: row.phone,
            name: row.name,
            company: row.company,
            province: row.province,
            city: row.city,
            carrier: row.carrier,
            status: row.status,
            attempts: row.attempts,
            last_call_at: row.last_call_at,
            created_at: row.created_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct NumberFilter {
    /// Number contains this.
    phone: Option<String>,
    status: Option<String>,
    province: Option<String>,
    city: Option<String>,
    carrier: Option<String>,
    created_from: Option<DateTime<Utc>>,
    created_to: Option<DateTime<Utc>>,
    called_from: Option<DateTime<Utc>>,
    called_to: Option<DateTime<Utc>>,
}

impl NumberFilter {
    fn apply(&self, mut select: Select<task_number::Entity>) -> Select<task_number::Entity> {
        use task_number::Column as C;
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        if let Some(phone) = text(&self.phone) {
            select = select.filter(search::contains(C::Phone, &phone));
        }
        if let Some(status) = text(&self.status) {
            select = select.filter(C::Status.eq(status));
        }
        if let Some(province) = text(&self.province) {
            select = select.filter(C::Province.eq(province));
        }
        if let Some(city) = text(&self.city) {
            select = select.filter(C::City.eq(city));
        }
        if let Some(carrier) = text(&self.carrier) {
            select = select.filter(C::Carrier.eq(carrier));
        }
        if let Some(from) = self.created_from {
            select = select.filter(C::CreatedAt.gte(from));
        }
        if let Some(to) = self.created_to {
            select = select.filter(C::CreatedAt.lt(to));
        }
        if let Some(from) = self.called_from {
            select = select.filter(C::LastCallAt.gte(from));
        }
        if let Some(to) = self.called_to {
            select = select.filter(C::LastCallAt.lt(to));
        }
        select
    }
}

fn numbers_of(tenant_id: i64, task_id: i64) -> Select<task_number::Entity> {
    task_number::Entity::find()
        .filter(task_number::Column::TenantId.eq(tenant_id))
        .filter(task_number::Column::TaskId.eq(task_id))
}

/// Task `task_id`'s numbers, filtered, in import order.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &TaskScope,
    task_id: i64,
    filter: &NumberFilter,
    paging: &PageQuery,
) -> Result<Page<NumberView>> {
    let task = scope.find(db, task_id).await?;
    let select = filter.apply(numbers_of(task.tenant_id, task.id));
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_asc(task_number::Column::Id)
        .offset(paging.offset())
        .limit(paging.size())
        .all(db)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(NumberView::from).collect(),
        total,
    })
}

#[derive(Serialize, ToSchema)]
pub struct StatusCount {
    code: &'static str,
    label: &'static str,
    count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Facets {
    /// Every status, with how many of the task's numbers have it.
    statuses: Vec<StatusCount>,
    provinces: Vec<String>,
    carriers: Vec<String>,
}

/// The values the number filters of task `task_id` offer, with counts per status.
pub async fn facets(db: &impl ConnectionTrait, scope: &TaskScope, task_id: i64) -> Result<Facets> {
    let task = scope.find(db, task_id).await?;
    let counts: Vec<(String, i64)> = numbers_of(task.tenant_id, task.id)
        .select_only()
        .column(task_number::Column::Status)
        .column_as(
            Expr::expr(Func::count(Expr::col(task_number::Column::Id))),
            "count",
        )
        .group_by(task_number::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let distinct = |column: task_number::Column| {
        numbers_of(task.tenant_id, task.id)
            .select_only()
            .column(column)
            .filter(column.ne(""))
            .distinct()
            .order_by_asc(column)
            .into_tuple::<String>()
            .all(db)
    };
    Ok(Facets {
        statuses: NumberStatus::ALL
            .into_iter()
            .map(|status| StatusCount {
                code: status.code(),
                label: status.label(),
                count: counts
                    .iter()
                    .find(|(code, _)| code == status.code())
                    .map_or(0, |(_, n)| *n),
            })
            .collect(),
        provinces: distinct(task_number::Column::Province).await?,
        carriers: distinct(task_number::Column::Carrier).await?,
    })
}
