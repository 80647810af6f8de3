//! A calling task (外呼任务). `settings` is the JSON of every form field the dialer reads at run time; the columns are what lists filter and count on.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    /// `script` (新外呼) or `llm` (大模型外呼).
    pub kind: String,
    pub line_id: Option<i64>,
    pub settings: String,
    /// `not_started`, `running`, `paused`, `completed`, `stopped`.
    pub status: String,
    /// Why a running task is not calling right now (DIAL-4); empty when it is.
    pub idle_reason: String,
    pub is_template: bool,
    pub total_numbers: i64,
    pub called_numbers: i64,
    pub connected_numbers: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    /// The script versions the task calls with, fixed at its start: `{script_id: version_id}`.
    pub pinned_scripts: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
