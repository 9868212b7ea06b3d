//! Moderation events (`[events]`) through the real `processor` binary,
//! against the Chime stand-in for callbacks and an EventBridge stand-in
//! (`AWS_ENDPOINT_URL_EVENTBRIDGE`): what each decision sends, with no
//! content unless asked, every request valid under botocore's model,
//! failures counted and logged without failing the invocation, and a
//! silent EventBridge never delaying the callback nor the invocation past
//! its budget.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chimeflow_e2e::{
    ChimeStub, EventBridgeReply, EventBridgeStub, InvocationResult, ProcessorProcess, RuntimeApi,
    assert_valid_eventbridge_requests,
};
use serde_json::{Value, json};

const APP: &str =
    "arn:aws:chime:us-east-1:111122223333:app-instance/8e5a3c1b-7f2d-4b6a-9c0e-1d2f3a4b5c6d";
const DEADLINE: Duration = Duration::from_secs(30);

/// A keyword that denies, and `pii`, which redacts (an UPDATE).
const RULES: &str = r#"
[[rules]]
type = "keyword"
words = ["project falcon"]
action = "deny"

[[rules]]
type = "pii"
"#;

const DENIED: &str = "the project falcon launch is on friday";
const REDACTED: &str = "write to jane@example.com about it";
const CLEAN: &str = "is anyone around this afternoon";

fn event(id: &str, content: &str) -> Vec<u8> {
    json!({
        "EventType": "CHANNEL_MESSAGE_EVENT",
        "CallbackId": format!("{id:0>32}"),
        "ChannelMessage": {
            "MessageId": id,
            "ChannelArn": format!("{APP}/channel/general"),
            "Content": content,
            "Type": "STANDARD",
            "Persistence": "PERSISTENT",
            "Sender": {"Arn": format!("{APP}/user/dana"), "Name": "dana"}
        }
    })
    .to_string()
    .into_bytes()
}

fn response(result: &InvocationResult) -> &Value {
    match result {
        InvocationResult::Response(value) => value,
        InvocationResult::Error {
            error_type,
            message,
        } => panic!("invocation failed: {error_type}: {message}"),
    }
}

struct Running {
    api: RuntimeApi,
    chime: ChimeStub,
    process: ProcessorProcess,
    _dir: tempfile::TempDir,
}

impl Running {
    /// The `processed` line of the one invocation made (waiting for it to
    /// come through the pipe).
    fn processed(&self) -> Value {
        self.process
            .output_with("\"message\":\"processed\"", Duration::from_secs(10));
        self.process
            .lines()
            .into_iter()
            .find(|l| l["message"] == "processed")
            .unwrap_or_else(|| panic!("no processed line: {}", self.process.output()))
    }

    /// The EMF document of the invocation (the one with `Invocations`).
    fn invocation_metrics(&self) -> Value {
        self.process
            .output_with("\"Invocations\"", Duration::from_secs(10));
        self.process
            .lines()
            .into_iter()
            .find(|l| l.get("Invocations").is_some())
            .unwrap_or_else(|| panic!("no metrics: {}", self.process.output()))
    }
}

async fn start(config: &str, events: &EventBridgeStub, env: &[(&str, &str)]) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chimeflow.toml");
    std::fs::write(&path, config).unwrap();
    let api = RuntimeApi::start().await;
    let chime = ChimeStub::start(vec![]).await;
    let endpoint = events.endpoint();
    let mut all = vec![
        ("CHIMEFLOW_CONFIG", path.to_str().unwrap()),
        ("AWS_ENDPOINT_URL_EVENTBRIDGE", endpoint.as_str()),
    ];
    all.extend_from_slice(env);
    let process = ProcessorProcess::spawn(
        &PathBuf::from(env!("CARGO_BIN_EXE_processor")),
        &api,
        &chime,
        &all,
    );
    Running {
        api,
        chime,
        process,
        _dir: dir,
    }
}

/// One message through a fresh processor with `config`.
async fn one(
    config: &str,
    events: &EventBridgeStub,
    content: &str,
    env: &[(&str, &str)],
) -> (Running, Value) {
    let running = start(config, events, env).await;
    let result = running.api.invoke(&event("m1", content), DEADLINE).await;
    let outcome = response(&result).clone();
    (running, outcome)
}

/// `secret` (a word of the message) is in no event and no log line.
fn no_content_in(events: &EventBridgeStub, running: &Running, secret: &str) {
    for request in events.requests() {
        assert!(
            !String::from_utf8_lossy(&request.body).contains(secret),
            "content in an event"
        );
    }
    assert!(
        !running.process.output().contains(secret),
        "content in a log line"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deny_sends_one_event_with_the_rule_and_no_content() {
    let events = EventBridgeStub::start(vec![]).await;
    let (running, outcome) = one(&format!("[events]\n{RULES}"), &events, DENIED, &[]).await;
    assert_eq!(outcome["Outcome"], "DENY");
    let requests = events.requests();
    assert_eq!(requests.len(), 1, "one PutEvents call");
    assert_valid_eventbridge_requests(&requests);
    let entry = &events.entries()[0];
    assert_eq!(
        (
            &entry["Source"],
            &entry["DetailType"],
            &entry["EventBusName"]
        ),
        (
            &json!("chimeflow"),
            &json!("Chimeflow Moderation"),
            &json!("default")
        )
    );
    let detail = &events.details()[0];
    assert_eq!(detail["MessageId"], "m1");
    assert_eq!(detail["ChannelArn"], format!("{APP}/channel/general"));
    assert_eq!(detail["SenderArn"], format!("{APP}/user/dana"));
    assert_eq!(detail["Outcome"], "DENY");
    assert_eq!(detail["Mode"], "enforce");
    assert_eq!(detail["Rule"], "keyword");
    assert!(detail["Reason"].is_string(), "{detail}");
    assert!(detail.get("Action").is_none(), "{detail}");
    assert_eq!(detail["Findings"][0]["Rule"], "keyword");
    assert_eq!(detail["Findings"][0]["Start"], 4);
    assert_eq!(detail["Findings"][0]["End"], 18);
    assert!(detail.get("Content").is_none(), "{detail}");
    no_content_in(&events, &running, "falcon");
    let line = running.processed();
    assert_eq!(
        (&line["events_sent"], &line["events_failed"]),
        (&json!(1), &json!(0))
    );
    let metrics = running.invocation_metrics();
    assert_eq!(
        (&metrics["EventsSent"], &metrics["EventsFailed"]),
        (&json!(1), &json!(0))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_sends_one_event_with_its_findings() {
    let events = EventBridgeStub::start(vec![]).await;
    let (running, outcome) = one(&format!("[events]\n{RULES}"), &events, REDACTED, &[]).await;
    assert_eq!(outcome["Outcome"], "UPDATE");
    assert_valid_eventbridge_requests(&events.requests());
    let details = events.details();
    assert_eq!(details.len(), 1);
    assert_eq!(details[0]["Outcome"], "UPDATE");
    assert_eq!(details[0]["Mode"], "enforce");
    assert_eq!(details[0]["Categories"], json!(["EMAIL"]));
    assert_eq!(details[0]["Findings"][0]["Rule"], "pii");
    assert!(details[0].get("Rule").is_none(), "no rule denied");
    assert!(details[0].get("Content").is_none());
    no_content_in(&events, &running, "jane@example.com");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pass_sends_nothing() {
    let events = EventBridgeStub::start(vec![]).await;
    let (running, outcome) = one(&format!("[events]\n{RULES}"), &events, CLEAN, &[]).await;
    assert_eq!(outcome["Outcome"], "PASS");
    assert_eq!(running.chime.requests().len(), 1);
    let line = running.processed();
    assert!(line.get("events_sent").is_none(), "{line}");
    assert!(events.requests().is_empty(), "an event for a PASS");
}

#[tokio::test(flavor = "multi_thread")]
async fn include_content_puts_the_content_as_received_in_the_event() {
    let events = EventBridgeStub::start(vec![]).await;
    let config = format!("[events]\ninclude_content = true\n{RULES}");
    let (running, outcome) = one(&config, &events, REDACTED, &[]).await;
    assert_eq!(outcome["Outcome"], "UPDATE");
    assert_valid_eventbridge_requests(&events.requests());
    assert_eq!(events.details()[0]["Content"], REDACTED);
    // Never in a log line, even so.
    assert!(!running.process.output().contains("jane@example.com"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_observed_rule_sends_its_action_in_observe_mode() {
    let events = EventBridgeStub::start(vec![]).await;
    let config = r#"
[events]

[[rules]]
type = "keyword"
words = ["project falcon"]
action = "deny"
mode = "observe"
"#;
    let (running, outcome) = one(config, &events, DENIED, &[]).await;
    assert_eq!(outcome["Outcome"], "PASS", "observed, not enforced");
    assert_eq!(running.chime.requests()[0].json()["DeleteResource"], false);
    assert_valid_eventbridge_requests(&events.requests());
    let details = events.details();
    assert_eq!(
        details.len(),
        1,
        "no event for the PASS, one for the observed deny"
    );
    let detail = &details[0];
    assert_eq!(
        (
            &detail["Outcome"],
            &detail["Mode"],
            &detail["Rule"],
            &detail["Action"]
        ),
        (
            &json!("PASS"),
            &json!("observe"),
            &json!("keyword"),
            &json!("DENY")
        )
    );
    assert_eq!(detail["Findings"][0]["Start"], 4);
    no_content_in(&events, &running, "falcon");
}

#[tokio::test(flavor = "multi_thread")]
async fn observed_false_leaves_observed_actions_out() {
    let events = EventBridgeStub::start(vec![]).await;
    let config = "[events]\nobserved = false\n\n[[rules]]\ntype = \"keyword\"\nwords = [\"project falcon\"]\naction = \"deny\"\nmode = \"observe\"\n";
    let (_running, outcome) = one(config, &events, DENIED, &[]).await;
    assert_eq!(outcome["Outcome"], "PASS");
    assert!(events.requests().is_empty());
}

/// One denied message with EventBridge answering `reply`: the invocation
/// succeeds, the failure is counted in the log line and the metrics, and
/// logged with its code.
async fn failing(reply: EventBridgeReply, reason: &str, code: &str) {
    let events = EventBridgeStub::start(vec![reply]).await;
    let (running, outcome) = one(&format!("[events]\n{RULES}"), &events, DENIED, &[]).await;
    assert_eq!(outcome["Outcome"], "DENY", "{reason}");
    assert_eq!(outcome["Callback"], "delivered", "{reason}");
    assert_eq!(events.requests().len(), 1, "{reason}: no retry");
    assert_valid_eventbridge_requests(&events.requests());
    let line = running.processed();
    assert_eq!(
        (
            &line["events_sent"],
            &line["events_failed"],
            &line["events_unavailable"]
        ),
        (&json!(0), &json!(1), &json!(reason)),
        "{line}"
    );
    let warning = running
        .process
        .lines()
        .into_iter()
        .find(|l| l["message"] == "moderation events not sent")
        .unwrap_or_else(|| panic!("{reason}: no warning: {}", running.process.output()));
    assert_eq!(warning["level"], "WARN");
    assert_eq!(warning["error"], code, "{warning}");
    let failed = running
        .process
        .lines()
        .into_iter()
        .find(|l| l.get("EventsFailed").is_some() && l["Reason"] == reason)
        .unwrap_or_else(|| panic!("{reason}: no EventsFailed by Reason"));
    assert_eq!(failed["EventsFailed"], 1);
    no_content_in(&events, &running, "falcon");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_partial_failure_is_counted_and_the_invocation_succeeds() {
    failing(
        EventBridgeReply::partial_failure(1),
        "rejected",
        "InternalFailure",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_500_is_counted_and_the_invocation_succeeds() {
    failing(
        EventBridgeReply::internal_error(),
        "failed",
        "InternalException",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_is_counted_and_the_invocation_succeeds() {
    failing(
        EventBridgeReply::throttled(),
        "throttled",
        "ThrottlingException",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_eventbridge_never_delays_the_callback_and_the_budget_bounds_the_wait() {
    let events = EventBridgeStub::start(vec![EventBridgeReply::Hang]).await;
    let budget = Duration::from_millis(300);
    let (running, outcome) = one(
        &format!("[events]\nbudget = \"300ms\"\n{RULES}"),
        &events,
        DENIED,
        &[],
    )
    .await;
    let answered = Instant::now();
    assert_eq!(outcome["Outcome"], "DENY");
    let callback = &running.chime.requests()[0];
    let put_events = &events.requests()[0];
    // The callback was in the Chime stand-in before the event was sent.
    assert!(callback.arrived < put_events.arrived);
    // The invocation answered once the budget ran out, not later.
    let waited = answered.duration_since(put_events.arrived);
    assert!(waited < budget + Duration::from_secs(2), "{waited:?}");
    let line = running.processed();
    assert_eq!(
        (&line["events_failed"], &line["events_unavailable"]),
        (&json!(1), &json!("timeout"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deadline_bounds_a_long_budget() {
    let events = EventBridgeStub::start(vec![EventBridgeReply::Hang]).await;
    let running = start(
        &format!("[events]\nbudget = \"30s\"\n{RULES}"),
        &events,
        &[],
    )
    .await;
    let deadline = Duration::from_secs(3);
    let sent = Instant::now();
    let result = running.api.invoke(&event("m1", DENIED), deadline).await;
    assert_eq!(response(&result)["Outcome"], "DENY");
    assert!(sent.elapsed() < deadline, "answered past the deadline");
    assert_eq!(events.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_section_or_the_variable_nothing_is_sent() {
    let events = EventBridgeStub::start(vec![]).await;
    let (running, outcome) = one(RULES, &events, DENIED, &[]).await;
    assert_eq!(outcome["Outcome"], "DENY");
    assert!(events.requests().is_empty());
    assert!(events.probes().is_empty());
    assert!(
        !running.process.output().contains("moderation events ready"),
        "an EventBridge client was built"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_variable_alone_turns_events_on_with_the_defaults() {
    let events = EventBridgeStub::start(vec![]).await;
    let (_running, outcome) = one(
        RULES,
        &events,
        DENIED,
        &[("CHIMEFLOW_EVENT_BUS", "moderation")],
    )
    .await;
    assert_eq!(outcome["Outcome"], "DENY");
    assert_valid_eventbridge_requests(&events.requests());
    let entries = events.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["EventBusName"], "moderation");
    assert_eq!(entries[0]["Source"], "chimeflow");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_sends_no_event() {
    let events = EventBridgeStub::start(vec![]).await;
    let (_running, outcome) = one(
        &format!("[events]\n{RULES}"),
        &events,
        DENIED,
        &[("CHIMEFLOW_DRY_RUN", "1")],
    )
    .await;
    assert_eq!(outcome["Callback"], "dry-run");
    assert!(events.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_bus_in_the_environment_refuses_to_start() {
    let events = EventBridgeStub::start(vec![]).await;
    let mut running = start(RULES, &events, &[("CHIMEFLOW_EVENT_BUS", "not a bus")]).await;
    let init = running.api.init_error().await;
    assert!(
        matches!(&init, InvocationResult::Error { error_type, .. } if error_type == "Chimeflow.BadEnvironment"),
        "{init:?}"
    );
    running.process.wait();
}
