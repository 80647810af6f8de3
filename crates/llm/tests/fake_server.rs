//! The client against a local server that speaks the OpenAI chat-completions protocol,
//! including streaming (server-sent events), errors, slowness and garbage.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use llm::{Budget, Client, LlmError, Message, ModelConfig, Piece};
use serde_json::{Value, json};

#[derive(Clone, Default)]
struct Fake {
    calls: Arc<AtomicU32>,
}

fn sse(events: Vec<String>, stall_after: Option<usize>) -> Response {
    let stream =
        futures::stream::iter(events.into_iter().enumerate()).then(move |(i, e)| async move {
            if stall_after.is_some_and(|n| i >= n) {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            Ok::<_, std::io::Error>(format!("data: {e}\n\n"))
        });
    Response::builder()
        .header("content-type", "text/event-stream")
        .body(Body::from_stream(stream))
        .unwrap()
}

fn chunk(text: &str) -> String {
    json!({"choices": [{"index": 0, "delta": {"content": text}}]}).to_string()
}

async fn completions(State(fake): State<Fake>, Json(request): Json<Value>) -> Response {
    let call = fake.calls.fetch_add(1, Ordering::SeqCst);
    let answer = |text: &str| {
        Json(json!({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30}
        }))
        .into_response()
    };
    match request["model"].as_str().unwrap_or("") {
        "ok" => {
            assert_eq!(request["messages"][0]["role"], "system");
            assert!(request["max_tokens"].as_u64().unwrap() <= 100);
            answer("您好，我们的体验课是免费的。")
        }
        "flaky" if call == 0 => (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response(),
        "flaky" => answer("第二次成功"),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            answer("太慢了")
        }
        "garbage" => (StatusCode::OK, "<html>not json</html>").into_response(),
        "bad-key" => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"message": "Incorrect API key provided"}})),
        )
            .into_response(),
        "stream" => sse(
            vec![
                chunk("您好，"),
                chunk("体验课"),
                chunk("免费。"),
                json!({"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 6, "total_tokens": 11}}).to_string(),
                "[DONE]".to_owned(),
            ],
            None,
        ),
        "stream-stall" => sse(vec![chunk("您好，"), chunk("永远等不到")], Some(1)),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn fake_server() -> (String, Fake) {
    let fake = Fake::default();
    let app = axum::Router::new()
        .route("/v1/chat/completions", axum::routing::post(completions))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}/v1/"), fake)
}

fn client(base_url: &str, model: &str) -> Client {
    Client::new(ModelConfig {
        base_url: base_url.to_owned(),
        model: model.to_owned(),
        api_key: "sk-test".to_owned(),
        timeout: Duration::from_millis(500),
        max_retries: 2,
    })
    .unwrap()
}

fn messages() -> Vec<Message> {
    vec![
        Message::system("你是少儿编程课程顾问"),
        Message::user("体验课收费吗"),
    ]
}

#[tokio::test]
async fn a_completion_and_its_tokens() {
    let (url, _) = fake_server().await;
    let mut budget = Budget::new(1_000);
    let answer = client(&url, "ok")
        .complete(&messages(), 100, &mut budget)
        .await
        .unwrap();
    assert_eq!(answer.text, "您好，我们的体验课是免费的。");
    assert_eq!(budget.used, 30);
}

#[tokio::test]
async fn transient_failures_are_retried_and_others_are_not() {
    let (url, fake) = fake_server().await;
    let mut budget = Budget::new(1_000);
    let answer = client(&url, "flaky")
        .complete(&messages(), 100, &mut budget)
        .await
        .unwrap();
    assert_eq!(answer.text, "第二次成功");
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2);

    let (url, fake) = fake_server().await;
    let error = client(&url, "bad-key")
        .complete(&messages(), 100, &mut budget)
        .await
        .unwrap_err();
    assert_eq!(
        error,
        LlmError::Http {
            status: 401,
            message: "Incorrect API key provided".into()
        }
    );
    assert_eq!(
        fake.calls.load(Ordering::SeqCst),
        1,
        "a wrong key is not retried"
    );
}

#[tokio::test]
async fn slowness_and_garbage_end_in_clear_errors() {
    let (url, fake) = fake_server().await;
    let mut budget = Budget::new(1_000);
    let started = std::time::Instant::now();
    let error = client(&url, "slow")
        .complete(&messages(), 100, &mut budget)
        .await
        .unwrap_err();
    assert_eq!(error, LlmError::Timeout);
    assert_eq!(
        fake.calls.load(Ordering::SeqCst),
        3,
        "one try and two retries"
    );
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "bounded by the timeouts"
    );
    assert_eq!(error.to_string(), "大模型响应超时");

    let error = client(&url, "garbage")
        .complete(&messages(), 100, &mut budget)
        .await
        .unwrap_err();
    assert_eq!(error, LlmError::Garbage);
    let error = client("http://127.0.0.1:9/v1", "ok")
        .complete(&messages(), 100, &mut budget)
        .await
        .unwrap_err();
    assert!(matches!(error, LlmError::Connect(_)));
}

#[tokio::test]
async fn streamed_pieces_arrive_in_order_and_a_stall_times_out() {
    let (url, _) = fake_server().await;
    let budget = Budget::new(1_000);
    let pieces: Vec<_> = client(&url, "stream")
        .stream(&messages(), 100, &budget)
        .await
        .unwrap()
        .collect()
        .await;
    let text: String = pieces
        .iter()
        .filter_map(|p| match p {
            Ok(Piece::Text(t)) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(text, "您好，体验课免费。");
    assert!(pieces.contains(&Ok(Piece::Usage(llm::Usage {
        prompt_tokens: 5,
        completion_tokens: 6,
        total_tokens: 11
    }))));

    let pieces: Vec<_> = client(&url, "stream-stall")
        .stream(&messages(), 100, &budget)
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(
        pieces,
        vec![Ok(Piece::Text("您好，".into())), Err(LlmError::Timeout)]
    );
}

#[tokio::test]
async fn a_spent_budget_stops_before_calling() {
    let (url, fake) = fake_server().await;
    let mut budget = Budget {
        limit: 100,
        used: 100,
    };
    let error = client(&url, "ok")
        .complete(&messages(), 100, &mut budget)
        .await
        .unwrap_err();
    assert_eq!(error, LlmError::BudgetExceeded);
    assert_eq!(fake.calls.load(Ordering::SeqCst), 0);
}
