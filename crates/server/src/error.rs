//! The API's one error type: a status, a stable machine-readable code and a Chinese message.
//! Internal details are logged, never sent to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

use crate::services::{self, Kind};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
    /// More for the client to show, merged into the body (e.g. the tasks holding a line).
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The JSON body of every error response.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable code, e.g. `PHONE_TAKEN`.
    pub code: &'static str,
    /// Human-readable message in Chinese.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            details: None,
        }
    }

    /// Adds fields to the error body; `details` must be a JSON object.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        if let serde_json::Value::Object(map) = details {
            self.details = Some(map);
        }
        self
    }

    pub fn on_field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION", message).on_field(field)
    }

    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", format!("{what}不存在"))
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "FORBIDDEN", "没有权限执行此操作")
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "请先登录")
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "服务器内部错误，请稍后再试",
        )
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = error.sql_err() {
            tracing::info!(%detail, "unique constraint violated");
            return Self::conflict("DUPLICATE", "数据已存在，请勿重复提交");
        }
        tracing::error!(%error, "database error");
        Self::internal()
    }
}

impl From<services::Error> for ApiError {
    fn from(error: services::Error) -> Self {
        match error {
            services::Error::Refused(refusal) => {
                let status = match refusal.kind {
                    Kind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                    Kind::Conflict => StatusCode::CONFLICT,
                    Kind::NotFound => StatusCode::NOT_FOUND,
                    Kind::Forbidden => StatusCode::FORBIDDEN,
                    Kind::BadRequest => StatusCode::BAD_REQUEST,
                    Kind::Upstream => StatusCode::BAD_GATEWAY,
                };
                Self {
                    status,
                    code: refusal.code,
                    message: refusal.message,
                    field: refusal.field,
                    details: refusal.details,
                }
            }
            services::Error::Db(error) => error.into(),
            services::Error::Internal(error) => error.into(),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        tracing::error!("{error:#}");
        Self::internal()
    }
}

impl From<std::io::Error> for ApiError {
    fn from(error: std::io::Error) -> Self {
        tracing::error!(%error, "io error");
        Self::internal()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            message: self.message,
            field: self.field,
            details: self.details,
        };
        (self.status, Json(body)).into_response()
    }
}
