//! A client for OpenAI-compatible chat-completion APIs: one request, or a stream of text
//! pieces as the model writes them. Timeouts bound every call, transient failures (timeouts,
//! 429, 5xx) are retried with back-off, and a token budget stops a conversation that would
//! cost too much. Errors say what went wrong in words a user can act on.

use std::time::Duration;

use eventsource_stream::Eventsource;
use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};

/// One configured model (大模型配置): where it is and how to call it.
#[derive(Clone)]
pub struct ModelConfig {
    /// E.g. `https://dashscope.aliyuncs.com/compatible-mode/v1`; `/chat/completions` is appended.
    pub base_url: String,
    pub model: String,
    pub api_key: String,
    /// Time allowed for the whole answer (or, when streaming, for each piece).
    pub timeout: Duration,
    /// Further attempts after a transient failure.
    pub max_retries: u32,
}

impl std::fmt::Debug for ModelConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// `system`, `user` or `assistant`.
    pub role: String,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: "system".into(),
            content: content.into(),
        }
    }
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: "user".into(),
            content: content.into(),
        }
    }
    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: "assistant".into(),
            content: content.into(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Usage {
    #[serde(default)]
    pub prompt_tokens: u32,
    #[serde(default)]
    pub completion_tokens: u32,
    #[serde(default)]
    pub total_tokens: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub usage: Usage,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LlmError {
    #[error("大模型响应超时")]
    Timeout,
    #[error("无法连接大模型服务：{0}")]
    Connect(String),
    #[error("大模型服务返回错误 {status}：{message}")]
    Http { status: u16, message: String },
    #[error("大模型返回了无法解析的内容")]
    Garbage,
    #[error("本次通话的大模型 token 预算已用完")]
    BudgetExceeded,
}

impl LlmError {
    /// Worth another attempt: the same request may succeed a moment later.
    fn is_transient(&self) -> bool {
        match self {
            LlmError::Timeout | LlmError::Connect(_) => true,
            LlmError::Http { status, .. } => *status == 429 || *status >= 500,
            LlmError::Garbage | LlmError::BudgetExceeded => false,
        }
    }
}

/// Tokens a conversation may still spend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub limit: u32,
    pub used: u32,
}

impl Budget {
    pub fn new(limit: u32) -> Self {
        Self { limit, used: 0 }
    }

    pub fn remaining(&self) -> u32 {
        self.limit.saturating_sub(self.used)
    }

    pub fn spend(&mut self, usage: Usage) {
        self.used = self.used.saturating_add(usage.total_tokens);
    }
}

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    messages: &'a [Message],
    max_tokens: u32,
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_options: Option<StreamOptions>,
}

#[derive(Serialize)]
struct StreamOptions {
    include_usage: bool,
}

#[derive(Deserialize)]
struct Response {
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    message: Option<ChoiceMessage>,
    #[serde(default)]
    delta: Option<ChoiceMessage>,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    #[serde(default)]
    content: Option<String>,
}

/// A piece of a streamed answer: text, and the usage when the server reports it at the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Usage(Usage),
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: ModelConfig,
}

impl Client {
    pub fn new(config: ModelConfig) -> Result<Self, LlmError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| LlmError::Connect(e.to_string()))?;
        Ok(Self { http, config })
    }

    fn url(&self) -> String {
        format!(
            "{}/chat/completions",
            self.config.base_url.trim_end_matches('/')
        )
    }

    fn max_tokens(budget: &Budget, wanted: u32) -> Result<u32, LlmError> {
        match budget.remaining() {
            0 => Err(LlmError::BudgetExceeded),
            left => Ok(wanted.min(left)),
        }
    }

    async fn send(
        &self,
        body: &Request<'_>,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, LlmError> {
        let mut request = self
            .http
            .post(self.url())
            .bearer_auth(&self.config.api_key)
            .json(body);
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        let response = request.send().await.map_err(classify)?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let text = response.text().await.unwrap_or_default();
        Err(LlmError::Http {
            status: status.as_u16(),
            message: error_message(&text),
        })
    }

    /// Retries transient failures with growing pauses (0.2 s, 0.4 s, 0.8 s …).
    async fn with_retries<T, F, Fut>(&self, mut attempt: F) -> Result<T, LlmError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, LlmError>>,
    {
        let mut tries = 0;
        loop {
            match attempt().await {
                Err(error) if error.is_transient() && tries < self.config.max_retries => {
                    tries += 1;
                    tracing::warn!(%error, tries, model = %self.config.model, "retrying the model");
                    tokio::time::sleep(Duration::from_millis(200 << (tries - 1).min(5))).await;
                }
                other => return other,
            }
        }
    }

    /// The whole answer at once; its tokens are taken from the budget.
    pub async fn complete(
        &self,
        messages: &[Message],
        max_tokens: u32,
        budget: &mut Budget,
    ) -> Result<Completion, LlmError> {
        let body = Request {
            model: &self.config.model,
            messages,
            max_tokens: Self::max_tokens(budget, max_tokens)?,
            stream: false,
            stream_options: None,
        };
        let completion = self
            .with_retries(|| async {
                let response = self.send(&body, Some(self.config.timeout)).await?;
                let parsed: Response = response.json().await.map_err(|e| {
                    if e.is_timeout() {
                        LlmError::Timeout
                    } else {
                        LlmError::Garbage
                    }
                })?;
                let text = parsed
                    .choices
                    .into_iter()
                    .next()
                    .and_then(|c| c.message)
                    .and_then(|m| m.content)
                    .ok_or(LlmError::Garbage)?;
                Ok(Completion {
                    text,
                    usage: parsed.usage.unwrap_or_default(),
                })
            })
            .await?;
        budget.spend(completion.usage);
        Ok(completion)
    }

    /// The answer piece by piece. Connecting is retried; a stream that breaks midway ends
    /// with its error (the caller has already used the first pieces). Each piece must arrive
    /// within the timeout.
    pub async fn stream(
        &self,
        messages: &[Message],
        max_tokens: u32,
        budget: &Budget,
    ) -> Result<impl Stream<Item = Result<Piece, LlmError>> + use<>, LlmError> {
        let body = Request {
            model: &self.config.model,
            messages,
            max_tokens: Self::max_tokens(budget, max_tokens)?,
            stream: true,
            stream_options: Some(StreamOptions {
                include_usage: true,
            }),
        };
        let response = self.with_retries(|| self.send(&body, None)).await?;
        let timeout = self.config.timeout;
        let events = response.bytes_stream().eventsource();
        Ok(futures::stream::unfold(
            Some(Box::pin(events)),
            move |state| async move {
                let mut events = state?;
                loop {
                    let next = match tokio::time::timeout(timeout, events.next()).await {
                        Err(_) => return Some((Err(LlmError::Timeout), None)),
                        Ok(None) => return None,
                        Ok(Some(Err(_))) => return Some((Err(LlmError::Garbage), None)),
                        Ok(Some(Ok(event))) => event,
                    };
                    if next.data.trim() == "[DONE]" {
                        return None;
                    }
                    let Ok(chunk) = serde_json::from_str::<Response>(&next.data) else {
                        return Some((Err(LlmError::Garbage), None));
                    };
                    let text: String = chunk
                        .choices
                        .into_iter()
                        .filter_map(|c| c.delta.and_then(|d| d.content))
                        .collect();
                    if !text.is_empty() {
                        return Some((Ok(Piece::Text(text)), Some(events)));
                    }
                    if let Some(usage) = chunk.usage {
                        return Some((Ok(Piece::Usage(usage)), Some(events)));
                    }
                }
            },
        ))
    }
}

fn classify(error: reqwest::Error) -> LlmError {
    if error.is_timeout() {
        LlmError::Timeout
    } else {
        LlmError::Connect(error.to_string())
    }
}

/// The provider's own error message when it sends the usual `{"error": {"message": …}}`.
fn error_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| body.chars().take(200).collect())
}
