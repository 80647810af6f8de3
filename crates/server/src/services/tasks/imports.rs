//! Queuing a number import (NUM-1..3): the upload kept as a file, the background job that
//! reads it, and the audit entry. The job itself is [`crate::jobs::number_import`].

use super::scope::TaskScope;
use crate::auth::Caller;
use crate::files::XLSX_CONTENT_TYPE;
use crate::jobs::import::{self, Accepted};
use crate::jobs::{NewJob, Queued, number_import};
use crate::services::Result;
use crate::services::audit;
use crate::state::AppState;

/// An uploaded sheet of numbers, already checked to be readable.
pub struct Upload<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// Also copy the numbers into the customer public pool.
    pub to_pool: bool,
}

/// Stores the upload and queues the job; `task` (id, name) is `None` for routing by 别名.
pub async fn queue(
    state: &AppState,
    caller: &Caller,
    upload: Upload<'_>,
    task: Option<(i64, &str)>,
) -> Result<Queued> {
    let content_type = if upload.name.to_lowercase().ends_with(".csv") {
        "text/csv"
    } else {
        XLSX_CONTENT_TYPE
    };
    let title = match task {
        Some((_, name)) => format!("号码导入：{name}"),
        None => "号码导入（按别名）".to_owned(),
    };
    let queued = import::queue(
        state,
        Accepted {
            name: upload.name,
            content_type,
            bytes: upload.bytes,
        },
        NewJob {
            tenant_id: caller.tenant(),
            member_id: caller.member.id,
            kind: number_import::KIND,
            title: &title,
            payload: serde_json::json!({
                "task_id": task.map(|(id, _)| id),
                "to_pool": upload.to_pool,
                "scope": TaskScope::of(caller),
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
    Ok(queued)
}
