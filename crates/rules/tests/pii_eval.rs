//! Quality of the `pii` rule on the evaluation set in `tests/data/pii.jsonl`
//! (see `tests/data/README.md`), with only that rule enabled and its default
//! configuration.
//!
//! A positive counts as redacted only if its value survives in no form: not
//! as written, not as its letters and digits without separators, not as its
//! digits regrouped. A positive whose surrounding text was also changed
//! counts a false positive too. A negative must come out unchanged.
//! `PII_EVAL=path` evaluates another file of the same shape.

use std::collections::BTreeMap;

use chimeflow_core::{ChannelMessage, Findings, Message, Rule, RuleConfig};
use chimeflow_rules::pii::PiiConfig;

/// The evaluation set, inside this crate.
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pii.jsonl");

#[derive(Default)]
struct Tally {
    tp: usize,
    fn_: usize,
    fp: usize,
    tn: usize,
    category_ok: usize,
}

fn alnum(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Whether any form of `value` is still in `output`.
fn survives(value: &str, output: &str) -> bool {
    if output.contains(value) {
        return true;
    }
    let (v_alnum, v_digits) = (alnum(value), digits(value));
    (v_alnum.len() >= 6 && alnum(output).contains(&v_alnum))
        || (v_digits.len() >= 6 && digits(output).contains(&v_digits))
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

#[test]
fn pii_eval() {
    // PII_EVAL=path runs another set of the same shape.
    let path = std::env::var("PII_EVAL").unwrap_or_else(|_| DATA.to_owned());
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("the PII evaluation set {path} cannot be read ({e}); it ships in crates/rules/tests/data/")
    });
    let rule = PiiConfig::default().build().unwrap();
    let mut kinds: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let mut misses = Vec::new();
    for (line_no, line) in data
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let field = |k: &str| {
            row[k]
                .as_str()
                .unwrap_or_else(|| panic!("line {}: no {k}", line_no + 1))
                .to_owned()
        };
        let (text, value, kind, ty) = (field("text"), field("value"), field("kind"), field("type"));
        let label = row["label"].as_bool().unwrap();
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(text.clone()),
            ..Default::default()
        };
        let mut message = Message::new(&received);
        let mut findings = Findings::new();
        let verdict = rule.check(&mut message, &mut findings);
        assert!(!verdict.is_deny());
        let output = message.content();
        let tally = kinds.entry(kind.clone()).or_default();
        if label {
            let at = text.find(&value).expect("value in text");
            let (before, after) = (&text[..at], &text[at + value.len()..]);
            if survives(&value, output) {
                tally.fn_ += 1;
                total.fn_ += 1;
                misses.push(format!("missed   {kind}: line {}", line_no + 1));
            } else {
                tally.tp += 1;
                total.tp += 1;
            }
            if !(output.starts_with(before) && output.ends_with(after)) || findings.len() > 1 {
                tally.fp += 1;
                total.fp += 1;
                misses.push(format!("overreach {kind}: line {}", line_no + 1));
            }
            if findings
                .as_slice()
                .iter()
                .any(|f| f.category == ty.as_str())
            {
                tally.category_ok += 1;
                total.category_ok += 1;
            }
        } else if output == text {
            tally.tn += 1;
            total.tn += 1;
        } else {
            tally.fp += 1;
            total.fp += 1;
            misses.push(format!("changed  {kind}: line {}", line_no + 1));
        }
    }
    assert!(
        total.tp + total.fn_ + total.fp + total.tn > 0,
        "the PII evaluation set {path} holds no samples"
    );
    println!(
        "{:<18} {:>4} {:>4} {:>4} {:>4} {:>9} {:>7} {:>9}",
        "kind", "TP", "FN", "FP", "TN", "precision", "recall", "category"
    );
    for (kind, t) in kinds.iter().chain([(&"ALL".to_owned(), &total)]) {
        println!(
            "{kind:<18} {:>4} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>9}",
            t.tp,
            t.fn_,
            t.fp,
            t.tn,
            ratio(t.tp, t.tp + t.fp),
            ratio(t.tp, t.tp + t.fn_),
            if t.tp + t.fn_ > 0 {
                format!("{:.3}", ratio(t.category_ok, t.tp + t.fn_))
            } else {
                "-".into()
            },
        );
    }
    for miss in &misses {
        println!("{miss}");
    }
    let precision = ratio(total.tp, total.tp + total.fp);
    let recall = ratio(total.tp, total.tp + total.fn_);
    println!("overall precision {precision:.4} recall {recall:.4}");
    assert!(precision >= 0.99, "precision {precision:.4} < 0.99");
    assert!(recall >= 0.99, "recall {recall:.4} < 0.99");
}
