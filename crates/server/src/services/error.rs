//! Why a service did not do what it was asked: a rule it refused on (with a stable code and a
//! Chinese message the caller can show), or a failure underneath. It names no HTTP status; the
//! HTTP edge ([`crate::error`]) turns each [`Refusal`] kind into one.

use sea_orm::DbErr;
use serde_json::{Map, Value};

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug)]
pub enum Error {
    Refused(Refusal),
    Db(DbErr),
    Internal(anyhow::Error),
}

/// What kind of rule was broken, so that every edge answers it the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The input breaks a rule (a field's format, a limit, a state the thing is not in).
    Invalid,
    /// The input collides with what exists (a name taken, a line in use).
    Conflict,
    NotFound,
    Forbidden,
    /// A request the caller should not have sent as it is (a wrong password, a bad upload).
    BadRequest,
    /// A provider the company configured (an LLM, later a speech or SMS service) failed.
    Upstream,
}

#[derive(Debug)]
pub struct Refusal {
    pub kind: Kind,
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
    /// More for the caller to show (e.g. the tasks holding a line); a JSON object.
    pub details: Option<Map<String, Value>>,
}

impl Error {
    pub fn refused(kind: Kind, code: &'static str, message: impl Into<String>) -> Self {
        Self::Refused(Refusal {
            kind,
            code,
            message: message.into(),
            field: None,
            details: None,
        })
    }

    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self::refused(Kind::Invalid, "VALIDATION", message).on_field(field)
    }

    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::refused(Kind::Invalid, code, message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::refused(Kind::Conflict, code, message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::refused(Kind::NotFound, "NOT_FOUND", format!("{what}不存在"))
    }

    pub fn forbidden() -> Self {
        Self::refused(Kind::Forbidden, "FORBIDDEN", "没有权限执行此操作")
    }

    pub fn on_field(mut self, field: &'static str) -> Self {
        if let Self::Refused(refusal) = &mut self {
            refusal.field = Some(field);
        }
        self
    }

    /// Adds fields to the refusal; `details` must be a JSON object.
    pub fn with_details(mut self, details: Value) -> Self {
        if let (Self::Refused(refusal), Value::Object(map)) = (&mut self, details) {
            refusal.details = Some(map);
        }
        self
    }

    /// The refusal's code, for callers that act on one rule (`None` for failures underneath).
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Self::Refused(refusal) => Some(refusal.code),
            _ => None,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(refusal) => write!(f, "{}: {}", refusal.code, refusal.message),
            Self::Db(error) => write!(f, "database: {error}"),
            Self::Internal(error) => write!(f, "{error:#}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<DbErr> for Error {
    fn from(error: DbErr) -> Self {
        Self::Db(error)
    }
}

impl From<anyhow::Error> for Error {
    fn from(error: anyhow::Error) -> Self {
        Self::Internal(error)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Self::Internal(error.into())
    }
}
