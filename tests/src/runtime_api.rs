//! A Lambda Runtime API on 127.0.0.1, as AWS specifies it (2018-06-01).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::{Notify, mpsc, oneshot};

/// How an invocation ended, as the function reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvocationResult {
    /// `POST /runtime/invocation/{id}/response`.
    Response(serde_json::Value),
    /// `POST /runtime/invocation/{id}/error`.
    Error {
        /// The body's errorType, else `Lambda-Runtime-Function-Error-Type`.
        error_type: String,
        /// The body's errorMessage.
        message: String,
    },
}

struct Pending {
    request_id: String,
    deadline_ms: u64,
    event: Vec<u8>,
}

#[derive(Default)]
struct Shared {
    waiting: Mutex<HashMap<String, oneshot::Sender<InvocationResult>>>,
    init_error: Mutex<Option<InvocationResult>>,
    init_failed: Notify,
    counter: Mutex<u64>,
}

#[derive(Clone)]
struct AppState {
    shared: Arc<Shared>,
    queue: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Pending>>>,
}

/// A running Runtime API.
pub struct RuntimeApi {
    address: SocketAddr,
    sender: mpsc::UnboundedSender<Pending>,
    shared: Arc<Shared>,
}

impl RuntimeApi {
    /// Starts a server on an ephemeral port of 127.0.0.1.
    pub async fn start() -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared::default());
        let state = AppState {
            shared: shared.clone(),
            queue: Arc::new(tokio::sync::Mutex::new(receiver)),
        };
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            address,
            sender,
            shared,
        }
    }

    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`.
    pub fn address(&self) -> String {
        self.address.to_string()
    }

    /// Queues `event` for the function with a deadline `timeout` from now,
    /// and waits for its result.
    pub async fn invoke(&self, event: &[u8], timeout: Duration) -> InvocationResult {
        let request_id = {
            let mut counter = self.shared.counter.lock().unwrap();
            *counter += 1;
            format!("00000000-0000-4000-8000-{:012}", *counter)
        };
        let deadline = SystemTime::now() + timeout;
        let deadline_ms = deadline.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
        let (done, result) = oneshot::channel();
        self.shared
            .waiting
            .lock()
            .unwrap()
            .insert(request_id.clone(), done);
        self.sender
            .send(Pending {
                request_id,
                deadline_ms,
                event: event.to_vec(),
            })
            .expect("server running");
        result.await.expect("the function answered")
    }

    /// Waits for the function to report an init error.
    pub async fn init_error(&self) -> InvocationResult {
        loop {
            let notified = self.shared.init_failed.notified();
            if let Some(result) = self.shared.init_error.lock().unwrap().clone() {
                return result;
            }
            notified.await;
        }
    }
}

async fn next(State(state): State<AppState>) -> Response {
    let mut queue = state.queue.lock().await;
    let Some(pending) = queue.recv().await else {
        return StatusCode::GONE.into_response();
    };
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: String| {
        headers.insert(name, HeaderValue::from_str(&value).expect("header value"));
    };
    set("lambda-runtime-aws-request-id", pending.request_id);
    set(
        "lambda-runtime-deadline-ms",
        pending.deadline_ms.to_string(),
    );
    set(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:us-east-1:111122223333:function:chimeflow-processor".into(),
    );
    set(
        "lambda-runtime-trace-id",
        "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1".into(),
    );
    set("content-type", "application/json".into());
    (StatusCode::OK, headers, pending.event).into_response()
}

fn finish(state: &AppState, id: &str, result: InvocationResult) -> StatusCode {
    match state.shared.waiting.lock().unwrap().remove(id) {
        Some(done) => {
            let _ = done.send(result);
            StatusCode::ACCEPTED
        }
        None => StatusCode::BAD_REQUEST,
    }
}

async fn response(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> StatusCode {
    let value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&body).into()));
    finish(&state, &id, InvocationResult::Response(value))
}

fn error_of(headers: &HeaderMap, body: &[u8]) -> InvocationResult {
    let parsed: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let error_type = parsed["errorType"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get("lambda-runtime-function-error-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    InvocationResult::Error {
        error_type,
        message: parsed["errorMessage"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    }
}

async fn error(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    finish(&state, &id, error_of(&headers, &body))
}

async fn init_error(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    *state.shared.init_error.lock().unwrap() = Some(error_of(&headers, &body));
    state.shared.init_failed.notify_waiters();
    StatusCode::ACCEPTED
}
