//! How a rule is built from its configuration.

use std::fmt;

use crate::Rule;

/// The configuration of one rule type: deserialised from its table in
/// `chimeflow.toml` (every option defaulted; unknown keys rejected with
/// `#[serde(deny_unknown_fields)]`), then built once at cold start.
///
/// Built-in rules and custom rule crates implement it alike; a registry maps
/// the `type` name to the implementation.
///
/// ```
/// use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
///
/// /// The options, each defaulted; unknown keys are errors.
/// #[derive(serde::Deserialize)]
/// #[serde(default, deny_unknown_fields)]
/// struct NoShoutingConfig {
///     min_len: usize,
/// }
///
/// impl Default for NoShoutingConfig {
///     fn default() -> Self { Self { min_len: 4 } }
/// }
///
/// struct NoShouting { min_len: usize }
///
/// impl Rule for NoShouting {
///     fn id(&self) -> &str { "no-shouting" }
///     fn check(&self, message: &mut Message<'_>, _: &mut Findings) -> Verdict {
///         let text = message.content();
///         if text.len() >= self.min_len && !text.chars().any(char::is_lowercase) {
///             Verdict::deny("shouting")
///         } else {
///             Verdict::Continue
///         }
///     }
/// }
///
/// impl RuleConfig for NoShoutingConfig {
///     const TYPE: &'static str = "no-shouting";
///     const SUMMARY: &'static str = "Deny messages written in capitals only.";
///     const DOC: &'static str = "no-shouting: deny messages written in capitals only.\n";
///
///     fn build(self) -> Result<Box<dyn Rule>, OptionError> {
///         if self.min_len == 0 {
///             return Err(OptionError::new("min_len", "must be at least 1"));
///         }
///         Ok(Box::new(NoShouting { min_len: self.min_len }))
///     }
/// }
///
/// // What a registry does with a `[[rules]]` table of `type = "no-shouting"`:
/// let config: NoShoutingConfig = serde_json::from_str(r#"{"min_len": 0}"#).unwrap();
/// let error = config.build().err().unwrap();
/// assert_eq!(error.to_string(), "min_len: must be at least 1");
/// assert!(NoShoutingConfig::default().build().is_ok());
/// ```
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
