//! This suite's test helpers: an emulator with an app instance, users and
//! a channel; a minimal Runtime API client for test-local processors. What
//! the CLI's tests need too (SDK clients, the app instance setup, the real
//! `processor` binary) is in `chimeflow_emulator::test_util`.

#![allow(dead_code)]

use std::time::Duration;

use aws_sdk_chimesdkmessaging as chime;
use chime::types::{
    ChannelMessagePersistenceType, ChannelMessageType, FallbackAction, InvocationType,
    LambdaConfiguration, Processor, ProcessorConfiguration,
};
pub use chimeflow_emulator::EmulatorConfig;
use chimeflow_emulator::test_util::AppInstance;
pub use chimeflow_emulator::test_util::{FUNCTION_ARN as FUNCTION, messaging_client as client};
use chimeflow_emulator::{Emulator, RunningEmulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An emulator with an app instance, an admin, two users and a channel
/// created by `alice` (who moderates it); `bob` is a member.
pub struct World {
    pub emulator: RunningEmulator,
    pub client: chime::Client,
    pub app: String,
    pub admin: String,
    pub alice: String,
    pub bob: String,
    pub carol: String,
    pub channel: String,
}

/// Test timing: short retries, the given processor timeout.
pub fn config(processor_timeout: Duration) -> EmulatorConfig {
    EmulatorConfig {
        processor_timeout,
        retry_delays: vec![Duration::from_millis(50), Duration::from_millis(100)],
        ..EmulatorConfig::default()
    }
}

impl World {
    pub async fn start(config: EmulatorConfig) -> Self {
        let emulator = Emulator::start(config).await.expect("emulator starts");
        let client = client(&emulator);
        let instance = AppInstance::create(&emulator, "tests").unwrap();
        let alice = instance.user(&emulator, "alice", "Alice").unwrap();
        let bob = instance.user(&emulator, "bob", "Bob").unwrap();
        let carol = instance.user(&emulator, "carol", "Carol").unwrap();
        let AppInstance { arn: app, admin } = instance;
        let channel = client
            .create_channel()
            .app_instance_arn(&app)
            .name("general")
            .chime_bearer(&alice)
            .member_arns(&bob)
            .send()
            .await
            .expect("CreateChannel")
            .channel_arn
            .unwrap();
        Self {
            emulator,
            client,
            app,
            admin,
            alice,
            bob,
            carol,
            channel,
        }
    }

    /// Creates a flow with one processor and associates it with the channel.
    pub async fn with_flow(&self, fallback: FallbackAction) -> String {
        let flow = self
            .client
            .create_channel_flow()
            .app_instance_arn(&self.app)
            .name("moderation")
            .processors(processor(fallback))
            .client_request_token("token-create-flow")
            .send()
            .await
            .expect("CreateChannelFlow")
            .channel_flow_arn
            .unwrap();
        self.client
            .associate_channel_flow()
            .channel_arn(&self.channel)
            .channel_flow_arn(&flow)
            .chime_bearer(&self.alice)
            .send()
            .await
            .expect("AssociateChannelFlow");
        flow
    }

    /// Sends a STANDARD persistent message as alice; its id and status.
    pub async fn send(&self, content: &str) -> (String, String) {
        let sent = self
            .client
            .send_channel_message()
            .channel_arn(&self.channel)
            .content(content)
            .r#type(ChannelMessageType::Standard)
            .persistence(ChannelMessagePersistenceType::Persistent)
            .chime_bearer(&self.alice)
            .send()
            .await
            .expect("SendChannelMessage");
        (
            sent.message_id.unwrap(),
            sent.status.unwrap().value.unwrap().as_str().to_owned(),
        )
    }

    /// Polls GetChannelMessageStatus (as alice) after each state change
    /// until it is not PENDING; bounded by `timeout`. The service keeps no
    /// status for a denied message: when the status call answers
    /// BadRequest and GetChannelMessage NotFound, the message was denied and
    /// this says `DENIED`.
    pub async fn final_status(&self, message_id: &str, timeout: Duration) -> String {
        let mut changes = self.emulator.changes();
        let poll = async {
            loop {
                let answer = self
                    .client
                    .get_channel_message_status()
                    .channel_arn(&self.channel)
                    .message_id(message_id)
                    .chime_bearer(&self.alice)
                    .send()
                    .await;
                let status = match answer {
                    Ok(out) => out.status.unwrap().value.unwrap().as_str().to_owned(),
                    Err(error) => {
                        let error = error.into_service_error();
                        assert!(error.is_bad_request_exception(), "{error:?}");
                        let get = self
                            .client
                            .get_channel_message()
                            .channel_arn(&self.channel)
                            .message_id(message_id)
                            .chime_bearer(&self.alice)
                            .send()
                            .await
                            .expect_err("no status, so no message")
                            .into_service_error();
                        assert!(get.is_not_found_exception(), "{get:?}");
                        return "DENIED".to_owned();
                    }
                };
                if status != "PENDING" {
                    return status;
                }
                changes.changed().await.expect("emulator running");
            }
        };
        tokio::time::timeout(timeout, poll)
            .await
            .expect("the message left PENDING in time")
    }
}

/// One Lambda processor with `fallback`.
pub fn processor(fallback: FallbackAction) -> Processor {
    Processor::builder()
        .name("chimeflow")
        .configuration(
            ProcessorConfiguration::builder()
                .lambda(
                    LambdaConfiguration::builder()
                        .resource_arn(FUNCTION)
                        .invocation_type(InvocationType::Async)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .execution_order(1)
        .fallback_action(fallback)
        .build()
        .unwrap()
}

/// An HTTP/1.1 response: status, lower-case headers, body.
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`).
pub async fn http(
    address: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpResponse {
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let mut request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// The next invocation from the Runtime API: request id and event.
pub async fn next_invocation(runtime_api: &str) -> (String, serde_json::Value, HttpResponse) {
    let response = http(
        runtime_api,
        "GET",
        "/2018-06-01/runtime/invocation/next",
        &[],
        b"",
    )
    .await;
    assert_eq!(response.status, 200);
    let id = response
        .header("lambda-runtime-aws-request-id")
        .expect("request id")
        .to_owned();
    let event = response.json();
    (id, event, response)
}
