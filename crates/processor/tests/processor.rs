//! The real `processor` binary against a local Lambda Runtime API and a
//! local stand-in for Chime: every callback checked (path, query, SigV4,
//! body, botocore's model), every fault case ending in exactly one accepted
//! callback or a failed invocation that Lambda would retry.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use chimeflow_e2e::{
    ChimeStub, InvocationResult, ProcessorProcess as Processor, RecordedRequest, Reply, RuntimeApi,
};
use serde_json::{Value, json};

const CHANNEL: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/8e5a3c1b-7f2d-4b6a-9c0e-1d2f3a4b5c6d/channel/0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const CALLBACK_ID: &str = "6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c";

fn processor_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_processor"))
}

/// `cargo test` builds examples next to the test binaries' parent folder.
fn example_binary(name: &str) -> PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let path = deps.parent().unwrap().join("examples").join(name);
    assert!(
        path.exists(),
        "{} not built: run through `cargo test`",
        path.display()
    );
    path
}

fn event(message_id: &str, content: &str) -> Vec<u8> {
    json!({
        "EventType": "CHANNEL_MESSAGE_EVENT",
        "CallbackId": CALLBACK_ID,
        "ChannelMessage": {
            "MessageId": message_id,
            "ChannelArn": CHANNEL,
            "Content": content,
            "Metadata": "{\"client\":\"web\"}",
            "Type": "STANDARD",
            "Persistence": "PERSISTENT",
            "Sender": {"Arn": "arn:aws:chime:us-east-1:111122223333:app-instance/8e5a3c1b-7f2d-4b6a-9c0e-1d2f3a4b5c6d/user/alice", "Name": "Alice"}
        }
    })
    .to_string()
    .into_bytes()
}

async fn setup(script: Vec<Reply>, env: &[(&str, &str)]) -> (RuntimeApi, ChimeStub, Processor) {
    setup_with(&processor_binary(), script, env).await
}

async fn setup_with(
    binary: &Path,
    script: Vec<Reply>,
    env: &[(&str, &str)],
) -> (RuntimeApi, ChimeStub, Processor) {
    let api = RuntimeApi::start().await;
    let chime = ChimeStub::start(script).await;
    let processor = Processor::spawn(binary, &api, &chime, env);
    (api, chime, processor)
}

const DEADLINE: Duration = Duration::from_secs(20);

fn response(result: &InvocationResult) -> &Value {
    match result {
        InvocationResult::Response(value) => value,
        InvocationResult::Error {
            error_type,
            message,
        } => panic!("invocation failed: {error_type}: {message}"),
    }
}

/// Checks what every callback request must be: the path and query, SigV4
/// for signing name `chime`, no bearer header, and the CallbackId.
fn assert_callback_shape(request: &RecordedRequest) {
    assert_eq!(request.method, "POST");
    let (path, query) = request.target.split_once('?').expect("a query");
    assert_eq!(query, "operation=channel-flow-callback");
    let decoded = path
        .replace("%3A", ":")
        .replace("%3a", ":")
        .replace("%2F", "/")
        .replace("%2f", "/");
    assert_eq!(decoded, format!("/channels/{CHANNEL}"));
    let authorization = request.header("authorization").expect("signed");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"),
        "{authorization}"
    );
    assert!(
        authorization.contains("/us-east-1/chime/aws4_request"),
        "{authorization}"
    );
    assert!(authorization.contains("SignedHeaders=") && authorization.contains("Signature="));
    assert!(request.header("x-amz-date").is_some());
    assert!(request.header("x-amz-chime-bearer").is_none());
    assert_eq!(request.json()["CallbackId"], CALLBACK_ID);
}

/// Validates the callbacks against botocore's model with the repository's script.
fn assert_botocore_valid(requests: &[RecordedRequest]) {
    let python = std::env::var_os("CHIMEFLOW_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
        });
    assert!(
        python.exists(),
        "no Python with botocore (run scripts/test, or set CHIMEFLOW_PYTHON)"
    );
    let lines: String = requests
        .iter()
        .map(|r| {
            let mut body = r.json();
            body["ChannelArn"] = json!(CHANNEL);
            format!("{body}\n")
        })
        .collect();
    let mut child = Command::new(python)
        .arg(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/tools/botocore_validate.py"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// The bodies of all attempts at one callback are the same request.
fn assert_same_body(requests: &[RecordedRequest]) {
    for request in requests {
        assert_eq!(
            request.body, requests[0].body,
            "retries send the same request"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clean_message_is_echoed_once() {
    let (api, chime, processor) = setup(vec![], &[]).await;
    let result = api
        .invoke(
            &event("msg-1", "Morning all, notes are on the wiki."),
            DEADLINE,
        )
        .await;
    let answer = response(&result);
    assert_eq!(answer["Outcome"], "PASS");
    assert_eq!(answer["Callback"], "delivered");
    let requests = chime.requests();
    assert_eq!(requests.len(), 1);
    assert_callback_shape(&requests[0]);
    assert_eq!(
        requests[0].json(),
        json!({
            "CallbackId": CALLBACK_ID,
            "DeleteResource": false,
            "ChannelMessage": {
                "MessageId": "msg-1",
                "Content": "Morning all, notes are on the wiki.",
                "Metadata": "{\"client\":\"web\"}"
            }
        })
    );
    assert_botocore_valid(&requests);
    // The connection was opened during init with an unsigned GET, and the
    // first callback reused it: no handshake on the message's time.
    let probes = chime.probes();
    assert_eq!(probes.len(), 1, "one warm-up request");
    assert!(
        probes[0].header("authorization").is_none(),
        "the warm-up is not signed"
    );
    assert_eq!(
        requests[0].connection, probes[0].connection,
        "the callback reused the warm connection"
    );
    let processed: Vec<Value> = processor
        .lines()
        .into_iter()
        .filter(|l| l["message"] == "processed")
        .collect();
    assert_eq!(processed.len(), 1, "one log line per invocation");
    assert_eq!(processed[0]["outcome"], "PASS");
    assert_eq!(processed[0]["message_id"], "msg-1");
    assert_eq!(processed[0]["attempts"], 1);
    let metrics: Vec<Value> = processor
        .lines()
        .into_iter()
        .filter(|l| l.get("_aws").is_some())
        .collect();
    assert_eq!(metrics[0]["Invocations"], 1);
    assert_eq!(
        metrics[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"],
        "chimeflow"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_denied_message_sends_delete_resource() {
    let (api, chime, _processor) = setup(vec![], &[]).await;
    let result = api
        .invoke(&event("msg-empty", " \u{200B} "), DEADLINE)
        .await;
    assert_eq!(response(&result)["Outcome"], "DENY");
    let requests = chime.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].json(),
        json!({"CallbackId": CALLBACK_ID, "DeleteResource": true, "ChannelMessage": {"MessageId": "msg-empty"}})
    );
    assert_botocore_valid(&requests);
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_twice_then_success() {
    let (api, chime, _processor) = setup(vec![Reply::throttled(), Reply::throttled()], &[]).await;
    let result = api.invoke(&event("msg-2", "hello"), DEADLINE).await;
    assert_eq!(response(&result)["Attempts"], 3);
    let requests = chime.requests();
    assert_eq!(requests.len(), 3);
    assert_same_body(&requests);
    requests.iter().for_each(assert_callback_shape);
    assert_eq!(requests.iter().filter(|r| r.reply == Reply::Ok).count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_then_success() {
    let script = vec![Reply::server(500), Reply::server(503), Reply::server(500)];
    let (api, chime, _processor) = setup(script, &[]).await;
    let result = api.invoke(&event("msg-3", "hello"), DEADLINE).await;
    assert_eq!(response(&result)["Callback"], "delivered");
    let requests = chime.requests();
    assert_eq!(requests.len(), 4);
    assert_same_body(&requests);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_reset_is_retried() {
    let (api, chime, _processor) = setup(vec![Reply::Reset], &[]).await;
    let result = api.invoke(&event("msg-4", "hello"), DEADLINE).await;
    assert_eq!(response(&result)["Callback"], "delivered");
    let requests = chime.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].reply, Reply::Ok);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endpoint_that_never_answers_fails_before_the_deadline() {
    let (api, chime, _processor) = setup(vec![Reply::Hang; 100], &[]).await;
    let timeout = Duration::from_secs(3);
    let deadline = SystemTime::now() + timeout;
    let result = api.invoke(&event("msg-5", "hello"), timeout).await;
    assert!(
        SystemTime::now() < deadline,
        "the invocation ended before its deadline"
    );
    match result {
        InvocationResult::Error {
            error_type,
            message,
        } => {
            assert_eq!(error_type, "Chimeflow.CallbackFailed");
            assert!(message.contains("Timeout"), "{message}");
        }
        other => panic!("expected a failed invocation, got {other:?}"),
    }
    assert!(!chime.requests().is_empty());
    assert!(
        chime.requests().iter().all(|r| r.reply == Reply::Hang),
        "nothing was accepted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_on_the_first_attempt_fails_the_invocation_so_nothing_is_lost() {
    // A duplicate delivery of a resolved message and a refused request look
    // the same by code (BadRequestException): the invocation fails, so that
    // Lambda's retries and then the failure destination keep the event.
    let (api, chime, _processor) = setup(vec![Reply::Ok, Reply::bad_request()], &[]).await;
    let first = api.invoke(&event("msg-6", "hello"), DEADLINE).await;
    let second = api.invoke(&event("msg-6", "hello"), DEADLINE).await;
    assert_eq!(response(&first)["Callback"], "delivered");
    match &second {
        InvocationResult::Error {
            error_type,
            message,
        } => {
            assert_eq!(error_type, "Chimeflow.CallbackRejected", "{message}");
            assert!(message.contains("BadRequest"), "{message}");
        }
        other => panic!("expected a failed invocation, got {other:?}"),
    }
    assert_eq!(chime.requests().len(), 2, "no retry of a refused request");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_after_an_attempt_that_may_have_landed_is_already_resolved() {
    // The first attempt failed with a 503 after reaching the service (it
    // may have been applied); the retry is refused: that is the answer to
    // a message the first attempt resolved.
    for first in [Reply::server(503), Reply::server(500)] {
        let (api, chime, _processor) = setup(vec![first, Reply::bad_request()], &[]).await;
        let result = api.invoke(&event("msg-7", "hello"), DEADLINE).await;
        assert_eq!(response(&result)["Callback"], "already-resolved");
        assert_eq!(response(&result)["Attempts"], 2);
        assert_eq!(chime.requests().len(), 2);
    }
    // A throttled attempt was never applied: a refusal after it is not
    // explained by it.
    let (api, _chime, _processor) =
        setup(vec![Reply::throttled(), Reply::bad_request()], &[]).await;
    let result = api.invoke(&event("msg-8", "hello"), DEADLINE).await;
    assert!(
        matches!(&result, InvocationResult::Error { error_type, .. } if error_type == "Chimeflow.CallbackRejected"),
        "{result:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn forbidden_at_once_fails_the_invocation() {
    let forbidden = Reply::Error {
        status: 403,
        code: "ForbiddenException",
        message: "Access denied",
    };
    let (api, chime, _processor) = setup(vec![forbidden], &[]).await;
    let result = api.invoke(&event("msg-7", "hello"), DEADLINE).await;
    assert!(
        matches!(&result, InvocationResult::Error { error_type, .. } if error_type == "Chimeflow.CallbackRejected"),
        "{result:?}"
    );
    assert_eq!(chime.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_events() {
    let (api, chime, _processor) = setup(vec![], &[]).await;
    // A field of an undocumented shape, but an identity to answer: the
    // field is set aside and the message moderated as usual.
    let broken = json!({
        "CallbackId": CALLBACK_ID,
        "ChannelMessage": {"MessageId": "msg-8", "ChannelArn": CHANNEL, "Content": "hello", "Persistence": 42, "SubChannelId": 7}
    });
    let result = api.invoke(broken.to_string().as_bytes(), DEADLINE).await;
    assert_eq!(response(&result)["Outcome"], "PASS");
    let requests = chime.requests();
    assert_eq!(requests.len(), 1);
    let body = requests[0].json();
    assert_eq!(body["DeleteResource"], false);
    assert_eq!(body["ChannelMessage"]["Content"], "hello");
    assert!(body["ChannelMessage"].get("SubChannelId").is_none());

    // Nothing to call back: the invocation fails, nothing is sent.
    for unusable in [
        json!({"ChannelMessage": {"MessageId": "m"}}),
        json!([1, 2, 3]),
        json!("text"),
    ] {
        let result = api.invoke(unusable.to_string().as_bytes(), DEADLINE).await;
        assert!(
            matches!(result, InvocationResult::Error { .. }),
            "{unusable}: {result:?}"
        );
    }
    let result = api.invoke(b"{\"CallbackId\": ", DEADLINE).await;
    assert!(
        matches!(result, InvocationResult::Error { .. }),
        "{result:?}"
    );
    // No ChannelArn (or one of another shape): the rules could run, but no
    // callback can be addressed.
    for no_channel in [
        json!({"CallbackId": CALLBACK_ID, "ChannelMessage": {"MessageId": "m", "Content": "hi"}}),
        json!({"CallbackId": CALLBACK_ID, "ChannelMessage": {"MessageId": "m", "ChannelArn": 7}}),
    ] {
        let result = api
            .invoke(no_channel.to_string().as_bytes(), DEADLINE)
            .await;
        match &result {
            InvocationResult::Error {
                error_type,
                message,
            } => {
                assert_eq!(error_type, "Chimeflow.UnusableEvent");
                assert!(message.contains("ChannelArn"), "{message}");
            }
            other => panic!("{no_channel}: {other:?}"),
        }
    }
    assert_eq!(chime.requests().len(), 1, "no callback for unusable events");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panicking_rule_gets_the_error_policy_and_logs_no_content() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("chimeflow.toml");
    std::fs::write(
        &config,
        "[[rules]]\ntype = \"panic-on\"\ntrigger = \"PANIC\"\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let binary = example_binary("panicking-processor");

    let (api, chime, processor) =
        setup_with(&binary, vec![], &[("CHIMEFLOW_CONFIG", config)]).await;
    let result = api
        .invoke(&event("msg-9", "PANIC secret-words-here"), DEADLINE)
        .await;
    assert_eq!(response(&result)["Outcome"], "DENY");
    assert_eq!(chime.requests()[0].json()["DeleteResource"], true);
    let calm = api.invoke(&event("msg-10", "all fine"), DEADLINE).await;
    assert_eq!(
        response(&calm)["Outcome"],
        "PASS",
        "the processor keeps serving after a panic"
    );
    assert!(
        !processor.output().contains("secret-words-here"),
        "{}",
        processor.output()
    );

    let (api, chime, _processor) = setup_with(
        &binary,
        vec![],
        &[("CHIMEFLOW_CONFIG", config), ("CHIMEFLOW_ON_ERROR", "pass")],
    )
    .await;
    let result = api.invoke(&event("msg-11", "PANIC"), DEADLINE).await;
    assert_eq!(response(&result)["Outcome"], "PASS");
    assert_eq!(
        chime.requests()[0].json()["ChannelMessage"]["Content"],
        "PANIC"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_configuration_is_an_init_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(
        &config,
        "[[rules]]\ntype = \"length\"\nmax_chars = \"many\"\n",
    )
    .unwrap();
    let (api, chime, mut processor) =
        setup(vec![], &[("CHIMEFLOW_CONFIG", config.to_str().unwrap())]).await;
    match api.init_error().await {
        InvocationResult::Error {
            error_type,
            message,
        } => {
            assert_eq!(error_type, "Chimeflow.BadConfiguration");
            assert!(
                message.contains("bad.toml:3") && message.contains("max_chars"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    let status = processor.wait();
    assert!(!status.success());
    assert!(chime.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_sends_nothing_and_returns_the_request() {
    let (api, chime, processor) = setup(vec![], &[("CHIMEFLOW_DRY_RUN", "1")]).await;
    let result = api
        .invoke(&event("msg-12", "a private thought"), DEADLINE)
        .await;
    let answer = response(&result);
    assert_eq!(answer["Callback"], "dry-run");
    assert_eq!(
        answer["Request"]["ChannelMessage"]["Content"],
        "a private thought"
    );
    assert!(chime.requests().is_empty());
    assert!(
        !processor.output().contains("private thought"),
        "logs never hold content"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_data_never_reaches_the_logs() {
    let pii = [
        "dana.reyes@example.com",
        "(415) 555-0132",
        "4111 1111 1111 1111",
        "512-44-7781",
        "GB82WEST12345698765432",
        "203.0.113.77",
        "AKIAIOSFODNN7EXAMPLE",
    ];
    let script = vec![Reply::throttled(), Reply::server(500), Reply::bad_request()];
    let (api, _chime, processor) = setup(script, &[("RUST_LOG", "trace")]).await;
    for (i, value) in pii.iter().enumerate() {
        let content = format!("hi, it's me: {value} thanks");
        let _ = api
            .invoke(&event(&format!("pii-{i}"), &content), DEADLINE)
            .await;
    }
    let broken = json!({"CallbackId": CALLBACK_ID, "ChannelMessage": {"MessageId": "pii-x", "ChannelArn": CHANNEL, "Content": ["dana.reyes@example.com"]}});
    let _ = api.invoke(broken.to_string().as_bytes(), DEADLINE).await;
    let output = processor.output();
    assert!(
        output.contains("processed"),
        "the processor logged: {output}"
    );
    for value in pii {
        // The access key id doubles as the test's credential; the SDK never logs it either.
        if let Some(line) = output.lines().find(|l| l.contains(value)) {
            panic!(
                "{value} leaked into the logs: {}",
                &line[..line.len().min(600)]
            );
        }
    }
    assert!(!output.contains("it's me"));
}

/// An empty service-specific override (as `sam local` writes one left
/// blank in env.json) is treated as unset: the global `AWS_ENDPOINT_URL`
/// is used, for the warm-up and the callback alike, and nothing panics.
#[tokio::test(flavor = "multi_thread")]
async fn an_empty_service_endpoint_falls_back_to_the_global_one() {
    let api = RuntimeApi::start().await;
    let chime = ChimeStub::start(vec![]).await;
    let endpoint = chime.endpoint();
    let processor = Processor::spawn(
        &processor_binary(),
        &api,
        &chime,
        &[
            ("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", ""),
            ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ],
    );
    let result = api.invoke(&event("msg-global", "hello"), DEADLINE).await;
    assert_eq!(
        response(&result)["Callback"],
        "delivered",
        "{}",
        processor.output()
    );
    let requests = chime.requests();
    assert_eq!(requests.len(), 1);
    assert_callback_shape(&requests[0]);
    assert_eq!(
        chime.probes().len(),
        1,
        "the warm-up went to the same endpoint"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_processor_built_in_code_runs_inside_a_tower_layer_of_its_own() {
    let binary = example_binary("layered-processor");
    let (api, chime, _processor) = setup_with(&binary, vec![], &[]).await;
    let calm = api.invoke(&event("msg-20", "all fine"), DEADLINE).await;
    let calm = response(&calm);
    assert_eq!(calm["Layer"], "wrapped", "the layer saw the result: {calm}");
    assert_eq!(calm["Outcome"], "PASS");
    assert_eq!(calm["Callback"], "delivered");
    let loud = api
        .invoke(&event("msg-21", "STOP SHOUTING"), DEADLINE)
        .await;
    let loud = response(&loud);
    assert_eq!(loud["Outcome"], "DENY");
    assert_eq!(loud["Layer"], "wrapped");
    let requests = chime.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].json()["DeleteResource"], true);
}
