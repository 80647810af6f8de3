//! A person in a company (子账户, or the owner 母账户). `phone` is the login name.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub phone: String,
    pub email: Option<String>,
    pub name: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub is_owner: bool,
    pub department_id: Option<i64>,
    pub status: String,
    pub avatar_file_id: Option<i64>,
    pub popup_enabled: bool,
    pub last_login_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
