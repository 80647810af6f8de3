//! Sub-accounts (子账户): who the caller may see, creating and editing them, disabling them and
//! resetting their password.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use domain::departments::DataScope;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, SqlErr,
};
use serde::{Deserialize, Serialize};
use store::entity::{department, member};
use utoipa::{IntoParams, ToSchema};

use super::identity::{check_identity, check_new_password, check_unique};
use crate::auth::{Caller, password, session};
use crate::files::XLSX_CONTENT_TYPE;
use crate::jobs::import::{self, Accepted};
use crate::jobs::{NewJob, Queued, member_import};
use crate::services::paging::{Page, PageQuery};
use crate::services::search;
use crate::services::{Error, Kind, Result, audit};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    id: i64,
    name: String,
    phone: String,
    email: Option<String>,
    department_id: Option<i64>,
    department_name: Option<String>,
    is_owner: bool,
    is_department_admin: bool,
    /// `active` or `disabled`
    status: String,
    must_change_password: bool,
    created_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
}

/// Department names and admins of a company, to describe members.
struct OrgIndex {
    names: HashMap<i64, String>,
    admins: HashSet<i64>,
}

impl OrgIndex {
    async fn load(db: &impl ConnectionTrait, tenant_id: i64) -> Result<Self> {
        let rows = super::departments(db, tenant_id).await?;
        Ok(Self {
            names: rows.iter().map(|row| (row.id, row.name.clone())).collect(),
            admins: rows.iter().filter_map(|row| row.admin_member_id).collect(),
        })
    }

    fn view(&self, row: member::Model) -> MemberView {
        MemberView {
            id: row.id,
            department_name: row
                .department_id
                .and_then(|id| self.names.get(&id).cloned()),
            is_department_admin: self.admins.contains(&row.id),
            name: row.name,
            phone: row.phone,
            email: row.email,
            department_id: row.department_id,
            is_owner: row.is_owner,
            status: row.status,
            must_change_password: row.must_change_password,
            created_at: row.created_at,
            last_login_at: row.last_login_at,
        }
    }
}

/// The condition limiting members to the caller's data scope.
fn scope_condition(caller: &Caller) -> Condition {
    match &caller.scope {
        DataScope::All => Condition::all(),
        DataScope::Departments(ids) => Condition::any()
            .add(member::Column::DepartmentId.is_in(ids.clone()))
            .add(member::Column::Id.eq(caller.member.id)),
        DataScope::Own(id) => Condition::all().add(member::Column::Id.eq(*id)),
    }
}

/// Loads a member of the caller's company that the caller may see.
async fn find_in_scope(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> Result<member::Model> {
    member::Entity::find_by_id(id)
        .filter(member::Column::TenantId.eq(caller.tenant()))
        .one(db)
        .await?
        .filter(|row| {
            caller
                .scope
                .covers(row.id, row.department_id, caller.member.id)
        })
        .ok_or_else(|| Error::not_found("子账户"))
}

async fn check_department(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Option<i64>,
) -> Result<()> {
    if let Some(id) = id {
        let exists = department::Entity::find_by_id(id)
            .filter(department::Column::TenantId.eq(caller.tenant()))
            .one(db)
            .await?
            .is_some();
        if !exists {
            return Err(
                Error::invalid("UNKNOWN_DEPARTMENT", "部门不存在").on_field("department_id")
            );
        }
    }
    if !caller.scope.may_place_in(id) {
        return Err(Error::refused(
            Kind::Forbidden,
            "FORBIDDEN",
            "只能管理本部门及下级部门的成员",
        ));
    }
    Ok(())
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Name, phone or e-mail contains this.
    q: Option<String>,
    department_id: Option<i64>,
    /// With `department_id`: include sub-departments (default true).
    include_sub: Option<bool>,
    /// `active` or `disabled`.
    status: Option<String>,
}

/// The members the caller may see, owner first.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    query: &ListQuery,
    paging: &PageQuery,
) -> Result<Page<MemberView>> {
    let index = OrgIndex::load(db, caller.tenant()).await?;
    let mut select = member::Entity::find()
        .filter(member::Column::TenantId.eq(caller.tenant()))
        .filter(scope_condition(caller));
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        select = select.filter(
            Condition::any()
                .add(search::contains(member::Column::Name, text))
                .add(search::contains(member::Column::Phone, text))
                .add(search::contains(member::Column::Email, text)),
        );
    }
    if let Some(dept) = query.department_id {
        let ids = if query.include_sub.unwrap_or(true) {
            let rows = super::departments(db, caller.tenant()).await?;
            super::tree_of(&rows).subtree(dept)
        } else {
            vec![dept]
        };
        select = select.filter(member::Column::DepartmentId.is_in(ids));
    }
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(member::Column::Status.eq(status));
    }
    let paginator = select
        .order_by_desc(member::Column::IsOwner)
        .order_by_asc(member::Column::Id)
        .paginate(db, paging.size());
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(paging.index()).await?;
    Ok(Page {
        items: rows.into_iter().map(|row| index.view(row)).collect(),
        total,
    })
}

#[derive(Serialize, ToSchema)]
pub struct MemberOption {
    id: i64,
    name: String,
    department_name: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct PickerQuery {
    /// Name contains this.
    q: Option<String>,
}

/// Up to 50 active colleagues in the caller's data scope.
pub async fn picker(
    db: &DatabaseConnection,
    caller: &Caller,
    query: &PickerQuery,
) -> Result<Vec<MemberOption>> {
    let index = OrgIndex::load(db, caller.tenant()).await?;
    let mut select = member::Entity::find()
        .filter(member::Column::TenantId.eq(caller.tenant()))
        .filter(member::Column::Status.eq("active"))
        .filter(scope_condition(caller));
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        select = select.filter(search::contains(member::Column::Name, text));
    }
    let rows = select
        .order_by_asc(member::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| MemberOption {
            department_name: row
                .department_id
                .and_then(|id| index.names.get(&id).cloned()),
            id: row.id,
            name: row.name,
        })
        .collect())
}

#[derive(Deserialize, ToSchema)]
#[schema(as = MemberCreateRequest)]
pub struct CreateRequest {
    name: String,
    phone: String,
    email: Option<String>,
    department_id: Option<i64>,
    /// Empty: `123456`, to be changed at first login.
    password: Option<String>,
}

/// Creates a sub-account; without a password it gets the initial one, to be changed at first
/// login.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: CreateRequest,
) -> Result<MemberView> {
    let identity = check_identity(&request.name, &request.phone, request.email.as_deref())?;
    check_department(db, caller, request.department_id).await?;
    check_unique(db, &identity, None).await?;
    let (password, must_change) = match request.password.filter(|p| !p.is_empty()) {
        Some(password) => {
            check_new_password(&password).map_err(|e| e.on_field("password"))?;
            (password, false)
        }
        None => (domain::identity::INITIAL_PASSWORD.to_owned(), true),
    };
    let password_hash = password::hash(&password).await?;
    let txn = store::begin(db).await?;
    let row = member::NewMember {
        tenant_id: caller.tenant(),
        name: identity.name,
        phone: identity.phone,
        email: identity.email,
        department_id: request.department_id,
        password_hash,
        must_change_password: must_change,
        is_owner: false,
    }
    .into_active_model(Utc::now())
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        // Another request took the phone since the check above.
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            Error::conflict("PHONE_TAKEN", "该手机号已被使用").on_field("phone")
        }
        _ => e.into(),
    })?;
    commit_audited(db, txn, caller, "member.create", row).await
}

#[derive(Deserialize, ToSchema)]
#[schema(as = MemberUpdateRequest)]
pub struct UpdateRequest {
    name: String,
    phone: String,
    email: Option<String>,
    department_id: Option<i64>,
}

/// Edits a sub-account's name, login phone, e-mail and department; only the owner edits the
/// owner.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: UpdateRequest,
) -> Result<MemberView> {
    let target = find_in_scope(db, caller, id).await?;
    if target.is_owner && !caller.member.is_owner {
        return Err(Error::forbidden());
    }
    let identity = check_identity(&request.name, &request.phone, request.email.as_deref())?;
    if request.department_id != target.department_id {
        check_department(db, caller, request.department_id).await?;
    }
    check_unique(db, &identity, Some(target.id)).await?;
    let mut row = target.into_active_model();
    row.name = Set(identity.name);
    row.phone = Set(identity.phone);
    row.email = Set(identity.email);
    row.department_id = Set(request.department_id);
    row.updated_at = Set(Utc::now());
    let txn = store::begin(db).await?;
    let row = row.update(&txn).await?;
    commit_audited(db, txn, caller, "member.update", row).await
}

/// Sets a sub-account `active` or `disabled`; a disabled one's sessions end. Neither the owner
/// nor oneself can be disabled.
pub async fn set_status(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    status: &str,
) -> Result<MemberView> {
    let target = find_in_scope(db, caller, id).await?;
    if status == "disabled" {
        if target.is_owner {
            return Err(Error::refused(
                Kind::BadRequest,
                "CANNOT_DISABLE_OWNER",
                "不能停用企业主账号",
            ));
        }
        if target.id == caller.member.id {
            return Err(Error::refused(
                Kind::BadRequest,
                "CANNOT_DISABLE_SELF",
                "不能停用自己的账号",
            ));
        }
    }
    let mut row = target.into_active_model();
    row.status = Set(status.to_owned());
    row.updated_at = Set(Utc::now());
    let txn = store::begin(db).await?;
    let row = row.update(&txn).await?;
    if status == "disabled" {
        session::delete_member_sessions(&txn, row.id, None).await?;
    }
    let action = if status == "disabled" {
        "member.disable"
    } else {
        "member.enable"
    };
    commit_audited(db, txn, caller, action, row).await
}

#[derive(Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    /// Empty: `123456`. Either way the member must change it at next login.
    password: Option<String>,
}

/// Resets a sub-account's password (to the initial one when none is given) and ends its
/// sessions; the member must change it at next login.
pub async fn reset_password(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: ResetPasswordRequest,
) -> Result<()> {
    let target = find_in_scope(db, caller, id).await?;
    if target.is_owner && !caller.member.is_owner {
        return Err(Error::forbidden());
    }
    let password = match request.password.filter(|p| !p.is_empty()) {
        Some(password) => {
            check_new_password(&password).map_err(|e| e.on_field("password"))?;
            password
        }
        None => domain::identity::INITIAL_PASSWORD.to_owned(),
    };
    let (name, phone) = (target.name.clone(), target.phone.clone());
    let mut row = target.into_active_model();
    row.password_hash = Set(password::hash(&password).await?);
    row.must_change_password = Set(true);
    row.updated_at = Set(Utc::now());
    let txn = store::begin(db).await?;
    let row = row.update(&txn).await?;
    session::delete_member_sessions(&txn, row.id, None).await?;
    audit::by(
        &txn,
        caller,
        "member.reset_password",
        format!("{name} {phone}"),
        "",
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Stores a checked upload of sub-accounts and queues its import.
pub async fn queue_import(
    state: &AppState,
    caller: &Caller,
    name: &str,
    bytes: &[u8],
) -> Result<Queued> {
    let queued = import::queue(
        state,
        Accepted {
            name,
            content_type: XLSX_CONTENT_TYPE,
            bytes,
        },
        NewJob {
            tenant_id: caller.tenant(),
            member_id: caller.member.id,
            kind: member_import::KIND,
            title: "子账户导入",
            payload: serde_json::json!({}),
        },
    )
    .await?;
    audit::by(
        &state.db,
        caller,
        "member.import",
        name,
        format!("任务 {}", queued.job_id),
    )
    .await?;
    Ok(queued)
}

/// Records `action` on member `row` with the change in `txn`, commits, and answers with the
/// member as the list shows them.
async fn commit_audited(
    db: &DatabaseConnection,
    txn: DatabaseTransaction,
    caller: &Caller,
    action: &str,
    row: member::Model,
) -> Result<MemberView> {
    audit::by(
        &txn,
        caller,
        action,
        format!("{} {}", row.name, row.phone),
        "",
    )
    .await?;
    txn.commit().await?;
    let index = OrgIndex::load(db, caller.tenant()).await?;
    Ok(index.view(row))
}
