//! Finding accounts by login name, and the account changes the CLI also needs.

use axum::http::StatusCode;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};
use store::entity::{member, operator};

use super::password;
use crate::error::{ApiError, ApiResult};
use crate::services;

/// A login name resolved to an account.
pub enum Account {
    Member(member::Model),
    Operator(operator::Model),
}

/// Members log in with their phone (any usual spelling) or e-mail; operators with their login.
pub async fn find_by_login(db: &DatabaseConnection, login: &str) -> ApiResult<Option<Account>> {
    let login = login.trim();
    let member = if let Some(phone) = domain::identity::normalize_mobile(login) {
        member::Entity::find()
            .filter(member::Column::Phone.eq(phone))
            .one(db)
            .await?
    } else if login.contains('@') {
        member::Entity::find()
            .filter(member::Column::Email.eq(login.to_lowercase()))
            .one(db)
            .await?
    } else {
        None
    };
    if let Some(member) = member {
        return Ok(Some(Account::Member(member)));
    }
    Ok(operator::Entity::find()
        .filter(operator::Column::Login.eq(login))
        .one(db)
        .await?
        .map(Account::Operator))
}

pub fn check_new_password(password: &str) -> services::Result<()> {
    use domain::identity::WeakPassword;
    domain::identity::check_password_strength(password).map_err(|weak| {
        let message = match weak {
            WeakPassword::TooShort => "密码至少 8 位",
            WeakPassword::TooLong => "密码不能超过 128 位",
            WeakPassword::NeedsLettersAndDigits => "密码需同时包含字母和数字",
        };
        services::Error::invalid("WEAK_PASSWORD", message).on_field("new_password")
    })
}

pub async fn create_operator(
    db: &DatabaseConnection,
    login: &str,
    name: &str,
    password: &str,
) -> ApiResult<operator::Model> {
    check_new_password(password)?;
    let login = login.trim();
    if login.is_empty()
        || login.contains('@')
        || domain::identity::normalize_mobile(login).is_some()
    {
        return Err(ApiError::validation(
            "login",
            "运营账号不能为空，且不能是手机号或邮箱",
        ));
    }
    let existing = operator::Entity::find()
        .filter(operator::Column::Login.eq(login))
        .one(db)
        .await?;
    if existing.is_some() {
        return Err(ApiError::conflict("LOGIN_TAKEN", "该运营账号已存在"));
    }
    Ok(operator::ActiveModel {
        login: Set(login.to_owned()),
        name: Set(name.trim().to_owned()),
        password_hash: Set(password::hash(password).await?),
        must_change_password: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn reset_password_by_login(
    db: &DatabaseConnection,
    login: &str,
    new_password: &str,
) -> ApiResult<()> {
    check_new_password(new_password)?;
    let hash = password::hash(new_password).await?;
    match find_by_login(db, login).await? {
        Some(Account::Member(member)) => {
            let id = member.id;
            let mut row = member.into_active_model();
            row.password_hash = Set(hash);
            row.must_change_password = Set(false);
            row.updated_at = Set(Utc::now());
            row.update(db).await?;
            super::session::delete_member_sessions(db, id, None).await?;
        }
        Some(Account::Operator(operator)) => {
            let mut row = operator.into_active_model();
            row.password_hash = Set(hash);
            row.update(db).await?;
        }
        None => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                format!("账号 {login} 不存在"),
            ));
        }
    }
    Ok(())
}
