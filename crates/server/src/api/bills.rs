//! 我的账单 (BILL-2): every charge of the company, filtered and paged, with its total, and
//! exported to xlsx through the job queue.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use domain::permissions::BILLING_VIEW;
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use store::entity::charge;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::jobs;
use crate::jobs::bill_export;
use crate::services::bills::BillFilter;
use crate::services::paging::{Page, PageQuery};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export))
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

/// The company's charges, newest first.
#[utoipa::path(get, path = "/api/bills", tag = "billing", params(PageQuery, BillFilter),
    responses((status = 200, body = BillPage), (status = 403, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<PageQuery>,
    Query(filter): Query<BillFilter>,
) -> ApiResult<Json<BillPage>> {
    caller.require(BILLING_VIEW)?;
    let select = charge::Entity::find().filter(filter.condition(caller.tenant()));
    let total = select.clone().count(&state.db).await?;
    let sum: Option<Option<i64>> = select
        .clone()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(amount_mfen), 0) AS BIGINT)"),
            "sum",
        )
        .into_tuple()
        .one(&state.db)
        .await?;
    let items = select
        .order_by_desc(charge::Column::Id)
        .offset(page.index() * page.size())
        .limit(page.size())
        .all(&state.db)
        .await?
        .into_iter()
        .map(BillView::from)
        .collect();
    Ok(Json(BillPage {
        page: Page { items, total },
        total_amount_mfen: sum.flatten().unwrap_or(0),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ExportQueued {
    job_id: i64,
    notification_id: i64,
}

/// Export the filtered bill to xlsx; the file arrives in the notification list.
#[utoipa::path(post, path = "/api/bills/export", tag = "billing", request_body = BillFilter,
    responses((status = 202, body = ExportQueued), (status = 403, body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Json(filter): Json<BillFilter>,
) -> ApiResult<(StatusCode, Json<ExportQueued>)> {
    caller.require(BILLING_VIEW)?;
    let queued = jobs::enqueue(
        &state,
        jobs::NewJob {
            tenant_id: caller.tenant(),
            member_id: caller.member.id,
            kind: bill_export::KIND,
            title: "账单导出",
            payload: serde_json::to_value(&filter).unwrap_or_default(),
        },
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ExportQueued {
            job_id: queued.job_id,
            notification_id: queued.notification_id,
        }),
    ))
}
