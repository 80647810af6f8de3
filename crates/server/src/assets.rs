//! The console, built from `web/` by `build.rs` and embedded in the binary. Unknown paths get
//! the SPA page (the console routes them); unknown `/api` paths get a JSON 404.

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::ApiError;

#[derive(RustEmbed)]
#[folder = "$OUT_DIR/console"]
struct Console;

pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path == "api" || path.starts_with("api/") {
        return ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "接口不存在").into_response();
    }
    if !path.is_empty()
        && let Some(file) = Console::get(path)
    {
        // Vite puts content-hashed files under assets/: they never change.
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mime = mime_guess::from_path(path).first_or_octet_stream();
        return (
            [
                (header::CONTENT_TYPE, mime.as_ref().to_owned()),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
            file.data,
        )
            .into_response();
    }
    match Console::get("index.html") {
        Some(page) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            page.data,
        )
            .into_response(),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "控制台未随此程序构建（构建时设置了 VOXDIAL_SKIP_CONSOLE）。API 可用：/api/openapi.json",
        )
            .into_response(),
    }
}
