//! One's own account: logging in as a member, the profile and password, and the company's info
//! that its owner edits.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use store::entity::{company, department, member};
use utoipa::ToSchema;

use super::identity::{check_identity, check_new_password, check_unique};
use crate::auth::{Caller, password, session};
use crate::services::{Error, Kind, Result, audit};

#[derive(Serialize, ToSchema)]
pub struct CompanyView {
    id: i64,
    name: String,
    contact_name: String,
    contact_phone: String,
    address: String,
    /// `active` or `suspended`
    status: String,
}

impl From<&company::Model> for CompanyView {
    fn from(row: &company::Model) -> Self {
        Self {
            id: row.id,
            name: row.name.clone(),
            contact_name: row.contact_name.clone(),
            contact_phone: row.contact_phone.clone(),
            address: row.address.clone(),
            status: row.status.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberMe {
    id: i64,
    name: String,
    phone: String,
    email: Option<String>,
    avatar_url: Option<String>,
    is_owner: bool,
    is_department_admin: bool,
    department_id: Option<i64>,
    department_name: Option<String>,
    must_change_password: bool,
    popup_enabled: bool,
    permissions: Vec<String>,
    company: CompanyView,
}

/// The calling member as they see themselves, with their department's name.
pub async fn me(db: &DatabaseConnection, caller: &Caller) -> Result<MemberMe> {
    let member = &caller.member;
    let department_name = match member.department_id {
        Some(id) => department::Entity::find_by_id(id)
            .filter(department::Column::TenantId.eq(member.tenant_id))
            .one(db)
            .await?
            .map(|row| row.name),
        None => None,
    };
    Ok(MemberMe {
        id: member.id,
        name: member.name.clone(),
        phone: member.phone.clone(),
        email: member.email.clone(),
        avatar_url: member.avatar_file_id.map(|id| format!("/api/files/{id}")),
        is_owner: member.is_owner,
        is_department_admin: !caller.headed_departments.is_empty(),
        department_id: member.department_id,
        department_name,
        must_change_password: member.must_change_password,
        popup_enabled: member.popup_enabled,
        permissions: caller.permissions.iter().cloned().collect(),
        company: (&caller.company).into(),
    })
}

async fn caller_for(
    db: &impl ConnectionTrait,
    member: member::Model,
    session_id: i64,
    ip: &str,
) -> Result<Caller> {
    let company = company::Entity::find_by_id(member.tenant_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("member {} has no company", member.id))?;
    let rights = super::rights_of(db, &member).await?;
    Ok(Caller {
        member,
        company,
        permissions: rights.permissions,
        scope: rights.scope,
        headed_departments: rights.headed_departments,
        session_id,
        ip: ip.to_owned(),
    })
}

/// Audits a wrong password given for a member's login.
pub async fn failed_login(db: &DatabaseConnection, member: &member::Model, ip: &str) -> Result<()> {
    audit::record(
        db,
        audit::Entry {
            tenant_id: member.tenant_id,
            actor: Some((member.id, &member.name)),
            action: "login_failed",
            target: member.phone.clone(),
            detail: "密码错误".to_owned(),
            ip,
        },
    )
    .await?;
    Ok(())
}

/// Logs in a member whose password was right, unless they or their company are disabled;
/// answers the caller they become (without a session yet).
pub async fn member_login(
    db: &DatabaseConnection,
    member: member::Model,
    ip: &str,
) -> Result<Caller> {
    if member.status != "active" {
        return Err(Error::refused(
            Kind::Forbidden,
            "ACCOUNT_DISABLED",
            "账号已停用，请联系管理员",
        ));
    }
    let mut row = member.into_active_model();
    row.last_login_at = Set(Some(Utc::now()));
    let txn = store::begin(db).await?;
    let member = row.update(&txn).await?;
    let caller = caller_for(&txn, member, 0, ip).await?;
    if caller.company.status != "active" {
        // The refused login still counts as the member's last one, as it always has.
        txn.commit().await?;
        return Err(Error::refused(
            Kind::Forbidden,
            "COMPANY_SUSPENDED",
            "企业账号已被暂停，请联系平台运营",
        ));
    }
    audit::by(&txn, &caller, "login", caller.member.phone.clone(), "").await?;
    txn.commit().await?;
    Ok(caller)
}

/// Saves a change to one's own account with its audit entry, and answers with the new self.
async fn change_self(
    db: &DatabaseConnection,
    caller: Caller,
    row: member::ActiveModel,
    action: &str,
) -> Result<MemberMe> {
    let txn = store::begin(db).await?;
    let member = row.update(&txn).await?;
    audit::by(&txn, &caller, action, member.phone.clone(), "").await?;
    txn.commit().await?;
    let caller = Caller { member, ..caller };
    me(db, &caller).await
}

#[derive(Deserialize, ToSchema)]
pub struct ProfileRequest {
    name: String,
    /// The login phone; changing it changes the login.
    phone: String,
    email: Option<String>,
    /// Pop-up notifications (弹屏提醒).
    popup_enabled: bool,
}

/// Changes one's own name, login phone, e-mail and pop-up setting.
pub async fn update_profile(
    db: &DatabaseConnection,
    caller: Caller,
    request: ProfileRequest,
) -> Result<MemberMe> {
    let identity = check_identity(&request.name, &request.phone, request.email.as_deref())?;
    check_unique(db, &identity, Some(caller.member.id)).await?;
    let mut row = caller.member.clone().into_active_model();
    row.name = Set(identity.name);
    row.phone = Set(identity.phone);
    row.email = Set(identity.email);
    row.popup_enabled = Set(request.popup_enabled);
    row.updated_at = Set(Utc::now());
    change_self(db, caller, row, "profile.update").await
}

/// Makes a stored image one's avatar.
pub async fn set_avatar(db: &DatabaseConnection, caller: Caller, file_id: i64) -> Result<MemberMe> {
    let mut row = caller.member.clone().into_active_model();
    row.avatar_file_id = Set(Some(file_id));
    row.updated_at = Set(Utc::now());
    change_self(db, caller, row, "profile.avatar").await
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordRequest {
    old_password: String,
    new_password: String,
}

/// Changes one's own password, given the old one; the account's other sessions end.
pub async fn change_password(
    db: &DatabaseConnection,
    caller: &Caller,
    request: PasswordRequest,
) -> Result<()> {
    if !password::verify(&request.old_password, &caller.member.password_hash).await {
        return Err(
            Error::refused(Kind::BadRequest, "WRONG_PASSWORD", "原密码不正确")
                .on_field("old_password"),
        );
    }
    if request.old_password == request.new_password {
        return Err(
            Error::invalid("SAME_PASSWORD", "新密码不能与原密码相同").on_field("new_password")
        );
    }
    check_new_password(&request.new_password)?;
    let mut row = caller.member.clone().into_active_model();
    row.password_hash = Set(password::hash(&request.new_password).await?);
    row.must_change_password = Set(false);
    row.updated_at = Set(Utc::now());
    let txn = store::begin(db).await?;
    row.update(&txn).await?;
    session::delete_member_sessions(&txn, caller.member.id, Some(caller.session_id)).await?;
    audit::by(
        &txn,
        caller,
        "password.change",
        caller.member.phone.clone(),
        "",
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Deserialize, ToSchema)]
pub struct CompanyRequest {
    name: String,
    contact_name: String,
    contact_phone: String,
    address: String,
}

/// Edits the caller's company's info; its name must be unique among companies.
pub async fn update_company(
    db: &DatabaseConnection,
    caller: &Caller,
    request: CompanyRequest,
) -> Result<CompanyView> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::validation(
            "name",
            "企业名称不能为空，且不超过 100 个字",
        ));
    }
    let taken = company::Entity::find()
        .filter(company::Column::Name.eq(name))
        .filter(company::Column::Id.ne(caller.tenant()))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(Error::conflict("COMPANY_NAME_TAKEN", "企业名称已存在").on_field("name"));
    }
    let mut row = caller.company.clone().into_active_model();
    row.name = Set(name.to_owned());
    row.contact_name = Set(request.contact_name.trim().to_owned());
    row.contact_phone = Set(request.contact_phone.trim().to_owned());
    row.address = Set(request.address.trim().to_owned());
    row.updated_at = Set(Utc::now());
    let txn = store::begin(db).await?;
    let company = row.update(&txn).await?;
    audit::by(&txn, caller, "company.update", company.name.clone(), "").await?;
    txn.commit().await?;
    Ok((&company).into())
}
