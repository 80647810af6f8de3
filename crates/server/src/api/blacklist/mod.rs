//! The blacklist (呼叫中台 → 黑名单, BL-1): groups with a default one, numbers with an optional
//! expiry (定时拉黑), filters by group, number and time added, select-all batch delete and
//! move, and xlsx/csv import and export. The rules are in [`crate::services::blacklist`].

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

mod entries;
mod groups;
mod transfer;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(groups::routes())
        .merge(entries::routes())
        .merge(transfer::routes())
}
