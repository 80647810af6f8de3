//! A user-facing notification (通知列表), usually the progress and result of a job.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub member_id: i64,
    pub job_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub status: String,
    pub progress: i32,
    pub total: Option<i64>,
    pub success_count: i64,
    pub fail_count: i64,
    pub error: Option<String>,
    pub result_file_id: Option<i64>,
    pub read: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
