//! The Lambda Runtime API (2018-06-01) that processors poll, on its own
//! listener: `AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT` runs the unmodified
//! `processor` binary or anything built on lambda_runtime. One queue serves
//! every flow's processor; `Lambda-Runtime-Invoked-Function-Arn` says which
//! function the event was for.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::flow;
use crate::ids;
use crate::invocations::Unanswerable;
use crate::shared::Shared;

/// The Runtime API's routes.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(response),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(init_error))
        .with_state(shared)
}

/// Counts a waiting `…/next` request while it lives (and says so to
/// watchers of the change counter).
struct Waiting<'a>(&'a Shared);

impl<'a> Waiting<'a> {
    fn new(shared: &'a Shared) -> Self {
        {
            let mut invocations = shared.invocations();
            invocations.waiting += 1;
            invocations.seen();
        }
        shared.changed();
        Self(shared)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        {
            let mut invocations = self.0.invocations();
            invocations.waiting -= 1;
            invocations.seen();
        }
        self.0.supervisor.notify_one();
        self.0.changed();
    }
}

async fn next(State(shared): State<Arc<Shared>>) -> Response {
    let mut closing = shared.closing.subscribe();
    let mut waiting = None;
    let job = loop {
        let notified = shared.queued.notified();
        {
            let mut invocations = shared.invocations();
            if let Some(job) = invocations.queue.pop_front() {
                job.delivered.store(true, Ordering::SeqCst);
                invocations.seen();
                invocations
                    .in_flight
                    .insert(job.request_id.clone(), job.clone());
                break job;
            }
        }
        waiting.get_or_insert_with(|| Waiting::new(&shared));
        tokio::select! {
            () = notified => {}
            _ = closing.wait_for(|closing| *closing) => {
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    axum::Json(serde_json::json!({
                        "errorMessage": "the emulator is shutting down",
                        "errorType": "ServiceException"
                    })),
                )
                    .into_response();
            }
        }
    };
    drop(waiting);
    let timeout = shared.config.processor_timeout;
    let deadline_ms = ids::now_ms() + timeout.as_millis();
    tracing::info!(message_id = %job.message_id, attempt = job.attempt + 1, "invocation picked up");
    let watcher = shared.clone();
    let request_id = job.request_id.clone();
    let attempt = job.attempt;
    tokio::spawn(async move {
        let mut closing = watcher.closing.subscribe();
        tokio::select! {
            () = tokio::time::sleep(timeout + Duration::from_millis(50)) => {}
            _ = closing.wait_for(|closing| *closing) => return,
        }
        // A retry keeps the request id: only this attempt's entry expires.
        let expired = {
            let mut invocations = watcher.invocations();
            let mine = invocations
                .in_flight
                .get(&request_id)
                .is_some_and(|j| j.attempt == attempt);
            if mine {
                invocations.finish(&request_id).ok()
            } else {
                None
            }
        };
        if let Some(job) = expired {
            watcher.supervisor.notify_one();
            flow::failed(&watcher, job, "deadline passed");
        }
    });
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set("lambda-runtime-aws-request-id", &job.request_id);
    set("lambda-runtime-deadline-ms", &deadline_ms.to_string());
    set("lambda-runtime-invoked-function-arn", &job.function_arn);
    set(
        "lambda-runtime-trace-id",
        &format!(
            "Root=1-{}-{};Parent={};Sampled=0",
            &ids::random_hex(8),
            ids::random_hex(24),
            ids::random_hex(16)
        ),
    );
    set("content-type", "application/json");
    (StatusCode::OK, headers, job.event).into_response()
}

/// Why `…/response` or `…/error` was refused, as the Lambda Runtime
/// Interface Emulator answers it: an id never handed out is a 400
/// InvalidRequestID; a second answer for one already answered is a 403
/// InvalidStateTransition (the runtime is past that invocation).
fn unanswerable(why: Unanswerable) -> Response {
    let (status, kind, message) = match why {
        Unanswerable::Unknown => (
            StatusCode::BAD_REQUEST,
            "InvalidRequestID",
            "no invocation with this request id was handed out",
        ),
        Unanswerable::AlreadyAnswered => (
            StatusCode::FORBIDDEN,
            "InvalidStateTransition",
            "this invocation was already answered (or its deadline passed)",
        ),
    };
    (
        status,
        axum::Json(serde_json::json!({"errorMessage": message, "errorType": kind})),
    )
        .into_response()
}

fn accepted() -> Response {
    (
        StatusCode::ACCEPTED,
        axum::Json(serde_json::json!({"status": "OK"})),
    )
        .into_response()
}

async fn response(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let finished = {
        let mut invocations = shared.invocations();
        let finished = invocations.finish(&id);
        if finished.is_ok() {
            invocations.succeeded += 1;
            invocations.seen();
        }
        finished
    };
    shared.supervisor.notify_one();
    match finished {
        Ok(job) => {
            tracing::info!(message_id = %job.message_id, "invocation succeeded");
            shared.changed();
            accepted()
        }
        Err(why) => unanswerable(why),
    }
}

/// The function's error type, from the header or the body's `errorType`
/// (never its `errorMessage`: that may quote message content).
fn error_type(headers: &HeaderMap, body: &[u8]) -> String {
    let parsed: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    parsed["errorType"]
        .as_str()
        .or_else(|| {
            headers
                .get("lambda-runtime-function-error-type")
                .and_then(|v| v.to_str().ok())
        })
        .unwrap_or("Unhandled")
        .chars()
        .take(100)
        .collect()
}

async fn error(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let finished = {
        let mut invocations = shared.invocations();
        let finished = invocations.finish(&id);
        if finished.is_ok() {
            invocations.seen();
        }
        finished
    };
    shared.supervisor.notify_one();
    match finished {
        Ok(job) => {
            let kind = error_type(&headers, &body);
            flow::failed(&shared, job, &format!("function error {kind}"));
            shared.changed();
            accepted()
        }
        Err(why) => unanswerable(why),
    }
}

/// `…/init/error`: the processor could not start. On Lambda the
/// invocation that started the execution environment fails with it (and
/// an async invocation is retried); here that is the invocation at the
/// front of the queue, the one this processor would have been handed
/// next: it counts as failed, and Lambda's retries follow. It did reach
/// the function, so the flow's fallback never applies to it. With
/// nothing queued there is nothing to fail: the error is only logged.
async fn init_error(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let kind = error_type(&headers, &body);
    tracing::error!(error_type = %kind, "the processor failed to initialise");
    let pending = shared.invocations().queue.pop_front();
    if let Some(job) = pending {
        job.delivered.store(true, Ordering::SeqCst);
        shared.supervisor.notify_one();
        flow::failed(&shared, job, &format!("init error {kind}"));
        shared.changed();
    }
    accepted()
}
