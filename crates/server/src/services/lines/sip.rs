//! What the operator enters for a SIP trunk, the checks on it, and what the trunk keeps in
//! `lines.settings`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::services::{Error, Result};

const TRANSPORTS: [&str; 3] = ["udp", "tcp", "tls"];
const CODECS: [&str; 2] = ["PCMA", "PCMU"];
const STATUSES: [&str; 2] = ["active", "disabled"];
const MAX_NAME: usize = 50;
const MAX_CALLER_IDS: usize = 1_000;

/// What a SIP line keeps in `lines.settings`.
#[derive(Serialize, Deserialize, Default)]
pub(super) struct SipSettings {
    pub address: String,
    pub transport: String,
    pub username: String,
    pub caller_ids: Vec<String>,
    pub codecs: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct LineRequest {
    name: String,
    /// `host:port` (port 5060 when left out).
    address: String,
    /// `udp`, `tcp` or `tls`.
    transport: String,
    #[serde(default)]
    username: String,
    /// On update: null or absent keeps the stored password.
    pub(super) password: Option<String>,
    #[serde(default)]
    caller_ids: Vec<String>,
    /// `PCMA` and/or `PCMU`.
    codecs: Vec<String>,
    max_concurrency: i32,
    calls_per_second: i32,
    price_mfen_per_minute: i64,
    billing_increment_s: i32,
    /// `active` (default) or `disabled`.
    status: Option<String>,
}

/// A checked request: the columns and the settings document.
pub(super) struct CheckedLine {
    pub name: String,
    pub settings: SipSettings,
    pub max_concurrency: i32,
    pub calls_per_second: i32,
    pub price_mfen_per_minute: i64,
    pub billing_increment_s: i32,
    pub status: String,
}

fn check_address(address: &str) -> Result<String> {
    let address = address.trim();
    let bad = || {
        Error::validation(
            "address",
            "线路地址应为 主机:端口，例如 sip.example.com:5060 或 10.0.0.8:5060",
        )
    };
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().map_err(|_| bad())?),
        None => (address, 5060),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !host_ok || port == 0 {
        return Err(bad());
    }
    Ok(format!("{host}:{port}"))
}

pub(super) fn check(request: &LineRequest) -> Result<CheckedLine> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(Error::validation(
            "name",
            format!("线路名称不能为空，且不超过 {MAX_NAME} 个字"),
        ));
    }
    let address = check_address(&request.address)?;
    let transport = request.transport.trim().to_ascii_lowercase();
    if !TRANSPORTS.contains(&transport.as_str()) {
        return Err(Error::validation(
            "transport",
            "传输协议只能是 UDP、TCP 或 TLS",
        ));
    }
    let username = request.username.trim();
    if username.chars().count() > 100 {
        return Err(Error::validation("username", "账号不能超过 100 个字符"));
    }
    if request.caller_ids.len() > MAX_CALLER_IDS {
        return Err(Error::validation(
            "caller_ids",
            format!("主叫号码最多 {MAX_CALLER_IDS} 个"),
        ));
    }
    let mut caller_ids: Vec<String> = Vec::new();
    for text in request
        .caller_ids
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        let phone = domain::phone::normalize(text).map_err(|reason| {
            Error::validation("caller_ids", format!("主叫号码“{text}”：{reason}"))
        })?;
        if !caller_ids.contains(&phone.number) {
            caller_ids.push(phone.number);
        }
    }
    let mut codecs: Vec<String> = Vec::new();
    for codec in &request.codecs {
        let codec = codec.trim().to_ascii_uppercase();
        if !CODECS.contains(&codec.as_str()) {
            return Err(Error::validation(
                "codecs",
                format!("不支持的编码“{codec}”，可选 PCMA、PCMU"),
            ));
        }
        if !codecs.contains(&codec) {
            codecs.push(codec);
        }
    }
    if codecs.is_empty() {
        return Err(Error::validation("codecs", "请至少选择一种编码"));
    }
    if !(1..=10_000).contains(&request.max_concurrency) {
        return Err(Error::validation(
            "max_concurrency",
            "最大并发应在 1 到 10000 之间",
        ));
    }
    if !(1..=1_000).contains(&request.calls_per_second) {
        return Err(Error::validation(
            "calls_per_second",
            "每秒呼叫数应在 1 到 1000 之间",
        ));
    }
    if request.price_mfen_per_minute < 0 || request.price_mfen_per_minute > 100 * 100_000 {
        return Err(Error::validation(
            "price_mfen_per_minute",
            "单价应在 0 到 100 元/分钟之间",
        ));
    }
    if !(1..=60).contains(&request.billing_increment_s) {
        return Err(Error::validation(
            "billing_increment_s",
            "计费周期应在 1 到 60 秒之间",
        ));
    }
    let status = request.status.as_deref().unwrap_or("active").trim();
    if !STATUSES.contains(&status) {
        return Err(Error::validation("status", "状态只能是启用或停用"));
    }
    Ok(CheckedLine {
        name: name.to_owned(),
        settings: SipSettings {
            address,
            transport,
            username: username.to_owned(),
            caller_ids,
            codecs,
        },
        max_concurrency: request.max_concurrency,
        calls_per_second: request.calls_per_second,
        price_mfen_per_minute: request.price_mfen_per_minute,
        billing_increment_s: request.billing_increment_s,
        status: status.to_owned(),
    })
}
