//! The `[events]` section: defaults, every key, and bad values refused with
//! the file, line and key.

use std::time::Duration;

use chimeflow_core::Decision;
use chimeflow_host::{Config, ConfigError, ConfigSource, EventsSettings, Registry};

fn parse(text: &str) -> Result<Config, ConfigError> {
    let source = ConfigSource {
        name: "events.toml".into(),
        text: text.into(),
    };
    Config::parse(&source, &Registry::empty())
}

#[test]
fn without_the_section_no_events() {
    assert_eq!(parse("on_error = \"deny\"\n").unwrap().events, None);
}

#[test]
fn an_empty_section_takes_the_defaults() {
    let events = parse("[events]\n").unwrap().events.unwrap();
    assert_eq!(events, EventsSettings::default());
    assert_eq!(events.bus, "default");
    assert_eq!(events.source, "chimeflow");
    assert_eq!(events.detail_type, "Chimeflow Moderation");
    assert_eq!(events.outcomes, [Decision::Deny, Decision::Update]);
    assert!(events.observed);
    assert!(!events.include_content);
    assert_eq!(events.budget, Duration::from_secs(1));
}

#[test]
fn every_key_is_read() {
    let events = parse(
        r#"
[events]
bus = "arn:aws:events:us-east-1:111122223333:event-bus/moderation"
source = "acme.chat"
detail_type = "Moderation decision"
outcomes = ["DENY"]
observed = false
include_content = true
budget = "250ms"
"#,
    )
    .unwrap()
    .events
    .unwrap();
    assert_eq!(
        events,
        EventsSettings {
            bus: "arn:aws:events:us-east-1:111122223333:event-bus/moderation".into(),
            source: "acme.chat".into(),
            detail_type: "Moderation decision".into(),
            outcomes: vec![Decision::Deny],
            observed: false,
            include_content: true,
            budget: Duration::from_millis(250),
        }
    );
    assert!(events.sends(Decision::Deny) && !events.sends(Decision::Update));
}

fn refused(text: &str) -> ConfigError {
    parse(text).expect_err("the section should be refused")
}

#[test]
fn bad_values_name_the_file_line_and_key() {
    let cases: &[(&str, usize, &str, &str)] = &[
        (
            "[events]\nbus = \"two words\"\n",
            2,
            "events.bus",
            "event bus",
        ),
        (
            "[events]\nbus = \"arn:aws:sqs:us-east-1:111122223333:q\"\n",
            2,
            "events.bus",
            "event bus",
        ),
        (
            "[events]\nsource = \"aws.chime\"\n",
            2,
            "events.source",
            "reserved",
        ),
        ("[events]\nsource = \"\"\n", 2, "events.source", "1 to 256"),
        (
            "[events]\ndetail_type = \" \"\n",
            2,
            "events.detail_type",
            "1 to 128",
        ),
        (
            "[events]\noutcomes = [\"DENIED\"]\n",
            2,
            "events.outcomes[0]",
            "unknown variant",
        ),
        (
            "[events]\noutcomes = \"DENY\"\n",
            2,
            "events.outcomes",
            "sequence",
        ),
        (
            "[events]\nobserved = \"yes\"\n",
            2,
            "events.observed",
            "bool",
        ),
        (
            "[events]\ninclude_content = 1\n",
            2,
            "events.include_content",
            "bool",
        ),
        (
            "[events]\nbudget = \"0ms\"\n",
            2,
            "events.budget",
            "between",
        ),
        ("[events]\nbudget = \"1m\"\n", 2, "events.budget", "between"),
        ("[events]\nbudget = \"soon\"\n", 2, "events.budget", ""),
        (
            "\n\n[events]\nbus_name = \"default\"\n",
            4,
            "events.bus_name",
            "unknown field",
        ),
    ];
    for (text, line, key, message) in cases {
        let error = refused(text);
        assert_eq!(error.file, "events.toml", "{text}");
        assert_eq!(error.line, Some(*line), "{text}: {error}");
        assert_eq!(error.key.as_deref(), Some(*key), "{text}: {error}");
        assert!(error.message.contains(message), "{text}: {error}");
    }
}

#[test]
fn the_value_is_never_in_the_message() {
    let error = refused("[events]\nsource = \"aws.secret-project\"\n");
    assert!(!error.to_string().contains("secret-project"), "{error}");
}
