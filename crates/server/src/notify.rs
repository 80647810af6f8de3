//! Notifications (通知列表): rows per user, and live updates pushed to open consoles.

use chrono::{DateTime, Utc};
use serde::Serialize;
use store::entity::notification;
use tokio::sync::broadcast;
use utoipa::ToSchema;

/// A notification as the console shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    /// What produced it, e.g. `member_import`.
    pub kind: String,
    pub title: String,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: String,
    /// 0–100.
    pub progress: i32,
    pub total: Option<i64>,
    pub success_count: i64,
    pub fail_count: i64,
    /// Why it failed, or a summary of rejected rows.
    pub error: Option<String>,
    /// Download link of the result file (e.g. the rejected rows), if any.
    pub result_file_url: Option<String>,
    pub read: bool,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<&notification::Model> for NotificationView {
    fn from(row: &notification::Model) -> Self {
        Self {
            id: row.id,
            kind: row.kind.clone(),
            title: row.title.clone(),
            status: row.status.clone(),
            progress: row.progress,
            total: row.total,
            success_count: row.success_count,
            fail_count: row.fail_count,
            error: row.error.clone(),
            result_file_url: row.result_file_id.map(|id| format!("/api/files/{id}")),
            read: row.read,
            created_at: row.created_at,
            finished_at: row.finished_at,
        }
    }
}

/// A change to one member's notification.
#[derive(Clone, Debug)]
pub struct NotificationEvent {
    pub member_id: i64,
    pub notification: NotificationView,
}

/// Fans notification changes out to the member's open event streams on this node.
#[derive(Clone)]
pub struct NotificationHub {
    sender: broadcast::Sender<NotificationEvent>,
}

impl Default for NotificationHub {
    fn default() -> Self {
        Self::new()
    }
}

impl NotificationHub {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(1024);
        Self { sender }
    }

    pub fn publish(&self, row: &notification::Model) {
        // No open stream is not an error: the list shows the same row when loaded.
        let _ = self.sender.send(NotificationEvent {
            member_id: row.member_id,
            notification: row.into(),
        });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<NotificationEvent> {
        self.sender.subscribe()
    }
}
