//! `chimeflow process` with stateful rules: one in-memory store shared by
//! every event of the run, across inputs, in order; effects in the output.

mod common;

use common::chimeflow;
use serde_json::{Value, json};

const APP: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/a";

fn config(dir: &tempfile::TempDir, toml: &str) -> String {
    let path = dir.path().join("stateful.toml");
    std::fs::write(&path, toml).unwrap();
    path.to_str().unwrap().to_owned()
}

fn event(id: &str, from: &str, content: &str, second: u64) -> String {
    json!({
        "CallbackId": format!("{id:0>32}"),
        "ChannelMessage": {
            "MessageId": id,
            "ChannelArn": format!("{APP}/channel/c"),
            "Content": content,
            "CreatedTimestamp": format!("2026-12-01T10:00:{second:02}.000Z"),
            "Sender": {"Arn": format!("{APP}/user/{from}")}
        }
    })
    .to_string()
}

fn outcomes(lines: &[Value]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l["Outcome"].as_str().unwrap())
        .collect()
}

#[test]
fn every_event_of_a_run_shares_one_store_across_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(
        &dir,
        "[[rules]]\ntype = \"rate-limit\"\nmax_messages = 2\nper = \"10s\"\n",
    );
    let first = dir.path().join("first.jsonl");
    std::fs::write(
        &first,
        [event("m1", "ann", "a", 0), event("m2", "ann", "b", 1)].join("\n"),
    )
    .unwrap();
    let second = format!(
        "{}\n{}\n{}\n",
        event("m3", "ann", "c", 2),
        event("m4", "bob", "d", 3),
        event("m5", "ann", "e", 12)
    );
    let run = chimeflow(
        &["process", "--config", &config, first.to_str().unwrap(), "-"],
        second.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(outcomes(&lines), ["PASS", "PASS", "DENY", "PASS", "PASS"]);
    assert_eq!(lines[2]["Reason"]["Rule"], "rate-limit");
    assert_eq!(lines[2]["Findings"][0]["Category"], "rate-limit");
}

#[test]
fn text_lines_show_duplicates_strikes_and_their_effects() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(
        &dir,
        "[[rules]]\ntype = \"profanity\"\n\n\
         [[rules]]\ntype = \"strikes\"\ntimeout_at = 2\ntimeout = \"5m\"\n\n\
         [[rules]]\ntype = \"duplicate\"\nmax_repeats = 1\nhash_key = \"a-local-key-of-16+\"\n\n\
         [[rules]]\ntype = \"mention-spam\"\nmax_mentions = 3\naction = \"tag\"\n",
    );
    let text = "buy now\nB U Y   N O W\nbuy n0w!!\nthis is shit\n@a @b @c @d\nfuck\nhello\n";
    let run = chimeflow(&["process", "--text", "--config", &config], text.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(
        outcomes(&lines),
        ["PASS", "PASS", "DENY", "UPDATE", "PASS", "DENY", "DENY"]
    );
    assert_eq!(lines[2]["Reason"]["Rule"], "duplicate");
    assert_eq!(lines[4]["Findings"][0]["Category"], "mention-spam");
    // The first strike is logged; the second starts a timeout.
    assert_eq!(
        lines[3]["Effects"][0]["Append"]["Log"],
        "strikes of the sender over 1h"
    );
    let effects = lines[5]["Effects"].as_array().unwrap();
    assert_eq!(effects.len(), 2, "{effects:?}");
    assert_eq!(effects[1]["SetNumber"]["Name"], "timeout_until");
    assert_eq!(effects[1]["SetNumber"]["Keep"], "5m");
    assert_eq!(lines[6]["Reason"]["Reason"], "timeout");
    // No content anywhere but the callback.
    for line in &lines {
        let mut line = line.clone();
        line.as_object_mut().unwrap().remove("Callback");
        assert!(!line.to_string().contains("buy"), "{line}");
    }
}

#[test]
fn a_stateful_configuration_without_a_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(
        &dir,
        "[[rules]]\ntype = \"duplicate\"\nhash_key_env = \"CHIMEFLOW_TEST_UNSET_KEY\"\n",
    );
    let run = chimeflow(&["process", "--text", "--config", &config], b"hi\n");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("CHIMEFLOW_TEST_UNSET_KEY"),
        "{}",
        run.stderr
    );
}
