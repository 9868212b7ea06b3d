//! ChannelFlowCallback requests checked against botocore's
//! `chime-sdk-messaging` model, by tests/tools/botocore_validate.py in the
//! repository's Python (`$CHIMEFLOW_PYTHON`, else `.venv/bin/python`, which
//! scripts/test makes).

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
pub fn assert_valid_dynamodb_requests(requests: &[RecordedRequest]) {
    assert!(!requests.is_empty(), "no DynamoDB request was recorded");
    let lines: Vec<Value> = requests
        .iter()
        .map(|r| {
            serde_json::json!({
                "Target": r.header("x-amz-target").expect("a JSON 1.0 request names its operation"),
                "Body": r.json(),
            })
        })
        .collect();
    run_validator("tests/tools/botocore_validate_dynamodb.py", &lines);
}

fn run_validator(script: &str, requests: &[Value]) {
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
