//! A telephone line (线路): a SIP trunk of the platform assigned to companies, or a company's simulated line (模拟线路). `settings` is JSON (address, transport, caller IDs, codecs); `secret` is the trunk password, never sent back.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: Option<i64>,
    /// `sip` or `simulated`.
    pub kind: String,
    pub name: String,
    pub settings: String,
    pub secret: String,
    pub max_concurrency: i32,
    pub calls_per_second: i32,
    pub price_mfen_per_minute: i64,
    pub billing_increment_s: i32,
    /// `active` or `disabled`.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
