//! A scripted stand-in for Amazon Comprehend on 127.0.0.1.
//!
//! Comprehend speaks AWS JSON 1.1 (as aws-sdk-comprehend 1.102 sends it):
//! `POST /` with `X-Amz-Target: Comprehend_20171127.<Operation>` and
//! `Content-Type: application/x-amz-json-1.1`. Each request gets the next
//! [`ComprehendReply`] queued for its operation, or that operation's default
//! once the queue is empty ([`ComprehendReply::Default`] unless
//! [`ComprehendStub::set_default`] changed it). Errors carry their code both
//! in `x-amzn-errortype` (which the SDK reads first) and in the body's
//! `__type` (which it reads otherwise).
//!
//! The stand-in records every request with its arrival time and counts the
//! requests it holds at once, so that a test can assert that calls ran
//! concurrently ([`ComprehendStub::max_in_flight`]).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::RecordedRequest;
use crate::chime_stub::read_request;

/// How to answer one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComprehendReply {
    /// The operation's default answer, computed from the request, after
    /// `delay`: DetectToxicContent one low-scoring result per segment
    /// received; DetectPiiEntities no entities; DetectDominantLanguage
    /// `en` at 0.99. An operation the stand-in does not know is answered 400
    /// `UnknownOperationException`.
    Default {
        /// How long to wait before answering.
        delay: Duration,
    },
    /// 200 with this body, after `delay`.
    Answer {
        /// The JSON body.
        body: Value,
        /// How long to wait before answering (e.g. 20 ms for a service's
        /// latency).
        delay: Duration,
    },
    /// A DetectPiiEntities answer computed from the request's `Text`: one
    /// entity (score 0.99) for each occurrence of each `(type, substring)`,
    /// in order of offset; see [`ComprehendReply::pii_finding`].
    PiiFinding {
        /// `(PiiEntityType, substring)` pairs, e.g. `("NAME", "Jane Doe")`.
        found: Vec<(String, String)>,
        /// How long to wait before answering.
        delay: Duration,
    },
    /// An error status with its code, e.g. 429 `TooManyRequestsException`.
    Error {
        /// The HTTP status.
        status: u16,
        /// The error code, for `x-amzn-errortype` and `__type`.
        code: String,
        /// The message.
        message: String,
    },
    /// 200 with a body of the wrong shape for every operation:
    /// `ResultList`, `Entities` and `Languages` are strings, not lists.
    Malformed,
    /// This status and body as they are (e.g. truncated JSON).
    Raw {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: String,
    },
    /// Close the connection with a TCP reset, answering nothing.
    Reset,
    /// Never answer (the connection stays open until the client closes it).
    Hang,
}

impl ComprehendReply {
    /// The operation's default answer, at once.
    pub fn default_answer() -> Self {
        ComprehendReply::Default {
            delay: Duration::ZERO,
        }
    }

    /// 200 with `body`, at once.
    pub fn answer(body: Value) -> Self {
        ComprehendReply::Answer {
            body,
            delay: Duration::ZERO,
        }
    }

    /// The same reply after `delay` (for [`Default`](Self::Default),
    /// [`Answer`](Self::Answer) and [`PiiFinding`](Self::PiiFinding); other
    /// replies are returned unchanged).
    pub fn after(mut self, wait: Duration) -> Self {
        match &mut self {
            ComprehendReply::Default { delay }
            | ComprehendReply::Answer { delay, .. }
            | ComprehendReply::PiiFinding { delay, .. } => *delay = wait,
            _ => {}
        }
        self
    }

    /// A DetectToxicContent answer: `{"ResultList": results}`, one
    /// [`toxic_labels`] value per segment, in the order sent.
    pub fn toxic_content(results: Vec<Value>) -> Self {
        Self::answer(json!({ "ResultList": results }))
    }

    /// A DetectPiiEntities answer with these `(Type, Score, BeginOffset,
    /// EndOffset)` entities.
    pub fn pii_entities(entities: &[(&str, f64, usize, usize)]) -> Self {
        let entities: Vec<Value> = entities
            .iter()
            .map(|(kind, score, begin, end)| pii_entity(kind, *score, *begin, *end))
            .collect();
        Self::answer(json!({ "Entities": entities }))
    }

    /// A DetectPiiEntities answer that finds each `(type, substring)` in the
    /// `Text` the request carries, computed when the request arrives: one
    /// entity of that type, score 0.99, per occurrence (none if absent).
    ///
    /// Offsets are as Comprehend documents them: zero-based, counted in
    /// characters, that is Unicode code points, not UTF-8 bytes ("The offset
    /// returns the position of each UTF-8 code point in the string ... a
    /// multi-byte UTF-8 character maps to a single code point",
    /// <https://docs.aws.amazon.com/sdk-for-ruby/v2/api/Aws/Comprehend/Types/PiiEntity.html>;
    /// "The zero-based offset from the beginning of the source text to the
    /// first character in the entity",
    /// <https://docs.aws.amazon.com/comprehend/latest/APIReference/API_PiiEntity.html>).
    /// `EndOffset` is one past the entity's last character, as in AWS's
    /// example, where the 19-character card number `1111-0000-1111-0000`
    /// has BeginOffset 69 and EndOffset 88
    /// (<https://docs.aws.amazon.com/comprehend/latest/dg/realtime-pii-api.html>).
    pub fn pii_finding(found: &[(&str, &str)]) -> Self {
        ComprehendReply::PiiFinding {
            found: found
                .iter()
                .map(|(kind, text)| ((*kind).to_owned(), (*text).to_owned()))
                .collect(),
            delay: Duration::ZERO,
        }
    }

    /// A DetectDominantLanguage answer with these `(LanguageCode, Score)`.
    pub fn dominant_language(languages: &[(&str, f64)]) -> Self {
        let languages: Vec<Value> = languages
            .iter()
            .map(|(code, score)| json!({"LanguageCode": code, "Score": score}))
            .collect();
        Self::answer(json!({ "Languages": languages }))
    }

    /// An error reply.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        ComprehendReply::Error {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }

    /// Comprehend's throttling: 429 `TooManyRequestsException` (the status
    /// botocore's model gives the shape; the real-time operations do not
    /// list it among their errors, so the SDK surfaces it as an unhandled
    /// error with that code, which its retry classifier counts as
    /// throttling).
    pub fn throttled() -> Self {
        Self::error(
            429,
            "TooManyRequestsException",
            "The number of requests exceeds the limit. Resubmit your request later.",
        )
    }

    /// 500 `InternalServerException`, modelled for every real-time operation.
    pub fn internal_error() -> Self {
        Self::error(
            500,
            "InternalServerException",
            "An internal server error occurred. Retry your request.",
        )
    }
}

/// One DetectToxicContent result (`ToxicLabels`): its `Toxicity` and
/// `(Name, Score)` labels (names from `ToxicContentType`: GRAPHIC,
/// HARASSMENT_OR_ABUSE, HATE_SPEECH, INSULT, PROFANITY, SEXUAL,
/// VIOLENCE_OR_THREAT).
pub fn toxic_labels(toxicity: f64, labels: &[(&str, f64)]) -> Value {
    let labels: Vec<Value> = labels
        .iter()
        .map(|(name, score)| json!({"Name": name, "Score": score}))
        .collect();
    json!({"Labels": labels, "Toxicity": toxicity})
}

/// A low-scoring `ToxicLabels`, as the default answer gives per segment.
pub fn harmless_labels() -> Value {
    const NAMES: [&str; 7] = [
        "PROFANITY",
        "HATE_SPEECH",
        "INSULT",
        "GRAPHIC",
        "HARASSMENT_OR_ABUSE",
        "SEXUAL",
        "VIOLENCE_OR_THREAT",
    ];
    let labels: Vec<(&str, f64)> = NAMES.iter().map(|name| (*name, 0.01)).collect();
    toxic_labels(0.02, &labels)
}

fn pii_entity(kind: &str, score: f64, begin: usize, end: usize) -> Value {
    json!({"Score": score, "Type": kind, "BeginOffset": begin, "EndOffset": end})
}

/// The entities of a [`ComprehendReply::PiiFinding`] in `text`, offsets in
/// characters (code points), `EndOffset` exclusive.
fn find_entities(found: &[(String, String)], text: &str) -> Vec<Value> {
    let mut entities: Vec<(usize, usize, &str)> = Vec::new();
    for (kind, needle) in found {
        if needle.is_empty() {
            continue;
        }
        for (byte, _) in text.match_indices(needle.as_str()) {
            let begin = text[..byte].chars().count();
            entities.push((begin, begin + needle.chars().count(), kind));
        }
    }
    entities.sort();
    entities
        .into_iter()
        .map(|(begin, end, kind)| pii_entity(kind, 0.99, begin, end))
        .collect()
}

#[derive(Default)]
struct Shared {
    queues: Mutex<HashMap<String, VecDeque<ComprehendReply>>>,
    defaults: Mutex<HashMap<String, ComprehendReply>>,
    requests: Mutex<Vec<RecordedRequest<ComprehendReply>>>,
    probes: Mutex<Vec<RecordedRequest<ComprehendReply>>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// How long each answered request was held, from its arrival until its
    /// answer was written (a timer asked for 20 ms can take 22).
    held: Mutex<Vec<Duration>>,
}

impl Shared {
    fn next_reply(&self, operation: &str) -> ComprehendReply {
        let queued = self
            .queues
            .lock()
            .unwrap()
            .get_mut(operation)
            .and_then(VecDeque::pop_front);
        queued.unwrap_or_else(|| {
            self.defaults
                .lock()
                .unwrap()
                .get(operation)
                .cloned()
                .unwrap_or_else(ComprehendReply::default_answer)
        })
    }
}

/// Counts a request in flight from its arrival until it is answered or its
/// connection closes.
struct InFlight(Arc<Shared>);

impl InFlight {
    fn new(shared: &Arc<Shared>) -> Self {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        Self(shared.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A running stand-in; it stops when the test's runtime does.
pub struct ComprehendStub {
    address: SocketAddr,
    shared: Arc<Shared>,
}

impl ComprehendStub {
    /// Starts the server with a script: each `(operation, reply)` is queued
    /// for that operation, in order (e.g. `("DetectToxicContent",
    /// ComprehendReply::throttled())`). Operations without a queued reply get
    /// their default.
    pub async fn start(script: Vec<(&str, ComprehendReply)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let shared = Arc::new(Shared::default());
        let stub = Self { address, shared };
        for (operation, reply) in script {
            stub.push(operation, reply);
        }
        let serving = stub.shared.clone();
        tokio::spawn(async move {
            let mut connection = 0;
            while let Ok((stream, _)) = listener.accept().await {
                connection += 1;
                tokio::spawn(serve(stream, serving.clone(), connection));
            }
        });
        stub
    }

    /// `http://127.0.0.1:port`, for `AWS_ENDPOINT_URL_COMPREHEND` or an SDK
    /// config's `endpoint_url`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Queues `reply` for the next request of `operation` after those
    /// already queued.
    pub fn push(&self, operation: &str, reply: ComprehendReply) {
        self.shared
            .queues
            .lock()
            .unwrap()
            .entry(operation.to_owned())
            .or_default()
            .push_back(reply);
    }

    /// Makes `reply` the answer to `operation` whenever its queue is empty
    /// (instead of [`ComprehendReply::Default`] at once), e.g. the default
    /// answer after 20 ms: `ComprehendReply::default_answer().after(..)`.
    pub fn set_default(&self, operation: &str, reply: ComprehendReply) {
        self.shared
            .defaults
            .lock()
            .unwrap()
            .insert(operation.to_owned(), reply);
    }

    /// Every API request (POST) so far, in order of arrival, with the reply
    /// each got.
    pub fn requests(&self) -> Vec<RecordedRequest<ComprehendReply>> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The requests of one operation so far.
    pub fn requests_of(&self, operation: &str) -> Vec<RecordedRequest<ComprehendReply>> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation() == Some(operation))
            .collect()
    }

    /// Requests that were not POSTs (e.g. a connection warm-up GET),
    /// answered 403 `MissingAuthenticationTokenException`; they use no
    /// script.
    pub fn probes(&self) -> Vec<RecordedRequest<ComprehendReply>> {
        self.shared.probes.lock().unwrap().clone()
    }

    /// Requests received and not yet answered (nor their connection
    /// closed).
    pub fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// The most requests held at once so far.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }

    /// How long each request answered since the last call was held before
    /// its answer was written: the service time a client really saw.
    pub fn take_held(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.shared.held.lock().unwrap())
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
        if method != "POST" {
            let reply = ComprehendReply::error(
                403,
                "MissingAuthenticationTokenException",
                "Missing Authentication Token",
            );
            let answer = error_response(&reply);
            shared.probes.lock().unwrap().push(RecordedRequest {
                method,
                target,
                headers,
                body,
                reply,
                connection,
                arrived,
            });
            if stream.write_all(&answer).await.is_err() {
                return;
            }
            continue;
        }
        let in_flight = InFlight::new(&shared);
        let recorded = RecordedRequest {
            method,
            target,
            headers,
            body,
            reply: ComprehendReply::Hang,
            connection,
            arrived,
        };
        let operation = recorded.operation().unwrap_or_default().to_owned();
        let reply = shared.next_reply(&operation);
        let sent: Value = serde_json::from_slice(&recorded.body).unwrap_or_default();
        shared.requests.lock().unwrap().push(RecordedRequest {
            reply: reply.clone(),
            ..recorded
        });
        let (delay, answer) = match &reply {
            ComprehendReply::Default { delay } => (*delay, default_response(&operation, &sent)),
            ComprehendReply::Answer { body, delay } => {
                (*delay, response(200, None, &body.to_string()))
            }
            ComprehendReply::PiiFinding { found, delay } => {
                let text = sent["Text"].as_str().unwrap_or_default();
                let body = json!({"Entities": find_entities(found, text)});
                (*delay, response(200, None, &body.to_string()))
            }
            ComprehendReply::Error { .. } => (Duration::ZERO, error_response(&reply)),
            ComprehendReply::Malformed => (
                Duration::ZERO,
                response(
                    200,
                    None,
                    r#"{"ResultList":"not a list","Entities":"not a list","Languages":"not a list"}"#,
                ),
            ),
            ComprehendReply::Raw { status, body } => {
                (Duration::ZERO, response(*status, None, body))
            }
            ComprehendReply::Reset => {
                // Linger 0 makes the close a TCP reset; with a zero timeout
                // the drop does not block, which is the deprecation's concern.
                #[allow(deprecated)]
                let _ = stream.set_linger(Some(Duration::ZERO));
                return;
            }
            ComprehendReply::Hang => {
                // Keep the connection open and silent until the client gives up.
                let mut sink = [0u8; 1024];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                return;
            }
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        // No longer held once the answer is on its way: a client that has
        // read it sees the count without it.
        drop(in_flight);
        let written = stream.write_all(&answer).await;
        shared.held.lock().unwrap().push(arrived.elapsed());
        if written.is_err() {
            return;
        }
    }
}

fn default_response(operation: &str, sent: &Value) -> Vec<u8> {
    let body = match operation {
        "DetectToxicContent" => {
            let segments = sent["TextSegments"].as_array().map_or(0, Vec::len);
            json!({"ResultList": vec![harmless_labels(); segments]})
        }
        "DetectPiiEntities" => json!({"Entities": []}),
        "DetectDominantLanguage" => json!({"Languages": [{"LanguageCode": "en", "Score": 0.99}]}),
        _ => {
            return error_response(&ComprehendReply::error(
                400,
                "UnknownOperationException",
                "the Comprehend stand-in has no default answer for this operation",
            ));
        }
    };
    response(200, None, &body.to_string())
}

fn error_response(reply: &ComprehendReply) -> Vec<u8> {
    let ComprehendReply::Error {
        status,
        code,
        message,
    } = reply
    else {
        unreachable!("an error reply");
    };
    let body = json!({"__type": code, "Message": message}).to_string();
    response(*status, Some(code), &body)
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
