//! A task's numbers (电话号码, NUM-5): the filtered, paged list with its facets, the import
//! template, and the uploads that queue an import job (NUM-1..3).

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::super::files::{attachment, read_upload};
use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::files::XLSX_CONTENT_TYPE;
use crate::jobs::import::ImportAccepted;
use crate::jobs::number_import;
use crate::services::paging::{Page, PageQuery};
use crate::services::tasks::imports::{self, Upload};
use crate::services::tasks::numbers::{self, Facets, NumberFilter, NumberView};
use crate::services::tasks::scope::TaskScope;
use crate::state::AppState;

pub(super) fn routes() -> OpenApiRouter<AppState> {
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
    let page = numbers::list(&state.db, &TaskScope::of(&caller), id, &filter, &paging).await?;
    Ok(Json(page))
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
    Ok(Json(
        numbers::facets(&state.db, &TaskScope::of(&caller), id).await?,
    ))
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

/// Reads and checks the upload, then queues it; `task` is `None` for routing by 别名.
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
    let queued = imports::queue(
        state,
        caller,
        Upload {
            name: &upload.name,
            bytes: &upload.bytes,
            to_pool,
        },
        task,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(ImportAccepted::from(queued))))
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
    let task = TaskScope::of(&caller).find(&state.db, id).await?;
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
