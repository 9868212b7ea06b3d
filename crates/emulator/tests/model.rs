//! Cross-checks against the botocore model: the vendored models equal the
//! installed botocore's, every pattern compiles, and each constraint kind
//! (required, type, min/max length, min/max value, list and map sizes,
//! enum, pattern, nested members) is answered 400 BadRequestException
//! naming the member, without echoing what was sent. Raw HTTP here, so
//! that no SDK-side check gets in the way.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use aws_sdk_chimesdkmessaging::types::FallbackAction;
use chimeflow_emulator::model;
use common::{World, config, http};
use serde_json::json;

const SECRET: &str = "SECRET-CONTENT-7d1f";
const SIGNED: (&str, &str) = (
    "authorization",
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/chime/aws4_request, SignedHeaders=host, Signature=00",
);

fn python() -> PathBuf {
    std::env::var_os("CHIMEFLOW_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"))
}

#[test]
fn vendored_models_equal_the_installed_botocore() {
    let python = python();
    assert!(
        python.exists(),
        "no Python with botocore at {} (run scripts/test, or set CHIMEFLOW_PYTHON)",
        python.display()
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(python)
        .arg(root.join("tools/compare_model.py"))
        .arg(root.join("model"))
        .output()
        .expect("python runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_model_pattern_compiles() {
    let models = model::models();
    let mut failures = Vec::new();
    for service in [models.messaging, models.identity] {
        for (shape, source) in service.pattern_sources() {
            if let Err(e) = model::compile_pattern(source) {
                failures.push(format!("{}: {shape}: {e}", service.uid));
            }
        }
    }
    assert_eq!(failures, Vec::<String>::new());
}

struct Api {
    address: String,
}

impl Api {
    async fn call(
        &self,
        method: &str,
        target: &str,
        bearer: Option<&str>,
        body: serde_json::Value,
    ) -> common::HttpResponse {
        let mut headers = vec![SIGNED, ("content-type", "application/json")];
        if let Some(bearer) = bearer {
            headers.push(("x-amz-chime-bearer", bearer));
        }
        let body = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        http(&self.address, method, target, &headers, &body).await
    }
}

fn encode(arn: &str) -> String {
    arn.replace(':', "%3A").replace('/', "%2F")
}

/// Checks a 400 that names `member` and does not echo SECRET.
fn assert_names(response: &common::HttpResponse, member: &str) {
    let text = String::from_utf8_lossy(&response.body).into_owned();
    assert_eq!(response.status, 400, "{member}: {text}");
    assert_eq!(
        response.header("x-amzn-errortype"),
        Some("BadRequestException")
    );
    let body = response.json();
    assert_eq!(body["Code"], "BadRequest");
    let message = body["Message"].as_str().unwrap();
    assert!(
        message.contains(&format!("'{member}'")),
        "{member}: {message}"
    );
    assert!(!text.contains(SECRET), "echoed: {text}");
}

fn processor(order: i64) -> serde_json::Value {
    json!({"Name": "p", "ExecutionOrder": order, "FallbackAction": "ABORT",
           "Configuration": {"Lambda": {"ResourceArn": common::FUNCTION, "InvocationType": "ASYNC"}}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_constraint_kind_is_a_bad_request_naming_the_member() {
    let world = World::start(config(Duration::from_secs(30))).await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, _) = world.send("pending").await;
    let api = Api {
        address: world
            .emulator
            .endpoint()
            .trim_start_matches("http://")
            .to_owned(),
    };
    let channel = encode(&world.channel);
    let alice = world.alice.as_str();
    let messages = format!("/channels/{channel}/messages");
    let callback = format!("/channels/{channel}?operation=channel-flow-callback");
    let send = |extra: serde_json::Value| {
        let mut body = json!({"Content": SECRET, "Type": "STANDARD", "Persistence": "PERSISTENT", "ClientRequestToken": "token-1"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };

    // required
    let r = api.call("POST", "/channel-flows", None, json!({"AppInstanceArn": world.app, "Processors": [processor(1)], "ClientRequestToken": "abc"})).await;
    assert_names(&r, "Name");
    // required header
    let r = api.call("POST", &messages, None, send(json!({}))).await;
    assert_names(&r, "ChimeBearer");
    // type
    let r = api.call("POST", &callback, None, json!({"CallbackId": "a".repeat(36), "DeleteResource": "yes", "ChannelMessage": {"MessageId": message_id}})).await;
    assert_names(&r, "DeleteResource");
    // min length
    let r = api.call("POST", &callback, None, json!({"CallbackId": "short", "ChannelMessage": {"MessageId": message_id, "Content": SECRET}})).await;
    assert_names(&r, "CallbackId");
    // max length (Metadata 1024)
    let r = api
        .call(
            "POST",
            &messages,
            Some(alice),
            send(json!({"Metadata": SECRET.repeat(100)})),
        )
        .await;
    assert_names(&r, "Metadata");
    // pattern (path label)
    let r = api
        .call(
            "GET",
            &format!("{messages}/bad%20id%21"),
            Some(alice),
            serde_json::Value::Null,
        )
        .await;
    assert_names(&r, "MessageId");
    // pattern (header)
    let r = api
        .call("POST", &messages, Some("not an arn"), send(json!({})))
        .await;
    assert_names(&r, "ChimeBearer");
    // enum
    let r = api
        .call(
            "POST",
            &messages,
            Some(alice),
            send(json!({"Type": "LOUD"})),
        )
        .await;
    assert_names(&r, "Type");
    assert!(r.json()["Message"].as_str().unwrap().contains("STANDARD"));
    // min and max value (query string)
    for n in ["0", "51"] {
        let r = api
            .call(
                "GET",
                &format!("{messages}?max-results={n}"),
                Some(alice),
                serde_json::Value::Null,
            )
            .await;
        assert_names(&r, "MaxResults");
    }
    // not an integer (query string)
    let r = api
        .call(
            "GET",
            &format!("{messages}?max-results=many"),
            Some(alice),
            serde_json::Value::Null,
        )
        .await;
    assert_names(&r, "MaxResults");
    // list size: min and max
    for processors in [
        json!([]),
        json!([processor(1), processor(2), processor(3), processor(1)]),
    ] {
        let r = api.call("POST", "/channel-flows", None, json!({"AppInstanceArn": world.app, "Name": "f", "Processors": processors, "ClientRequestToken": "abc"})).await;
        assert_names(&r, "Processors");
    }
    // nested member, value range
    let r = api.call("POST", "/channel-flows", None, json!({"AppInstanceArn": world.app, "Name": "f", "Processors": [processor(0)], "ClientRequestToken": "abc"})).await;
    assert_names(&r, "Processors.1.ExecutionOrder");
    // nested pattern (Lambda ARN)
    let mut bad_lambda = processor(1);
    bad_lambda["Configuration"]["Lambda"]["ResourceArn"] = json!("arn:aws:s3:::bucket");
    let r = api.call("POST", "/channel-flows", None, json!({"AppInstanceArn": world.app, "Name": "f", "Processors": [bad_lambda], "ClientRequestToken": "abc"})).await;
    assert_names(&r, "Processors.1.Configuration.Lambda.ResourceArn");
    // map key length
    let r = api
        .call(
            "POST",
            &messages,
            Some(alice),
            send(json!({"MessageAttributes": {"": {"StringValues": [SECRET]}}})),
        )
        .await;
    assert_names(&r, "MessageAttributes.key");
    // timestamp in the query string
    let r = api
        .call(
            "GET",
            &format!("{messages}?not-before=yesterday"),
            Some(alice),
            serde_json::Value::Null,
        )
        .await;
    assert_names(&r, "NotBefore");
    // identity model too
    let r = api.call("POST", "/app-instance-users", None, json!({"AppInstanceArn": world.app, "AppInstanceUserId": "-bad-", "Name": "x", "ClientRequestToken": "abc"})).await;
    assert_names(&r, "AppInstanceUserId");

    // A valid identity call over HTTP works.
    let r = api.call("POST", "/app-instance-users", None, json!({"AppInstanceArn": world.app, "AppInstanceUserId": "dave", "Name": "Dave", "ClientRequestToken": "abc"})).await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.json()["AppInstanceUserArn"],
        format!("{}/user/dave", world.app)
    );

    // Unsigned requests, unknown paths, unimplemented operations.
    let r = http(
        &api.address,
        "GET",
        &messages,
        &[("x-amz-chime-bearer", alice)],
        b"",
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("MissingAuthenticationTokenException")
    );
    let r = api
        .call("GET", "/no-such-thing", None, serde_json::Value::Null)
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("UnknownOperationException")
    );
    let r = api
        .call(
            "GET",
            &format!("/channels/{channel}/moderators"),
            Some(alice),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(
        r.status, 501,
        "ListChannelModerators is modelled, not implemented"
    );
    world.emulator.shutdown().await;
}
