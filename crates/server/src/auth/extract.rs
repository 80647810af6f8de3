//! Request extractors: a handler that takes [`Caller`] runs only for a logged-in member of an
//! active company, after the CSRF check, and knows the caller's rights and data scope.

use std::collections::BTreeSet;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum_extra::extract::CookieJar;
use domain::departments::DataScope;
use sea_orm::EntityTrait;
use store::entity::{company, member, operator, session};

use super::session::{self as sessions, CSRF_HEADER, SESSION_COOKIE};
use crate::error::{ApiError, ApiResult};
use crate::services::org;
use crate::state::AppState;

/// The caller's network address, for the audit log and login limits.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(client_ip(parts)))
    }
}

fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A logged-in member of an active company.
#[derive(Clone, Debug)]
pub struct Caller {
    pub member: member::Model,
    pub company: company::Model,
    pub permissions: BTreeSet<String>,
    pub scope: DataScope,
    pub headed_departments: Vec<i64>,
    pub session_id: i64,
    pub ip: String,
}

impl Caller {
    pub fn tenant(&self) -> i64 {
        self.company.id
    }

    pub fn can(&self, permission: &str) -> bool {
        self.permissions.contains(permission)
    }

    pub fn require(&self, permission: &str) -> ApiResult<()> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// Any one of these permissions will do (e.g. view or manage).
    pub fn require_any(&self, permissions: &[&str]) -> ApiResult<()> {
        if permissions.iter().any(|p| self.can(p)) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    pub fn require_owner(&self) -> ApiResult<()> {
        if self.member.is_owner {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }
}

/// A logged-in platform operator.
#[derive(Clone, Debug)]
pub struct OperatorCaller {
    pub operator: operator::Model,
    pub session_id: i64,
    pub ip: String,
}

/// Either kind of logged-in user (for `/api/me` and logout).
#[derive(Clone, Debug)]
pub enum Principal {
    Member(Box<Caller>),
    Operator(OperatorCaller),
}

/// Paths a member who must change the password may still use.
const ALLOWED_BEFORE_PASSWORD_CHANGE: &[(Method, &str)] = &[
    (Method::GET, "/api/me"),
    (Method::POST, "/api/me/password"),
    (Method::POST, "/api/auth/logout"),
];

async fn load_session(parts: &Parts, state: &AppState) -> ApiResult<session::Model> {
    let jar = CookieJar::from_headers(&parts.headers);
    let token = jar
        .get(SESSION_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .ok_or_else(ApiError::unauthenticated)?;
    let session = sessions::find(&state.db, &token)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let header = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok());
        if header != Some(session.csrf_token.as_str()) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "CSRF_FAILED",
                "请求校验失败，请刷新页面后重试",
            ));
        }
    }
    Ok(session)
}

async fn resolve(parts: &Parts, state: &AppState) -> ApiResult<Principal> {
    let session = load_session(parts, state).await?;
    let ip = client_ip(parts);
    if let Some(operator_id) = session.operator_id {
        let operator = operator::Entity::find_by_id(operator_id)
            .one(&state.db)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        return Ok(Principal::Operator(OperatorCaller {
            operator,
            session_id: session.id,
            ip,
        }));
    }
    let member_id = session.member_id.ok_or_else(ApiError::unauthenticated)?;
    let member = member::Entity::find_by_id(member_id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    if member.status != "active" {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ACCOUNT_DISABLED",
            "账号已停用，请联系管理员",
        ));
    }
    let company = company::Entity::find_by_id(member.tenant_id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    if company.status != "active" {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "COMPANY_SUSPENDED",
            "企业账号已被暂停，请联系平台运营",
        ));
    }
    if member.must_change_password
        && !ALLOWED_BEFORE_PASSWORD_CHANGE
            .iter()
            .any(|(method, path)| parts.method == *method && parts.uri.path() == *path)
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "PASSWORD_CHANGE_REQUIRED",
            "首次登录请先修改初始密码",
        ));
    }
    let rights = org::rights_of(&state.db, &member).await?;
    Ok(Principal::Member(Box::new(Caller {
        member,
        company,
        permissions: rights.permissions,
        scope: rights.scope,
        headed_departments: rights.headed_departments,
        session_id: session.id,
        ip,
    })))
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        resolve(parts, state).await
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        match resolve(parts, state).await? {
            Principal::Member(caller) => Ok(*caller),
            Principal::Operator(_) => Err(ApiError::forbidden()),
        }
    }
}

impl FromRequestParts<AppState> for OperatorCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        match resolve(parts, state).await? {
            Principal::Operator(operator) => Ok(operator),
            Principal::Member(_) => Err(ApiError::forbidden()),
        }
    }
}
