//! How a rule is built from its configuration.

use std::fmt;

use crate::Rule;

/// The configuration of one rule type: deserialised from its table in
/// `chimeflow.toml` (every option defaulted; unknown keys rejected with
/// `#[serde(deny_unknown_fields)]`), then built once at cold start.
///
/// Built-in rules and custom rule crates implement it alike; a registry maps
/// the `type` name to the implementation.
pub trait RuleConfig: serde::de::DeserializeOwned {
    /// The `type` in configuration: stable, kebab-case (`profanity`).
    const TYPE: &'static str;
    /// One line for `chimeflow rules`.
    const SUMMARY: &'static str;
    /// The whole documentation: What it does / Options / Example / Limitations.
    const DOC: &'static str;

    /// Builds the rule. All fallible work (compiling patterns, checking
    /// option combinations) happens here, never per message.
    fn build(self) -> Result<Box<dyn Rule>, OptionError>;
}

/// A configuration value that deserialised but cannot be used. `key` names
/// the option at fault so that the error can point at its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionError {
    /// The option, e.g. `max_chars`, or `None` for the rule as a whole.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl OptionError {
    /// An error about one option.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: Some(key.into()),
            message: message.into(),
        }
    }

    /// An error about the rule as a whole.
    pub fn rule(message: impl Into<String>) -> Self {
        Self {
            key: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{key}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for OptionError {}
