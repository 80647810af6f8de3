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

/// What a new member is created with; everything else starts at its default (active, no
/// avatar, pop-ups on, never logged in).
pub struct NewMember {
    pub tenant_id: i64,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub department_id: Option<i64>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub is_owner: bool,
}

impl NewMember {
    pub fn into_active_model(self, now: DateTimeUtc) -> ActiveModel {
        use sea_orm::Set;
        ActiveModel {
            tenant_id: Set(self.tenant_id),
            phone: Set(self.phone),
            email: Set(self.email),
            name: Set(self.name),
            password_hash: Set(self.password_hash),
            must_change_password: Set(self.must_change_password),
            is_owner: Set(self.is_owner),
            department_id: Set(self.department_id),
            status: Set("active".to_owned()),
            avatar_file_id: Set(None),
            popup_enabled: Set(true),
            last_login_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    }
}
