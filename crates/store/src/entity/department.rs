//! A department (部门); `None` settings are inherited from the parent. `sales_stages` is JSON.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "departments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub sort_order: i32,
    pub admin_member_id: Option<i64>,
    pub permission_group_id: Option<i64>,
    pub recycle_days: Option<i32>,
    pub claim_quota: Option<i32>,
    pub sales_stages: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// A new department, inheriting every setting except, optionally, its permission group.
pub struct NewDepartment<'a> {
    pub tenant_id: i64,
    pub parent_id: Option<i64>,
    pub name: &'a str,
    pub sort_order: i32,
    pub permission_group_id: Option<i64>,
}

impl NewDepartment<'_> {
    pub fn into_active_model(self, now: DateTimeUtc) -> ActiveModel {
        use sea_orm::Set;
        ActiveModel {
            tenant_id: Set(self.tenant_id),
            parent_id: Set(self.parent_id),
            name: Set(self.name.to_owned()),
            sort_order: Set(self.sort_order),
            admin_member_id: Set(None),
            permission_group_id: Set(self.permission_group_id),
            recycle_days: Set(None),
            claim_quota: Set(None),
            sales_stages: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    }
}
