//! Quality of the `profanity` rule on its evaluation set.
//!
//! Reads `tests/data/profanity.jsonl` (see `tests/data/README.md`) (fields `text`, `label`, `kind`,
//! `word`), runs a processor whose configuration enables only the
//! `profanity` rule with its defaults, and counts a message as flagged when
//! the rule reports a finding. Prints precision, recall and recall per kind,
//! for chimeflow and for the peer `rustrict` (`is_inappropriate()`, its
//! default threshold), and asserts chimeflow's targets. Run with
//! `cargo test -p chimeflow-rules --test profanity_eval -- --nocapture`;
//! `PROFANITY_EVAL=FILE` evaluates another set of the same shape, and
//! `PROFANITY_EVAL_PEER_MISSES=1` lists rustrict's misses too.

use std::collections::BTreeMap;

use chimeflow_core::{ChannelMessage, ProcessorEvent};
use chimeflow_host::{Config, ConfigSource};
use rustrict::CensorStr;

/// The evaluation set, inside this crate.
const EVAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/profanity.jsonl");

struct Sample {
    text: String,
    label: bool,
    kind: String,
}

/// The evaluation file: `PROFANITY_EVAL` (another set of the same shape), or the one in this crate.
fn path() -> String {
    std::env::var("PROFANITY_EVAL").unwrap_or_else(|_| EVAL.to_owned())
}

/// Every sample of the evaluation file; panics when it cannot be read, so a
/// missing file fails the test instead of skipping it.
fn samples() -> Vec<Sample> {
    let path = path();
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("the profanity evaluation set {path} cannot be read ({e}); it ships in crates/rules/tests/data/")
    });
    data.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            Sample {
                text: value["text"].as_str().expect("text").to_owned(),
                label: value["label"].as_bool().expect("label"),
                kind: value["kind"].as_str().expect("kind").to_owned(),
            }
        })
        .collect()
}

/// Precision, recall, and recall per kind of positive sample.
#[derive(Default)]
struct Score {
    true_pos: usize,
    false_pos: usize,
    false_neg: usize,
    by_kind: BTreeMap<String, (usize, usize)>,
    misses: Vec<String>,
}

impl Score {
    fn add(&mut self, sample: &Sample, flagged: bool) {
        match (sample.label, flagged) {
            (true, true) => self.true_pos += 1,
            (false, true) => self.false_pos += 1,
            (true, false) => self.false_neg += 1,
            (false, false) => {}
        }
        if sample.label {
            let kind = self.by_kind.entry(sample.kind.clone()).or_default();
            kind.0 += usize::from(flagged);
            kind.1 += 1;
        }
        if sample.label != flagged {
            self.misses.push(format!(
                "{} {} {:?}",
                if flagged { "FP" } else { "FN" },
                sample.kind,
                sample.text
            ));
        }
    }

    fn precision(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_pos)
    }

    fn recall(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_neg)
    }

    fn print(&self, name: &str) {
        println!(
            "{name}: precision {:.3}, recall {:.3}",
            self.precision(),
            self.recall()
        );
        for (kind, (found, total)) in &self.by_kind {
            println!(
                "  {kind:<11} recall {:.3} ({found}/{total})",
                ratio(*found, *total)
            );
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[test]
fn profanity_meets_its_targets_and_beats_rustrict() {
    let samples = samples();
    assert!(
        !samples.is_empty(),
        "the profanity evaluation set {} holds no samples",
        path()
    );
    let source = ConfigSource {
        name: "eval.toml".into(),
        text: "[[rules]]\ntype = \"profanity\"\n".into(),
    };
    let processor = Config::parse(&source, &chimeflow_rules::registry())
        .unwrap()
        .into_processor();
    let mut ours = Score::default();
    let mut peer = Score::default();
    for sample in &samples {
        let event = ProcessorEvent {
            event_type: None,
            callback_id: "0123456789abcdef0123456789abcdef".into(),
            channel_message: ChannelMessage {
                message_id: "m".into(),
                content: Some(sample.text.clone()),
                ..Default::default()
            },
            extra: Default::default(),
        };
        let outcome = processor.process(&event).unwrap();
        ours.add(sample, !outcome.findings.is_empty());
        peer.add(sample, sample.text.as_str().is_inappropriate());
    }
    println!("{} samples", samples.len());
    ours.print("chimeflow profanity");
    for miss in &ours.misses {
        println!("  {miss}");
    }
    peer.print("rustrict 0.7 (is_inappropriate)");
    if std::env::var_os("PROFANITY_EVAL_PEER_MISSES").is_some() {
        for miss in &peer.misses {
            println!("  {miss}");
        }
    }

    assert!(
        ours.precision() >= 0.99,
        "precision {:.3}",
        ours.precision()
    );
    assert!(ours.recall() >= 0.98, "recall {:.3}", ours.recall());
    for (kind, (found, total)) in &ours.by_kind {
        assert!(
            ratio(*found, *total) >= 0.95,
            "recall for {kind}: {found}/{total}"
        );
    }
}
