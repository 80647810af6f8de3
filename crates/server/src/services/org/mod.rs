//! A company's organisation as the rules in `domain` need it: the department tree, the
//! defaults at its top, and what a member may do and see.

pub mod account;
pub mod departments;
pub mod groups;
pub mod identity;
pub mod members;

use std::collections::BTreeSet;

use domain::departments::{
    CompanyDefaults, DEFAULT_CLAIM_QUOTA, DEFAULT_RECYCLE_DAYS, DEFAULT_SALES_STAGES, DataScope,
    DepartmentSettings, Node, Tree,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use store::entity::{department, member, permission_group};

pub fn settings_of(row: &department::Model) -> DepartmentSettings {
    DepartmentSettings {
        permission_group_id: row.permission_group_id,
        recycle_days: row.recycle_days,
        claim_quota: row.claim_quota,
        sales_stages: row
            .sales_stages
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok()),
    }
}

pub async fn departments(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<Vec<department::Model>, DbErr> {
    department::Entity::find()
        .filter(department::Column::TenantId.eq(tenant_id))
        .all(db)
        .await
}

pub fn tree_of(rows: &[department::Model]) -> Tree {
    Tree::new(rows.iter().map(|row| Node {
        id: row.id,
        parent_id: row.parent_id,
        settings: settings_of(row),
    }))
}

pub async fn default_group(
    db: &impl ConnectionTrait,
    tenant_id: i64,
) -> Result<Option<permission_group::Model>, DbErr> {
    permission_group::Entity::find()
        .filter(permission_group::Column::TenantId.eq(tenant_id))
        .filter(permission_group::Column::IsDefault.eq(true))
        .one(db)
        .await
}

pub fn company_defaults(default_group_id: i64) -> CompanyDefaults {
    CompanyDefaults {
        permission_group_id: default_group_id,
        recycle_days: DEFAULT_RECYCLE_DAYS,
        claim_quota: DEFAULT_CLAIM_QUOTA,
        sales_stages: DEFAULT_SALES_STAGES.iter().map(|s| s.to_string()).collect(),
    }
}

pub fn group_permissions(group: &permission_group::Model) -> BTreeSet<String> {
    serde_json::from_str::<Vec<String>>(&group.permissions)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

/// What a member may do and which data they see.
pub struct Rights {
    pub permissions: BTreeSet<String>,
    pub scope: DataScope,
    pub headed_departments: Vec<i64>,
}

pub async fn rights_of(db: &impl ConnectionTrait, member: &member::Model) -> Result<Rights, DbErr> {
    let rows = departments(db, member.tenant_id).await?;
    let tree = tree_of(&rows);
    let headed_departments: Vec<i64> = rows
        .iter()
        .filter(|row| row.admin_member_id == Some(member.id))
        .map(|row| row.id)
        .collect();
    let scope = DataScope::for_member(member.id, member.is_owner, &headed_departments, &tree);
    let permissions = if member.is_owner {
        domain::permissions::all_keys().map(str::to_owned).collect()
    } else {
        let Some(default) = default_group(db, member.tenant_id).await? else {
            return Ok(Rights {
                permissions: BTreeSet::new(),
                scope,
                headed_departments,
            });
        };
        let group_id = match member.department_id {
            Some(dept) if tree.contains(dept) => {
                tree.effective_settings(dept, &company_defaults(default.id))
                    .permission_group_id
            }
            _ => default.id,
        };
        if group_id == default.id {
            group_permissions(&default)
        } else {
            permission_group::Entity::find_by_id(group_id)
                .filter(permission_group::Column::TenantId.eq(member.tenant_id))
                .one(db)
                .await?
                .map(|group| group_permissions(&group))
                .unwrap_or_default()
        }
    };
    Ok(Rights {
        permissions,
        scope,
        headed_departments,
    })
}

/// The company's time zone (calls are scheduled and days counted in it); Shanghai when the
/// stored name is unknown.
pub async fn time_zone(db: &impl ConnectionTrait, tenant_id: i64) -> Result<chrono_tz::Tz, DbErr> {
    let company = store::entity::company::Entity::find_by_id(tenant_id)
        .one(db)
        .await?;
    Ok(company
        .and_then(|c| c.time_zone.parse().ok())
        .unwrap_or(chrono_tz::Asia::Shanghai))
}
