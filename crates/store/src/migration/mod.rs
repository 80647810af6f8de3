//! One migration history for SQLite and PostgreSQL, run at start.

use sea_orm_migration::prelude::*;

mod helpers;
mod m20261127_000001_foundation;
mod m20261127_000002_robot;
mod m20261127_000003_llm;
mod m20261127_000004_company_settings;
mod m20261127_000005_tags_llm_robots;
mod m20261127_000006_calling;
mod m20261127_000007_task_number_order;
mod m20261128_000008_calls;
mod m20261204_000009_open_calls_by_node;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_foundation::Migration),
            Box::new(m20261127_000002_robot::Migration),
            Box::new(m20261127_000003_llm::Migration),
            Box::new(m20261127_000004_company_settings::Migration),
            Box::new(m20261127_000005_tags_llm_robots::Migration),
            Box::new(m20261127_000006_calling::Migration),
            Box::new(m20261127_000007_task_number_order::Migration),
            Box::new(m20261128_000008_calls::Migration),
            Box::new(m20261204_000009_open_calls_by_node::Migration),
        ]
    }
}
