//! The adversarial corpus (tests/corpus/adversarial/, written by its
//! generate.py): hostile Unicode, events at and past every size limit, and
//! JSON edge cases, plus a few events too big to commit, generated here.
//!
//! Each one goes through `ProcessorEvent::from_slice` and then through the
//! default processor (the embedded rules/chimeflow.toml) and through a
//! pipeline of every built-in rule (each built from the example in its own
//! documentation). Either the bytes are refused with an error that quotes
//! nothing of the input, or the event is refused with an identity error
//! that quotes nothing, or the outcome meets every invariant of
//! `chimeflow_test::invariants`. The default processor's answer to each file
//! is pinned in EXPECTED, so a change in behaviour shows up as a diff.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chimeflow_core::{Processor, ProcessorEvent};
use chimeflow_host::{Config, ConfigSource};
use chimeflow_test::invariants;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/adversarial")
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus/adversarial exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// Events too big to keep in git.
fn generated() -> Vec<(String, Vec<u8>)> {
    let event = |content: &str, metadata: &str| {
        serde_json::json!({
            "CallbackId": "0123456789abcdef0123456789abcdef",
            "ChannelMessage": {
                "MessageId": "adv-big",
                "ChannelArn": chimeflow_test::CHANNEL_ARN,
                "Content": content,
                "Metadata": metadata,
            }
        })
    };
    let one_mb_content = serde_json::to_vec(&event(&"x".repeat(1 << 20), "")).unwrap();
    let one_mb_pii =
        serde_json::to_vec(&event(&"a@b.co 4111111111111111 ".repeat(45_000), "")).unwrap();
    let one_mb_metadata = serde_json::to_vec(&event("hi", &"m".repeat(1 << 20))).unwrap();
    let mut one_mb_unknown = event("hi", "");
    one_mb_unknown["Padding"] = serde_json::Value::String("p".repeat(1 << 20));
    let mut wide = event("hi", "");
    for i in 0..10_000 {
        wide["ChannelMessage"][format!("Unknown{i}")] = i.into();
    }
    let deep = format!(
        "{{\"CallbackId\":\"0123456789abcdef0123456789abcdef\",\"X\":{}{},\"ChannelMessage\":{{\"MessageId\":\"m\"}}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    vec![
        ("generated: 1 MB content".into(), one_mb_content),
        ("generated: 1 MB of emails and cards".into(), one_mb_pii),
        ("generated: 1 MB metadata".into(), one_mb_metadata),
        (
            "generated: 1 MB unknown field".into(),
            serde_json::to_vec(&one_mb_unknown).unwrap(),
        ),
        (
            "generated: 10000 unknown fields".into(),
            serde_json::to_vec(&wide).unwrap(),
        ),
        (
            "generated: arrays nested 100000 deep".into(),
            deep.into_bytes(),
        ),
    ]
}

/// The indented block under "Example" in a rule's doc text.
fn example(doc: &str) -> String {
    let after = doc.split_once("\nExample\n").expect("an Example section").1;
    let block = after.split("\nLimitations").next().unwrap();
    block
        .lines()
        .map(|line| line.strip_prefix("  ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

fn processors() -> Vec<(&'static str, Processor)> {
    let registry = chimeflow_rules::registry();
    let mut all = String::new();
    for type_name in [
        "pii",
        "keyword",
        "regex",
        "links",
        "profanity",
        "tag",
        "length",
        "deny-empty",
    ] {
        all.push_str(&example(registry.get(type_name).unwrap().doc));
        all.push('\n');
    }
    let all = Config::parse(
        &ConfigSource {
            name: "every rule".into(),
            text: all,
        },
        &registry,
    )
    .unwrap();
    vec![
        (
            "default",
            chimeflow_rules::load_default().unwrap().into_processor(),
        ),
        ("every rule", all.into_processor()),
    ]
}

/// PARSE_ERROR, EVENT_ERROR, PASS, UPDATE or DENY; panics on a broken invariant.
fn run(name: &str, bytes: &[u8], processor: &Processor) -> String {
    match ProcessorEvent::from_slice(bytes) {
        Err(error) => {
            if let Err(failures) = invariants::check_parse_error(bytes, &error) {
                panic!("{name}: {}", failures.join("; "));
            }
            let shown = error.to_string();
            assert!(
                !shown.contains("secret"),
                "{name}: the parse error quotes the input: {shown}"
            );
            "PARSE_ERROR".into()
        }
        Ok(event) => {
            if let Err(failures) = invariants::check_processed(processor, &event) {
                panic!("{name}: {}", failures.join("; "));
            }
            match processor.process(&event) {
                Ok(outcome) => outcome.decision.as_str().into(),
                Err(_) => "EVENT_ERROR".into(),
            }
        }
    }
}

fn expected() -> BTreeMap<String, String> {
    std::fs::read_to_string(corpus_dir().join("EXPECTED"))
        .expect("EXPECTED exists")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, decision) = l.rsplit_once(' ').expect("NAME DECISION");
            (name.trim().to_owned(), decision.to_owned())
        })
        .collect()
}

#[test]
fn every_corpus_file_meets_the_invariants_and_its_expected_decision() {
    let processors = processors();
    let expected = expected();
    let mut actual = BTreeMap::new();
    for (name, bytes) in corpus().into_iter().chain(generated()) {
        for (label, processor) in &processors {
            let decision = run(&name, &bytes, processor);
            if *label == "default" {
                actual.insert(name.clone(), decision);
            }
        }
    }
    assert!(actual.len() >= 80, "the corpus has {} files", actual.len());
    let table: String = actual
        .iter()
        .map(|(name, decision)| format!("{name} {decision}\n"))
        .collect();
    assert!(
        actual == expected,
        "decisions differ from tests/corpus/adversarial/EXPECTED; now:\n{table}"
    );
}

#[test]
fn specific_edge_cases_behave_as_documented() {
    let parse = |name: &str| {
        let bytes = std::fs::read(corpus_dir().join(name)).unwrap();
        ProcessorEvent::from_slice(&bytes)
    };
    // Lone surrogates and invalid UTF-8 are refused; a proper pair is fine.
    assert!(parse("json-lone-surrogate-escape.json").is_err());
    assert!(parse("json-invalid-utf8.json").is_err());
    let pair = parse("json-surrogate-pair-escape.json").unwrap();
    assert_eq!(pair.channel_message.content.as_deref(), Some("ok 😀"));
    // A UTF-8 byte-order mark is not JSON.
    assert!(parse("json-bom.json").is_err());
    // Unknown enum values parse and are kept.
    let unknown = parse("json-unknown-enums.json").unwrap();
    let back = serde_json::to_value(&unknown).unwrap();
    assert_eq!(back["ChannelMessage"]["Type"], "HOLOGRAM");
    assert_eq!(back["EventType"], "SOMETHING_NEW");
}
