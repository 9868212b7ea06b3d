//! The Comprehend-backed rules through the real `processor` binary, against
//! a local stand-in for Amazon Comprehend (`AWS_ENDPOINT_URL_COMPREHEND`):
//! answers acted on, every request valid under botocore's model, the three
//! calls made at once, nothing asked for a message denied earlier or for
//! text a local rule redacted, and each fault handled as the rule says.

use std::path::PathBuf;
use std::time::Duration;

use chimeflow_e2e::{
    ChimeStub, ComprehendReply, ComprehendStub, InvocationResult, ProcessorProcess, RuntimeApi,
    assert_valid_comprehend_requests, toxic_labels,
};
use serde_json::{Value, json};

const APP: &str =
    "arn:aws:chime:us-east-1:111122223333:app-instance/8e5a3c1b-7f2d-4b6a-9c0e-1d2f3a4b5c6d";
const DEADLINE: Duration = Duration::from_secs(30);

const ALL_THREE: &str = r#"
[[rules]]
type = "pii"

[[rules]]
type = "keyword"
words = ["project falcon"]
action = "deny"

[[rules]]
type = "language"

[[rules]]
type = "toxicity"
when = { language = ["en"] }

[[rules]]
type = "comprehend-pii"
"#;

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

async fn start(config: &str, comprehend: &ComprehendStub) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chimeflow.toml");
    std::fs::write(&path, config).unwrap();
    let api = RuntimeApi::start().await;
    let chime = ChimeStub::start(vec![]).await;
    let endpoint = comprehend.endpoint();
    let process = ProcessorProcess::spawn(
        &PathBuf::from(env!("CARGO_BIN_EXE_processor")),
        &api,
        &chime,
        &[
            ("CHIMEFLOW_CONFIG", path.to_str().unwrap()),
            ("AWS_ENDPOINT_URL_COMPREHEND", endpoint.as_str()),
        ],
    );
    Running {
        api,
        chime,
        process,
        _dir: dir,
    }
}

const MESSAGE: &str = "Jane Doe lives at 42 Elm Street, mail jane@example.com, you utter idiot";

#[tokio::test(flavor = "multi_thread")]
async fn three_rules_answered_at_once_redact_tag_and_deny() {
    let comprehend = ComprehendStub::start(vec![
        (
            "DetectDominantLanguage",
            ComprehendReply::dominant_language(&[("en", 0.98)]).after(Duration::from_millis(20)),
        ),
        (
            "DetectToxicContent",
            ComprehendReply::toxic_content(vec![toxic_labels(0.3, &[("INSULT", 0.4)])])
                .after(Duration::from_millis(20)),
        ),
        (
            "DetectPiiEntities",
            ComprehendReply::pii_finding(&[("NAME", "Jane Doe"), ("ADDRESS", "42 Elm Street")])
                .after(Duration::from_millis(20)),
        ),
    ])
    .await;
    let running = start(ALL_THREE, &comprehend).await;
    let result = running.api.invoke(&event("m1", MESSAGE), DEADLINE).await;
    let outcome = response(&result);
    assert_eq!(outcome["Outcome"], "UPDATE", "{outcome}");
    let callback = &running.chime.requests()[0];
    let content = callback.json()["ChannelMessage"]["Content"].clone();
    assert_eq!(
        content,
        "[NAME] lives at [ADDRESS], mail [EMAIL], you utter idiot"
    );
    let categories: Vec<&str> = outcome["Findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["Category"].as_str().unwrap())
        .collect();
    assert_eq!(categories, ["EMAIL", "NAME", "ADDRESS"]);
    // The three calls were in flight together, not one after another.
    assert_eq!(comprehend.max_in_flight(), 3);
    let requests = comprehend.requests();
    assert_eq!(requests.len(), 3);
    assert_valid_comprehend_requests(&requests);
    // The address the local pii rule redacted never reached Comprehend.
    for request in &requests {
        assert!(!String::from_utf8_lossy(&request.body).contains("jane@example.com"));
        assert!(String::from_utf8_lossy(&request.body).contains("[EMAIL]"));
    }
    assert!(
        !running.process.output().contains("Jane"),
        "content in a log line"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn toxicity_over_the_threshold_denies_and_says_where() {
    let comprehend = ComprehendStub::start(vec![(
        "DetectToxicContent",
        ComprehendReply::toxic_content(vec![toxic_labels(0.93, &[("INSULT", 0.97)])]),
    )])
    .await;
    let running = start(
        "[[rules]]\ntype = \"toxicity\"\nthresholds = { INSULT = 0.9 }\n",
        &comprehend,
    )
    .await;
    let result = running
        .api
        .invoke(&event("m1", "you are a worthless idiot"), DEADLINE)
        .await;
    let outcome = response(&result);
    assert_eq!(outcome["Outcome"], "DENY");
    let findings = outcome["Findings"].as_array().unwrap();
    assert_eq!(findings[0]["Category"], "TOXICITY");
    assert_eq!(findings[1]["Category"], "INSULT");
    assert_eq!(findings[1]["End"], "you are a worthless idiot".len());
    assert_eq!(running.chime.requests()[0].json()["DeleteResource"], true);
    assert_valid_comprehend_requests(&comprehend.requests());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_denied_earlier_asks_nothing() {
    let comprehend = ComprehendStub::start(vec![]).await;
    let running = start(ALL_THREE, &comprehend).await;
    let result = running
        .api
        .invoke(
            &event("m1", "the project falcon launch date is set"),
            DEADLINE,
        )
        .await;
    assert_eq!(response(&result)["Outcome"], "DENY");
    assert!(comprehend.requests().is_empty(), "Comprehend was asked");
}

/// One message with the toxicity rule under `policy` and Comprehend
/// answering `reply`, with a 300 ms budget.
async fn with_failing_service(reply: ComprehendReply, policy: &str) -> (Value, String) {
    let comprehend = ComprehendStub::start(vec![("DetectToxicContent", reply)]).await;
    let running = start(
        &format!(
            "[comprehend]\nbudget = \"300ms\"\n\n[[rules]]\ntype = \"toxicity\"\non_service_error = \"{policy}\"\n"
        ),
        &comprehend,
    )
    .await;
    let result = running
        .api
        .invoke(&event("m1", "is anyone around this afternoon"), DEADLINE)
        .await;
    let log = running
        .process
        .output_with("\"message\":\"processed\"", Duration::from_secs(10));
    (response(&result).clone(), log)
}

#[tokio::test(flavor = "multi_thread")]
async fn each_comprehend_fault_opens_or_closes_as_the_rule_says() {
    let faults = || {
        [
            (ComprehendReply::throttled(), "throttled"),
            (ComprehendReply::internal_error(), "failed"),
            (ComprehendReply::Malformed, "failed"),
            (ComprehendReply::Reset, "failed"),
            (ComprehendReply::Hang, "timeout"),
        ]
    };
    for (reply, reason) in faults() {
        let (open, log) = with_failing_service(reply, "open").await;
        assert_eq!(open["Outcome"], "PASS", "{reason}");
        assert!(
            log.contains(&format!("\"comprehend_unavailable\":\"{reason}\"")),
            "{reason}: {log}"
        );
    }
    for (reply, reason) in faults() {
        let (closed, _) = with_failing_service(reply, "closed").await;
        assert_eq!(closed["Outcome"], "DENY", "{reason}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn another_language_is_not_sent_for_toxicity_and_the_outcome_says_why() {
    let comprehend = ComprehendStub::start(vec![]).await;
    let running = start("[[rules]]\ntype = \"toxicity\"\n", &comprehend).await;
    let result = running
        .api
        .invoke(
            &event(
                "m1",
                "Das ist eine ganz normale Nachricht über das Wetter in Berlin heute Nachmittag",
            ),
            DEADLINE,
        )
        .await;
    assert_eq!(response(&result)["Outcome"], "PASS");
    assert!(comprehend.requests().is_empty());
}
