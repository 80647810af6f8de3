//! The HTTP API, one module per console area, and the server that runs it.

mod account;
mod audit_log;
mod billing;
mod bills;
mod blacklist;
mod call_settings;
mod call_time;
mod departments;
mod files;
mod grading;
mod groups;
mod health;
mod intents;
mod lines;
mod llm;
mod llm_robots;
mod members;
mod notifications;
mod operator;
mod scripts;
mod tasks;
mod user_tags;

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio_util::sync::CancellationToken;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::config::Config;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Voxdial API", description = "Voxdial AI 外呼平台的接口。写操作需带 X-CSRF-Token 请求头（取自 voxdial_csrf Cookie）。"),
    tags(
        (name = "account", description = "登录、个人信息、企业信息"),
        (name = "members", description = "子账户"),
        (name = "departments", description = "部门（通讯录）"),
        (name = "groups", description = "权限组"),
        (name = "audit", description = "审计日志"),
        (name = "notifications", description = "通知列表"),
        (name = "operator", description = "平台运营"),
        (name = "robot", description = "AI机器人中心：话术、意图、意向等级规则"),
        (name = "tasks", description = "外呼任务、号码导入、呼叫时间与节假日"),
        (name = "lines", description = "线路"),
        (name = "blacklist", description = "黑名单"),
        (name = "billing", description = "余额与账单"),
        (name = "system", description = "健康检查与接口描述"),
    )
)]
struct ApiDoc;

/// Largest request body accepted anywhere; uploads set their own smaller limits and answer
/// a clear error above them.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// How long requests and jobs may take to finish once shutdown starts.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Every route with its description.
fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::routes())
        .merge(account::routes())
        .merge(members::routes())
        .merge(departments::routes())
        .merge(groups::routes())
        .merge(audit_log::routes())
        .merge(notifications::routes())
        .merge(files::routes())
        .merge(operator::routes())
        .merge(scripts::routes())
        .merge(llm_robots::routes())
        .merge(call_time::routes())
        .merge(tasks::routes())
        .merge(user_tags::routes())
        .merge(intents::routes())
        .merge(grading::routes())
        .merge(llm::routes())
        .merge(call_settings::routes())
        .merge(billing::routes())
        .merge(bills::routes())
        .merge(lines::routes())
        .merge(blacklist::routes())
        .split_for_parts()
}

/// The API's description, as `/api/openapi.json` serves it (and `voxdial openapi` prints it).
pub fn openapi() -> utoipa::openapi::OpenApi {
    describe_itself(routes().1)
}

/// The API and the console, ready to serve.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = routes();
    let openapi = std::sync::Arc::new(describe_itself(openapi));
    api.route(
        "/api/openapi.json",
        axum::routing::get(move || {
            let openapi = openapi.clone();
            async move { axum::Json(openapi.as_ref().clone()) }
        }),
    )
    .fallback(crate::assets::serve)
    .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
    .layer(TraceLayer::new_for_http())
    .with_state(state)
}

/// A server running in the background (tests start several in one process).
pub struct RunningServer {
    pub address: SocketAddr,
    pub state: AppState,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    dialer: Option<dialer::DialerHandle>,
}

impl RunningServer {
    /// Stops accepting requests and waits for the workers to finish.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        if let Some(dialer) = &self.dialer {
            // No new calls; calls still talking after the grace are closed as interrupted
            // at the next start.
            dialer.stop.cancel();
            let kill = dialer.kill.clone();
            tokio::spawn(async move {
                tokio::time::sleep(SHUTDOWN_GRACE).await;
                kill.cancel();
            });
        }
        self.task.await?
    }

    /// Stops at once, as a crash would: running jobs keep their leases, calls stay open.
    pub fn abort(self) {
        if let Some(dialer) = &self.dialer {
            dialer.kill.cancel();
        }
        self.task.abort();
    }

    /// The dialer's counters (`None` when the dialer is off).
    pub fn dialer(&self) -> Option<&dialer::DialerHandle> {
        self.dialer.as_ref()
    }
}

/// Opens the database, creates the demo when due, binds and serves in the background.
pub async fn spawn(config: Config) -> anyhow::Result<RunningServer> {
    let listen = config.listen;
    let state = AppState::new(config).await?;
    crate::demo::ensure(&state).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    let shutdown = CancellationToken::new();
    let worker = tokio::spawn(crate::jobs::run_worker(state.clone(), shutdown.clone()));
    let dialer = crate::dialing::start(&state)?;
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let stop = shutdown.clone();
    let drained = shutdown.clone();
    let task = tokio::spawn(async move {
        let server = axum::serve(listener, app)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .into_future();
        // Event streams never end by themselves: give requests a moment, then close.
        let drain_limit = async move {
            drained.cancelled().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        tokio::select! {
            result = server => result?,
            () = drain_limit => tracing::info!("closed the connections still open at shutdown"),
        }
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, worker).await;
        Ok(())
    });
    tracing::info!(
        %address,
        database = store::backend_name(&state.db),
        "Voxdial is ready"
    );
    Ok(RunningServer {
        address,
        state,
        shutdown,
        task,
        dialer,
    })
}

/// Adds `/api/openapi.json` to the description it serves, so every route is listed.
fn describe_itself(mut openapi: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder};
    use utoipa::openapi::response::ResponseBuilder;
    let operation = OperationBuilder::new()
        .tag("system")
        .summary(Some("This API description (OpenAPI 3.1)"))
        .response(
            "200",
            ResponseBuilder::new().description("The OpenAPI document"),
        );
    openapi
        .paths
        .add_path_operation("/api/openapi.json", vec![HttpMethod::Get], operation);
    openapi
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let server = spawn(config).await?;
    wait_for_signal().await;
    server.stop().await
}

async fn wait_for_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
