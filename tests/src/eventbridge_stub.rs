//! A scripted stand-in for Amazon EventBridge on 127.0.0.1.
//!
//! EventBridge speaks AWS JSON 1.1 (as aws-sdk-eventbridge sends it):
//! `POST /` with `X-Amz-Target: AWSEvents.PutEvents` and `Content-Type:
//! application/x-amz-json-1.1`. Each PutEvents request gets the next
//! [`EventBridgeReply`] of the script, then [`EventBridgeReply::Accept`]
//! once the script is used up. Errors carry their code both in
//! `x-amzn-errortype` and in the body's `__type`, as for Comprehend.
//!
//! The stand-in records every request with its arrival time (the
//! [`RecordedRequest::arrived`] instant), so that a test can put it in order
//! with the callback the Chime stand-in recorded.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::RecordedRequest;
use crate::chime_stub::read_request;

/// How to answer one PutEvents request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventBridgeReply {
    /// 200, every entry accepted: `{"FailedEntryCount": 0, "Entries":
    /// [{"EventId": ...}, ...]}`, one per entry sent.
    Accept,
    /// 200, the first `failed` entries refused with `code` (e.g.
    /// `InternalFailure`), the rest accepted, as PutEvents reports a partial
    /// failure: `FailedEntryCount` and, per refused entry, `ErrorCode` and
    /// `ErrorMessage` in its place.
    PartialFailure {
        /// How many entries are refused (from the first).
        failed: usize,
        /// Their `ErrorCode`.
        code: String,
    },
    /// An error status with its code, e.g. 400 `ThrottlingException`.
    Error {
        /// The HTTP status.
        status: u16,
        /// The error code, for `x-amzn-errortype` and `__type`.
        code: String,
    },
    /// Never answer (the connection stays open until the client closes it).
    Hang,
}

impl EventBridgeReply {
    /// The first `failed` entries refused with `InternalFailure`.
    pub fn partial_failure(failed: usize) -> Self {
        EventBridgeReply::PartialFailure {
            failed,
            code: "InternalFailure".into(),
        }
    }

    /// 500 `InternalException` (modelled for PutEvents).
    pub fn internal_error() -> Self {
        EventBridgeReply::Error {
            status: 500,
            code: "InternalException".into(),
        }
    }

    /// EventBridge's throttling: 400 `ThrottlingException` (the AWS JSON
    /// protocols' common throttling error; PutEvents does not model it).
    pub fn throttled() -> Self {
        EventBridgeReply::Error {
            status: 400,
            code: "ThrottlingException".into(),
        }
    }
}

#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<EventBridgeReply>>,
    requests: Mutex<Vec<RecordedRequest<EventBridgeReply>>>,
    probes: Mutex<Vec<RecordedRequest<EventBridgeReply>>>,
    /// Events accepted so far (each entry of an accepted request, or the
    /// accepted entries of a partial failure).
    accepted: Mutex<u64>,
}

/// A running stand-in; it stops when the test's runtime does.
pub struct EventBridgeStub {
    address: SocketAddr,
    shared: Arc<Shared>,
}

impl EventBridgeStub {
    /// Starts the server with a script of replies, one per PutEvents
    /// request in order of arrival.
    pub async fn start(script: Vec<EventBridgeReply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let shared = Arc::new(Shared {
            script: Mutex::new(script.into()),
            ..Shared::default()
        });
        let serving = shared.clone();
        tokio::spawn(async move {
            let mut connection = 0;
            while let Ok((stream, _)) = listener.accept().await {
                connection += 1;
                tokio::spawn(serve(stream, serving.clone(), connection));
            }
        });
        Self { address, shared }
    }

    /// `http://127.0.0.1:port`, for `AWS_ENDPOINT_URL_EVENTBRIDGE`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every API request (POST) so far, in order of arrival, with the reply
    /// each got.
    pub fn requests(&self) -> Vec<RecordedRequest<EventBridgeReply>> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Every entry sent so far, in order: each request's `Entries`.
    pub fn entries(&self) -> Vec<Value> {
        self.requests()
            .iter()
            .flat_map(|r| r.json()["Entries"].as_array().cloned().unwrap_or_default())
            .collect()
    }

    /// The `Detail` of every entry sent so far, parsed.
    pub fn details(&self) -> Vec<Value> {
        self.entries()
            .iter()
            .map(|e| {
                serde_json::from_str(e["Detail"].as_str().expect("a Detail string"))
                    .expect("a JSON Detail")
            })
            .collect()
    }

    /// Requests that were not POSTs, answered 403; they use no script.
    pub fn probes(&self) -> Vec<RecordedRequest<EventBridgeReply>> {
        self.shared.probes.lock().unwrap().clone()
    }

    /// Events accepted so far.
    pub fn accepted(&self) -> u64 {
        *self.shared.accepted.lock().unwrap()
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>, connection: u64) {
    let mut buffer = Vec::new();
    loop {
        let Some((method, target, headers, body)) = read_request(&mut stream, &mut buffer).await
        else {
            return;
        };
        let arrived = Instant::now();
        let mut recorded = RecordedRequest {
            method,
            target,
            headers,
            body,
            reply: EventBridgeReply::Hang,
            connection,
            arrived,
        };
        if recorded.method != "POST" {
            let answer = error_response(403, "MissingAuthenticationTokenException");
            recorded.reply = EventBridgeReply::Error {
                status: 403,
                code: "MissingAuthenticationTokenException".into(),
            };
            shared.probes.lock().unwrap().push(recorded);
            if stream.write_all(&answer).await.is_err() {
                return;
            }
            continue;
        }
        let reply = if recorded.operation() == Some("PutEvents") {
            shared
                .script
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or(EventBridgeReply::Accept)
        } else {
            EventBridgeReply::Error {
                status: 400,
                code: "UnknownOperationException".into(),
            }
        };
        let count = serde_json::from_slice::<Value>(&recorded.body)
            .ok()
            .and_then(|b| b["Entries"].as_array().map(Vec::len))
            .unwrap_or(0);
        recorded.reply = reply.clone();
        shared.requests.lock().unwrap().push(recorded);
        let answer = match &reply {
            EventBridgeReply::Accept => {
                *shared.accepted.lock().unwrap() += count as u64;
                put_events_response(count, 0, "")
            }
            EventBridgeReply::PartialFailure { failed, code } => {
                let failed = (*failed).min(count);
                *shared.accepted.lock().unwrap() += (count - failed) as u64;
                put_events_response(count, failed, code)
            }
            EventBridgeReply::Error { status, code } => error_response(*status, code),
            EventBridgeReply::Hang => {
                // Keep the connection open and silent until the client gives up.
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                return;
            }
        };
        if stream.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// PutEvents' answer for `count` entries, the first `failed` refused.
fn put_events_response(count: usize, failed: usize, code: &str) -> Vec<u8> {
    let entries: Vec<Value> = (0..count)
        .map(|i| {
            if i < failed {
                json!({"ErrorCode": code, "ErrorMessage": "refused by the stand-in"})
            } else {
                json!({"EventId": format!("11111111-2222-3333-4444-{i:012}")})
            }
        })
        .collect();
    let body = json!({"FailedEntryCount": failed, "Entries": entries}).to_string();
    response(200, None, &body)
}

fn error_response(status: u16, code: &str) -> Vec<u8> {
    let body = json!({"__type": code, "message": "from the EventBridge stand-in"}).to_string();
    response(status, Some(code), &body)
}

fn response(status: u16, code: Option<&str>, body: &str) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nx-amzn-requestid: 11111111-2222-3333-4444-555555555555\r\n",
        body.len()
    );
    if let Some(code) = code {
        head.push_str(&format!("x-amzn-errortype: {code}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}
