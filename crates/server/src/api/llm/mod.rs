//! Large language models (大模型配置) and LLM quality-check conditions (大模型质检): configure,
//! test a model with a sentence, and test a condition on a transcript.

mod models;
mod quality;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    models::routes().merge(quality::routes())
}
