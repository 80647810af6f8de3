//! Live notification updates (通知列表) pushed to open consoles.
//!
//! On PostgreSQL the updates travel through `NOTIFY`, so a console connected to one node
//! sees the progress of a job that runs on another; on SQLite (one node) they stay in-process.

use sea_orm::sqlx::PgPool;
use sea_orm::sqlx::postgres::PgListener;
use serde::{Deserialize, Serialize};
use store::entity::notification;
use tokio::sync::{broadcast, mpsc};

use crate::services::notifications::NotificationView;

const PG_CHANNEL: &str = "voxdial_notifications";

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
