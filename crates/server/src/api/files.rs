//! Reading uploads, and downloading stored files (avatars, error reports, exports).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::services::files;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download))
}

/// One uploaded file.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    /// The other (text) fields of the form.
    pub fields: HashMap<String, String>,
}

fn too_large(message: &str) -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "FILE_TOO_LARGE", message)
}

fn multipart_error(error: MultipartError, too_large_message: &str) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(too_large_message)
    } else {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "BAD_UPLOAD",
            "上传的文件不完整，请重新上传",
        )
    }
}

/// Reads the multipart field `file`, refusing more than `max_bytes`, and the short text
/// fields sent with it (in any order).
pub async fn read_upload(
    mut multipart: Multipart,
    max_bytes: usize,
    too_large_message: &str,
) -> ApiResult<Upload> {
    let mut file = None;
    let mut fields = HashMap::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, too_large_message))?
    {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if name != "file" {
            let text = field
                .text()
                .await
                .map_err(|e| multipart_error(e, too_large_message))?;
            fields.insert(name, text.chars().take(200).collect());
            continue;
        }
        let file_name = field.file_name().unwrap_or("upload").to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_error(e, too_large_message))?;
        if bytes.len() > max_bytes {
            return Err(too_large(too_large_message));
        }
        if bytes.is_empty() {
            return Err(ApiError::invalid("EMPTY_FILE", "上传的文件是空的"));
        }
        file = Some((file_name, bytes.to_vec()));
    }
    let (name, bytes) = file.ok_or_else(|| ApiError::validation("file", "请选择要上传的文件"))?;
    Ok(Upload {
        name,
        bytes,
        fields,
    })
}

/// Download a stored file: avatars to anyone in the company, other files to their owner.
#[utoipa::path(get, path = "/api/files/{id}", tag = "notifications",
    params(("id" = i64, Path, description = "File id")),
    responses((status = 200, description = "The file"), (status = 404, body = ErrorBody)))]
async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let (row, bytes) = files::download(
        &state.db,
        &state.files,
        caller.tenant(),
        caller.member.id,
        id,
    )
    .await?;
    let disposition = format!(
        "attachment; filename=\"download\"; filename*=UTF-8''{}",
        percent_encode(&row.name)
    );
    Response::builder()
        .header(header::CONTENT_TYPE, row.content_type)
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::CACHE_CONTROL, "private, max-age=300")
        .body(Body::from(bytes))
        .map_err(|e| ApiError::from(anyhow::anyhow!(e)))
}

/// A download response: the bytes with their type and a (Chinese) file name; `fallback` is
/// the ASCII name for clients that ignore the encoded one.
pub fn attachment(
    name: &str,
    fallback: &str,
    content_type: &str,
    bytes: impl Into<Body>,
) -> ApiResult<Response> {
    Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
                percent_encode(name)
            ),
        )
        .body(bytes.into())
        .map_err(|e| ApiError::from(anyhow::anyhow!(e)))
}

/// RFC 5987 encoding of a (Chinese) file name for `Content-Disposition`.
pub fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
