//! Every callback `chimeflow process` writes for the sample events is a
//! valid ChannelFlowCallback request by botocore's service model.
//!
//! Needs a Python with botocore: `$CHIMEFLOW_PYTHON`, else `.venv/bin/python`
//! at the repository root (`.ci/run` creates it).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{chimeflow, event_line, root};

fn python() -> std::path::PathBuf {
    if let Some(python) = std::env::var_os("CHIMEFLOW_PYTHON") {
        return python.into();
    }
    let venv = root().join(".venv/bin/python");
    assert!(
        venv.exists(),
        "no Python with botocore: run .ci/run once, or `python3 -m venv .venv && .venv/bin/pip install botocore`, \
         or set CHIMEFLOW_PYTHON"
    );
    venv
}

fn validate(lines: &str) -> (bool, String) {
    let mut child = Command::new(python())
        .arg(root().join("tests/tools/botocore_validate.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn callbacks_for_the_sample_events_match_the_model() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("events"))
        .unwrap()
        .map(|e| format!("events/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".json"))
        .collect();
    files.sort();
    let args: Vec<&str> = std::iter::once("process")
        .chain(files.iter().map(String::as_str))
        .collect();
    let run = chimeflow(&args, b"");
    assert_eq!(run.code, 0);
    let (ok, report) = validate(&run.stdout);
    assert!(ok, "{report}");
    assert!(
        report.contains(&format!("{} passed, 0 failed", files.len())),
        "{report}"
    );
}

#[test]
fn callbacks_at_the_limits_match_the_model() {
    let input = [
        event_line("edge", &"é".repeat(2048)),
        event_line(&"a".repeat(128), "x"),
        event_line("emoji", &"😀".repeat(1024)),
        // Over 4 KB as received: echoed whole, which the model allows.
        event_line("cjk", &"日本語".repeat(700)),
        event_line("emoji-big", &"😀🎉".repeat(600)),
        event_line(
            "cjk-pii",
            &format!("{} dana.reyes@example.com", "資料".repeat(900)),
        ),
    ]
    .join("\n");
    let run = chimeflow(&["process"], input.as_bytes());
    let (ok, report) = validate(&run.stdout);
    assert!(ok, "{report}");
}

#[test]
fn the_validator_catches_a_broken_request() {
    // Guard against a validator that accepts anything.
    let broken = serde_json::json!({
        "ChannelArn": "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c",
        "CallbackId": "short",
        "DeleteResource": false,
        "ChannelMessage": {"MessageId": "m", "Metadata": "x".repeat(1025)}
    });
    let (ok, report) = validate(&broken.to_string());
    assert!(!ok, "{report}");
    assert!(
        report.contains("CallbackId") && report.contains("Metadata"),
        "{report}"
    );
}
