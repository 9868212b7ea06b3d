//! Quality of the `profanity` rule beyond English, per language.
//!
//! 1. The quality sets `tests/data/profanity/<code>.jsonl` (generated from
//!    the lists with evasions of each kind, innocent sentences and traps;
//!    see `tests/data/README.md`): precision at least 0.99 and recall at
//!    least 0.95 per evasion kind, with the language's list alone and with
//!    `languages = "auto"`.
//! 2. Scunthorpe safety: each of the 50,000 most frequent words of each
//!    language (`tests/data/frequent/<code>.txt`, from wordfreq) is checked
//!    alone; at most 1 in 10,000 may be flagged unless it is profane: one of
//!    the list's own words (with the list's endings) or a word labelled
//!    profane in `tests/data/frequent/<code>.profane.txt`.
//!
//! `cargo test -p chimeflow-rules --test profanity_languages -- --nocapture`
//! prints the figures docs/profanity-languages.md reports.

use std::collections::{BTreeMap, HashSet};

use chimeflow_core::{ChannelMessage, Findings, Message, Rule, RuleConfig};
use chimeflow_rules::profanity::{Languages, ProfanityConfig};

/// The languages beyond English, with their lists.
const LANGUAGES: &[&str] = &["es", "pt", "fr", "de", "it", "nl", "pl", "tr"];

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
const LISTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/profanity");

fn read(path: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path} cannot be read ({e}); it ships in the repository"))
}

fn rule(languages: Languages) -> Box<dyn Rule> {
    ProfanityConfig {
        languages,
        ..Default::default()
    }
    .build()
    .unwrap()
}

fn one(code: &str) -> Languages {
    Languages::List(vec![code.into()])
}

fn auto() -> Languages {
    Languages::Word("auto".into())
}

/// Whether the rule reports a finding in `text`.
fn flags(rule: &dyn Rule, text: &str) -> bool {
    let received = ChannelMessage {
        message_id: "m".into(),
        content: Some(text.into()),
        ..Default::default()
    };
    let mut message = Message::new(&received);
    let mut findings = Findings::new();
    rule.check(&mut message, &mut findings);
    !findings.is_empty()
}

struct Sample {
    text: String,
    label: bool,
    kind: String,
}

fn samples(code: &str) -> Vec<Sample> {
    let path = format!("{DATA}/profanity/{code}.jsonl");
    let samples: Vec<Sample> = read(&path)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            Sample {
                text: value["text"].as_str().expect("text").to_owned(),
                label: value["label"].as_bool().expect("label"),
                kind: value["kind"].as_str().expect("kind").to_owned(),
            }
        })
        .collect();
    assert!(samples.len() > 200, "{path} holds too few samples");
    samples
}

#[derive(Default)]
struct Score {
    true_pos: usize,
    false_pos: usize,
    false_neg: usize,
    /// Per kind: (flagged, total); positives and negatives alike.
    by_kind: BTreeMap<String, (usize, usize, bool)>,
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
        let kind = self
            .by_kind
            .entry(sample.kind.clone())
            .or_insert((0, 0, sample.label));
        kind.0 += usize::from(flagged == sample.label);
        kind.1 += 1;
        if flagged != sample.label {
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
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[test]
fn english_keeps_its_figures_with_every_list() {
    // The English set (tests/data/profanity.jsonl) through `auto`: the
    // words of eight more lists must not flag English chat ("I am here"
    // holds the Turkish "am").
    let path = format!("{DATA}/profanity.jsonl");
    let auto_rule = rule(auto());
    let mut score = Score::default();
    for line in read(&path).lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let sample = Sample {
            text: value["text"].as_str().unwrap().to_owned(),
            label: value["label"].as_bool().unwrap(),
            kind: value["kind"].as_str().unwrap().to_owned(),
        };
        score.add(&sample, flags(auto_rule.as_ref(), &sample.text));
    }
    println!(
        "en (auto): precision {:.3}, recall {:.3}",
        score.precision(),
        score.recall()
    );
    for miss in &score.misses {
        println!("    {miss}");
    }
    assert!(
        score.precision() >= 0.99,
        "precision {:.3}",
        score.precision()
    );
    assert!(score.recall() >= 0.98, "recall {:.3}", score.recall());
}

#[test]
fn each_language_meets_its_quality_targets_alone_and_with_auto() {
    let auto_rule = rule(auto());
    let mut failures = Vec::new();
    for &code in LANGUAGES {
        let samples = samples(code);
        let alone = rule(one(code));
        for (setting, rule) in [("alone", alone.as_ref()), ("auto", auto_rule.as_ref())] {
            let mut score = Score::default();
            for sample in &samples {
                score.add(sample, flags(rule, &sample.text));
            }
            println!(
                "{code} ({setting}): {} samples, precision {:.3}, recall {:.3}",
                samples.len(),
                score.precision(),
                score.recall()
            );
            for (kind, (right, total, positive)) in &score.by_kind {
                let what = if *positive { "recall" } else { "clean" };
                println!(
                    "  {kind:<12} {what} {:.3} ({right}/{total})",
                    ratio(*right, *total)
                );
                if *positive && ratio(*right, *total) < 0.95 {
                    failures.push(format!(
                        "{code} {setting}: recall for {kind} {right}/{total}"
                    ));
                }
            }
            for miss in &score.misses {
                println!("    {miss}");
            }
            if score.precision() < 0.99 {
                failures.push(format!(
                    "{code} {setting}: precision {:.3}",
                    score.precision()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A list's words and endings, read plainly (no normalisation): enough to
/// tell a frequent word that is itself a listed word from a false hit.
struct ListForms {
    words: HashSet<String>,
    suffixes: Vec<String>,
    stem_drop: Vec<char>,
    stem_suffixes: Vec<String>,
}

impl ListForms {
    fn read(code: &str) -> Self {
        let text = read(&format!("{LISTS}/{code}.txt"));
        let mut forms = ListForms {
            words: HashSet::new(),
            suffixes: Vec::new(),
            stem_drop: Vec::new(),
            stem_suffixes: Vec::new(),
        };
        let mut section = "";
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.starts_with('[') {
                section = line;
                continue;
            }
            let values = |line: &str| -> Vec<String> {
                line.split_once('=')
                    .map(|(_, v)| v.split_whitespace().map(str::to_owned).collect())
                    .unwrap_or_default()
            };
            match section {
                "[inflection]" if line.starts_with("suffixes") => {
                    forms.suffixes.extend(values(line));
                }
                "[inflection]" if line.starts_with("stem_suffixes") => {
                    forms.stem_suffixes.extend(values(line));
                }
                "[inflection]" if line.starts_with("stem_drop") => forms
                    .stem_drop
                    .extend(values(line).iter().filter_map(|v| v.chars().next())),
                "[block]" => {
                    if let Some(word) = line.split_whitespace().next() {
                        forms.words.insert(fold(word));
                    }
                }
                _ => {}
            }
        }
        if !text.contains("[inflection]") {
            // English's endings, which the rule knows without a section.
            let english = "s es ed d er ers ing in y ies ier iest ish z";
            forms.suffixes = english.split(' ').map(str::to_owned).collect();
            forms.stem_drop = vec!['e', 'y'];
            forms.stem_suffixes = vec!["ing".into(), "ies".into(), "ed".into(), "er".into()];
        }
        forms
    }

    /// Whether `word` is a listed word, or one with one of its endings
    /// (compared without case and diacritics: "cabron" is "cabrón").
    fn lists(&self, word: &str) -> bool {
        let word = fold(word);
        let word = word.as_str();
        let base_listed = |ending: &String| {
            word.strip_suffix(ending.as_str())
                .is_some_and(|base| self.words.contains(base))
        };
        let stem_listed = |ending: &String| {
            word.strip_suffix(ending.as_str()).is_some_and(|stem| {
                self.words.iter().any(|listed| {
                    listed.strip_suffix(|c| self.stem_drop.contains(&c)) == Some(stem)
                })
            })
        };
        self.words.contains(word)
            || self.suffixes.iter().any(base_listed)
            || self.stem_suffixes.iter().any(stem_listed)
    }
}

/// A word without case and diacritics (ß as ss), as the rule compares.
fn fold(word: &str) -> String {
    // ß first: the look-alike tables read it as a "b".
    let word = word.to_lowercase().replace('ß', "ss");
    decancer::cure(&word, decancer::Options::default())
        .map(|cured| cured.to_string())
        .unwrap_or(word)
}

/// Frequent words of a language, most frequent first.
fn frequent(code: &str) -> Vec<String> {
    let words: Vec<String> = read(&format!("{DATA}/frequent/{code}.txt"))
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.trim().to_owned())
        .collect();
    assert!(
        words.len() >= 45_000,
        "{code}: {} frequent words",
        words.len()
    );
    words
}

/// Words of `code`'s frequent list labelled profane by hand.
fn labelled_profane(code: &str) -> HashSet<String> {
    std::fs::read_to_string(format!("{DATA}/frequent/{code}.profane.txt"))
        .unwrap_or_default()
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim().to_owned())
        .filter(|word| !word.is_empty())
        .collect()
}

#[test]
fn frequent_words_are_not_flagged_unless_profane() {
    let auto_rule = rule(auto());
    let mut failures = Vec::new();
    let every: Vec<&str> = std::iter::once("en")
        .chain(LANGUAGES.iter().copied())
        .collect();
    let all_forms: Vec<ListForms> = every.iter().map(|code| ListForms::read(code)).collect();
    let all_profane: HashSet<String> = every
        .iter()
        .flat_map(|code| labelled_profane(code))
        .collect();
    for (index, &code) in every.iter().enumerate() {
        let words = frequent(code);
        let alone = rule(one(code));
        for (setting, rule) in [("alone", alone.as_ref()), ("auto", auto_rule.as_ref())] {
            // Alone, a word on this language's list is profane; with every
            // list, a word on any of them is (English swearing is frequent
            // in other languages' text).
            let (forms, profane): (Vec<&ListForms>, HashSet<String>) = if setting == "alone" {
                (vec![&all_forms[index]], labelled_profane(code))
            } else {
                (all_forms.iter().collect(), all_profane.clone())
            };
            let false_hits: Vec<&String> = words
                .iter()
                .filter(|word| flags(rule, word))
                .filter(|word| {
                    !forms.iter().any(|f| f.lists(word)) && !profane.contains(word.as_str())
                })
                .collect();
            let per_10k = false_hits.len() as f64 * 10_000.0 / words.len() as f64;
            println!(
                "{code} ({setting}): {} of {} frequent words flagged though not profane ({per_10k:.2} per 10,000): {:?}",
                false_hits.len(),
                words.len(),
                false_hits
            );
            if per_10k > 1.0 {
                failures.push(format!("{code} {setting}: {per_10k:.2} per 10,000"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
