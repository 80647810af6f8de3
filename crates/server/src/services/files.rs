//! Downloading a stored file: avatars to anyone in the company, other files (error reports,
//! exports) only to the member they were made for.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use store::entity::file;

use crate::files::FileStore;
use crate::services::{Error, Result};

/// The file with its bytes, when the member may download it.
pub async fn download(
    db: &DatabaseConnection,
    files: &FileStore,
    tenant_id: i64,
    member_id: i64,
    id: i64,
) -> Result<(file::Model, Vec<u8>)> {
    let row = file::Entity::find_by_id(id)
        .filter(file::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .filter(|row| row.kind == "avatar" || row.owner_member_id == Some(member_id))
        .ok_or_else(|| Error::not_found("文件"))?;
    let bytes = files.read(&row).await.map_err(|error| {
        tracing::error!(%error, file = row.id, "stored file is missing");
        Error::not_found("文件")
    })?;
    Ok((row, bytes))
}
