//! Server-side sessions: a random token in an HttpOnly cookie (only its hash is stored) and a
//! CSRF token the console echoes in a header on every write.

use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use store::entity::session;

pub const SESSION_COOKIE: &str = "voxdial_session";
pub const CSRF_COOKIE: &str = "voxdial_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
const LIFETIME_DAYS: i64 = 7;

/// Who the session belongs to.
pub enum Owner {
    Member(i64),
    Operator(i64),
}

pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub async fn create(db: &DatabaseConnection, owner: Owner, ip: &str) -> Result<NewSession, DbErr> {
    let token = random_token(32);
    let csrf_token = random_token(16);
    let (member_id, operator_id) = match owner {
        Owner::Member(id) => (Some(id), None),
        Owner::Operator(id) => (None, Some(id)),
    };
    let now = Utc::now();
    // Logins are rare next to requests: a good moment to drop sessions that ran out.
    session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    session::ActiveModel {
        token_hash: Set(hash_token(&token)),
        member_id: Set(member_id),
        operator_id: Set(operator_id),
        csrf_token: Set(csrf_token.clone()),
        ip: Set(ip.to_owned()),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(LIFETIME_DAYS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(NewSession { token, csrf_token })
}

/// The live session for a cookie token, if any.
pub async fn find(db: &DatabaseConnection, token: &str) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::TokenHash.eq(hash_token(token)))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await
}

pub async fn delete(db: &DatabaseConnection, id: i64) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Ends every session of a member but one (after a password change or reset).
pub async fn delete_member_sessions(
    db: &impl sea_orm::ConnectionTrait,
    member_id: i64,
    keep: Option<i64>,
) -> Result<(), DbErr> {
    let mut query = session::Entity::delete_many().filter(session::Column::MemberId.eq(member_id));
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(keep));
    }
    query.exec(db).await?;
    Ok(())
}

/// Whether cookies must carry `Secure`: configured, or the request came through HTTPS.
pub fn wants_secure(headers: &HeaderMap, configured: bool) -> bool {
    configured
        || headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time_days(LIFETIME_DAYS))
        .build()
}

/// Readable by the console's script, which copies it into the CSRF header.
pub fn csrf_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((CSRF_COOKIE, token))
        .path("/")
        .http_only(false)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(time_days(LIFETIME_DAYS))
        .build()
}

pub fn removal(name: &'static str) -> Cookie<'static> {
    Cookie::build((name, "")).path("/").build()
}

fn time_days(days: i64) -> time::Duration {
    time::Duration::days(days)
}
