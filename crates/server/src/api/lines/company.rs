//! `GET /api/lines`: the lines a company may use for its tasks.

use axum::Json;
use axum::extract::State;
use domain::permissions::{TASK_MANAGE, TASK_VIEW};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::services::lines::company::{self, LineView};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(company_lines))
}

/// The lines the company may use for its tasks.
#[utoipa::path(get, path = "/api/lines", tag = "lines",
    responses((status = 200, body = Vec<LineView>), (status = 403, body = ErrorBody)))]
async fn company_lines(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<LineView>>> {
    caller.require_any(&[TASK_VIEW, TASK_MANAGE])?;
    Ok(Json(company::list(&state.db, caller.tenant()).await?))
}
