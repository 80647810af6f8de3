//! Lines (线路, LINE-1/2): the operator provisions SIP trunks and assigns them to companies;
//! a company sees its simulated line (模拟线路) and the trunks it was given.

mod company;
mod trunks;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(company::routes())
        .merge(trunks::routes())
}
