//! The platform's companies: creating one (the tenant, its default permission group, its
//! owner and what it needs to call: simulated line, balance, default blacklist group,
//! together), and the operator's list of them with suspending and resuming.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use store::entity::{balance, blacklist_group, company, line, member, permission_group};
use utoipa::ToSchema;

use crate::auth::password;
use crate::services::{Error, Result};

pub struct NewCompany {
    pub name: String,
    pub admin_name: String,
    pub admin_phone: String,
    /// `None`: the initial password, to be changed at first login.
    pub admin_password: Option<String>,
}

pub struct CreatedCompany {
    pub company: company::Model,
    pub owner: member::Model,
    pub default_group: permission_group::Model,
}

pub async fn create(db: &DatabaseConnection, new: NewCompany) -> Result<CreatedCompany> {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::validation(
            "name",
            "企业名称不能为空，且不超过 100 个字",
        ));
    }
    let admin_name = new.admin_name.trim().to_owned();
    if admin_name.is_empty() {
        return Err(Error::validation("admin_name", "管理员姓名不能为空"));
    }
    let phone = domain::identity::normalize_mobile(&new.admin_phone).ok_or_else(|| {
        Error::invalid("INVALID_PHONE", "手机号格式不正确").on_field("admin_phone")
    })?;
    let (password, must_change) = match new.admin_password.filter(|p| !p.is_empty()) {
        Some(password) => {
            crate::services::org::identity::check_new_password(&password)?;
            (password, false)
        }
        None => (domain::identity::INITIAL_PASSWORD.to_owned(), true),
    };
    if company::Entity::find()
        .filter(company::Column::Name.eq(&name))
        .one(db)
        .await?
        .is_some()
    {
        return Err(Error::conflict("COMPANY_NAME_TAKEN", "企业名称已存在"));
    }
    if member::Entity::find()
        .filter(member::Column::Phone.eq(&phone))
        .one(db)
        .await?
        .is_some()
    {
        return Err(Error::conflict("PHONE_TAKEN", "该手机号已被注册").on_field("admin_phone"));
    }
    let password_hash = password::hash(&password).await?;
    let now = Utc::now();
    let txn = store::begin(db).await?;
    let company = company::ActiveModel {
        name: Set(name),
        status: Set("active".to_owned()),
        contact_name: Set(admin_name.clone()),
        contact_phone: Set(phone.clone()),
        address: Set(String::new()),
        time_zone: Set("Asia/Shanghai".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let default_group = permission_group::ActiveModel {
        tenant_id: Set(company.id),
        name: Set("默认权限组".to_owned()),
        description: Set("未单独设置权限组的部门和成员使用此权限组".to_owned()),
        permissions: Set(
            serde_json::to_string(domain::permissions::DEFAULT_GROUP_KEYS)
                .unwrap_or_else(|_| "[]".to_owned()),
        ),
        is_default: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let owner = member::NewMember {
        tenant_id: company.id,
        name: admin_name,
        phone,
        email: None,
        department_id: None,
        password_hash,
        must_change_password: must_change,
        is_owner: true,
    }
    .into_active_model(now)
    .insert(&txn)
    .await?;
    provision_calling(&txn, company.id).await?;
    txn.commit().await?;
    Ok(CreatedCompany {
        company,
        owner,
        default_group,
    })
}

/// What every company has for calling from the start: the simulated line (模拟线路) to try
/// the product on, a zero balance the operator tops up, and the default blacklist group.
async fn provision_calling(db: &impl ConnectionTrait, tenant_id: i64) -> Result<()> {
    let now = Utc::now();
    line::ActiveModel {
        tenant_id: Set(Some(tenant_id)),
        kind: Set("simulated".to_owned()),
        name: Set("模拟线路".to_owned()),
        settings: Set("{}".to_owned()),
        secret: Set(String::new()),
        max_concurrency: Set(SIMULATED_LINE_CONCURRENCY),
        calls_per_second: Set(50),
        // 0.06 元 a minute, billed per minute: the simulated calls cost what a cheap trunk does.
        price_mfen_per_minute: Set(6_000),
        billing_increment_s: Set(60),
        status: Set("active".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    balance::ActiveModel {
        tenant_id: Set(tenant_id),
        balance_mfen: Set(0),
        overdraft_mfen: Set(0),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    blacklist_group::ActiveModel {
        tenant_id: Set(tenant_id),
        name: Set("默认分组".to_owned()),
        is_default: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Calls the simulated line carries at once for one company.
pub const SIMULATED_LINE_CONCURRENCY: i32 = 1_000;

#[derive(Serialize, ToSchema)]
pub struct CompanyRow {
    id: i64,
    name: String,
    /// `active` or `suspended`
    status: String,
    contact_name: String,
    contact_phone: String,
    address: String,
    owner_name: Option<String>,
    owner_phone: Option<String>,
    member_count: u64,
    balance_mfen: i64,
    overdraft_mfen: i64,
    created_at: DateTime<Utc>,
}

async fn rows(db: &DatabaseConnection, only: Option<i64>) -> Result<Vec<CompanyRow>> {
    let mut query = company::Entity::find().order_by_asc(company::Column::Id);
    if let Some(id) = only {
        query = query.filter(company::Column::Id.eq(id));
    }
    let companies = query.all(db).await?;
    let ids: Vec<i64> = companies.iter().map(|c| c.id).collect();
    let balances: HashMap<i64, balance::Model> = balance::Entity::find()
        .filter(balance::Column::TenantId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.tenant_id, b))
        .collect();
    let members = member::Entity::find()
        .filter(member::Column::TenantId.is_in(ids))
        .all(db)
        .await?;
    let mut counts: HashMap<i64, u64> = HashMap::new();
    let mut owners: HashMap<i64, &member::Model> = HashMap::new();
    for row in &members {
        *counts.entry(row.tenant_id).or_default() += 1;
        if row.is_owner {
            owners.insert(row.tenant_id, row);
        }
    }
    Ok(companies
        .into_iter()
        .map(|c| CompanyRow {
            owner_name: owners.get(&c.id).map(|o| o.name.clone()),
            owner_phone: owners.get(&c.id).map(|o| o.phone.clone()),
            member_count: counts.get(&c.id).copied().unwrap_or(0),
            balance_mfen: balances.get(&c.id).map_or(0, |b| b.balance_mfen),
            overdraft_mfen: balances.get(&c.id).map_or(0, |b| b.overdraft_mfen),
            id: c.id,
            name: c.name,
            status: c.status,
            contact_name: c.contact_name,
            contact_phone: c.contact_phone,
            address: c.address,
            created_at: c.created_at,
        })
        .collect())
}

/// Every company on the platform, oldest first.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<CompanyRow>> {
    rows(db, None).await
}

pub async fn row(db: &DatabaseConnection, id: i64) -> Result<CompanyRow> {
    rows(db, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Error::not_found("企业"))
}

/// Suspends a company: its members can no longer use the platform.
pub async fn suspend(db: &DatabaseConnection, id: i64) -> Result<CompanyRow> {
    set_status(db, id, "suspended").await
}

/// Resumes a suspended company.
pub async fn resume(db: &DatabaseConnection, id: i64) -> Result<CompanyRow> {
    set_status(db, id, "active").await
}

async fn set_status(db: &DatabaseConnection, id: i64, status: &str) -> Result<CompanyRow> {
    let row = company::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("企业"))?;
    let mut row = row.into_active_model();
    row.status = Set(status.to_owned());
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    self::row(db, id).await
}
