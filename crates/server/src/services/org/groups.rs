//! Permission groups (权限组): which menus and actions a department's members may use.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{department, permission_group};
use utoipa::ToSchema;

use super::group_permissions;
use crate::auth::Caller;
use crate::services::{Error, Kind, Result, audit};

#[derive(Serialize, ToSchema)]
pub struct GroupView {
    id: i64,
    name: String,
    description: String,
    permissions: Vec<String>,
    /// The group of members and departments that set none.
    is_default: bool,
    /// Departments that set this group themselves.
    department_count: u64,
    created_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct GroupRequest {
    name: String,
    #[serde(default)]
    description: String,
    permissions: Vec<String>,
}

/// Departments that set a permission group themselves.
async fn department_count(db: &impl ConnectionTrait, tenant_id: i64, group_id: i64) -> Result<u64> {
    Ok(department::Entity::find()
        .filter(department::Column::TenantId.eq(tenant_id))
        .filter(department::Column::PermissionGroupId.eq(group_id))
        .count(db)
        .await?)
}

async fn view(db: &impl ConnectionTrait, row: permission_group::Model) -> Result<GroupView> {
    Ok(GroupView {
        department_count: department_count(db, row.tenant_id, row.id).await?,
        permissions: group_permissions(&row).into_iter().collect(),
        id: row.id,
        name: row.name,
        description: row.description,
        is_default: row.is_default,
        created_at: row.created_at,
    })
}

async fn find(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    id: i64,
) -> Result<permission_group::Model> {
    permission_group::Entity::find_by_id(id)
        .filter(permission_group::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("权限组"))
}

/// The company's permission groups, the default one first.
pub async fn list(db: &DatabaseConnection, tenant_id: i64) -> Result<Vec<GroupView>> {
    let rows = permission_group::Entity::find()
        .filter(permission_group::Column::TenantId.eq(tenant_id))
        .order_by_desc(permission_group::Column::IsDefault)
        .order_by_asc(permission_group::Column::Id)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        views.push(view(db, row).await?);
    }
    Ok(views)
}

/// Validates a group; a non-owner may grant only permissions they hold themselves.
/// Returns the trimmed name and the permissions as stored.
fn check(caller: &Caller, request: &GroupRequest) -> Result<(String, String)> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(Error::validation(
            "name",
            "权限组名称不能为空，且不超过 50 个字",
        ));
    }
    if let Some(unknown) = request
        .permissions
        .iter()
        .find(|key| !domain::permissions::is_known(key))
    {
        return Err(
            Error::invalid("UNKNOWN_PERMISSION", format!("未知的权限：{unknown}"))
                .on_field("permissions"),
        );
    }
    if request.permissions.iter().any(|key| !caller.can(key)) {
        return Err(Error::refused(
            Kind::Forbidden,
            "FORBIDDEN",
            "不能授予自己没有的权限",
        ));
    }
    let mut permissions = request.permissions.clone();
    permissions.sort();
    permissions.dedup();
    Ok((
        name.to_owned(),
        serde_json::to_string(&permissions).map_err(|e| anyhow::anyhow!(e))?,
    ))
}

async fn check_name_free(
    db: &impl ConnectionTrait,
    tenant_id: i64,
    name: &str,
    except: Option<i64>,
) -> Result<()> {
    let mut query = permission_group::Entity::find()
        .filter(permission_group::Column::TenantId.eq(tenant_id))
        .filter(permission_group::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(permission_group::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(Error::conflict("GROUP_NAME_TAKEN", "已有同名权限组").on_field("name"));
    }
    Ok(())
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: GroupRequest,
) -> Result<GroupView> {
    let (name, permissions) = check(caller, &request)?;
    check_name_free(db, caller.tenant(), &name, None).await?;
    let now = Utc::now();
    let txn = store::begin(db).await?;
    let row = permission_group::ActiveModel {
        tenant_id: Set(caller.tenant()),
        name: Set(name),
        description: Set(request.description.trim().to_owned()),
        permissions: Set(permissions.clone()),
        is_default: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::by(&txn, caller, "group.create", row.name.clone(), permissions).await?;
    txn.commit().await?;
    view(db, row).await
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: GroupRequest,
) -> Result<GroupView> {
    let target = find(db, caller.tenant(), id).await?;
    if target.is_default && !caller.member.is_owner {
        // It is every unassigned member's group, across all departments.
        return Err(Error::refused(
            Kind::Forbidden,
            "FORBIDDEN",
            "默认权限组对全企业生效，只有企业所有者可以修改",
        ));
    }
    let (name, permissions) = check(caller, &request)?;
    check_name_free(db, caller.tenant(), &name, Some(id)).await?;
    let mut row = target.into_active_model();
    row.name = Set(name);
    row.description = Set(request.description.trim().to_owned());
    row.permissions = Set(permissions.clone());
    row.updated_at = Set(Utc::now());
    let txn = store::begin(db).await?;
    let row = row.update(&txn).await?;
    audit::by(&txn, caller, "group.update", row.name.clone(), permissions).await?;
    txn.commit().await?;
    view(db, row).await
}

/// Deletes a permission group that no department uses (the default group stays).
pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    let txn = store::begin(db).await?;
    let target = find(&txn, caller.tenant(), id).await?;
    if target.is_default {
        return Err(Error::conflict("DEFAULT_GROUP", "默认权限组不能删除"));
    }
    let used = department_count(&txn, caller.tenant(), id).await?;
    if used > 0 {
        return Err(Error::conflict(
            "GROUP_IN_USE",
            format!("有 {used} 个部门正在使用该权限组，请先修改这些部门的权限组"),
        ));
    }
    permission_group::Entity::delete_by_id(id)
        .filter(permission_group::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(&txn, caller, "group.delete", target.name, "").await?;
    txn.commit().await?;
    Ok(())
}
