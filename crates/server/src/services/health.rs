//! Readiness: whether the database answers.

use sea_orm::{ConnectionTrait, DatabaseConnection};

pub async fn database_answers(db: &DatabaseConnection) -> crate::services::Result<()> {
    db.execute_unprepared("SELECT 1").await?;
    Ok(())
}
