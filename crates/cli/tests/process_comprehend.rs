//! `chimeflow process` with the Comprehend-backed rules: against a local
//! stand-in with --comprehend-endpoint, and without one.

mod common;

use chimeflow_e2e::{
    ComprehendReply, ComprehendStub, assert_valid_comprehend_requests, toxic_labels,
};
use common::chimeflow;

fn config(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("comprehend.toml");
    std::fs::write(
        &path,
        "[[rules]]\ntype = \"pii\"\n\n[[rules]]\ntype = \"toxicity\"\n\n[[rules]]\ntype = \"comprehend-pii\"\n",
    )
    .unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_stand_in_answers_and_the_rules_act_on_it() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let comprehend = runtime.block_on(ComprehendStub::start(vec![
        (
            "DetectToxicContent",
            ComprehendReply::toxic_content(vec![toxic_labels(0.1, &[])]),
        ),
        (
            "DetectToxicContent",
            ComprehendReply::toxic_content(vec![toxic_labels(0.95, &[("INSULT", 0.97)])]),
        ),
        (
            "DetectPiiEntities",
            ComprehendReply::pii_finding(&[("NAME", "Ada Lovelace")]),
        ),
    ]));
    let dir = tempfile::tempdir().unwrap();
    let config = config(&dir);
    let endpoint = comprehend.endpoint();
    let run = chimeflow(
        &[
            "process",
            "--text",
            "--config",
            &config,
            "--comprehend-endpoint",
            &endpoint,
        ],
        b"please ask Ada Lovelace, a@b.example\nyou are a pathetic loser\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(lines[0]["Outcome"], "UPDATE");
    assert_eq!(
        lines[0]["Callback"]["ChannelMessage"]["Content"],
        "please ask [NAME], [EMAIL]"
    );
    assert_eq!(lines[1]["Outcome"], "DENY");
    assert_eq!(lines[1]["Reason"]["Rule"], "toxicity");
    let requests = comprehend.requests();
    assert_eq!(requests.len(), 4, "two questions per line");
    assert_valid_comprehend_requests(&requests);
}

#[test]
fn without_an_endpoint_the_rules_say_they_had_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(&dir);
    let run = chimeflow(
        &["process", "--text", "--config", &config],
        b"you are a pathetic loser\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = &run.lines()[0];
    assert_eq!(line["Outcome"], "PASS");
    assert!(line["Notes"].to_string().contains("no-service"), "{line}");
}
