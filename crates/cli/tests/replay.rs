//! `chimeflow replay`: its report agrees with `chimeflow process` run on
//! each configuration alone, it gates on change, it reads what `chimeflow
//! messages list` prints, and it shows text only when asked.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::chimeflow;
use common::emulator::Emu;
use serde_json::Value;

const CORPUS: &str = "examples/replay/corpus.jsonl";
const BEFORE: &str = "examples/replay/before.toml";
const AFTER: &str = "examples/replay/after.toml";

fn replay_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["replay", "--format", "json", "--max-changes", "100000"];
    all.extend_from_slice(args);
    let run = chimeflow(&all, b"");
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not a JSON report ({e}): {} {}", run.stdout, run.stderr));
    (run.code, report)
}

/// `chimeflow process --config CONFIG CORPUS`, one outcome per event.
fn process(config: &str) -> Vec<Value> {
    let run = chimeflow(&["process", "--config", config, CORPUS], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.lines()
}

/// One side of the report: outcome counts, outcomes by (rule, category),
/// observed actions (`rule ACTION`) with their counts.
type SideCounts = (
    BTreeMap<String, usize>,
    BTreeMap<(String, String), [usize; 3]>,
    BTreeMap<String, usize>,
);

/// The findings of an outcome as the report lists them.
fn findings(outcome: &Value) -> Vec<String> {
    let mut list: Vec<String> = outcome["Findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}..{}",
                f["Rule"].as_str().unwrap(),
                f["Category"].as_str().unwrap(),
                f["Start"],
                f["End"]
            )
        })
        .collect();
    list.sort();
    list
}

/// What one side of the report should say, counted from process outputs.
fn side_of(outcomes: &[Value]) -> SideCounts {
    let mut decisions = BTreeMap::new();
    let mut by_rule: BTreeMap<(String, String), [usize; 3]> = BTreeMap::new();
    let mut observed = BTreeMap::new();
    for outcome in outcomes {
        let decision = outcome["Outcome"].as_str().unwrap().to_owned();
        *decisions.entry(decision.clone()).or_default() += 1;
        let index = ["PASS", "UPDATE", "DENY"]
            .iter()
            .position(|d| *d == decision)
            .unwrap();
        let pairs: BTreeSet<(String, String)> = outcome["Findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["Rule"].as_str().unwrap().to_owned(),
                    f["Category"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for pair in pairs {
            by_rule.entry(pair).or_default()[index] += 1;
        }
        for seen in outcome["Observed"].as_array().into_iter().flatten() {
            let key = format!(
                "{} {}",
                seen["Rule"].as_str().unwrap(),
                seen["Action"].as_str().unwrap()
            );
            *observed.entry(key).or_default() += 1;
        }
    }
    (decisions, by_rule, observed)
}

fn reported(side: &Value) -> SideCounts {
    let decisions = side["Outcomes"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, n)| n.as_u64().unwrap() > 0)
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap() as usize))
        .collect();
    let by_rule = side["ByRule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let n = |k: &str| row[k].as_u64().unwrap() as usize;
            (
                (
                    row["Rule"].as_str().unwrap().to_owned(),
                    row["Category"].as_str().unwrap().to_owned(),
                ),
                [n("PASS"), n("UPDATE"), n("DENY")],
            )
        })
        .collect();
    let mut observed = BTreeMap::new();
    for (rule, actions) in side["Observed"].as_object().unwrap() {
        for (action, n) in actions.as_object().unwrap() {
            observed.insert(format!("{rule} {action}"), n.as_u64().unwrap() as usize);
        }
    }
    (decisions, by_rule, observed)
}

#[test]
fn the_report_agrees_with_process_run_on_each_configuration() {
    let before = process(BEFORE);
    let after = process(AFTER);
    let (code, report) = replay_json(&["--config", AFTER, "--baseline", BEFORE, CORPUS]);
    assert_eq!(
        code, 0,
        "without --fail-on-change a change is not a failure"
    );
    assert_eq!(report["Messages"], before.len());
    assert_eq!(reported(&report["Baseline"]), side_of(&before));
    assert_eq!(reported(&report["New"]), side_of(&after));

    let expected: Vec<String> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| {
            b["Outcome"] != a["Outcome"]
                || b["Callback"]["ChannelMessage"] != a["Callback"]["ChannelMessage"]
                || findings(b) != findings(a)
        })
        .map(|(_, a)| a["MessageId"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !expected.is_empty(),
        "the sample configurations differ on the sample corpus"
    );
    let listed: Vec<String> = report["Changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["MessageId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(report["ChangedCount"], expected.len());
    // Each change carries both sides as process saw them.
    for change in report["Changed"].as_array().unwrap() {
        let id = change["MessageId"].as_str().unwrap();
        let b = before.iter().find(|o| o["MessageId"] == id).unwrap();
        let a = after.iter().find(|o| o["MessageId"] == id).unwrap();
        assert_eq!(change["Before"]["Outcome"], b["Outcome"]);
        assert_eq!(change["After"]["Outcome"], a["Outcome"]);
        let listed: Vec<String> =
            serde_json::from_value(change["After"]["Findings"].clone()).unwrap();
        assert_eq!(listed, findings(a));
        assert!(change.get("Text").is_none(), "no text without --show-text");
    }
    assert!(report["New"]["MessagesPerSecond"].as_f64().unwrap() > 0.0);
}

#[test]
fn fail_on_change_gates_and_the_same_configuration_changes_nothing() {
    let (code, report) = replay_json(&[
        "--config",
        BEFORE,
        "--baseline",
        BEFORE,
        "--fail-on-change",
        CORPUS,
    ]);
    assert_eq!((code, report["ChangedCount"].as_u64()), (0, Some(0)));
    let (code, report) = replay_json(&[
        "--config",
        AFTER,
        "--baseline",
        BEFORE,
        "--fail-on-change",
        CORPUS,
    ]);
    assert_eq!(code, 1);
    assert!(report["ChangedCount"].as_u64().unwrap() > 0);
    // Without a baseline: no rules, every message passes.
    let (_, report) = replay_json(&["--config", BEFORE, CORPUS]);
    assert_eq!(report["Baseline"]["Outcomes"]["PASS"], report["Messages"]);
}

#[test]
fn text_is_shown_only_when_asked() {
    let args = [
        "replay",
        "--config",
        AFTER,
        "--baseline",
        BEFORE,
        CORPUS,
        "--max-changes",
        "1000",
    ];
    let quiet = chimeflow(&args, b"");
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(quiet.stdout.contains("changed:"), "{}", quiet.stdout);
    for secret in [
        "ann.lee@example.org",
        "555-867-5309",
        "fucking",
        "did anyone see",
    ] {
        assert!(
            !quiet.stdout.contains(secret),
            "{secret} leaked into the report"
        );
    }
    let mut shown = args.to_vec();
    shown.push("--show-text");
    let loud = chimeflow(&shown, b"");
    assert!(loud.stdout.contains("fucking"), "{}", loud.stdout);
}

#[test]
fn messages_list_output_replays() {
    let emu = Emu::start();
    let channel = emu.channel("replayed");
    for content in ["hello team", "mail me at ann@example.org", "see you"] {
        emu.ok_as(
            &emu.user,
            &[
                "messages",
                "send",
                "--channel",
                &channel,
                "--content",
                content,
            ],
        );
    }
    let listed = emu.cli_as(
        &emu.user,
        &[
            "messages",
            "list",
            "--channel",
            &channel,
            "--sort-order",
            "ASCENDING",
        ],
    );
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.json");
    std::fs::write(&export, &listed.stdout).unwrap();
    let config = dir.path().join("pii.toml");
    std::fs::write(&config, "[[rules]]\ntype = \"pii\"\n").unwrap();
    let (code, report) = replay_json(&[
        "--config",
        config.to_str().unwrap(),
        export.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(report["Messages"], 3);
    assert!(
        report["Unusable"].as_array().unwrap().is_empty(),
        "{report}"
    );
    let changed = report["Changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{report}");
    assert_eq!(changed[0]["Before"]["Outcome"], "PASS");
    assert_eq!(changed[0]["After"]["Outcome"], "UPDATE");
    let (text, email) = ("mail me at ann@example.org", "ann@example.org");
    let start = text.find(email).unwrap();
    assert_eq!(
        changed[0]["After"]["Findings"][0],
        format!("pii EMAIL {start}..{}", start + email.len())
    );
}

#[test]
fn unusable_values_are_listed_and_fail_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("mixed.jsonl");
    std::fs::write(
        &corpus,
        "{\"MessageId\": \"m1\", \"Content\": \"hi\"}\n{\"Nothing\": 1}\nnot json\n",
    )
    .unwrap();
    let (code, report) = replay_json(&[
        "--config",
        BEFORE,
        "--fail-on-change",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["Messages"], 1);
    let inputs: Vec<&str> = report["Unusable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Input"].as_str().unwrap())
        .collect();
    assert_eq!(inputs.len(), 2);
    assert!(inputs[0].ends_with("mixed.jsonl:2") && inputs[1].ends_with("mixed.jsonl:3"));
}
