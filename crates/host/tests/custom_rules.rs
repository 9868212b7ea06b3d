//! The host with only custom rule types (no built-ins linked): a rule crate
//! registers its types, the loader builds them in order with their `when`
//! selection, and refuses a bad configuration with the file, line and key.

use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use chimeflow_host::{CONFIG_ENV, Config, ConfigSource, Registry};
use serde::Deserialize;

/// Denies messages longer than `max` bytes.
struct Short {
    max: usize,
}

impl Rule for Short {
    fn id(&self) -> &str {
        "short"
    }

    fn check(&self, message: &mut Message<'_>, _findings: &mut Findings) -> Verdict {
        if message.content().len() > self.max {
            return Verdict::deny("too long");
        }
        Verdict::Continue
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShortConfig {
    max: usize,
}

impl RuleConfig for ShortConfig {
    const TYPE: &'static str = "short";
    const SUMMARY: &'static str = "Deny long messages.";
    const DOC: &'static str = "What it does\n\nDenies long messages.";

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if self.max == 0 {
            return Err(OptionError::new("max", "must be at least 1"));
        }
        Ok(Box::new(Short { max: self.max }))
    }
}

fn source(text: &str) -> ConfigSource {
    ConfigSource {
        name: "custom.toml".into(),
        text: text.into(),
    }
}

fn registry() -> Registry {
    let mut registry = Registry::empty();
    registry.register::<ShortConfig>();
    registry
}

#[test]
fn a_registered_type_builds_in_order() {
    let config = Config::parse(
        &source("on_error = \"pass\"\n[[rules]]\ntype = \"short\"\nmax = 3\n"),
        &registry(),
    )
    .unwrap();
    assert_eq!(config.rule_ids(), ["short"]);
    assert_eq!(config.on_error, chimeflow_core::OnError::Pass);
    assert_eq!(config.source_name, "custom.toml");
}

#[test]
fn the_empty_registry_knows_no_type() {
    let error = Config::parse(
        &source("[[rules]]\ntype = \"short\"\nmax = 3\n"),
        &Registry::empty(),
    )
    .unwrap_err();
    assert_eq!(error.key.as_deref(), Some("rules[0].type"));
    assert!(error.message.contains("unknown rule type"), "{error}");
}

#[test]
fn an_option_the_rule_refuses_points_at_its_line() {
    let error = Config::parse(
        &source("[[rules]]\ntype = \"short\"\n\nmax = 0\n"),
        &registry(),
    )
    .unwrap_err();
    assert_eq!(error.file, "custom.toml");
    assert_eq!(error.line, Some(4));
    assert_eq!(error.key.as_deref(), Some("rules[0].max"));
    assert_eq!(error.message, "must be at least 1");
}

#[test]
fn a_bad_value_is_not_quoted_back() {
    let error = Config::parse(
        &source("[[rules]]\ntype = \"short\"\nmax = \"secret-word\"\n"),
        &registry(),
    )
    .unwrap_err();
    assert_eq!(error.key.as_deref(), Some("rules[0].max"));
    assert!(!error.to_string().contains("secret-word"), "{error}");
}

#[test]
fn registering_a_type_again_replaces_it() {
    let mut registry = registry();
    registry.register::<ShortConfig>();
    assert_eq!(registry.type_names(), ["short"]);
    assert_eq!(
        registry.get("short").unwrap().summary,
        "Deny long messages."
    );
}

#[test]
fn an_explicit_file_wins_over_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("explicit.toml");
    std::fs::write(&path, "on_error = \"pass\"\n").unwrap();
    let resolved = ConfigSource::resolve_or(Some(&path), source("")).unwrap();
    assert_eq!(resolved.name, path.display().to_string());
    assert_eq!(resolved.text, "on_error = \"pass\"\n");
    assert_eq!(CONFIG_ENV, "CHIMEFLOW_CONFIG");
}
