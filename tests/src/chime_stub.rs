//! A scripted stand-in for Chime SDK Messaging on 127.0.0.1.
//!
//! Each request gets the next [`Reply`] of the script (200 with the
//! ChannelFlowCallback response once the script is used up). Errors carry
//! their code in `x-amzn-errortype`, as the service does (the SDK ignores
//! the body's `Code`).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How to answer one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// 200 with `{"CallbackId", "ChannelArn"}`.
    Ok,
    /// An error status with its code, e.g. `(429, "ThrottledClientException")`.
    Error {
        /// The HTTP status.
        status: u16,
        /// The error code for `x-amzn-errortype`.
        code: &'static str,
        /// The message.
        message: &'static str,
    },
    /// Close the connection with a TCP reset, answering nothing.
    Reset,
    /// Never answer (the connection stays open).
    Hang,
}

impl Reply {
    /// 429 ThrottledClientException.
    pub fn throttled() -> Self {
        Reply::Error {
            status: 429,
            code: "ThrottledClientException",
            message: "Rate exceeded",
        }
    }

    /// A 5xx: 500 ServiceFailureException or 503 ServiceUnavailableException.
    pub fn server(status: u16) -> Self {
        let code = if status == 503 {
            "ServiceUnavailableException"
        } else {
            "ServiceFailureException"
        };
        Reply::Error {
            status,
            code,
            message: "Service failure",
        }
    }

    /// A 400 BadRequestException, which Chime answers to a callback for a
    /// message already resolved (and to a request it refuses). The message
    /// text is deliberately not the service's: the processor must decide by
    /// code and attempt history alone.
    pub fn bad_request() -> Self {
        Reply::Error {
            status: 400,
            code: "BadRequestException",
            message: "wording a processor must not depend on",
        }
    }
}

/// One request as received, with the reply it got: a [`Reply`] from the
/// Chime stand-in, a [`ComprehendReply`](crate::ComprehendReply) from the
/// Comprehend one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest<R = Reply> {
    /// The method.
    pub method: String,
    /// The request target: path and query, as sent (percent-encoded).
    pub target: String,
    /// The headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The reply it got.
    pub reply: R,
    /// Which TCP connection carried it (1 for the first accepted).
    pub connection: u64,
    /// When the whole request (head and body) had been read.
    pub arrived: Instant,
}

impl<R> RecordedRequest<R> {
    /// The first header of this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The operation of a JSON-protocol request (DynamoDB, Comprehend): what
    /// follows the `.` in `x-amz-target`, e.g. `DetectToxicContent`.
    pub fn operation(&self) -> Option<&str> {
        self.header("x-amz-target")
            .and_then(|target| target.split_once('.'))
            .map(|(_, operation)| operation)
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    requests: Mutex<Vec<RecordedRequest>>,
    probes: Mutex<Vec<RecordedRequest>>,
}

/// A running stand-in.
pub struct ChimeStub {
    address: SocketAddr,
    shared: Arc<Shared>,
}

impl ChimeStub {
    /// Starts the server with a script of replies.
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let shared = Arc::new(Shared {
            script: Mutex::new(script.into()),
            requests: Mutex::default(),
            probes: Mutex::default(),
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

    /// `http://127.0.0.1:port`, for `AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Every API request (POST) so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Unsigned GET requests (connection warm-up), answered 403 as the
    /// service answers a request without credentials; they use no script.
    pub fn probes(&self) -> Vec<RecordedRequest> {
        self.shared.probes.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>, connection: u64) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let arrived = Instant::now();
        if request.0 == "GET" {
            let (method, target, headers, body) = request;
            let reply = Reply::Error {
                status: 403,
                code: "MissingAuthenticationTokenException",
                message: "Missing Authentication Token",
            };
            shared.probes.lock().unwrap().push(RecordedRequest {
                method,
                target,
                headers,
                body,
                reply,
                connection,
                arrived,
            });
            let answer = response(
                403,
                Some("MissingAuthenticationTokenException"),
                r#"{"message":"Missing Authentication Token"}"#,
            );
            if stream.write_all(&answer).await.is_err() {
                return;
            }
            continue;
        }
        let reply = shared
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Reply::Ok);
        let (method, target, headers, body) = request;
        let answer = match &reply {
            Reply::Ok => {
                let sent: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let arn = target
                    .split('?')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("/channels/")
                    .to_owned();
                let body = serde_json::json!({"CallbackId": sent["CallbackId"], "ChannelArn": arn})
                    .to_string();
                Some(response(200, None, &body))
            }
            Reply::Error {
                status,
                code,
                message,
            } => {
                let body = serde_json::json!({"Code": code, "Message": message}).to_string();
                Some(response(*status, Some(code), &body))
            }
            Reply::Reset | Reply::Hang => None,
        };
        shared.requests.lock().unwrap().push(RecordedRequest {
            method,
            target,
            headers,
            body,
            reply: reply.clone(),
            connection,
            arrived,
        });
        match answer {
            Some(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            None if reply == Reply::Reset => {
                // Linger 0 makes the close a TCP reset; with a zero timeout
                // the drop does not block, which is the deprecation's concern.
                #[allow(deprecated)]
                let _ = stream.set_linger(Some(std::time::Duration::ZERO));
                return;
            }
            None => {
                // Hang: keep the connection open and silent until the client gives up.
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                return;
            }
        }
    }
}

fn response(status: u16, code: Option<&str>, body: &str) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-amzn-requestid: 11111111-2222-3333-4444-555555555555\r\n",
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

/// A request as read: method, target, headers (names lower-cased), body.
pub(crate) type Parsed = (String, String, Vec<(String, String)>, Vec<u8>);

/// Reads one HTTP/1.1 request (headers, then Content-Length bytes of body).
pub(crate) async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Parsed> {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        if let Ok(httparse::Status::Complete(head_len)) = request.parse(buffer) {
            let method = request.method?.to_owned();
            let target = request.path?.to_owned();
            let headers: Vec<(String, String)> = request
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_ascii_lowercase(),
                        String::from_utf8_lossy(h.value).into_owned(),
                    )
                })
                .collect();
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            while buffer.len() < head_len + length {
                if !fill(stream, buffer).await {
                    return None;
                }
            }
            let body = buffer[head_len..head_len + length].to_vec();
            buffer.drain(..head_len + length);
            return Some((method, target, headers, body));
        }
        if !fill(stream, buffer).await {
            return None;
        }
    }
}

async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            true
        }
    }
}
