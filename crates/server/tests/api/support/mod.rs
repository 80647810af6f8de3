//! A real server on port 0 with its own data folder and database: SQLite by default, a fresh
//! PostgreSQL database when `VOXDIAL_TEST_POSTGRES_URL` names an admin connection.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use tempfile::TempDir;
use voxdial_server::api::{RunningServer, spawn};
use voxdial_server::config::Config;

pub const DEMO_PASSWORD: &str = "Demo1234";
pub const DEMO_ADMIN: &str = "13800000000";

static DATABASES: AtomicU32 = AtomicU32::new(0);

pub struct TestApp {
    pub server: Option<RunningServer>,
    pub config: Config,
    _data: Arc<TempDir>,
}

/// A fresh database URL for one test: PostgreSQL when configured, else SQLite (`None`).
pub async fn database_url() -> Option<String> {
    let admin = std::env::var("VOXDIAL_TEST_POSTGRES_URL").ok()?;
    let name = format!(
        "voxdial_test_{}_{}",
        std::process::id(),
        DATABASES.fetch_add(1, Ordering::SeqCst)
    );
    let db = Database::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin}: {e}"));
    db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    db.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(base, _)| base);
    Some(format!("{base}/{name}"))
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(true).await
    }

    /// A server with or without the demo company.
    pub async fn start_with(demo: bool) -> Self {
        Self::start_configured(demo, |_| {}).await
    }

    /// A server whose configuration the test adjusts first (e.g. without its own dialer).
    pub async fn start_configured(demo: bool, adjust: impl FnOnce(&mut Config)) -> Self {
        let data = Arc::new(TempDir::new().unwrap());
        let database_url = database_url().await;
        if std::env::var("VOXDIAL_TEST_POSTGRES_URL").is_ok() {
            assert!(
                database_url.is_some(),
                "cannot create a PostgreSQL test database"
            );
        }
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: PathBuf::from(data.path()),
            database_url,
            demo,
            demo_password: Some(DEMO_PASSWORD.to_owned()),
            secure_cookies: false,
            dialer: true,
            node: Some(format!("test-{}", DATABASES.fetch_add(1, Ordering::SeqCst))),
            simulated_time_scale: 50.0,
        };
        let mut config = config;
        adjust(&mut config);
        let server = spawn(config.clone()).await.unwrap();
        Self {
            server: Some(server),
            config,
            _data: data,
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.server.as_ref().unwrap().address)
    }

    pub fn state(&self) -> &voxdial_server::AppState {
        &self.server.as_ref().unwrap().state
    }

    /// Kills the server as a crash would, then starts it again on the same data.
    pub async fn crash_and_restart(&mut self) {
        self.server.take().unwrap().abort();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        self.server = Some(spawn(self.config.clone()).await.unwrap());
    }

    /// Another node on the same database and data folder.
    pub async fn second_node(&self) -> RunningServer {
        spawn(self.config.clone()).await.unwrap()
    }

    pub fn client(&self) -> Client {
        Client::at(self.base())
    }

    /// A client logged in with this login and password (panics on failure).
    pub async fn login(&self, login: &str, password: &str) -> Client {
        let client = self.client();
        let (status, body) = client.login(login, password).await;
        assert_eq!(status, StatusCode::OK, "login {login}: {body}");
        client
    }

    pub async fn admin(&self) -> Client {
        self.login(DEMO_ADMIN, DEMO_PASSWORD).await
    }
}

pub struct Client {
    pub http: reqwest::Client,
    jar: Arc<Jar>,
    pub base: String,
}

impl Client {
    /// A client of a server at `base` (e.g. a `voxdial` process the test started).
    pub fn at(base: String) -> Client {
        let jar = Arc::new(Jar::default());
        Client {
            http: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .build()
                .unwrap(),
            jar,
            base,
        }
    }

    /// The same logged-in user talking to another node.
    pub fn on(&self, node: &RunningServer) -> Client {
        Client {
            http: self.http.clone(),
            jar: self.jar.clone(),
            base: format!("http://{}", node.address),
        }
    }

    fn csrf(&self) -> Option<String> {
        let url = self.base.parse().unwrap();
        let cookies = self.jar.cookies(&url)?;
        cookies
            .to_str()
            .ok()?
            .split("; ")
            .find_map(|pair| pair.strip_prefix("voxdial_csrf="))
            .map(str::to_owned)
    }

    pub async fn login(&self, login: &str, password: &str) -> (StatusCode, Value) {
        self.send(
            Method::POST,
            "/api/auth/login",
            Some(json!({"login": login, "password": password})),
        )
        .await
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(csrf) = self.csrf() {
            request = request.header("x-csrf-token", csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, path, None).await
    }

    pub async fn upload(&self, path: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        self.send_multipart(path, name, bytes, &[]).await
    }

    /// Posts a file as the form field `file`, with other text fields.
    pub async fn send_multipart(
        &self,
        path: &str,
        name: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
        for (key, value) in fields {
            form = form.text(key.to_string(), value.to_string());
        }
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .multipart(form);
        if let Some(csrf) = self.csrf() {
            request = request.header("x-csrf-token", csrf);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn download(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.bytes().await.unwrap().to_vec())
    }
}

/// An xlsx with the given rows (first row: headers).
pub fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *value).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

pub fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or("")
}

/// A local stand-in for a cloud model that speaks the OpenAI chat-completions protocol.
/// By model name: `echo` repeats the last message, `grader` answers a quality verdict,
/// `prose` answers without the JSON asked for, `down` fails with 503.
pub async fn fake_llm() -> String {
    use axum::Json as AxumJson;
    use axum::http::StatusCode as AxumStatus;
    use axum::response::IntoResponse;

    async fn completions(AxumJson(request): AxumJson<Value>) -> axum::response::Response {
        let last = request["messages"]
            .as_array()
            .and_then(|m| m.last())
            .and_then(|m| m["content"].as_str())
            .unwrap_or("")
            .to_owned();
        let content = match request["model"].as_str().unwrap_or("") {
            "echo" => format!("收到：{last}"),
            "grader" => r#"{"level": "B", "reason": "客户询问了价格"}"#.to_owned(),
            "prose" => "我觉得这位客户大概是 B 级吧".to_owned(),
            _ => return (AxumStatus::SERVICE_UNAVAILABLE, "down").into_response(),
        };
        AxumJson(json!({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 12, "completion_tokens": 8, "total_tokens": 20}
        }))
        .into_response()
    }
    let app = axum::Router::new().route("/v1/chat/completions", axum::routing::post(completions));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}/v1")
}

/// Waits for a job's notification to finish and returns it.
pub async fn wait_for_notification(client: &Client, id: i64) -> Value {
    for _ in 0..200 {
        let (_, body) = client.get("/api/notifications?page_size=100").await;
        let found = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .cloned()
            .expect("notification listed");
        if found["status"] == "succeeded" || found["status"] == "failed" {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("notification {id} did not finish");
}
