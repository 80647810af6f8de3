//! Notifications (通知列表): rows per user, and live updates pushed to open consoles.
//!
//! On PostgreSQL the updates travel through `NOTIFY`, so a console connected to one node
//! sees the progress of a job that runs on another; on SQLite (one node) they stay in-process.

use chrono::{DateTime, Utc};
use sea_orm::sqlx::PgPool;
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde::{Deserialize, Serialize};
use store::entity::notification;
use tokio::sync::{broadcast, mpsc};
use utoipa::ToSchema;

const PG_CHANNEL: &str = "voxdial_notifications";

/// A notification as the console shows it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
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

/// Leaves a finished, informational notification for a member (e.g. "shared a script with
/// you"); the caller publishes the returned row once its transaction commits.
pub async fn inform(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    member_id: i64,
    kind: &str,
    title: &str,
) -> Result<notification::Model, DbErr> {
    let now = Utc::now();
    notification::ActiveModel {
        tenant_id: Set(tenant_id),
        member_id: Set(member_id),
        job_id: Set(None),
        kind: Set(kind.to_owned()),
        title: Set(title.to_owned()),
        status: Set("succeeded".to_owned()),
        progress: Set(100),
        total: Set(None),
        success_count: Set(0),
        fail_count: Set(0),
        error: Set(None),
        result_file_id: Set(None),
        read: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A change to one member's notification.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NotificationEvent {
    pub member_id: i64,
    pub notification: NotificationView,
}

/// Fans notification changes out to the member's open event streams.
#[derive(Clone)]
pub struct NotificationHub {
    local: broadcast::Sender<NotificationEvent>,
    /// Set on PostgreSQL: events go to the database, which hands them to every node.
    relay: Option<mpsc::UnboundedSender<NotificationEvent>>,
}

impl NotificationHub {
    /// A hub for one node.
    pub fn local() -> Self {
        let (local, _) = broadcast::channel(1024);
        Self { local, relay: None }
    }

    /// A hub shared by every node on this PostgreSQL database.
    pub fn postgres(pool: PgPool) -> Self {
        let (local, _) = broadcast::channel(1024);
        let (relay, mut outgoing) = mpsc::unbounded_channel::<NotificationEvent>();
        let sender = pool.clone();
        tokio::spawn(async move {
            while let Some(event) = outgoing.recv().await {
                let Ok(payload) = serde_json::to_string(&event) else {
                    continue;
                };
                let sent = sea_orm::sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(PG_CHANNEL)
                    .bind(payload)
                    .execute(&sender)
                    .await;
                if let Err(error) = sent {
                    tracing::warn!(%error, "cannot relay a notification");
                }
            }
        });
        let incoming = local.clone();
        tokio::spawn(async move {
            let mut listener = match PgListener::connect_with(&pool).await {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::error!(%error, "cannot listen for notifications");
                    return;
                }
            };
            if let Err(error) = listener.listen(PG_CHANNEL).await {
                tracing::error!(%error, "cannot listen for notifications");
                return;
            }
            loop {
                // `recv` reconnects by itself after a lost connection.
                match listener.recv().await {
                    Ok(message) => {
                        if let Ok(event) = serde_json::from_str(message.payload()) {
                            let _ = incoming.send(event);
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "notification listener");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Self {
            local,
            relay: Some(relay),
        }
    }

    pub fn publish(&self, row: &notification::Model) {
        let event = NotificationEvent {
            member_id: row.member_id,
            notification: row.into(),
        };
        // No open stream is not an error: the list shows the same row when loaded.
        match &self.relay {
            Some(relay) => {
                let _ = relay.send(event);
            }
            None => {
                let _ = self.local.send(event);
            }
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<NotificationEvent> {
        self.local.subscribe()
    }
}
