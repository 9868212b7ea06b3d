//! Replays the committed fuzz corpora (fuzz/corpus/{event,rule,config}) and
//! the inputs that once crashed a target (fuzz/regressions/) on
//! stable, in every test run, through the very functions the fuzz targets
//! call (fuzz/src/setup.rs, included here): whatever the fuzzers once
//! reached keeps meeting the invariants without nightly or libFuzzer. The
//! `pipeline` corpus is encoded for `arbitrary` and is replayed only by
//! `cargo fuzz run pipeline` (docs/RELIABILITY.md).

#[path = "../../fuzz/src/setup.rs"]
#[allow(dead_code)]
mod setup;

use std::path::PathBuf;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    replay_dir("corpus", target, run) + replay_dir("regressions", target, run)
}

/// Every file of fuzz/{kind}/{target}, if that directory exists.
fn replay_dir(kind: &str, target: &str, run: fn(&[u8])) -> usize {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(kind)
        .join(target);
    if kind == "regressions" && !dir.exists() {
        return 0;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(
            outcome.is_ok(),
            "{target} corpus file {} broke an invariant (reproduce: cd fuzz && cargo +nightly fuzz run {target} {})",
            file.display(),
            file.display()
        );
    }
    files.len()
}

#[test]
fn the_event_corpus_keeps_the_invariants() {
    assert!(replay("event", setup::event_target) > 0);
}

#[test]
fn the_rule_corpus_keeps_the_invariants() {
    assert!(replay("rule", setup::rule_target) > 0);
}

#[test]
fn the_config_corpus_keeps_the_invariants() {
    assert!(replay("config", setup::config_target) > 0);
}

#[test]
fn every_rule_variant_builds() {
    // Every built-in rule's documented example and every variant.
    assert!(setup::rule_processors().len() >= 8 + setup::VARIANTS.len());
    assert_eq!(setup::pipeline_processors().len(), 3);
}

#[test]
fn the_config_leak_check_finds_private_strings_and_their_literals() {
    let text = "[[rules]]\ntype = \"profanity\"\nblock = [\"frak\", { word = \"smeg\", severity = \"mild\" }]\nallow = ['dickensian']\n";
    // In key order; the literal's span includes its quotes.
    let found: Vec<(&str, String)> = setup::private_strings(text)
        .into_iter()
        .map(|(span, value)| (&text[span], value))
        .collect();
    assert_eq!(
        found,
        [
            ("'dickensian'", "dickensian".to_owned()),
            ("\"frak\"", "frak".to_owned()),
            ("\"smeg\"", "smeg".to_owned()),
        ]
    );
    // An entity name that spells the error's own list is not a leak.
    let text = "[[rules]]\ntype = \"pii\"\nentities = [\"NOT_AN_ENTITY\"]\nallow = [\"CREDIT_DEBIT_NUMBER\"]\n";
    let shown = setup::CONFIG_FILE.to_owned() + ": unknown variant, expected CREDIT_DEBIT_NUMBER";
    assert!(!setup::config_error_leaks(text, &shown));
}
