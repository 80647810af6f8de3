//! What one logs in with: a member's name, login phone and e-mail (their format, and that no
//! one else logs in with them), and the strength of a new password.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use store::entity::member;

use crate::services::{Error, Result};

/// Validated name, phone and e-mail of a member, as given in a form or a sheet.
pub struct Identity {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
}

pub fn check_identity(name: &str, phone: &str, email: Option<&str>) -> Result<Identity> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(Error::validation("name", "姓名不能为空，且不超过 50 个字"));
    }
    let phone = domain::identity::normalize_mobile(phone).ok_or_else(|| {
        Error::invalid("INVALID_PHONE", "手机号格式不正确，请输入 11 位手机号").on_field("phone")
    })?;
    let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
        Some(email) if domain::identity::is_valid_email(email) => Some(email.to_lowercase()),
        Some(_) => {
            return Err(Error::invalid("INVALID_EMAIL", "邮箱格式不正确").on_field("email"));
        }
        None => None,
    };
    Ok(Identity {
        name: name.to_owned(),
        phone,
        email,
    })
}

/// Refuses a phone or e-mail that another member already uses (in any company: both log in).
pub async fn check_unique(
    db: &impl ConnectionTrait,
    identity: &Identity,
    except_member: Option<i64>,
) -> Result<()> {
    let mut phone_query = member::Entity::find().filter(member::Column::Phone.eq(&identity.phone));
    if let Some(id) = except_member {
        phone_query = phone_query.filter(member::Column::Id.ne(id));
    }
    if phone_query.one(db).await?.is_some() {
        return Err(Error::conflict("PHONE_TAKEN", "该手机号已被使用").on_field("phone"));
    }
    if let Some(email) = &identity.email {
        let mut email_query = member::Entity::find().filter(member::Column::Email.eq(email));
        if let Some(id) = except_member {
            email_query = email_query.filter(member::Column::Id.ne(id));
        }
        if email_query.one(db).await?.is_some() {
            return Err(Error::conflict("EMAIL_TAKEN", "该邮箱已被使用").on_field("email"));
        }
    }
    Ok(())
}

/// A new password's strength (members and operators alike); the refusal names
/// `new_password`, which a form with another field name replaces.
pub fn check_new_password(password: &str) -> Result<()> {
    use domain::identity::WeakPassword;
    domain::identity::check_password_strength(password).map_err(|weak| {
        let message = match weak {
            WeakPassword::TooShort => "密码至少 8 位",
            WeakPassword::TooLong => "密码不能超过 128 位",
            WeakPassword::NeedsLettersAndDigits => "密码需同时包含字母和数字",
        };
        Error::invalid("WEAK_PASSWORD", message).on_field("new_password")
    })
}
