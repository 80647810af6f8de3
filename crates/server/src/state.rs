//! What every request handler and background worker shares.

use std::sync::Arc;

use anyhow::Context;
use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::Notify;

use crate::auth::rate_limit::LoginLimiter;
use crate::config::Config;
use crate::files::FileStore;
use crate::notify::NotificationHub;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub files: FileStore,
    pub notifications: NotificationHub,
    pub login_limiter: Arc<LoginLimiter>,
    /// Wakes the job worker when a job is queued, so it need not wait for its next poll.
    pub jobs_waker: Arc<Notify>,
}

impl AppState {
    pub async fn new(config: Config) -> anyhow::Result<Self> {
        let db = open_database(&config).await?;
        let files = FileStore::new(config.files_dir());
        let notifications = match db.get_database_backend() {
            DbBackend::Postgres => {
                NotificationHub::postgres(db.get_postgres_connection_pool().clone())
            }
            _ => NotificationHub::local(),
        };
        Ok(Self {
            db,
            files,
            config: Arc::new(config),
            notifications,
            login_limiter: Arc::new(LoginLimiter::default()),
            jobs_waker: Arc::new(Notify::new()),
        })
    }
}

/// Opens the configured database (creating the data folder for SQLite) and migrates it.
pub async fn open_database(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create data folder {}", config.data_dir.display()))?;
    }
    let db = store::connect(&url)
        .await
        .with_context(|| "cannot open the database".to_string())?;
    store::migrate(&db)
        .await
        .context("database migration failed")?;
    Ok(db)
}
