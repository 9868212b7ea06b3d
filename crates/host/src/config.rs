//! Loading `chimeflow.toml`: an ordered list of type-tagged rules.
//!
//! ```toml
//! on_error = "deny"          # what to answer when a rule panics: "deny" or "pass"
//!
//! [[rules]]
//! type = "deny-empty"
//!
//! [[rules]]
//! type = "length"
//! max_chars = 2000
//! ```
//!
//! `[store]` says where stateful rules keep their state ([`StoreSettings`]);
//! `[events]` which moderation events go to EventBridge ([`EventsSettings`]).
//!
//! Every rule also takes `when`, a table that limits it to some messages
//! (see [`chimeflow_core::Selector`]): `sender`, `not_sender`, `persistence`,
//! `edits`, `content_type`; and `mode`: `"enforce"` (the default) or
//! `"observe"`, which runs the rule and records what it would have done
//! without applying it (see [`chimeflow_core::Observed`]).
//!
//! Unknown keys and bad values are errors naming the file, line, column and
//! key; a bad configuration never half-loads.

use std::fmt;
use std::ops::Range;

use chimeflow_core::{Mode, Observed, OnError, Pipeline, Processor, Rule, Selective, Selector};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::comprehend::ComprehendSettings;
use crate::error::ConfigError;
use crate::events::EventsSettings;
use crate::quoting::without_quoted_value;
use crate::registry::{BuildFailure, Registry};
use crate::source::ConfigSource;
use crate::store::StoreSettings;

/// A loaded configuration: the error policy and the built rules, in order.
pub struct Config {
    /// What to answer when a rule panics.
    pub on_error: OnError,
    /// Where it came from.
    pub source_name: String,
    /// Where stateful rules keep their state (`[store]`).
    pub store: StoreSettings,
    /// How the Comprehend-backed rules are asked (`[comprehend]`).
    pub comprehend: ComprehendSettings,
    /// Which moderation events go to EventBridge (`[events]`); `None`
    /// without the section (`CHIMEFLOW_EVENT_BUS` may still turn them on:
    /// [`EventsSettings::resolve_env`]).
    pub events: Option<EventsSettings>,
    rules: Vec<Box<dyn Rule>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("on_error", &self.on_error)
            .field("source_name", &self.source_name)
            .field("store", &self.store)
            .field("comprehend", &self.comprehend)
            .field("events", &self.events)
            .field("rules", &self.rule_ids())
            .finish()
    }
}

impl Config {
    /// Parses and builds a configuration with the rule types of `registry`.
    pub fn parse(source: &ConfigSource, registry: &Registry) -> Result<Self, ConfigError> {
        let located = Locator::new(source);
        let document = DeTable::parse(&source.text).map_err(|e| located.toml_error(None, &e))?;
        let mut on_error = OnError::default();
        let mut store = StoreSettings::default();
        let mut comprehend = ComprehendSettings::default();
        let mut events = None;
        let mut rules = Vec::new();
        for (key, value) in document.get_ref().iter() {
            match key.get_ref().as_ref() {
                "on_error" => {
                    on_error =
                        serde::Deserialize::deserialize(ValueDeserializer::from(value.clone()))
                            .map_err(|e: toml::de::Error| {
                                located.at(
                                    value.span(),
                                    Some("on_error"),
                                    &without_quoted_value(e.message()),
                                )
                            })?;
                }
                "store" => {
                    store =
                        serde_path_to_error::deserialize(ValueDeserializer::from(value.clone()))
                            .map_err(|e: serde_path_to_error::Error<toml::de::Error>| {
                                let key = format!("store.{}", e.path());
                                let key = key.trim_end_matches(".?").trim_end_matches('.');
                                located.at(
                                    value.span(),
                                    Some(key),
                                    &without_quoted_value(e.inner().message()),
                                )
                            })?;
                    if let Err(problem) = store.check() {
                        let span = match value.get_ref() {
                            DeValue::Table(table) => option_span(table, "budget"),
                            _ => None,
                        };
                        return Err(located.at(
                            span.unwrap_or(value.span()),
                            Some("store.budget"),
                            &problem,
                        ));
                    }
                }
                "comprehend" => {
                    comprehend =
                        serde_path_to_error::deserialize(ValueDeserializer::from(value.clone()))
                            .map_err(|e: serde_path_to_error::Error<toml::de::Error>| {
                                let key = format!("comprehend.{}", e.path());
                                let key = key.trim_end_matches(".?").trim_end_matches('.');
                                located.at(
                                    value.span(),
                                    Some(key),
                                    &without_quoted_value(e.inner().message()),
                                )
                            })?;
                    if let Err(problem) = comprehend.check() {
                        let span = match value.get_ref() {
                            DeValue::Table(table) => option_span(table, "budget"),
                            _ => None,
                        };
                        return Err(located.at(
                            span.unwrap_or(value.span()),
                            Some("comprehend.budget"),
                            &problem,
                        ));
                    }
                }
                "events" => {
                    let settings: EventsSettings =
                        serde_path_to_error::deserialize(ValueDeserializer::from(value.clone()))
                            .map_err(|e: serde_path_to_error::Error<toml::de::Error>| {
                                let key = format!("events.{}", e.path());
                                let key = key.trim_end_matches(".?").trim_end_matches('.');
                                located.at(
                                    e.inner().span().unwrap_or(value.span()),
                                    Some(key),
                                    &without_quoted_value(e.inner().message()),
                                )
                            })?;
                    if let Err((key, problem)) = settings.check() {
                        let span = match value.get_ref() {
                            DeValue::Table(table) => option_span(table, key),
                            _ => None,
                        };
                        return Err(located.at(
                            span.unwrap_or(value.span()),
                            Some(&format!("events.{key}")),
                            &problem,
                        ));
                    }
                    events = Some(settings);
                }
                "rules" => {
                    let DeValue::Array(items) = value.get_ref() else {
                        return Err(located.at(
                            value.span(),
                            Some("rules"),
                            "must be an array of tables ([[rules]])",
                        ));
                    };
                    for (index, item) in items.iter().enumerate() {
                        rules.push(build_rule(&located, registry, index, item)?);
                    }
                }
                other => {
                    return Err(located.at(
                        key.span(),
                        Some(other),
                        "unknown key (expected on_error, [store], [comprehend], [events] or [[rules]])",
                    ));
                }
            }
        }
        Ok(Self {
            on_error,
            source_name: source.name.clone(),
            store,
            comprehend,
            events,
            rules,
        })
    }

    /// Whether any rule keeps state in the store (see
    /// [`chimeflow_core::Rule::uses_store`]).
    pub fn is_stateful(&self) -> bool {
        self.rules.iter().any(|rule| rule.uses_store())
    }

    /// The rule ids, in order.
    pub fn rule_ids(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.id()).collect()
    }

    /// The processor this configuration describes.
    pub fn into_processor(self) -> Processor {
        Processor::new(Pipeline::new(self.rules), self.on_error)
    }
}

fn build_rule(
    located: &Locator<'_>,
    registry: &Registry,
    index: usize,
    item: &Spanned<DeValue<'_>>,
) -> Result<Box<dyn Rule>, ConfigError> {
    let at = format!("rules[{index}]");
    let DeValue::Table(table) = item.get_ref() else {
        return Err(located.at(item.span(), Some(&at), "must be a table ([[rules]])"));
    };
    let Some(type_value) = table.get("type") else {
        return Err(located.at(item.span(), Some(&at), "missing `type`"));
    };
    let Some(type_name) = type_value.get_ref().as_str() else {
        return Err(located.at(
            type_value.span(),
            Some(&format!("{at}.type")),
            "must be a string",
        ));
    };
    let Some(entry) = registry.get(type_name) else {
        return Err(located.at(
            type_value.span(),
            Some(&format!("{at}.type")),
            &format!(
                "unknown rule type; known types: {}",
                registry.type_names().join(", ")
            ),
        ));
    };
    let mut options = table.clone();
    options.remove("type");
    let selector = match options.remove("when") {
        Some(when) => Some(selector(located, &at, when)?),
        None => None,
    };
    // `mode` is every rule's "enforce" or "observe"; any other value is
    // left to the rule (the `links` rule's older name for its `policy`),
    // whose error names the two when it has no such option.
    let mode = match options.get("mode").and_then(|mode| mode.get_ref().as_str()) {
        Some("observe") => Some(Mode::Observe),
        Some("enforce") => Some(Mode::Enforce),
        _ => None,
    };
    if mode.is_some() {
        options.remove("mode");
    }
    let mode = mode.unwrap_or_default();
    let options = Spanned::new(item.span(), DeValue::Table(options));
    let rule = entry
        .build(ValueDeserializer::from(options))
        .map_err(|failure| match failure {
            BuildFailure::Options {
                path,
                span,
                message,
            } => {
                let message = if message.starts_with("unknown field `mode`") {
                    "`mode` must be \"enforce\" or \"observe\"".to_owned()
                } else {
                    message
                };
                let key = path.map_or(at.clone(), |p| format!("{at}.{p}"));
                located.at(span.unwrap_or(item.span()), Some(&key), &message)
            }
            BuildFailure::Build(error) => {
                let span = error
                    .key
                    .as_deref()
                    .and_then(|k| option_span(table, k))
                    .unwrap_or(item.span());
                let key = error
                    .key
                    .as_ref()
                    .map_or(at.clone(), |k| format!("{at}.{k}"));
                located.at(span, Some(&key), &error.message)
            }
        })?;
    let rule: Box<dyn Rule> = match selector {
        Some(selector) if !selector.is_empty() => Box::new(Selective::new(rule, selector)),
        _ => rule,
    };
    Ok(match mode {
        Mode::Enforce => rule,
        Mode::Observe => Box::new(Observed::new(rule)),
    })
}

/// Where option `key` is in a rule's table: the key itself, or for
/// `name[i]` the i-th element of the array `name` (else `name`).
fn option_span(table: &DeTable<'_>, key: &str) -> Option<Range<usize>> {
    if let Some((k, _)) = table.get_key_value(key) {
        return Some(k.span());
    }
    let (name, index) = key.strip_suffix(']')?.split_once('[')?;
    let (k, value) = table.get_key_value(name)?;
    let element = match (value.get_ref(), index.parse::<usize>()) {
        (DeValue::Array(items), Ok(i)) => items.get(i).map(Spanned::span),
        _ => None,
    };
    Some(element.unwrap_or(k.span()))
}

/// Reads a rule's `when` table (see [`Selector`]).
fn selector(
    located: &Locator<'_>,
    at: &str,
    when: Spanned<DeValue<'_>>,
) -> Result<Selector, ConfigError> {
    let span = when.span();
    let key = format!("{at}.when");
    let selector: Selector = serde_path_to_error::deserialize(ValueDeserializer::from(when))
        .map_err(|error| {
            let path = error.path().to_string();
            let inner = error.into_inner();
            let key = if path == "." || path.is_empty() {
                key.clone()
            } else {
                format!("{key}.{path}")
            };
            located.at(
                inner.span().unwrap_or(span.clone()),
                Some(&key),
                &without_quoted_value(inner.message()),
            )
        })?;
    selector.validate().map_err(|error| {
        let key = error
            .key
            .as_ref()
            .map_or(key.clone(), |k| format!("{key}.{k}"));
        located.at(span, Some(&key), &error.message)
    })?;
    Ok(selector)
}

/// Turns byte spans into lines and columns for errors.
struct Locator<'a> {
    source: &'a ConfigSource,
}

impl<'a> Locator<'a> {
    fn new(source: &'a ConfigSource) -> Self {
        Self { source }
    }

    fn at(&self, span: Range<usize>, key: Option<&str>, message: &str) -> ConfigError {
        let before = &self.source.text[..span.start.min(self.source.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ConfigError {
            file: self.source.name.clone(),
            line: Some(line),
            column: Some(column),
            key: key.map(str::to_owned),
            message: message.trim().to_owned(),
        }
    }

    fn toml_error(&self, key: Option<&str>, error: &toml::de::Error) -> ConfigError {
        match error.span() {
            Some(span) => self.at(span, key, error.message()),
            None => {
                ConfigError::whole_file(self.source.name.clone(), error.message().trim().to_owned())
            }
        }
    }
}
