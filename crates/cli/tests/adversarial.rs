//! `chimeflow process` on every file of the adversarial corpus
//! (tests/corpus/adversarial/, see docs/RELIABILITY.md): it never crashes,
//! writes only JSON lines, and answers as tests/corpus/adversarial/EXPECTED
//! says the default processor does.

mod common;

use std::collections::BTreeMap;

use common::{chimeflow, root};

#[test]
fn the_cli_answers_the_adversarial_corpus_as_expected() {
    let dir = root().join("tests/corpus/adversarial");
    let expected: BTreeMap<String, String> = std::fs::read_to_string(dir.join("EXPECTED"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with("generated:"))
        .map(|l| {
            let (name, decision) = l.rsplit_once(' ').unwrap();
            (name.to_owned(), decision.to_owned())
        })
        .collect();
    assert!(expected.len() >= 80);
    for (name, decision) in &expected {
        let path = format!("tests/corpus/adversarial/{name}");
        let run = chimeflow(&["process", &path], b"");
        assert!(
            run.code == 0 || run.code == 1,
            "{name}: exit {} ({})",
            run.code,
            run.stderr
        );
        let lines = run.lines();
        match decision.as_str() {
            "PARSE_ERROR" | "EVENT_ERROR" => {
                // Refused: error lines only, no outcome, exit code 1, and
                // nothing of the input in the errors.
                assert_eq!(run.code, 1, "{name}: {}", run.stdout);
                assert!(!lines.is_empty(), "{name}");
                for line in &lines {
                    let error = line["Error"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{name}: not an error line: {line}"));
                    assert!(!error.contains("secret"), "{name}: {error}");
                }
            }
            outcome => {
                assert_eq!(run.code, 0, "{name}: {}", run.stderr);
                assert_eq!(lines.len(), 1, "{name}: {}", run.stdout);
                assert_eq!(lines[0]["Outcome"], outcome, "{name}: {}", run.stdout);
            }
        }
    }
}
