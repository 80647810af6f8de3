//! Login, logout, the caller's own profile and password, the company's info and the
//! permission catalog.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::files::read_upload;
use crate::auth::accounts::{self, Account};
use crate::auth::session::{self, Owner};
use crate::auth::{Caller, ClientIp, Principal, password};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::NewFile;
use crate::services::audit;
use crate::services::org::account::{
    self, CompanyRequest, CompanyView, MemberMe, PasswordRequest, ProfileRequest,
};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(update_profile))
        .routes(routes!(change_password))
        .routes(routes!(update_company))
        .routes(routes!(permission_catalog))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_avatar))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_AVATAR_BYTES)),
        )
}

const MAX_AVATAR_BYTES: usize = 2 * 1024 * 1024;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Phone, e-mail, or an operator's login.
    login: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct OperatorMe {
    id: i64,
    name: String,
    login: String,
    must_change_password: bool,
}

/// The logged-in user: a company member or a platform operator.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Me {
    Member(Box<MemberMe>),
    Operator(OperatorMe),
}

fn invalid_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
        "账号或密码错误",
    )
}

/// Log in with phone/e-mail (or operator login) and password; sets the session cookies.
#[utoipa::path(post, path = "/api/auth/login", tag = "account", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    Json(request): Json<LoginRequest>,
) -> ApiResult<(CookieJar, Json<Me>)> {
    let login = request.login.trim();
    if login.is_empty() {
        return Err(ApiError::validation("login", "请输入手机号或邮箱"));
    }
    if request.password.is_empty() {
        return Err(ApiError::validation("password", "请输入密码"));
    }
    if !state.login_limiter.allows(login, &ip) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "LOGIN_RATE_LIMITED",
            "登录失败次数过多，请 15 分钟后再试",
        ));
    }
    let account = accounts::find_by_login(&state.db, login).await?;
    let hash = match &account {
        Some(Account::Member(member)) => member.password_hash.as_str(),
        Some(Account::Operator(operator)) => operator.password_hash.as_str(),
        None => "",
    };
    if !password::verify(&request.password, hash).await {
        state.login_limiter.record_failure(login, &ip);
        if let Some(Account::Member(member)) = &account {
            account::failed_login(&state.db, member, &ip).await?;
        }
        return Err(invalid_credentials());
    }
    state.login_limiter.record_success(login);
    let secure = session::wants_secure(&headers, state.config.secure_cookies);
    let (owner, me) = match account {
        Some(Account::Operator(operator)) => (
            Owner::Operator(operator.id),
            Me::Operator(OperatorMe {
                id: operator.id,
                name: operator.name,
                login: operator.login,
                must_change_password: operator.must_change_password,
            }),
        ),
        Some(Account::Member(member)) => {
            let caller = account::member_login(&state.db, member, &ip).await?;
            (
                Owner::Member(caller.member.id),
                Me::Member(Box::new(account::me(&state.db, &caller).await?)),
            )
        }
        None => return Err(invalid_credentials()),
    };
    let created = session::create(&state.db, owner, &ip).await?;
    let jar = jar
        .add(session::session_cookie(created.token, secure))
        .add(session::csrf_cookie(created.csrf_token, secure));
    Ok((jar, Json(me)))
}

/// End the current session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "account", responses((status = 204)))]
async fn logout(
    State(state): State<AppState>,
    principal: Principal,
    jar: CookieJar,
) -> ApiResult<(CookieJar, StatusCode)> {
    let session_id = match &principal {
        Principal::Member(caller) => {
            audit::by(&state.db, caller, "logout", caller.member.phone.clone(), "").await?;
            caller.session_id
        }
        Principal::Operator(operator) => operator.session_id,
    };
    session::delete(&state.db, session_id).await?;
    let jar = jar
        .add(session::removal(session::SESSION_COOKIE))
        .add(session::removal(session::CSRF_COOKIE));
    Ok((jar, StatusCode::NO_CONTENT))
}

/// The logged-in user with company, permissions and settings.
#[utoipa::path(get, path = "/api/me", tag = "account", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(State(state): State<AppState>, principal: Principal) -> ApiResult<Json<Me>> {
    Ok(Json(match principal {
        Principal::Member(caller) => Me::Member(Box::new(account::me(&state.db, &caller).await?)),
        Principal::Operator(operator) => Me::Operator(OperatorMe {
            id: operator.operator.id,
            name: operator.operator.name,
            login: operator.operator.login,
            must_change_password: operator.operator.must_change_password,
        }),
    }))
}

/// Change one's own name, login phone, e-mail and pop-up setting.
#[utoipa::path(put, path = "/api/me/profile", tag = "account", request_body = ProfileRequest,
    responses((status = 200, body = Me), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_profile(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<ProfileRequest>,
) -> ApiResult<Json<Me>> {
    let me = account::update_profile(&state.db, caller, request).await?;
    Ok(Json(Me::Member(Box::new(me))))
}

/// Upload an avatar image (png, jpeg, gif or webp; at most 2 MB), field `file`.
#[utoipa::path(post, path = "/api/me/avatar", tag = "account",
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 200, body = Me), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
async fn upload_avatar(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> ApiResult<Json<Me>> {
    let upload = read_upload(multipart, MAX_AVATAR_BYTES, "头像图片不能超过 2 MB").await?;
    let content_type = match upload.bytes.as_slice() {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => "image/webp",
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_FILE",
                "请上传 PNG、JPG、GIF 或 WebP 格式的图片",
            ));
        }
    };
    let file = state
        .files
        .save(
            &state.db,
            NewFile {
                tenant_id: caller.tenant(),
                owner_member_id: Some(caller.member.id),
                kind: "avatar",
                name: &upload.name,
                content_type,
            },
            &upload.bytes,
        )
        .await?;
    let me = account::set_avatar(&state.db, caller, file.id).await?;
    Ok(Json(Me::Member(Box::new(me))))
}

/// Change one's own password (required at first login with the initial password).
/// Other sessions of the account are ended.
#[utoipa::path(post, path = "/api/me/password", tag = "account", request_body = PasswordRequest,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<PasswordRequest>,
) -> ApiResult<StatusCode> {
    account::change_password(&state.db, &caller, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Edit the company's info (owner only).
#[utoipa::path(put, path = "/api/company", tag = "account", request_body = CompanyRequest,
    responses((status = 200, body = CompanyView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_company(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<CompanyRequest>,
) -> ApiResult<Json<CompanyView>> {
    caller.require_owner()?;
    Ok(Json(
        account::update_company(&state.db, &caller, request).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct PermissionItem {
    key: &'static str,
    label: &'static str,
    label_en: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct PermissionMenu {
    menu: &'static str,
    menu_label: &'static str,
    menu_label_en: &'static str,
    items: Vec<PermissionItem>,
}

/// The menus and actions a permission group can grant.
#[utoipa::path(get, path = "/api/permissions", tag = "groups", responses((status = 200, body = Vec<PermissionMenu>)))]
async fn permission_catalog(_caller: Caller) -> Json<Vec<PermissionMenu>> {
    Json(
        domain::permissions::CATALOG
            .iter()
            .map(|menu| PermissionMenu {
                menu: menu.menu,
                menu_label: menu.menu_label,
                menu_label_en: menu.menu_label_en,
                items: menu
                    .items
                    .iter()
                    .map(|item| PermissionItem {
                        key: item.key,
                        label: item.label,
                        label_en: item.label_en,
                    })
                    .collect(),
            })
            .collect(),
    )
}
