//! The 电话号码 tab lists a task's numbers in import order. Without an index on
//! (task_id, id), PostgreSQL walked the primary key across every task's rows to find one
//! task's first page: about a second at 5 million numbers.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_task_numbers_task_order")
                    .table("task_numbers")
                    .col("task_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "downgrades are not supported; restore a backup instead".into(),
        ))
    }
}
