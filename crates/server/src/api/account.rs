//! Login, logout, the caller's own profile and password, the company's info and the
//! permission catalog.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use store::entity::{company, department, member};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::files::read_upload;
use crate::audit;
use crate::auth::accounts::{self, Account};
use crate::auth::session::{self, Owner};
use crate::auth::{Caller, ClientIp, Principal, password};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::NewFile;
use crate::org;
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
pub struct CompanyView {
    id: i64,
    name: String,
    contact_name: String,
    contact_phone: String,
    address: String,
    /// `active` or `suspended`
    status: String,
}

impl From<&company::Model> for CompanyView {
    fn from(row: &company::Model) -> Self {
        Self {
            id: row.id,
            name: row.name.clone(),
            contact_name: row.contact_name.clone(),
            contact_phone: row.contact_phone.clone(),
            address: row.address.clone(),
            status: row.status.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberMe {
    id: i64,
    name: String,
    phone: String,
    email: Option<String>,
    avatar_url: Option<String>,
    is_owner: bool,
    is_department_admin: bool,
    department_id: Option<i64>,
    department_name: Option<String>,
    must_change_password: bool,
    popup_enabled: bool,
    permissions: Vec<String>,
    company: CompanyView,
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

async fn member_me(state: &AppState, caller: &Caller) -> ApiResult<MemberMe> {
    let member = &caller.member;
    let department_name = match member.department_id {
        Some(id) => department::Entity::find_by_id(id)
            .filter(department::Column::TenantId.eq(member.tenant_id))
            .one(&state.db)
            .await?
            .map(|row| row.name),
        None => None,
    };
    Ok(MemberMe {
        id: member.id,
        name: member.name.clone(),
        phone: member.phone.clone(),
        email: member.email.clone(),
        avatar_url: member.avatar_file_id.map(|id| format!("/api/files/{id}")),
        is_owner: member.is_owner,
        is_department_admin: !caller.headed_departments.is_empty(),
        department_id: member.department_id,
        department_name,
        must_change_password: member.must_change_password,
        popup_enabled: member.popup_enabled,
        permissions: caller.permissions.iter().cloned().collect(),
        company: (&caller.company).into(),
    })
}

async fn caller_for(
    state: &AppState,
    member: member::Model,
    session_id: i64,
    ip: &str,
) -> ApiResult<Caller> {
    let company = company::Entity::find_by_id(member.tenant_id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::internal)?;
    let rights = org::rights_of(&state.db, &member).await?;
    Ok(Caller {
        member,
        company,
        permissions: rights.permissions,
        scope: rights.scope,
        headed_departments: rights.headed_departments,
        session_id,
        ip: ip.to_owned(),
    })
}

/// After a change to one's own account: audit it and answer with the new `Me`.
async fn changed_self(
    state: &AppState,
    caller: Caller,
    member: member::Model,
    action: &str,
) -> ApiResult<Json<Me>> {
    audit::by(&state.db, &caller, action, member.phone.clone(), "").await?;
    let caller = Caller { member, ..caller };
    Ok(Json(Me::Member(Box::new(member_me(state, &caller).await?))))
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
            audit::record(
                &state.db,
                audit::Entry {
                    tenant_id: member.tenant_id,
                    actor: Some((member.id, &member.name)),
                    action: "login_failed",
                    target: member.phone.clone(),
                    detail: "密码错误".to_owned(),
                    ip: &ip,
                },
            )
            .await?;
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
            if member.status != "active" {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "ACCOUNT_DISABLED",
                    "账号已停用，请联系管理员",
                ));
            }
            let mut row = member.clone().into_active_model();
            row.last_login_at = Set(Some(Utc::now()));
            let member = row.update(&state.db).await?;
            let caller = caller_for(&state, member, 0, &ip).await?;
            if caller.company.status != "active" {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "COMPANY_SUSPENDED",
                    "企业账号已被暂停，请联系平台运营",
                ));
            }
            audit::by(&state.db, &caller, "login", caller.member.phone.clone(), "").await?;
            (
                Owner::Member(caller.member.id),
                Me::Member(Box::new(member_me(&state, &caller).await?)),
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
        Principal::Member(caller) => Me::Member(Box::new(member_me(&state, &caller).await?)),
        Principal::Operator(operator) => Me::Operator(OperatorMe {
            id: operator.operator.id,
            name: operator.operator.name,
            login: operator.operator.login,
            must_change_password: operator.operator.must_change_password,
        }),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ProfileRequest {
    name: String,
    /// The login phone; changing it changes the login.
    phone: String,
    email: Option<String>,
    /// Pop-up notifications (弹屏提醒).
    popup_enabled: bool,
}

/// Validated name, phone and e-mail of a member, as given in a form or a sheet.
pub struct Identity {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
}

pub fn check_identity(name: &str, phone: &str, email: Option<&str>) -> ApiResult<Identity> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(ApiError::validation(
            "name",
            "姓名不能为空，且不超过 50 个字",
        ));
    }
    let phone = domain::identity::normalize_mobile(phone).ok_or_else(|| {
        ApiError::invalid("INVALID_PHONE", "手机号格式不正确，请输入 11 位手机号").on_field("phone")
    })?;
    let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
        Some(email) if domain::identity::is_valid_email(email) => Some(email.to_lowercase()),
        Some(_) => {
            return Err(ApiError::invalid("INVALID_EMAIL", "邮箱格式不正确").on_field("email"));
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
    db: &impl sea_orm::ConnectionTrait,
    identity: &Identity,
    except_member: Option<i64>,
) -> ApiResult<()> {
    let mut phone_query = member::Entity::find().filter(member::Column::Phone.eq(&identity.phone));
    if let Some(id) = except_member {
        phone_query = phone_query.filter(member::Column::Id.ne(id));
    }
    if phone_query.one(db).await?.is_some() {
        return Err(ApiError::conflict("PHONE_TAKEN", "该手机号已被使用").on_field("phone"));
    }
    if let Some(email) = &identity.email {
        let mut email_query = member::Entity::find().filter(member::Column::Email.eq(email));
        if let Some(id) = except_member {
            email_query = email_query.filter(member::Column::Id.ne(id));
        }
        if email_query.one(db).await?.is_some() {
            return Err(ApiError::conflict("EMAIL_TAKEN", "该邮箱已被使用").on_field("email"));
        }
    }
    Ok(())
}

/// Change one's own name, login phone, e-mail and pop-up setting.
#[utoipa::path(put, path = "/api/me/profile", tag = "account", request_body = ProfileRequest,
    responses((status = 200, body = Me), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_profile(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<ProfileRequest>,
) -> ApiResult<Json<Me>> {
    let identity = check_identity(&request.name, &request.phone, request.email.as_deref())?;
    check_unique(&state.db, &identity, Some(caller.member.id)).await?;
    let mut row = caller.member.clone().into_active_model();
    row.name = Set(identity.name);
    row.phone = Set(identity.phone);
    row.email = Set(identity.email);
    row.popup_enabled = Set(request.popup_enabled);
    row.updated_at = Set(Utc::now());
    let member = row.update(&state.db).await?;
    changed_self(&state, caller, member, "profile.update").await
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
    let mut row = caller.member.clone().into_active_model();
    row.avatar_file_id = Set(Some(file.id));
    row.updated_at = Set(Utc::now());
    let member = row.update(&state.db).await?;
    changed_self(&state, caller, member, "profile.avatar").await
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordRequest {
    old_password: String,
    new_password: String,
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
    if !password::verify(&request.old_password, &caller.member.password_hash).await {
        return Err(
            ApiError::new(StatusCode::BAD_REQUEST, "WRONG_PASSWORD", "原密码不正确")
                .on_field("old_password"),
        );
    }
    if request.old_password == request.new_password {
        return Err(
            ApiError::invalid("SAME_PASSWORD", "新密码不能与原密码相同").on_field("new_password")
        );
    }
    accounts::check_new_password(&request.new_password)?;
    let mut row = caller.member.clone().into_active_model();
    row.password_hash = Set(password::hash(&request.new_password).await?);
    row.must_change_password = Set(false);
    row.updated_at = Set(Utc::now());
    row.update(&state.db).await?;
    session::delete_member_sessions(&state.db, caller.member.id, Some(caller.session_id)).await?;
    audit::by(
        &state.db,
        &caller,
        "password.change",
        caller.member.phone.clone(),
        "",
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct CompanyRequest {
    name: String,
    contact_name: String,
    contact_phone: String,
    address: String,
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
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation(
            "name",
            "企业名称不能为空，且不超过 100 个字",
        ));
    }
    let taken = company::Entity::find()
        .filter(company::Column::Name.eq(name))
        .filter(company::Column::Id.ne(caller.tenant()))
        .one(&state.db)
        .await?;
    if taken.is_some() {
        return Err(ApiError::conflict("COMPANY_NAME_TAKEN", "企业名称已存在").on_field("name"));
    }
    let mut row = caller.company.clone().into_active_model();
    row.name = Set(name.to_owned());
    row.contact_name = Set(request.contact_name.trim().to_owned());
    row.contact_phone = Set(request.contact_phone.trim().to_owned());
    row.address = Set(request.address.trim().to_owned());
    row.updated_at = Set(Utc::now());
    let company = row.update(&state.db).await?;
    audit::by(
        &state.db,
        &caller,
        "company.update",
        company.name.clone(),
        "",
    )
    .await?;
    Ok(Json((&company).into()))
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
