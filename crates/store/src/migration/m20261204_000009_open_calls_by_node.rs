//! Every claim counts the calls open on its line by task and by node (each node keeps to
//! its share of the line). The open-calls index held (line_id, task_id) only, so SQLite
//! grouped the open calls in a temporary B-tree on every claim, inside the claim's lock:
//! at 1 000 open calls that doubled the delay from a number being due to its dial. With
//! `node` in the index, the count walks the index in its order again. The new index takes
//! a new name: dropping and re-creating the old name in one migration failed on SQLite.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX ix_calls_open_line_node ON calls (line_id, task_id, node) \
             WHERE ended_at IS NULL",
        )
        .await?;
        db.execute_unprepared("DROP INDEX ix_calls_open_line")
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "downgrades are not supported; restore a backup instead".into(),
        ))
    }
}
