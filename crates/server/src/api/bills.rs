//! 我的账单 (BILL-2): every charge of the company, filtered and paged, with its total, and
//! exported to xlsx through the job queue.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::permissions::BILLING_VIEW;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::jobs;
use crate::jobs::bill_export;
use crate::services::bills::{self, BillExport, BillFilter, BillPage};
use crate::services::paging::PageQuery;
use crate::services::tasks::scope::TaskScope;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export))
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
    Ok(Json(
        bills::list(&state.db, &TaskScope::of(&caller), &page, &filter).await?,
    ))
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
            payload: serde_json::to_value(BillExport {
                filter,
                scope: TaskScope::of(&caller),
            })
            .unwrap_or_default(),
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
