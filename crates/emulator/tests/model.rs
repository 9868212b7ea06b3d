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

/// The `errors` each operation models, read from the vendored JSON.
fn modelled_errors() -> std::collections::HashMap<String, Vec<String>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("model");
    let mut errors = std::collections::HashMap::new();
    for file in [
        "chime-sdk-messaging-2021-05-15.json",
        "chime-sdk-identity-2021-04-20.json",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let model: serde_json::Value = serde_json::from_str(&text).unwrap();
        for (name, op) in model["operations"].as_object().unwrap() {
            let list = op["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["shape"].as_str().unwrap().to_owned())
                .collect();
            errors.entry(name.clone()).or_insert(list);
        }
    }
    errors
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_answers_a_missing_resource_with_an_error_it_models() {
    let world = World::start(config(Duration::from_secs(30))).await;
    let api = Api {
        address: world
            .emulator
            .endpoint()
            .trim_start_matches("http://")
            .to_owned(),
    };
    let app = &world.app;
    let no_app = encode(
        "arn:aws:chime:us-east-1:111122223333:app-instance/00000000-0000-0000-0000-000000000000",
    );
    let no_channel = encode(&format!("{app}/channel/missing"));
    let no_flow = encode(&format!(
        "{app}/channel-flow/00000000-0000-0000-0000-000000000000"
    ));
    let channel = encode(&world.channel);
    let no_message = "0".repeat(64);
    let alice = Some(world.alice.as_str());
    let null = serde_json::Value::Null;
    let decoded = |s: &str| s.replace("%3A", ":").replace("%2F", "/");
    let cases: Vec<(&str, &str, String, Option<&str>, serde_json::Value)> = vec![
        (
            "CreateAppInstanceUser",
            "POST",
            "/app-instance-users".into(),
            None,
            json!({"AppInstanceArn": decoded(&no_app), "AppInstanceUserId": "u1", "Name": "u", "ClientRequestToken": "token-1"}),
        ),
        (
            "CreateAppInstanceAdmin",
            "POST",
            format!("/app-instances/{no_app}/admins"),
            None,
            json!({"AppInstanceAdminArn": world.alice}),
        ),
        (
            "CreateChannelFlow",
            "POST",
            "/channel-flows".into(),
            None,
            json!({"AppInstanceArn": decoded(&no_app), "Processors": [processor(1)], "Name": "f", "ClientRequestToken": "token-1"}),
        ),
        (
            "DescribeChannelFlow",
            "GET",
            format!("/channel-flows/{no_flow}"),
            None,
            null.clone(),
        ),
        (
            "UpdateChannelFlow",
            "PUT",
            format!("/channel-flows/{no_flow}"),
            None,
            json!({"Processors": [processor(1)], "Name": "f"}),
        ),
        (
            "DeleteChannelFlow",
            "DELETE",
            format!("/channel-flows/{no_flow}"),
            None,
            null.clone(),
        ),
        (
            "ListChannelFlows",
            "GET",
            format!("/channel-flows?app-instance-arn={no_app}"),
            None,
            null.clone(),
        ),
        (
            "AssociateChannelFlow",
            "PUT",
            format!("/channels/{no_channel}/channel-flow"),
            alice,
            json!({"ChannelFlowArn": decoded(&no_flow)}),
        ),
        (
            "DisassociateChannelFlow",
            "DELETE",
            format!("/channels/{channel}/channel-flow/{no_flow}"),
            alice,
            null.clone(),
        ),
        (
            "ListChannelsAssociatedWithChannelFlow",
            "GET",
            format!("/channels?scope=channel-flow-associations&channel-flow-arn={no_flow}"),
            None,
            null.clone(),
        ),
        (
            "CreateChannel",
            "POST",
            "/channels".into(),
            alice,
            json!({"AppInstanceArn": decoded(&no_app), "Name": "c", "ClientRequestToken": "token-1"}),
        ),
        (
            "DescribeChannel",
            "GET",
            format!("/channels/{no_channel}"),
            alice,
            null.clone(),
        ),
        (
            "CreateChannelMembership",
            "POST",
            format!("/channels/{channel}/memberships"),
            alice,
            json!({"MemberArn": format!("{app}/user/nobody"), "Type": "DEFAULT"}),
        ),
        (
            "CreateChannelBan",
            "POST",
            format!("/channels/{no_channel}/bans"),
            alice,
            json!({"MemberArn": world.bob}),
        ),
        (
            "DeleteChannelBan",
            "DELETE",
            format!("/channels/{channel}/bans/{}", encode(&world.bob)),
            alice,
            null.clone(),
        ),
        (
            "ListChannelBans",
            "GET",
            format!("/channels/{no_channel}/bans"),
            alice,
            null.clone(),
        ),
        (
            "DescribeChannelBan",
            "GET",
            format!("/channels/{channel}/bans/{}", encode(&world.bob)),
            alice,
            null.clone(),
        ),
        (
            "SendChannelMessage",
            "POST",
            format!("/channels/{no_channel}/messages"),
            alice,
            json!({"Content": "hi", "Type": "STANDARD", "Persistence": "PERSISTENT", "ClientRequestToken": "token-1"}),
        ),
        (
            "UpdateChannelMessage",
            "PUT",
            format!("/channels/{channel}/messages/{no_message}"),
            alice,
            json!({"Content": "hi"}),
        ),
        (
            "GetChannelMessage",
            "GET",
            format!("/channels/{channel}/messages/{no_message}"),
            alice,
            null.clone(),
        ),
        (
            "ListChannelMessages",
            "GET",
            format!("/channels/{no_channel}/messages"),
            alice,
            null.clone(),
        ),
        (
            "RedactChannelMessage",
            "POST",
            format!("/channels/{channel}/messages/{no_message}?operation=redact"),
            alice,
            null.clone(),
        ),
        (
            "DeleteChannelMessage",
            "DELETE",
            format!("/channels/{channel}/messages/{no_message}"),
            alice,
            null.clone(),
        ),
        (
            "GetChannelMessageStatus",
            "GET",
            format!("/channels/{channel}/messages/{no_message}?scope=message-status"),
            alice,
            null.clone(),
        ),
        (
            "ChannelFlowCallback",
            "POST",
            format!("/channels/{no_channel}?operation=channel-flow-callback"),
            None,
            json!({"CallbackId": "a".repeat(36), "ChannelMessage": {"MessageId": no_message}}),
        ),
        (
            "TagResource",
            "POST",
            "/tags?operation=tag-resource".into(),
            None,
            json!({"ResourceARN": decoded(&no_channel), "Tags": [{"Key": "k", "Value": "v"}]}),
        ),
        (
            "UntagResource",
            "POST",
            "/tags?operation=untag-resource".into(),
            None,
            json!({"ResourceARN": decoded(&no_channel), "TagKeys": ["k"]}),
        ),
        (
            "ListTagsForResource",
            "GET",
            format!("/tags?arn={no_channel}"),
            None,
            null.clone(),
        ),
    ];
    let modelled = modelled_errors();
    let mut failures = Vec::new();
    for (name, method, target, bearer, body) in &cases {
        let r = api.call(method, target, *bearer, body.clone()).await;
        let code = r.header("x-amzn-errortype").unwrap_or("none").to_owned();
        let allowed = &modelled[*name];
        let message = r.json()["Message"].as_str().unwrap_or_default().to_owned();
        if r.status < 400 || !allowed.contains(&code) {
            failures.push(format!(
                "{name}: {} {code} ({message}) not in {allowed:?}",
                r.status
            ));
        }
    }
    assert_eq!(failures, Vec::<String>::new());
    // Every implemented operation but CreateAppInstance (nothing to miss)
    // is covered (the src/ops unit test checks each against the model).
    let covered: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.0).collect();
    assert_eq!(covered.len(), 28, "{covered:?}");
    world.emulator.shutdown().await;
}
