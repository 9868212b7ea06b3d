//! Observe mode on every rule type: a rule with `mode = "observe"` runs
//! and records what it would have done, and the callback is what it would
//! be without the rule.
//!
//! Each case configures one rule type so that the last of its messages
//! makes it act, and runs the messages twice: enforced and observed (each
//! with a fresh in-memory store; Comprehend's answers are supplied as
//! facts). The enforced run must act (deny, change or find), and the
//! observed run must answer PASS with the message unchanged, no findings
//! and no effects, and carry one observation with the enforced action and
//! findings.

use std::collections::BTreeSet;
use std::sync::Arc;

use chimeflow_core::{
    Decision, Effect, Facts, LanguageScore, ObservedAction, Outcome, PiiEntity, Processor,
    ProcessorEvent, SegmentToxicity, ServiceAnswer, ServiceRequest,
};
use chimeflow_facts::{MemoryStore, Stage};
use chimeflow_host::{Config, ConfigSource};
use serde_json::json;

const APP: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/a1b2";
const T0: u64 = 1_700_000_000_000;

fn processor(toml: &str) -> Processor {
    let source = ConfigSource {
        name: "observe.toml".into(),
        text: toml.into(),
    };
    Config::parse(&source, &chimeflow_rules::registry())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_processor()
}

fn event(n: usize, content: &str) -> ProcessorEvent {
    ProcessorEvent::from_slice(
        json!({
            "CallbackId": format!("{n:0>32}"),
            "ChannelMessage": {
                "MessageId": format!("m{n}"),
                "ChannelArn": format!("{APP}/channel/c"),
                "Content": content,
                "Metadata": "{\"kept\":true}",
                "CreatedTimestamp": (T0 + n as u64 * 1000).to_string(),
                "Sender": {"Arn": format!("{APP}/user/ann")},
            }
        })
        .to_string()
        .as_bytes(),
    )
    .unwrap()
}

/// What Comprehend would answer: everything toxic, the first word a NAME,
/// the text French.
fn answer(request: &ServiceRequest) -> ServiceAnswer {
    match request {
        ServiceRequest::Toxicity { segments, .. } => ServiceAnswer::Toxicity(
            segments
                .iter()
                .map(|_| SegmentToxicity {
                    toxicity: 0.99,
                    labels: vec![("HATE_SPEECH".into(), 0.99)],
                })
                .collect(),
        ),
        ServiceRequest::PiiEntities { text, .. } => ServiceAnswer::PiiEntities(vec![PiiEntity {
            kind: "NAME".into(),
            score: 0.99,
            start: 0,
            end: text.find(' ').unwrap_or(text.len()),
        }]),
        ServiceRequest::DominantLanguage { .. } => {
            ServiceAnswer::DominantLanguage(vec![LanguageScore {
                code: "fr".into(),
                score: 0.99,
            }])
        }
    }
}

/// Runs `contents` in order through `processor` as the processor does
/// (gather, decide, record) and returns the last outcome.
fn last_outcome(processor: &Processor, contents: &[&str]) -> Outcome {
    let stage = Stage::new(Arc::new(MemoryStore::new()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut last = None;
        for (n, content) in contents.iter().enumerate() {
            let event = event(n + 1, content);
            let requests = processor.requests(&event).unwrap();
            let gathered = stage.gather(&requests, &event.channel_message, None).await;
            let mut facts: Facts = gathered.facts.clone();
            for request in requests.services() {
                facts = facts.with_service(request.clone(), Ok(answer(request)));
            }
            let outcome = processor.process_with(&event, &facts).unwrap();
            stage.record(&gathered, &outcome.effects, None).await;
            last = Some(outcome);
        }
        last.unwrap()
    })
}

/// One case per rule type: its configuration (one `[[rules]]` table for
/// the rule observed, after any enforced rules it needs) and the messages.
fn cases() -> Vec<(&'static str, String, Vec<&'static str>)> {
    let rule =
        |type_name: &str, options: &str| format!("[[rules]]\ntype = \"{type_name}\"\n{options}\n");
    let mut cases = vec![
        ("deny-empty", rule("deny-empty", ""), vec!["   "]),
        (
            "length",
            rule("length", "max_chars = 5\naction = \"truncate\""),
            vec!["a long message"],
        ),
        (
            "keyword",
            rule("keyword", "words = [\"falcon\"]\naction = \"redact\""),
            vec!["project falcon ships"],
        ),
        (
            "regex",
            rule("regex", "patterns = ['JIRA-\\d+']\naction = \"deny\""),
            vec!["see JIRA-123"],
        ),
        (
            "links",
            rule(
                "links",
                "policy = \"allow-listed-only\"\naction = \"strip\"",
            ),
            vec!["go to https://evil.example/x now"],
        ),
        ("pii", rule("pii", ""), vec!["mail ann@example.org today"]),
        ("profanity", rule("profanity", ""), vec!["what the fuck"]),
        (
            "mention-spam",
            rule("mention-spam", "max_mentions = 2\naction = \"deny\""),
            vec!["@a @b @c @d hello"],
        ),
        (
            "rate-limit",
            rule("rate-limit", "max_messages = 2\nper = \"1m\""),
            vec!["one", "two", "three"],
        ),
        (
            "duplicate",
            rule(
                "duplicate",
                "max_repeats = 1\nwindow = \"5m\"\nhash_key = \"a-test-key-of-enough-length\"",
            ),
            vec!["same words", "same words", "same words"],
        ),
        (
            "toxicity",
            rule("toxicity", ""),
            vec!["you are all terrible people here"],
        ),
        (
            "comprehend-pii",
            rule("comprehend-pii", ""),
            vec!["Annabel lives on Elm Street"],
        ),
        (
            "language",
            rule("language", "allow = [\"en\"]"),
            vec!["bonjour à tous, comment allez-vous aujourd'hui ?"],
        ),
    ];
    // `tag` summarises earlier findings; `strikes` counts earlier
    // rules' findings. The rule they follow is enforced.
    let profanity_tag = format!(
        "{}\n{}",
        rule("profanity", "action = \"tag\""),
        rule("tag", "metadata_key = \"moderation\"")
    );
    cases.push(("tag", profanity_tag, vec!["what the fuck"]));
    let profanity_strikes = format!(
        "{}\n{}",
        rule("profanity", "action = \"tag\""),
        rule(
            "strikes",
            "rules = [\"profanity\"]\nwindow = \"1h\"\ntimeout_at = 2\ntimeout = \"10m\""
        )
    );
    cases.push((
        "strikes",
        profanity_strikes,
        vec!["fuck", "fuck this", "fuck that"],
    ));
    cases
}

/// The configuration with `mode = "observe"` on its last rule.
fn observed(toml: &str) -> String {
    let last = toml.rfind("[[rules]]").unwrap();
    let (before, after) = toml.split_at(last);
    let (header, rest) = after.split_once('\n').unwrap();
    format!("{before}{header}\nmode = \"observe\"\n{rest}")
}

#[test]
fn every_rule_type_has_a_case() {
    let covered: BTreeSet<&str> = cases().iter().map(|(name, _, _)| *name).collect();
    let registry = chimeflow_rules::registry();
    let all: BTreeSet<&str> = registry
        .entries()
        .iter()
        .map(|entry| entry.type_name)
        .collect();
    assert_eq!(covered, all);
}

#[test]
fn an_observed_rule_changes_nothing_and_records_what_it_would_have_done() {
    for (name, toml, contents) in cases() {
        let enforced_processor = processor(&toml);
        let observed_processor = processor(&observed(&toml));
        let enforced = last_outcome(&enforced_processor, &contents);
        // What the rules before it decide alone: the observed run's answer.
        let without = toml.rfind("[[rules]]").map(|at| &toml[..at]).unwrap();
        let baseline = last_outcome(&processor(without), &contents);
        let watched = last_outcome(&observed_processor, &contents);

        let own: Vec<_> = enforced
            .findings
            .iter()
            .filter(|f| &*f.rule == name)
            .cloned()
            .collect();
        let expected = match enforced.decision {
            Decision::Deny if enforced.reason.as_ref().is_some_and(|r| r.rule == name) => {
                ObservedAction::Deny
            }
            _ if enforced.callback != baseline.callback || !enforced.effects.is_empty() => {
                ObservedAction::Update
            }
            _ if !own.is_empty() => ObservedAction::Tag,
            _ => panic!("{name}: the case does not make the rule act: {enforced:?}"),
        };
        assert_eq!(watched.decision, baseline.decision, "{name}");
        assert_eq!(watched.callback, baseline.callback, "{name}: the callback");
        assert_eq!(watched.findings, baseline.findings, "{name}: findings");
        // Bookkeeping (a strike logged, a timeout's end) goes through; bans do not.
        let kept = |outcome: &Outcome| -> Vec<Effect> {
            outcome
                .effects
                .iter()
                .filter(|e| !matches!(e, Effect::Ban { .. }))
                .cloned()
                .collect()
        };
        assert_eq!(watched.effects, kept(&enforced), "{name}: effects");
        assert_eq!(watched.observed.len(), 1, "{name}: {:?}", watched.observed);
        let seen = &watched.observed[0];
        assert_eq!(seen.rule, name);
        // strikes asks for a timeout (an effect) without editing: still an
        // action that changes something.
        assert_eq!(seen.action, expected, "{name}");
        if expected == ObservedAction::Deny {
            assert_eq!(
                seen.reason.as_deref(),
                enforced.reason.as_ref().map(|r| r.reason.as_str()),
                "{name}"
            );
        }
        assert_eq!(seen.findings, own, "{name}: findings");
    }
}

#[test]
fn a_tag_rule_can_report_what_observed_rules_would_have_done() {
    let toml = "[[rules]]\ntype = \"profanity\"\naction = \"deny\"\nmode = \"observe\"\n\n[[rules]]\ntype = \"tag\"\nobserved = true\n";
    let outcome = last_outcome(&processor(toml), &["what the fuck"]);
    assert_eq!(
        outcome.decision,
        Decision::Update,
        "only the tag rule changes the message"
    );
    let metadata: serde_json::Value = serde_json::from_str(
        outcome
            .callback
            .channel_message
            .metadata
            .as_deref()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(metadata["kept"], true, "other keys are left alone");
    assert_eq!(metadata["moderation"]["observed"]["profanity"], "DENY");
    assert_eq!(
        metadata["moderation"]["findings"],
        json!({}),
        "observed findings are not counted"
    );
    // Without the option, an observed rule leaves no trace in the message.
    let quiet = "[[rules]]\ntype = \"profanity\"\naction = \"deny\"\nmode = \"observe\"\n\n[[rules]]\ntype = \"tag\"\n";
    let outcome = last_outcome(&processor(quiet), &["what the fuck"]);
    assert_eq!(outcome.decision, Decision::Pass);
}
