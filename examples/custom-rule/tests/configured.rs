//! The custom rule is configured next to the built-ins by type name, like
//! any built-in, and runs in one pipeline with them.

use chimeflow_example_custom_rule::CompetitorMentionsConfig;
use chimeflow_host::{Config, ConfigSource, Registry};
use chimeflow_test::EventBuilder;

fn registry() -> Registry {
    let mut registry = chimeflow_rules::registry();
    registry.register::<CompetitorMentionsConfig>();
    registry
}

#[test]
fn the_example_configuration_runs_custom_and_built_in_rules() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/chimeflow.toml");
    let source = ConfigSource::from_file(std::path::Path::new(path)).unwrap();
    let config = Config::parse(&source, &registry()).unwrap();
    assert_eq!(
        config.rule_ids(),
        ["deny-empty", "pii", "competitor-mentions", "tag"]
    );
    let processor = config.into_processor();
    let event = EventBuilder::new()
        .content("Globex quoted me, mail bob@example.com")
        .build();
    let outcome = processor.process(&event).unwrap();
    let message = &outcome.callback.channel_message;
    assert_eq!(
        message.content.as_deref(),
        Some("Globex quoted me, mail [EMAIL]")
    );
    let attributes = message.message_attributes.as_ref().unwrap();
    assert_eq!(attributes["competitors"].string_values, ["Globex"]);
    assert_eq!(
        attributes["moderation"].string_values,
        ["competitor-mentions", "pii"]
    );
}

#[test]
fn the_builtin_registry_does_not_know_it() {
    let source = ConfigSource {
        name: "x.toml".into(),
        text: "[[rules]]\ntype = \"competitor-mentions\"\nnames = [\"Globex\"]\n".into(),
    };
    let error = Config::parse(&source, &chimeflow_rules::registry()).unwrap_err();
    assert!(error.message.contains("unknown rule type"));
}
