//! Settings shared by every subcommand: flags, each with a `VOXDIAL_*` variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

#[derive(Args, Clone)]
pub struct Config {
    /// Address the console and API listen on.
    #[arg(
        long,
        env = "VOXDIAL_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// Folder for the SQLite database, uploaded files and exports.
    #[arg(
        long,
        env = "VOXDIAL_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Database URL: `sqlite://…` or `postgres://user:password@host/db`. Default: SQLite at
    /// DATA_DIR/voxdial.db.
    #[arg(
        long,
        env = "VOXDIAL_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// Create a demo company on first start with an empty database.
    #[arg(long, env = "VOXDIAL_DEMO", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub demo: bool,

    /// Password of the demo admin (default: a random one, printed at start).
    #[arg(
        long,
        env = "VOXDIAL_DEMO_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub demo_password: Option<String>,

    /// Mark cookies `Secure` (set when the console is served over HTTPS, e.g. behind a proxy).
    /// Requests forwarded with `X-Forwarded-Proto: https` get `Secure` cookies regardless.
    #[arg(long, env = "VOXDIAL_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub secure_cookies: bool,

    /// Run the dialer on this node (every node of a shared PostgreSQL may).
    #[arg(long, env = "VOXDIAL_DIALER", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub dialer: bool,

    /// This node's name among the nodes sharing a database (default: the host name).
    #[arg(long, env = "VOXDIAL_NODE", global = true)]
    pub node: Option<String>,

    /// How much faster than real time the simulated line (模拟线路) runs: 1 is real time,
    /// 10 makes a 60 s call last 6 s (demos, load tests).
    #[arg(
        long,
        env = "VOXDIAL_SIMULATED_TIME_SCALE",
        default_value_t = 1.0,
        global = true
    )]
    pub simulated_time_scale: f64,
}

impl Config {
    /// The database URL in effect: the configured one, else SQLite in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("voxdial.db").display()
            ),
        }
    }

    /// The dialer node's name: the configured one, else the host name.
    pub fn node_name(&self) -> String {
        self.node
            .clone()
            .filter(|name| !name.trim().is_empty())
            .or_else(|| std::env::var("HOSTNAME").ok())
            .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "voxdial".to_owned())
    }

    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }
}

/// Secrets (the database URL may hold a password, and the demo password) stay out of logs.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |value: &Option<String>| value.as_ref().map(|_| "<redacted>");
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redacted(&self.database_url))
            .field("demo", &self.demo)
            .field("demo_password", &redacted(&self.demo_password))
            .field("secure_cookies", &self.secure_cookies)
            .finish()
    }
}
