//! The cross-cutting invariants (chimeflow_test::invariants, the same code
//! the fuzz targets assert) on structured events, for every built-in rule
//! alone (built from the example in its own documentation), the embedded
//! default configuration, and every rule in one pipeline, failing closed
//! and failing open.
//!
//! pii_props.rs and profanity_props.rs test those rules' own promises;
//! this suite tests what every processed message must satisfy: a callback
//! within the service limits, PASS echoing every field byte for byte, DENY
//! carrying no content, spans inside the text, no content in notes, the
//! same input giving the same output.

use std::sync::OnceLock;

use chimeflow_core::{
    Identity, MessageAttributeValue, OnError, Persistence, Processor, ProcessorEvent,
};
use chimeflow_host::{Config, ConfigSource};
use chimeflow_test::{EventBuilder, invariants};
use proptest::prelude::*;

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

fn parse(name: &str, text: String) -> Processor {
    let source = ConfigSource {
        name: name.into(),
        text,
    };
    Config::parse(&source, &chimeflow_rules::registry())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_processor()
}

/// Every processor under test, built once.
fn processors() -> &'static [(String, Processor)] {
    static ALL: OnceLock<Vec<(String, Processor)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let registry = chimeflow_rules::registry();
        let mut all = Vec::new();
        for entry in registry.entries() {
            let name = format!("example of {}", entry.type_name);
            all.push((name.clone(), parse(&name, example(entry.doc))));
        }
        all.push((
            "embedded default".into(),
            chimeflow_rules::load_default().unwrap().into_processor(),
        ));
        let mut every = String::new();
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
            every.push_str(&example(registry.get(type_name).unwrap().doc));
            every.push('\n');
        }
        all.push(("every rule".into(), parse("every rule", every.clone())));
        all.push((
            "every rule, on_error = pass".into(),
            parse("every rule", every).with_on_error(OnError::Pass),
        ));
        all
    })
}

/// Pieces that exercise every rule: PII, words the examples list, links,
/// swear words and their disguises, invisible and bidi characters,
/// combining stacks, other scripts, emoji, JSON, and any character.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-zA-Z0-9 .,:/@_+-]{1,16}",
        Just("mail a.b@example.com ".to_owned()),
        Just("support@example.com".to_owned()),
        Just("+1 (206) 555-0100 ".to_owned()),
        Just("4111 1111 1111 1111".to_owned()),
        Just("123-45-6789".to_owned()),
        Just("GB82 WEST 1234 5698 7654 32".to_owned()),
        Just("10.0.0.1 fe80::1 00:1A:2B:3C:4D:5E".to_owned()),
        Just("AKIAIOSFODNN7EXAMPLE".to_owned()),
        Just("project falcon".to_owned()),
        Just("ticket-12345 JIRA-77".to_owned()),
        Just("http://evil.example.com/x?y=1 ".to_owned()),
        Just("www.example.org aws.amazon.com/x".to_owned()),
        Just("frak smeg dickensian".to_owned()),
        Just("f u c k sh*t ｃｕｎｔ 𝐟𝐮𝐜𝐤".to_owned()),
        Just("\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\u{00AD}".to_owned()),
        Just("\u{202E}moc.elpmaxe@a\u{202C}".to_owned()),
        Just("e\u{301}\u{302}\u{303}\u{304}".to_owned()),
        Just("مرحبا שלום".to_owned()),
        Just("👩\u{200D}👩\u{200D}👧 🏳\u{FE0F}\u{200D}🌈".to_owned()),
        Just("{\"Messages\":[{\"Content\":\"a@b.co\"}]}".to_owned()),
        Just("\n\r\t".to_owned()),
        prop::char::range('\u{10000}', '\u{10FFFF}').prop_map(String::from),
    ]
}

/// Content from pieces, sometimes long enough to reach the 4 KB limit.
fn content() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(piece(), 0..40).prop_map(|p| p.concat()),
        1 => (prop::collection::vec(piece(), 1..8), 100usize..220)
            .prop_map(|(p, n)| p.concat().repeat(n).chars().take(4200).collect()),
    ]
}

prop_compose! {
    fn event()(
        content in prop::option::weighted(0.95, content()),
        metadata in prop::option::of(prop_oneof![
            Just("{}".to_owned()),
            Just("{\"moderation\":1,\"app\":[1]}".to_owned()),
            "\\PC{0,40}",
            Just("m".repeat(1020)),
        ]),
        attributes in prop::collection::btree_map("[a-z]{1,8}", prop::collection::vec("[a-z0-9]{1,20}", 1..3), 0..4),
        sub_channel in prop::option::of("[a-zA-Z0-9_-]{1,20}"),
        lex in any::<bool>(),
        edit in any::<bool>(),
        non_persistent in any::<bool>(),
        sender in prop::option::of("[a-z]{1,10}"),
    ) -> ProcessorEvent {
        let mut event = EventBuilder::new().build();
        let message = &mut event.channel_message;
        message.content = content;
        message.metadata = metadata;
        if !attributes.is_empty() {
            message.message_attributes = Some(attributes
                .into_iter()
                .map(|(k, v)| (k, MessageAttributeValue::new(v)))
                .collect());
        }
        message.sub_channel_id = sub_channel;
        if lex {
            message.content_type = Some(chimeflow_core::LEX_CONTENT_TYPE.into());
        }
        message.created_timestamp = Some("2026-01-01T00:00:00.000Z".into());
        // A plain send carries LastEditedTimestamp too (equal to created).
        message.last_edited_timestamp = Some(if edit {
            "2026-01-01T00:05:00.000Z".into()
        } else {
            "2026-01-01T00:00:00.000Z".into()
        });
        if non_persistent {
            message.persistence = Some(Persistence::NonPersistent);
        }
        if let Some(name) = sender {
            message.sender = Some(Identity {
                arn: Some(format!("{}/user/{name}", chimeflow_test::CHANNEL_ARN)),
                ..Identity::default()
            });
        }
        event
    }
}

/// Checks `event` against every processor, naming the one that fails.
fn check_all(event: &ProcessorEvent) -> Result<(), TestCaseError> {
    for (name, processor) in processors() {
        if let Err(failures) = invariants::check_processed(processor, event) {
            return Err(TestCaseError::fail(format!(
                "{name}: {}",
                failures.join("; ")
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Structured events through every processor.
    #[test]
    fn every_processor_keeps_every_invariant(event in event()) {
        check_all(&event)?;
    }

    /// The event survives JSON: what is processed after a round trip is
    /// what was generated, and gives the same outcome.
    #[test]
    fn events_round_trip_through_json(event in event()) {
        let bytes = serde_json::to_vec(&event).unwrap();
        let back = ProcessorEvent::from_slice(&bytes).unwrap();
        prop_assert_eq!(&back, &event);
        let (_, processor) = &processors()[0];
        prop_assert_eq!(processor.process(&back), processor.process(&event));
    }
}
