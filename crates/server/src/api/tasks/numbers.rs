//! A task's numbers (电话号码, NUM-5): the filtered, paged list with its facets, the import
//! template, and the uploads that queue an import job (NUM-1..3).

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use domain::task::NumberStatus;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use store::entity::task_number;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::super::files::{attachment, read_upload};
use super::find;
use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::files::{NewFile, XLSX_CONTENT_TYPE};
use crate::jobs::{self, number_import};
use crate::services::audit;
use crate::services::paging::{Page, PageQuery};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(facets))
        .routes(routes!(template))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_into_task))
                .routes(routes!(import_by_alias))
                .layer(axum::extract::DefaultBodyLimit::max(
                    number_import::MAX_FILE_BYTES,
                )),
        )
}

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
            select = select.filter(C::Phone.contains(phone));
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

/// A task's numbers, filtered, in import order.
#[utoipa::path(get, path = "/api/tasks/{id}/numbers", tag = "tasks",
    params(("id" = i64, Path, description = "Task id"), NumberFilter, PageQuery),
    responses((status = 200, body = Page<NumberView>), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(filter): Query<NumberFilter>,
    Query(paging): Query<PageQuery>,
) -> ApiResult<Json<Page<NumberView>>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    let task = find(&state.db, &caller, id, false).await?;
    let select = filter.apply(numbers_of(caller.tenant(), task.id));
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_asc(task_number::Column::Id)
        .offset(paging.index() * paging.size())
        .limit(paging.size())
        .all(&state.db)
        .await?;
    Ok(Json(Page {
        items: rows.into_iter().map(NumberView::from).collect(),
        total,
    }))
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

/// The values the number filters offer, with counts per status.
#[utoipa::path(get, path = "/api/tasks/{id}/numbers/facets", tag = "tasks",
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = Facets), (status = 404, body = ErrorBody)))]
async fn facets(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Facets>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    let task = find(&state.db, &caller, id, false).await?;
    let counts: Vec<(String, i64)> = numbers_of(caller.tenant(), task.id)
        .select_only()
        .column(task_number::Column::Status)
        .column_as(
            Expr::expr(Func::count(Expr::col(task_number::Column::Id))),
            "count",
        )
        .group_by(task_number::Column::Status)
        .into_tuple()
        .all(&state.db)
        .await?;
    let distinct = |column: task_number::Column| {
        numbers_of(caller.tenant(), task.id)
            .select_only()
            .column(column)
            .filter(column.ne(""))
            .distinct()
            .order_by_asc(column)
            .into_tuple::<String>()
            .all(&state.db)
    };
    Ok(Json(Facets {
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
    }))
}

/// Download the xlsx template for importing numbers.
#[utoipa::path(get, path = "/api/numbers/import-template", tag = "tasks",
    responses((status = 200, description = "号码导入模板.xlsx")))]
async fn template(caller: Caller) -> ApiResult<Response> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    attachment(
        "号码导入模板.xlsx",
        "numbers.xlsx",
        XLSX_CONTENT_TYPE,
        number_import::template()?,
    )
}

#[derive(Serialize, ToSchema)]
pub struct ImportAccepted {
    job_id: i64,
    notification_id: i64,
}

/// Stores the upload and queues the job; `task` is `None` for routing by 别名.
async fn queue(
    state: &AppState,
    caller: &Caller,
    multipart: Multipart,
    task: Option<(i64, &str)>,
) -> ApiResult<(StatusCode, Json<ImportAccepted>)> {
    let upload = read_upload(
        multipart,
        number_import::MAX_FILE_BYTES,
        "导入文件不能超过 50 MB，请拆分后分批导入",
    )
    .await?;
    number_import::check_file(&upload.name, &upload.bytes, task.is_none())?;
    let to_pool = upload.fields.get("to_pool").is_some_and(|v| v == "true");
    let content_type = if upload.name.to_lowercase().ends_with(".csv") {
        "text/csv"
    } else {
        XLSX_CONTENT_TYPE
    };
    let file = state
        .files
        .save(
            &state.db,
            NewFile {
                tenant_id: caller.tenant(),
                owner_member_id: Some(caller.member.id),
                kind: "import_upload",
                name: &upload.name,
                content_type,
            },
            &upload.bytes,
        )
        .await?;
    let title = match task {
        Some((_, name)) => format!("号码导入：{name}"),
        None => "号码导入（按别名）".to_owned(),
    };
    let queued = jobs::enqueue(
        state,
        jobs::NewJob {
            tenant_id: caller.tenant(),
            member_id: caller.member.id,
            kind: number_import::KIND,
            title: &title,
            payload: serde_json::json!({
                "file_id": file.id,
                "task_id": task.map(|(id, _)| id),
                "to_pool": to_pool,
            }),
        },
    )
    .await?;
    audit::by(
        &state.db,
        caller,
        "task.import",
        task.map_or("按别名导入".to_owned(), |(_, name)| name.to_owned()),
        upload.name,
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ImportAccepted {
            job_id: queued.job_id,
            notification_id: queued.notification_id,
        }),
    ))
}

/// Upload numbers into a task (field `file`: xlsx or csv, at most 250 000 rows; field
/// `to_pool`: "true" also copies them into the customer public pool). The import runs in the
/// background; its progress and result appear in the notification list.
#[utoipa::path(post, path = "/api/tasks/{id}/numbers/import", tag = "tasks",
    params(("id" = i64, Path, description = "Task id")),
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 202, body = ImportAccepted), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_into_task(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> ApiResult<(StatusCode, Json<ImportAccepted>)> {
    caller.require(TASK_MANAGE)?;
    let task = find(&state.db, &caller, id, false).await?;
    queue(&state, &caller, multipart, Some((task.id, &task.name))).await
}

/// Upload numbers for several tasks at once: each row's 别名 names its task.
#[utoipa::path(post, path = "/api/numbers/import", tag = "tasks",
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 202, body = ImportAccepted), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_by_alias(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> ApiResult<(StatusCode, Json<ImportAccepted>)> {
    caller.require(TASK_MANAGE)?;
    queue(&state, &caller, multipart, None).await
}
