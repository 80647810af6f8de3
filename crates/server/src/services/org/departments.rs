//! Departments (部门 / 通讯录): the tree, its order, admins and inherited settings.

use std::collections::HashMap;

use chrono::Utc;
use domain::departments::{DataScope, Tree, TreeError};
use domain::permissions::GROUP_MANAGE;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{department, member, permission_group};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::services::{Error, Kind, Result, audit};

/// Settings a department sets itself; `null` = inherit from the parent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct SettingsView {
    permission_group_id: Option<i64>,
    /// 退回公海时间 (days).
    recycle_days: Option<i32>,
    /// 领用限额.
    claim_quota: Option<i32>,
    /// 销售阶段.
    sales_stages: Option<Vec<String>>,
}

#[derive(Serialize, ToSchema)]
pub struct InheritedView {
    permission_group_id: bool,
    recycle_days: bool,
    claim_quota: bool,
    sales_stages: bool,
}

/// Settings in effect after inheritance.
#[derive(Serialize, ToSchema)]
pub struct EffectiveView {
    permission_group_id: i64,
    permission_group_name: String,
    recycle_days: i32,
    claim_quota: i32,
    sales_stages: Vec<String>,
    /// `true` where the value comes from a parent or the company default.
    inherited: InheritedView,
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentView {
    id: i64,
    parent_id: Option<i64>,
    name: String,
    sort_order: i32,
    admin_user_id: Option<i64>,
    admin_name: Option<String>,
    /// Members directly in this department.
    member_count: u64,
    settings: SettingsView,
    effective: EffectiveView,
}

/// All departments of the company, flat, sorted by parent and order.
pub async fn list(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Vec<DepartmentView>> {
    let mut rows = super::departments(db, tenant_id).await?;
    rows.sort_by_key(|row| (row.parent_id, row.sort_order, row.id));
    let tree = super::tree_of(&rows);
    let groups: HashMap<i64, String> = permission_group::Entity::find()
        .filter(permission_group::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|group| (group.id, group.name))
        .collect();
    let default = super::default_group(db, tenant_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("company {tenant_id} has no default permission group"))?;
    let defaults = super::company_defaults(default.id);
    let members = member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant_id))
        .all(db)
        .await?;
    let names: HashMap<i64, String> = members.iter().map(|m| (m.id, m.name.clone())).collect();
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for dept in members.iter().filter_map(|m| m.department_id) {
        *counts.entry(dept).or_default() += 1;
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let settings = super::settings_of(&row);
            let effective = tree.effective_settings(row.id, &defaults);
            DepartmentView {
                id: row.id,
                parent_id: row.parent_id,
                name: row.name,
                sort_order: row.sort_order,
                admin_user_id: row.admin_member_id,
                admin_name: row.admin_member_id.and_then(|id| names.get(&id).cloned()),
                member_count: counts.get(&row.id).copied().unwrap_or(0),
                settings: SettingsView {
                    permission_group_id: settings.permission_group_id,
                    recycle_days: settings.recycle_days,
                    claim_quota: settings.claim_quota,
                    sales_stages: settings.sales_stages,
                },
                effective: EffectiveView {
                    permission_group_name: groups
                        .get(&effective.permission_group_id)
                        .cloned()
                        .unwrap_or_default(),
                    permission_group_id: effective.permission_group_id,
                    recycle_days: effective.recycle_days,
                    claim_quota: effective.claim_quota,
                    sales_stages: effective.sales_stages,
                    inherited: InheritedView {
                        permission_group_id: effective.inherited.permission_group_id,
                        recycle_days: effective.inherited.recycle_days,
                        claim_quota: effective.inherited.claim_quota,
                        sales_stages: effective.inherited.sales_stages,
                    },
                },
            }
        })
        .collect())
}

async fn view_of(db: &impl ConnectionTrait, tenant_id: i64, id: i64) -> Result<DepartmentView> {
    list(db, tenant_id)
        .await?
        .into_iter()
        .find(|view| view.id == id)
        .ok_or_else(|| Error::not_found("部门"))
}

/// Whether the caller may change this department: the owner any, a department admin only
/// departments below the one they head (never their own, which their superior manages).
fn may_manage(caller: &Caller, tree: &Tree, id: i64) -> bool {
    match &caller.scope {
        DataScope::All => true,
        DataScope::Departments(_) => caller
            .headed_departments
            .iter()
            .any(|&head| head != id && tree.is_within(id, head)),
        DataScope::Own(_) => false,
    }
}

/// Whether the caller may put departments under `parent` (`None`: top level).
fn may_manage_children_of(caller: &Caller, parent: Option<i64>) -> bool {
    match (&caller.scope, parent) {
        (DataScope::All, _) => true,
        (DataScope::Departments(ids), Some(parent)) => ids.contains(&parent),
        _ => false,
    }
}

/// Department `id` among the company's `rows`.
fn find_in(rows: &[department::Model], id: i64) -> Result<department::Model> {
    rows.iter()
        .find(|row| row.id == id)
        .cloned()
        .ok_or_else(|| Error::not_found("部门"))
}

fn outside_scope() -> Error {
    Error::refused(
        Kind::Forbidden,
        "FORBIDDEN",
        "只能管理自己负责部门的下级部门",
    )
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 || name.contains('/') {
        return Err(Error::validation(
            "name",
            "部门名称不能为空，不超过 50 个字，且不能包含 /",
        ));
    }
    Ok(name.to_owned())
}

fn check_sibling_name(
    rows: &[department::Model],
    parent: Option<i64>,
    name: &str,
    except: Option<i64>,
) -> Result<()> {
    let taken = rows
        .iter()
        .any(|row| row.parent_id == parent && row.name == name && Some(row.id) != except);
    if taken {
        return Err(
            Error::conflict("DEPARTMENT_NAME_TAKEN", "同一上级下已有同名部门").on_field("name"),
        );
    }
    Ok(())
}

#[derive(Deserialize, ToSchema)]
#[schema(as = DepartmentCreateRequest)]
pub struct CreateRequest {
    name: String,
    parent_id: Option<i64>,
}

/// Creates a department, last among its siblings.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: CreateRequest,
) -> Result<DepartmentView> {
    let name = check_name(&request.name)?;
    let rows = super::departments(db, caller.tenant()).await?;
    if let Some(parent) = request.parent_id
        && !rows.iter().any(|row| row.id == parent)
    {
        return Err(Error::invalid("UNKNOWN_DEPARTMENT", "上级部门不存在").on_field("parent_id"));
    }
    if !may_manage_children_of(caller, request.parent_id) {
        return Err(outside_scope());
    }
    check_sibling_name(&rows, request.parent_id, &name, None)?;
    let sort_order = rows
        .iter()
        .filter(|row| row.parent_id == request.parent_id)
        .map(|row| row.sort_order + 1)
        .max()
        .unwrap_or(0);
    let txn = store::begin(db).await?;
    let row = department::NewDepartment {
        tenant_id: caller.tenant(),
        parent_id: request.parent_id,
        name: &name,
        sort_order,
        permission_group_id: None,
    }
    .into_active_model(Utc::now())
    .insert(&txn)
    .await?;
    audit::by(&txn, caller, "department.create", row.name.clone(), "").await?;
    txn.commit().await?;
    view_of(db, caller.tenant(), row.id).await
}

#[derive(Deserialize, ToSchema)]
#[schema(as = DepartmentUpdateRequest)]
pub struct UpdateRequest {
    name: String,
    /// 部门管理员; `null` for none.
    admin_user_id: Option<i64>,
    #[serde(default)]
    settings: SettingsView,
}

fn check_settings(settings: &SettingsView) -> Result<Option<String>> {
    if settings
        .recycle_days
        .is_some_and(|days| !(1..=3650).contains(&days))
    {
        return Err(Error::validation(
            "recycle_days",
            "退回公海时间应为 1 到 3650 天",
        ));
    }
    if settings
        .claim_quota
        .is_some_and(|quota| !(0..=100_000).contains(&quota))
    {
        return Err(Error::validation("claim_quota", "领用限额应为 0 到 100000"));
    }
    let Some(stages) = &settings.sales_stages else {
        return Ok(None);
    };
    let stages: Vec<String> = stages.iter().map(|s| s.trim().to_owned()).collect();
    let mut unique = stages.clone();
    unique.sort();
    unique.dedup();
    if stages.is_empty()
        || stages.len() > 20
        || unique.len() != stages.len()
        || stages
            .iter()
            .any(|s| s.is_empty() || s.chars().count() > 20)
    {
        return Err(Error::validation(
            "sales_stages",
            "销售阶段为 1 到 20 个不重复的名称，每个不超过 20 个字",
        ));
    }
    Ok(Some(
        serde_json::to_string(&stages).map_err(|e| anyhow::anyhow!(e))?,
    ))
}

/// Renames a department, sets its admin, and sets or clears (inherits) its settings; changing
/// its permission group needs the right to manage groups.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: UpdateRequest,
) -> Result<DepartmentView> {
    let rows = super::departments(db, caller.tenant()).await?;
    let target = find_in(&rows, id)?;
    if !may_manage(caller, &super::tree_of(&rows), id) {
        return Err(outside_scope());
    }
    let name = check_name(&request.name)?;
    check_sibling_name(&rows, target.parent_id, &name, Some(id))?;
    let stages_json = check_settings(&request.settings)?;
    if let Some(admin) = request.admin_user_id {
        let exists = member::Entity::find_by_id(admin)
            .filter(member::Column::TenantId.eq(caller.tenant()))
            .one(db)
            .await?
            .is_some();
        if !exists {
            return Err(
                Error::invalid("UNKNOWN_MEMBER", "部门管理员不存在").on_field("admin_user_id")
            );
        }
    }
    let group = request.settings.permission_group_id;
    if group != target.permission_group_id {
        // Granting rights is a permission-group matter, not a department one.
        if !caller.can(GROUP_MANAGE) {
            return Err(Error::forbidden());
        }
        if let Some(group) = group {
            let exists = permission_group::Entity::find_by_id(group)
                .filter(permission_group::Column::TenantId.eq(caller.tenant()))
                .one(db)
                .await?
                .is_some();
            if !exists {
                return Err(Error::invalid("UNKNOWN_PERMISSION_GROUP", "权限组不存在")
                    .on_field("permission_group_id"));
            }
        }
    }
    let mut row = target.into_active_model();
    row.name = Set(name);
    row.admin_member_id = Set(request.admin_user_id);
    row.permission_group_id = Set(group);
    row.recycle_days = Set(request.settings.recycle_days);
    row.claim_quota = Set(request.settings.claim_quota);
    row.sales_stages = Set(stages_json);
    row.updated_at = Set(Utc::now());
    let txn = store::begin(db).await?;
    let row = row.update(&txn).await?;
    let detail = serde_json::to_string(&request.settings).unwrap_or_default();
    audit::by(&txn, caller, "department.update", row.name.clone(), detail).await?;
    txn.commit().await?;
    view_of(db, caller.tenant(), id).await
}

#[derive(Deserialize, ToSchema)]
#[schema(as = DepartmentMoveRequest)]
pub struct MoveRequest {
    /// New parent; `null` for the top level.
    parent_id: Option<i64>,
    /// Position among the new siblings, from 0.
    index: usize,
}

/// Moves a department under another parent and/or to another position, renumbering its new
/// siblings; answers the whole list.
pub async fn move_to(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: MoveRequest,
) -> Result<Vec<DepartmentView>> {
    let rows = super::departments(db, caller.tenant()).await?;
    let tree = super::tree_of(&rows);
    let target = find_in(&rows, id)?;
    tree.check_move(id, request.parent_id)
        .map_err(|error| match error {
            TreeError::Cycle => {
                Error::invalid("DEPARTMENT_CYCLE", "不能把部门移动到它自己或它的下级部门下")
            }
            TreeError::Unknown(_) => {
                Error::invalid("UNKNOWN_DEPARTMENT", "上级部门不存在").on_field("parent_id")
            }
        })?;
    if !may_manage(caller, &tree, id) || !may_manage_children_of(caller, request.parent_id) {
        return Err(outside_scope());
    }
    check_sibling_name(&rows, request.parent_id, &target.name, Some(id))?;
    let mut siblings: Vec<&department::Model> = rows
        .iter()
        .filter(|row| row.parent_id == request.parent_id && row.id != id)
        .collect();
    siblings.sort_by_key(|row| (row.sort_order, row.id));
    let mut order: Vec<i64> = siblings.iter().map(|row| row.id).collect();
    order.insert(request.index.min(order.len()), id);
    let now = Utc::now();
    let txn = store::begin(db).await?;
    for (position, dept) in order.iter().enumerate() {
        let mut update = department::Entity::update_many()
            .col_expr(
                department::Column::SortOrder,
                Expr::value(i32::try_from(position).unwrap_or(i32::MAX)),
            )
            .col_expr(department::Column::UpdatedAt, Expr::value(now));
        if *dept == id {
            update = update.col_expr(department::Column::ParentId, Expr::value(request.parent_id));
        }
        update
            .filter(department::Column::Id.eq(*dept))
            .filter(department::Column::TenantId.eq(caller.tenant()))
            .exec(&txn)
            .await?;
    }
    audit::by(
        &txn,
        caller,
        "department.move",
        target.name.clone(),
        format!("上级部门 {:?}，位置 {}", request.parent_id, request.index),
    )
    .await?;
    txn.commit().await?;
    list(db, caller.tenant()).await
}

/// Deletes a department without sub-departments; its members are released (no department).
pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<()> {
    let rows = super::departments(db, caller.tenant()).await?;
    let target = find_in(&rows, id)?;
    if !may_manage(caller, &super::tree_of(&rows), id) {
        return Err(outside_scope());
    }
    if rows.iter().any(|row| row.parent_id == Some(id)) {
        return Err(Error::conflict(
            "DEPARTMENT_HAS_CHILDREN",
            "请先删除或移走该部门的下级部门",
        ));
    }
    let txn = store::begin(db).await?;
    let released = member::Entity::update_many()
        .col_expr(
            member::Column::DepartmentId,
            Expr::value(Option::<i64>::None),
        )
        .filter(member::Column::DepartmentId.eq(id))
        .filter(member::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    department::Entity::delete_by_id(id)
        .filter(department::Column::TenantId.eq(caller.tenant()))
        .exec(&txn)
        .await?;
    audit::by(
        &txn,
        caller,
        "department.delete",
        target.name,
        format!("释放成员 {} 人", released.rows_affected),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
