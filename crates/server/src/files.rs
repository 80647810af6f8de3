//! Stored files (avatars, uploads, result reports): bytes on disk, a row in `files`.

use std::path::PathBuf;

use chrono::Utc;
use rand::Rng;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use store::entity::file;

#[derive(Clone)]
pub struct FileStore {
    root: PathBuf,
}

/// What a new file is and who owns it.
pub struct NewFile<'a> {
    pub tenant_id: i64,
    pub owner_member_id: Option<i64>,
    pub kind: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
}

pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl FileStore {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// Writes the bytes, then records the file. A crash between the two leaves an
    /// unreferenced file on disk, never a row without its bytes.
    pub async fn save(
        &self,
        db: &impl ConnectionTrait,
        new: NewFile<'_>,
        bytes: &[u8],
    ) -> Result<file::Model, anyhow::Error> {
        let key = format!(
            "{}/{}-{:016x}",
            new.tenant_id,
            Utc::now().format("%Y%m%d"),
            rand::rng().random::<u64>()
        );
        let path = self.root.join(&key);
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::write(&path, bytes).await?;
        let row = file::ActiveModel {
            tenant_id: Set(new.tenant_id),
            owner_member_id: Set(new.owner_member_id),
            kind: Set(new.kind.to_owned()),
            name: Set(new.name.to_owned()),
            content_type: Set(new.content_type.to_owned()),
            size: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
            storage_key: Set(key),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(|e: DbErr| anyhow::anyhow!(e))?;
        Ok(row)
    }

    pub async fn read(&self, file: &file::Model) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.root.join(&file.storage_key)).await
    }
}
