//! Configuration loading: the embedded default builds, and every kind of bad
//! configuration is refused with the file, line and key.

use chimeflow_core::OnError;
use chimeflow_host::{Config, ConfigError, ConfigSource};

fn parse(text: &str) -> Result<Config, ConfigError> {
    let source = ConfigSource {
        name: "test.toml".into(),
        text: text.into(),
    };
    Config::parse(&source, &chimeflow_rules::registry())
}

fn error(text: &str) -> ConfigError {
    parse(text).expect_err("configuration should be refused")
}

#[test]
fn the_embedded_default_builds() {
    let config = chimeflow_rules::load_default().unwrap();
    assert_eq!(config.on_error, OnError::Deny);
    assert!(!config.rule_ids().is_empty());
}

#[test]
fn rules_keep_their_order() {
    let config =
        parse("[[rules]]\ntype = \"length\"\nmax_chars = 5\n[[rules]]\ntype = \"deny-empty\"\n")
            .unwrap();
    assert_eq!(config.rule_ids(), ["length", "deny-empty"]);
}

#[test]
fn on_error_is_read() {
    assert_eq!(
        parse("on_error = \"pass\"\n").unwrap().on_error,
        OnError::Pass
    );
    let e = error("on_error = \"maybe\"\n");
    assert_eq!((e.line, e.key.as_deref()), (Some(1), Some("on_error")));
}

#[test]
fn an_empty_file_is_an_empty_pipeline() {
    assert!(parse("").unwrap().rule_ids().is_empty());
}

#[test]
fn errors_name_file_line_and_key() {
    // (config, line, key, words the message must contain)
    let cases = [
        ("on_eror = \"deny\"\n", 1, "on_eror", "unknown key"),
        (
            "[[rules]]\ntype = \"length\"\nmax_char = 5\n",
            3,
            "rules[0].max_char",
            "unknown field",
        ),
        (
            "[[rules]]\ntype = \"length\"\nmax_chars = \"many\"\n",
            3,
            "rules[0].max_chars",
            "invalid type",
        ),
        (
            "[[rules]]\ntype = \"length\"\nmax_chars = -1\n",
            3,
            "rules[0].max_chars",
            "invalid value",
        ),
        (
            "[[rules]]\ntype = \"length\"\nmax_chars = 5\naction = \"explode\"\n",
            4,
            "rules[0].action",
            "unknown variant",
        ),
        (
            "[[rules]]\ntype = \"length\"\n",
            1,
            "rules[0]",
            "at least one",
        ),
        (
            "[[rules]]\ntype = \"length\"\n\nmax_bytes = 0\n",
            4,
            "rules[0].max_bytes",
            "at least 1",
        ),
        (
            "[[rules]]\ntype = \"deny-empty\"\n[[rules]]\ntype = \"nope\"\n",
            4,
            "rules[1].type",
            "unknown rule type",
        ),
        (
            "[[rules]]\nmax_chars = 5\n",
            1,
            "rules[0]",
            "missing `type`",
        ),
        (
            "[[rules]]\ntype = 5\n",
            2,
            "rules[0].type",
            "must be a string",
        ),
        ("rules = 5\n", 1, "rules", "array of tables"),
    ];
    for (text, line, key, words) in cases {
        let e = error(text);
        assert_eq!(e.file, "test.toml", "{text}");
        assert_eq!(e.line, Some(line), "{text}: {e}");
        assert_eq!(e.key.as_deref(), Some(key), "{text}: {e}");
        assert!(e.message.contains(words), "{text}: {e}");
        let shown = e.to_string();
        assert!(shown.starts_with(&format!("test.toml:{line}:")), "{shown}");
    }
}

#[test]
fn toml_syntax_errors_have_a_line() {
    let e = error("[[rules]]\ntype = \"length\nmax_chars = 5\n");
    assert_eq!(e.file, "test.toml");
    assert!(e.line.is_some(), "{e}");
}

#[test]
fn unknown_rule_types_list_the_known_ones() {
    let e = error("[[rules]]\ntype = \"profanit\"\n");
    assert!(
        e.message.contains("length") && e.message.contains("deny-empty"),
        "{e}"
    );
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let e =
        ConfigSource::from_file(std::path::Path::new("/nonexistent/chimeflow.toml")).unwrap_err();
    assert_eq!(e.file, "/nonexistent/chimeflow.toml");
    assert!(e.message.contains("cannot read"), "{e}");
}

#[test]
fn registry_lists_documented_rules() {
    let registry = chimeflow_rules::registry();
    for entry in registry.entries() {
        assert!(!entry.summary.is_empty());
        for heading in ["What it does", "Options", "Example", "Limitations"] {
            assert!(
                entry.doc.contains(heading),
                "{} lacks {heading}",
                entry.type_name
            );
        }
    }
}

#[test]
fn when_limits_a_rule_to_some_messages() {
    use chimeflow_core::ProcessorEvent;
    let config = parse(
        "[[rules]]\ntype = \"length\"\nmax_chars = 3\nwhen = { sender = [\"*/user/guest-*\"], edits = false }\n",
    )
    .unwrap();
    let processor = config.into_processor();
    let event = |sender: &str, edited: bool| -> ProcessorEvent {
        let mut value = serde_json::json!({
            "CallbackId": "0123456789abcdef0123456789abcdef",
            "ChannelMessage": {"MessageId": "m", "Content": "too long", "Sender": {"Arn": sender},
                "CreatedTimestamp": "2026-01-01T00:00:00Z",
                // A plain send carries LastEditedTimestamp too, equal to created.
                "LastEditedTimestamp": "2026-01-01T00:00:00Z"}
        });
        if edited {
            value["ChannelMessage"]["LastEditedTimestamp"] = "2026-01-01T00:05:00Z".into();
        }
        serde_json::from_value(value).unwrap()
    };
    let decision = |e: ProcessorEvent| processor.process(&e).unwrap().decision.as_str();
    assert_eq!(decision(event("app/user/guest-1", false)), "DENY");
    assert_eq!(decision(event("app/user/staff-1", false)), "PASS");
    assert_eq!(decision(event("app/user/guest-1", true)), "PASS");
}

#[test]
fn when_errors_name_their_key() {
    let cases = [
        (
            "[[rules]]\ntype = \"deny-empty\"\nwhen = { sendr = [\"x\"] }\n",
            "rules[0].when.sendr",
            "unknown field",
        ),
        (
            "[[rules]]\ntype = \"deny-empty\"\nwhen = { edits = \"yes\" }\n",
            "rules[0].when.edits",
            "invalid type",
        ),
        (
            "[[rules]]\ntype = \"deny-empty\"\nwhen = { persistence = \"forever\" }\n",
            "rules[0].when.persistence",
            "PERSISTENT",
        ),
    ];
    for (text, key, words) in cases {
        let e = error(text);
        assert_eq!(e.line, Some(3), "{e}");
        assert_eq!(e.key.as_deref(), Some(key), "{e}");
        assert!(e.message.contains(words), "{e}");
    }
}

/// Found by the `config` fuzz target: serde's "invalid type: string \"…\""
/// quoted the value, so `patterns = "…"` (a string where a list belongs)
/// put the pattern in the error. Errors now say the kind, not the value.
#[test]
fn errors_never_quote_a_string_value() {
    let cases = [
        "[[rules]]\ntype = \"regex\"\npatterns = \"secret-pattern-xyz\"\n",
        "[[rules]]\ntype = \"keyword\"\nwords = \"secret-pattern-xyz\"\n",
        "[[rules]]\ntype = \"keyword\"\nwords = [\"a\"]\ncase_sensitive = \"secret-pattern-xyz\"\n",
        "[[rules]]\ntype = \"length\"\nmax_chars = \"secret-pattern-xyz\"\n",
        "[[rules]]\ntype = \"links\"\nallow_domains = [[\"secret-pattern-xyz\"]]\nmode = \"allow-listed-only\"\n",
        "[[rules]]\ntype = \"deny-empty\"\n[rules.when]\nedits = \"secret-pattern-xyz\"\n",
        "on_error = [\"secret-pattern-xyz\"]\n",
    ];
    for text in cases {
        let e = error(text);
        let shown = e.to_string();
        assert!(!shown.contains("secret-pattern"), "{shown}");
        assert!(e.line.is_some(), "{shown}");
    }
    let e = error(cases[0]);
    assert!(
        e.message.starts_with("invalid type: string, expected"),
        "{e}"
    );
}

#[test]
fn mode_is_enforce_or_observe_on_every_rule() {
    for mode in ["enforce", "observe"] {
        let config = parse(&format!(
            "[[rules]]\ntype = \"length\"\nmax_chars = 5\nmode = \"{mode}\"\n"
        ))
        .unwrap();
        assert_eq!(config.rule_ids(), ["length"]);
    }
    let e = error("[[rules]]\ntype = \"length\"\nmax_chars = 5\nmode = \"watch\"\n");
    let text = e.to_string();
    assert!(
        text.contains("rules[0].mode") && text.contains("\"enforce\" or \"observe\""),
        "{text}"
    );
    assert!(text.contains("test.toml:4"), "{text}");
    // The links rule's older `mode` (now `policy`) still works, and with
    // `policy` it can be observed.
    parse("[[rules]]\ntype = \"links\"\nmode = \"allow-listed-only\"\n").unwrap();
    parse("[[rules]]\ntype = \"links\"\npolicy = \"allow-listed-only\"\nmode = \"observe\"\n")
        .unwrap();
}
