//! A task form read and checked: its name, its settings as the domain reads them, and what
//! those settings point at in the company.

use domain::task::TaskSettings;
use sea_orm::ConnectionTrait;
use serde::Deserialize;
use utoipa::ToSchema;

use super::refs;
use crate::services::{Error, Result};

#[derive(Deserialize, ToSchema)]
pub struct TaskRequest {
    name: String,
    /// Every other field of the form (see `TaskSettings`).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    settings: serde_json::Value,
}

/// The name trimmed, or why it cannot name a task or template.
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(Error::validation(
            "name",
            "任务名称不能为空，且不超过 50 个字",
        ));
    }
    Ok(name.to_owned())
}

/// Reads and checks a task form; `except` is the task being edited (for the alias check).
pub async fn check_request(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    request: TaskRequest,
    except: Option<i64>,
) -> Result<(String, TaskSettings)> {
    let name = check_name(&request.name)?;
    let mut settings: TaskSettings =
        serde_path_to_error::deserialize(request.settings).map_err(|e| {
            let path = e.path().to_string();
            let field = field_of(&path);
            let inner = e.into_inner().to_string();
            // The schedule's own messages (周一的时间段 …) are already written for users.
            let message = if inner.contains('周') || inner.contains("时间段") {
                inner.split(" at line").next().unwrap_or(&inner).to_owned()
            } else {
                format!("“{path}”填写有误")
            };
            Error::validation(field, message)
        })?;
    settings
        .validate()
        .map_err(|e| Error::validation(e.field, e.message))?;
    refs::check(db, tenant_id, &settings, except).await?;
    Ok((name, settings))
}

/// The form field a settings path belongs to, for 422 answers (`schedule.days.mon` → `schedule`).
fn field_of(path: &str) -> &'static str {
    const FIELDS: [&str; 20] = [
        "tags",
        "alias",
        "kind",
        "dialog",
        "llm_robot_id",
        "quality_condition_id",
        "line_id",
        "blacklist_group_ids",
        "valid_from",
        "valid_until",
        "schedule",
        "skip_holidays",
        "forbidden",
        "call_interval_s",
        "concurrency",
        "end_action",
        "transfer",
        "quota",
        "retry",
        "name",
    ];
    let head = path.split(['.', '[']).next().unwrap_or("");
    FIELDS
        .into_iter()
        .find(|f| *f == head)
        .unwrap_or("settings")
}
