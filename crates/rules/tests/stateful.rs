//! The stateful rules (`rate-limit`, `duplicate`, `strikes`) and
//! `mention-spam`, each through the facts stage over the in-memory store:
//! what `chimeflow process` and `chimeflow local` run, and the semantics
//! the DynamoDB store shares (crates/facts/tests/dynamodb.rs holds the two
//! stores to the same answers).

use std::sync::Arc;

use chimeflow_core::{
    Effect, FactRequests, Facts, Outcome, Processor, ProcessorEvent, Subject, Unavailable,
};
use chimeflow_facts::{MemoryStore, Stage};
use chimeflow_host::{Config, ConfigSource};
use serde_json::json;

const APP: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/a1b2";
/// An instant well in the past, so that "now" never interferes.
const T0: u64 = 1_700_000_000_000;

fn processor(toml: &str) -> Processor {
    let source = ConfigSource {
        name: "test.toml".into(),
        text: toml.into(),
    };
    Config::parse(&source, &chimeflow_rules::registry())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_processor()
}

fn build_error(toml: &str) -> String {
    let source = ConfigSource {
        name: "test.toml".into(),
        text: toml.into(),
    };
    Config::parse(&source, &chimeflow_rules::registry())
        .map(|_| ())
        .expect_err("the configuration is refused")
        .to_string()
}

/// A message: id, sender name, channel name, content, seconds after T0.
struct Sent<'a>(&'a str, &'a str, &'a str, &'a str, u64);

fn event(sent: &Sent<'_>) -> ProcessorEvent {
    let Sent(id, from, channel, content, at) = sent;
    ProcessorEvent::from_slice(
        json!({
            "CallbackId": format!("{id:0>32}"),
            "ChannelMessage": {
                "MessageId": id,
                "ChannelArn": format!("{APP}/channel/{channel}"),
                "Content": content,
                "CreatedTimestamp": (T0 + at * 1000).to_string(),
                "Sender": {"Arn": format!("{APP}/user/{from}")},
            }
        })
        .to_string()
        .as_bytes(),
    )
    .unwrap()
}

/// Runs the messages in order through `processor` with one memory store,
/// as the processor does: gather, decide, record.
fn run(processor: &Processor, messages: &[Sent<'_>]) -> Vec<Outcome> {
    let stage = Stage::new(Arc::new(MemoryStore::new()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut outcomes = Vec::new();
        for sent in messages {
            let event = event(sent);
            let requests = processor.requests(&event).unwrap();
            let gathered = stage.gather(&requests, &event.channel_message, None).await;
            let outcome = processor.process_with(&event, &gathered.facts).unwrap();
            stage.record(&gathered, &outcome.effects, None).await;
            outcomes.push(outcome);
        }
        outcomes
    })
}

fn decisions(outcomes: &[Outcome]) -> Vec<&'static str> {
    outcomes.iter().map(|o| o.decision.as_str()).collect()
}

fn categories(outcome: &Outcome) -> Vec<&str> {
    outcome.findings.iter().map(|f| &*f.category).collect()
}

#[test]
fn rate_limit_counts_a_sender_within_a_sliding_window() {
    let limit = processor("[[rules]]\ntype = \"rate-limit\"\nmax_messages = 2\nper = \"10s\"\n");
    let outcomes = run(
        &limit,
        &[
            Sent("m1", "ann", "c1", "a", 0),
            Sent("m2", "ann", "c2", "b", 1),
            Sent("m3", "ann", "c1", "c", 2),  // third within 10 s
            Sent("m4", "bob", "c1", "d", 3),  // another sender
            Sent("m5", "ann", "c1", "e", 10), // m1 (exactly 10 s before) is out; m2, m3 in
            Sent("m6", "ann", "c1", "f", 13), // only m5 (and m6) within 10 s
        ],
    );
    assert_eq!(
        decisions(&outcomes),
        ["PASS", "PASS", "DENY", "PASS", "DENY", "PASS"]
    );
    let reason = outcomes[2].reason.as_ref().unwrap();
    assert_eq!(
        (&*reason.rule, &*reason.reason),
        ("rate-limit", "rate-limit")
    );
}

#[test]
fn rate_limit_scopes_and_tagging() {
    let per_channel = processor(
        "[[rules]]\ntype = \"rate-limit\"\nmax_messages = 1\nscope = \"sender-channel\"\naction = \"tag\"\n",
    );
    let outcomes = run(
        &per_channel,
        &[
            Sent("m1", "ann", "c1", "a", 0),
            Sent("m2", "ann", "c2", "b", 0),
            Sent("m3", "ann", "c1", "c", 1),
        ],
    );
    assert_eq!(decisions(&outcomes), ["PASS", "PASS", "PASS"]);
    assert!(categories(&outcomes[1]).is_empty(), "another channel");
    assert_eq!(
        categories(&outcomes[2]),
        ["rate-limit"],
        "tagged, not denied"
    );

    let channel =
        processor("[[rules]]\ntype = \"rate-limit\"\nmax_messages = 2\nscope = \"channel\"\n");
    let outcomes = run(
        &channel,
        &[
            Sent("m1", "ann", "c1", "a", 0),
            Sent("m2", "bob", "c1", "b", 0),
            Sent("m3", "cy", "c1", "c", 0),
            Sent("m4", "cy", "c2", "d", 0),
        ],
    );
    assert_eq!(decisions(&outcomes), ["PASS", "PASS", "DENY", "PASS"]);
}

#[test]
fn a_message_delivered_again_or_edited_counts_once() {
    let limit = processor("[[rules]]\ntype = \"rate-limit\"\nmax_messages = 2\n");
    let outcomes = run(
        &limit,
        &[
            Sent("m1", "ann", "c1", "a", 0),
            Sent("m1", "ann", "c1", "a", 0),
            Sent("m1", "ann", "c1", "a, edited", 0),
            Sent("m2", "ann", "c1", "b", 1),
        ],
    );
    assert_eq!(decisions(&outcomes), ["PASS", "PASS", "PASS", "PASS"]);
}

#[test]
fn duplicates_fold_spacing_case_and_leetspeak() {
    let duplicate = processor(
        "[[rules]]\ntype = \"duplicate\"\nmax_repeats = 1\nwindow = \"1m\"\nhash_key = \"0123456789abcdef\"\n",
    );
    let outcomes = run(
        &duplicate,
        &[
            Sent("m1", "ann", "c1", "Buy cheap followers now", 0),
            Sent("m2", "ann", "c1", "B U Y  cheap   FOLLOWERS now!!!", 1),
            Sent("m3", "ann", "c1", "buy ch3ap f0ll0wers n0w", 2),
            Sent("m4", "bob", "c1", "buy cheap followers now", 3),
            Sent("m5", "ann", "c1", "something else entirely", 4),
            Sent("m6", "ann", "c2", "buy cheap followers now", 5),
            Sent("m7", "ann", "c1", "buy cheap followers now", 70),
        ],
    );
    // m3 is the second repeat in c1 within a minute; bob is another sender;
    // c2 is another channel; at 70 s only m3 (62 s... 70 s) and m7 are
    // within the minute, and m2 fell out.
    assert_eq!(
        decisions(&outcomes),
        ["PASS", "PASS", "DENY", "PASS", "PASS", "PASS", "PASS"]
    );
    // Numbers are part of what is compared.
    let outcomes = run(
        &duplicate,
        &[
            Sent("n1", "ann", "c1", "call 555-0100", 0),
            Sent("n2", "ann", "c1", "call 555-0199", 1),
            Sent("n3", "ann", "c1", "call 555-0142", 2),
        ],
    );
    assert_eq!(decisions(&outcomes), ["PASS", "PASS", "PASS"]);
}

#[test]
fn duplicates_across_channels() {
    let across = processor(
        "[[rules]]\ntype = \"duplicate\"\nmax_repeats = 1\nacross_channels = true\nhash_key = \"0123456789abcdef\"\n",
    );
    let outcomes = run(
        &across,
        &[
            Sent("m1", "ann", "c1", "join my server", 0),
            Sent("m2", "ann", "c2", "join my server", 1),
            Sent("m3", "ann", "c3", "join my server", 2),
        ],
    );
    assert_eq!(decisions(&outcomes), ["PASS", "PASS", "DENY"]);
}

#[test]
fn duplicate_needs_a_key_and_stores_no_content() {
    let error = build_error(
        "[[rules]]\ntype = \"duplicate\"\nhash_key_env = \"CHIMEFLOW_TEST_UNSET_VARIABLE\"\n",
    );
    assert!(error.contains("CHIMEFLOW_TEST_UNSET_VARIABLE"), "{error}");
    let error = build_error("[[rules]]\ntype = \"duplicate\"\nhash_key = \"short\"\n");
    assert!(error.contains("at least 16 bytes"), "{error}");
    let duplicate = processor("[[rules]]\ntype = \"duplicate\"\nhash_key = \"0123456789abcdef\"\n");
    let event = event(&Sent("m1", "ann", "c1", "my secret plan", 0));
    let requests: FactRequests = duplicate.requests(&event).unwrap();
    let (_, tag) = requests.appends().next().unwrap();
    let tag = tag.unwrap();
    assert_eq!(tag.len(), 16);
    assert!(tag.chars().all(|c| c.is_ascii_hexdigit()));
    // Another key, another tag: the tag is keyed.
    let other = processor("[[rules]]\ntype = \"duplicate\"\nhash_key = \"fedcba9876543210\"\n");
    let other_requests = other.requests(&event).unwrap();
    assert_ne!(other_requests.appends().next().unwrap().1, Some(tag));
}

#[test]
fn strikes_tag_then_time_out_for_the_timeout_only() {
    let strikes = processor(
        "[[rules]]\ntype = \"profanity\"\n\n\
         [[rules]]\ntype = \"strikes\"\nwindow = \"1h\"\ntag_at = 1\ntimeout_at = 2\ntimeout = \"10m\"\n",
    );
    let outcomes = run(
        &strikes,
        &[
            Sent("m1", "ann", "c1", "what the fuck", 0),
            Sent("m2", "ann", "c1", "sorry", 10),
            Sent("m3", "ann", "c1", "this is shit", 20),
            Sent("m4", "ann", "c1", "ok, calm now", 30),
            Sent("m5", "bob", "c1", "hi ann", 40),
            Sent("m6", "ann", "c1", "back again", 20 + 601),
        ],
    );
    assert_eq!(
        decisions(&outcomes),
        ["UPDATE", "PASS", "DENY", "DENY", "PASS", "PASS"]
    );
    assert_eq!(categories(&outcomes[0]), ["general", "strike"]);
    assert_eq!(categories(&outcomes[2]), ["general", "timeout"]);
    assert_eq!(categories(&outcomes[3]), ["timeout"]);
    assert!(matches!(
        &outcomes[2].effects[..],
        [Effect::Append { .. }, Effect::SetNumber { name, .. }] if name == "timeout_until"
    ));
    assert!(
        outcomes[2]
            .effects
            .iter()
            .all(|e| !matches!(e, Effect::Ban { .. }))
    );
}

#[test]
fn strikes_decay_after_their_window() {
    let strikes = processor(
        "[[rules]]\ntype = \"profanity\"\n\n\
         [[rules]]\ntype = \"strikes\"\nwindow = \"1m\"\ntimeout_at = 2\n",
    );
    let outcomes = run(
        &strikes,
        &[
            Sent("m1", "ann", "c1", "fuck", 0),
            Sent("m2", "ann", "c1", "fuck", 61),
        ],
    );
    assert_eq!(decisions(&outcomes), ["UPDATE", "UPDATE"]);
}

#[test]
fn strikes_count_categories_and_ban_only_with_a_bearer() {
    let bearer = format!("{APP}/bot/mod");
    let strikes = processor(&format!(
        "[[rules]]\ntype = \"pii\"\n\n\
         [[rules]]\ntype = \"strikes\"\nrules = []\ncategories = [\"EMAIL\"]\ntimeout_at = 0\nban_at = 2\nban_bearer = \"{bearer}\"\n"
    ));
    let outcomes = run(
        &strikes,
        &[
            Sent("m1", "ann", "c1", "mail a@b.example", 0),
            Sent("m2", "ann", "c1", "mail c@d.example", 1),
        ],
    );
    assert_eq!(decisions(&outcomes), ["UPDATE", "UPDATE"]);
    assert_eq!(
        outcomes[1].effects.last(),
        Some(&Effect::Ban {
            channel_arn: format!("{APP}/channel/c1"),
            member_arn: format!("{APP}/user/ann"),
            bearer_arn: bearer,
        })
    );
    let error = build_error("[[rules]]\ntype = \"strikes\"\nban_at = 3\n");
    assert!(error.contains("ban_bearer"), "{error}");
    let error = build_error("[[rules]]\ntype = \"strikes\"\nrules = []\n");
    assert!(error.contains("rules"), "{error}");
}

#[test]
fn mention_spam_counts_distinct_members() {
    let mentions = processor("[[rules]]\ntype = \"mention-spam\"\nmax_mentions = 2\n");
    let outcomes = run(
        &mentions,
        &[
            Sent("m1", "ann", "c1", "@bob @cy hi", 0),
            Sent("m2", "ann", "c1", "@bob @cy @bob @BOB hi", 0),
            Sent("m3", "ann", "c1", "@bob @cy @dee hi", 0),
            Sent(
                "m4",
                "ann",
                "c1",
                "mail bob@x.example, cy@x.example, dee@x.example",
                0,
            ),
        ],
    );
    assert_eq!(decisions(&outcomes), ["PASS", "PASS", "DENY", "PASS"]);
}

/// Each stateful rule, with its facts missing for `why`, under `policy`.
fn without_facts(rule: &str, policy: &str, why: Unavailable) -> &'static str {
    let key = if rule == "duplicate" {
        "hash_key = \"0123456789abcdef\"\n"
    } else {
        ""
    };
    let processor = processor(&format!(
        "[[rules]]\ntype = \"profanity\"\n\n[[rules]]\ntype = \"{rule}\"\non_store_error = \"{policy}\"\n{key}"
    ));
    let event = event(&Sent("m1", "ann", "c1", "fuck", 0));
    let facts = Facts::new(T0).with_subject(Subject::Sender(format!("{APP}/user/ann")), Err(why));
    let outcome = processor.process_with(&event, &facts).unwrap();
    if outcome.decision.as_str() == "DENY" {
        assert_eq!(outcome.reason.as_ref().unwrap().reason, "store-unavailable");
    }
    assert!(
        outcome.notes.iter().any(|n| n.contains(why.as_str())),
        "{:?}",
        outcome.notes
    );
    outcome.decision.as_str()
}

#[test]
fn each_stateful_rule_opens_or_closes_without_its_facts() {
    for rule in ["rate-limit", "duplicate", "strikes"] {
        for why in [
            Unavailable::Timeout,
            Unavailable::Throttled,
            Unavailable::Failed,
        ] {
            assert_eq!(
                without_facts(rule, "open", why),
                "UPDATE",
                "{rule} open {why:?}"
            );
            assert_eq!(
                without_facts(rule, "closed", why),
                "DENY",
                "{rule} closed {why:?}"
            );
        }
    }
}

#[test]
fn when_limits_what_a_stateful_rule_counts() {
    // Only bob's messages are counted (and limited).
    let limit = processor(&format!(
        "[[rules]]\ntype = \"rate-limit\"\nmax_messages = 1\nwhen = {{ sender = [\"{APP}/user/bob\"] }}\n"
    ));
    let ann = event(&Sent("m1", "ann", "c1", "a", 0));
    assert!(limit.requests(&ann).unwrap().is_empty());
    // Stateful all the same, whatever the selector: a processor needs a
    // shared store for it.
    assert!(limit.pipeline().is_stateful());
    assert!(
        !processor("[[rules]]\ntype = \"mention-spam\"\n")
            .pipeline()
            .is_stateful()
    );
    let outcomes = run(
        &limit,
        &[
            Sent("m1", "ann", "c1", "a", 0),
            Sent("m2", "ann", "c1", "b", 0),
            Sent("m3", "bob", "c1", "c", 0),
            Sent("m4", "bob", "c1", "d", 0),
        ],
    );
    assert_eq!(decisions(&outcomes), ["PASS", "PASS", "PASS", "DENY"]);
}
