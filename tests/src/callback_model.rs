//! Requests checked against botocore's models in the repository's Python
//! (`$CHIMEFLOW_PYTHON`, else `.venv/bin/python`, which scripts/test makes):
//! ChannelFlowCallback against `chime-sdk-messaging` by
//! tests/tools/botocore_validate.py; DynamoDB, Comprehend and EventBridge
//! requests (the JSON protocols) by tests/tools/botocore_validate_json.py.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::RecordedRequest;

/// The API request a recorded callback was: its JSON body with the
/// `ChannelArn` that the REST protocol put in the path
/// (`/channels/{ChannelArn}?operation=channel-flow-callback`), decoded.
pub fn callback_request(recorded: &RecordedRequest) -> Value {
    let path = recorded.target.split('?').next().unwrap_or_default();
    let encoded = path
        .strip_prefix("/channels/")
        .unwrap_or_else(|| panic!("not a channel path: {}", recorded.target));
    let arn = percent_decode_str(encoded)
        .decode_utf8()
        .expect("the ChannelArn in the path is UTF-8");
    let mut request = recorded.json();
    request["ChannelArn"] = Value::String(arn.into_owned());
    request
}

/// Panics, with the script's report (which never holds message content),
/// unless every request is valid ChannelFlowCallback input and serialises
/// under botocore to the same body. An empty list is a failure too.
pub fn assert_valid_callbacks(requests: &[Value]) {
    run_validator("tests/tools/botocore_validate.py", requests);
}

/// Panics, with the script's report (names and problems only, never
/// attribute values), unless every recorded DynamoDB request (JSON 1.0:
/// the operation in `x-amz-target`) is valid input under botocore's
/// `dynamodb` model, with every expression placeholder defined and used.
/// An empty list is a failure too.
pub fn assert_valid_dynamodb_requests<R>(requests: &[RecordedRequest<R>]) {
    assert_valid_json_requests("dynamodb", "DynamoDB", requests);
}

/// Panics, with the script's report (names, sizes and problems only, never
/// message text), unless every recorded Comprehend request (JSON 1.1: the
/// operation in `x-amz-target`) is valid input under botocore's
/// `comprehend` model and within the limits AWS documents that the model
/// does not carry (at most 10 TextSegments of at most 1 KB of UTF-8 each,
/// 10 KB in all; a Text of at most 100 KB; DetectDominantLanguage's 20
/// characters at least; the languages each operation supports): see
/// tests/tools/botocore_validate_json.py. An empty list is a failure too.
pub fn assert_valid_comprehend_requests<R>(requests: &[RecordedRequest<R>]) {
    assert_valid_json_requests("comprehend", "Comprehend", requests);
}

/// Panics, with the script's report (names, sizes and problems only, never
/// an event's detail), unless every recorded EventBridge request (JSON 1.1,
/// `AWSEvents.<Operation>`) is valid input under botocore's `events` model
/// and within what AWS documents beyond it for PutEvents: every entry with
/// a Source (not `aws.`), a DetailType and a Detail that is a JSON object,
/// and the entries of a request under 256 KB in all, as EventBridge counts
/// them. See tests/tools/botocore_validate_json.py. An empty list is a
/// failure too.
pub fn assert_valid_eventbridge_requests<R>(requests: &[RecordedRequest<R>]) {
    assert_valid_json_requests("events", "EventBridge", requests);
}

/// Runs tests/tools/botocore_validate_json.py for `service` on the
/// requests' `x-amz-target` and JSON bodies.
fn assert_valid_json_requests<R>(service: &str, name: &str, requests: &[RecordedRequest<R>]) {
    assert!(!requests.is_empty(), "no {name} request was recorded");
    let lines: Vec<Value> = requests
        .iter()
        .map(|r| {
            let target = r
                .header("x-amz-target")
                .unwrap_or_else(|| panic!("a {name} request names its operation in x-amz-target"));
            let body: Value = serde_json::from_slice(&r.body)
                .unwrap_or_else(|_| panic!("a {name} request ({target}) has a JSON body"));
            serde_json::json!({"Target": target, "Body": body})
        })
        .collect();
    run_validator_with("tests/tools/botocore_validate_json.py", &[service], &lines);
}

fn run_validator(script: &str, requests: &[Value]) {
    run_validator_with(script, &[], requests);
}

fn run_validator_with(script: &str, arguments: &[&str], requests: &[Value]) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = std::env::var_os("CHIMEFLOW_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".venv/bin/python"));
    assert!(
        python.exists(),
        "no Python with botocore at {} (run scripts/test, or set CHIMEFLOW_PYTHON)",
        python.display()
    );
    let lines: String = requests.iter().map(|r| format!("{r}\n")).collect();
    let mut child = Command::new(&python)
        .arg(root.join(script))
        .args(arguments)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the botocore validator starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "not valid under botocore's model:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
