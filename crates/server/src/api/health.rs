//! `GET /api/health`: 200 when the server is ready and its database answers.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiError, ApiResult};
use crate::services::health;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`
    status: &'static str,
    version: &'static str,
    /// `sqlite` or `postgres`
    database: &'static str,
}

/// Readiness: the server runs and its database answers.
#[utoipa::path(get, path = "/api/health", tag = "system", responses((status = 200, body = Health)))]
async fn health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    health::database_answers(&state.db).await.map_err(|error| {
        tracing::error!(%error, "health check: database does not answer");
        ApiError::internal()
    })?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: store::backend_name(&state.db),
    }))
}
