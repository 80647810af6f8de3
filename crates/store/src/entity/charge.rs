//! One line of the bill (我的账单, BILL-2): an answered call's charge, at most one per call
//! (unique `call_id`). Names are copied so the bill outlives deleted tasks and lines.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "charges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    /// `call` (SMS later).
    pub kind: String,
    pub call_id: Option<i64>,
    pub task_id: Option<i64>,
    pub task_name: String,
    pub line_id: Option<i64>,
    pub line_name: String,
    pub phone: String,
    pub duration_seconds: i32,
    pub billed_seconds: i32,
    pub price_mfen_per_minute: i64,
    pub billing_increment_s: i32,
    pub amount_mfen: i64,
    pub balance_after_mfen: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
