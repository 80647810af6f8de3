//! A number to call in a task, with its data, region, status and attempts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "task_numbers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub task_id: i64,
    pub phone: String,
    pub name: String,
    pub company: String,
    /// 0 unknown, 1 男, 2 女.
    pub gender: i16,
    /// The sheet's other columns, as a JSON object (script variables).
    pub extra: String,
    pub province: String,
    pub city: String,
    pub carrier: String,
    pub status: String,
    pub attempts: i32,
    pub last_call_at: Option<DateTimeUtc>,
    pub next_call_at: Option<DateTimeUtc>,
    pub lease_until: Option<DateTimeUtc>,
    pub import_job_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
