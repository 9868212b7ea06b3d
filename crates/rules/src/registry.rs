//! The registry: from a rule `type` in configuration to the code that builds it.

use std::ops::Range;

use chimeflow_core::{OptionError, Rule, RuleConfig};
use toml::de::ValueDeserializer;

/// Why a rule's table did not build.
#[derive(Debug)]
pub(crate) enum BuildFailure {
    /// An option did not deserialise: unknown key, wrong type, bad value.
    Options {
        /// The option path inside the rule's table (`max_chars`), if known.
        path: Option<String>,
        /// Where in the file, if known.
        span: Option<Range<usize>>,
        /// What is wrong.
        message: String,
    },
    /// The options deserialised but the rule refused them.
    Build(OptionError),
}

type BuildFn = for<'i> fn(ValueDeserializer<'i>) -> Result<Box<dyn Rule>, BuildFailure>;

/// One rule type the registry knows.
#[derive(Clone, Copy)]
pub struct RuleEntry {
    /// The `type` name.
    pub type_name: &'static str,
    /// One line for `chimeflow rules`.
    pub summary: &'static str,
    /// The whole documentation.
    pub doc: &'static str,
    build: BuildFn,
}

impl std::fmt::Debug for RuleEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleEntry")
            .field("type_name", &self.type_name)
            .finish()
    }
}

impl RuleEntry {
    pub(crate) fn build(
        &self,
        options: ValueDeserializer<'_>,
    ) -> Result<Box<dyn Rule>, BuildFailure> {
        (self.build)(options)
    }
}

fn build_with<C: RuleConfig>(
    options: ValueDeserializer<'_>,
) -> Result<Box<dyn Rule>, BuildFailure> {
    let config: C = serde_path_to_error::deserialize(options).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        BuildFailure::Options {
            path: (path != "." && !path.is_empty()).then_some(path),
            span: inner.span(),
            message: crate::config::without_quoted_value(inner.message()),
        }
    })?;
    config.build().map_err(BuildFailure::Build)
}

/// The rule types a configuration may name, in the order `chimeflow rules`
/// lists them. Custom rule crates add theirs with [`Registry::register`].
#[derive(Clone, Debug, Default)]
pub struct Registry {
    entries: Vec<RuleEntry>,
}

impl Registry {
    /// A registry with no rule types.
    pub fn empty() -> Self {
        Self::default()
    }

    /// A registry with every built-in rule type.
    pub fn builtin() -> Self {
        let mut registry = Self::empty();
        registry
            .register::<crate::deny_empty::DenyEmptyConfig>()
            .register::<crate::length::LengthConfig>()
            .register::<crate::tag::TagConfig>()
            .register::<crate::pii::PiiConfig>()
            .register::<crate::keyword::KeywordConfig>()
            .register::<crate::regex_rule::RegexConfig>()
            .register::<crate::links::LinksConfig>()
            .register::<crate::profanity::ProfanityConfig>();
        registry
    }

    /// Adds (or replaces) the rule type `C::TYPE`.
    pub fn register<C: RuleConfig>(&mut self) -> &mut Self {
        let entry = RuleEntry {
            type_name: C::TYPE,
            summary: C::SUMMARY,
            doc: C::DOC,
            build: build_with::<C>,
        };
        match self.entries.iter_mut().find(|e| e.type_name == C::TYPE) {
            Some(existing) => *existing = entry,
            None => self.entries.push(entry),
        }
        self
    }

    /// The entry for a type name.
    pub fn get(&self, type_name: &str) -> Option<&RuleEntry> {
        self.entries.iter().find(|e| e.type_name == type_name)
    }

    /// Every entry.
    pub fn entries(&self) -> &[RuleEntry] {
        &self.entries
    }

    /// The known type names, for error messages.
    pub fn type_names(&self) -> Vec<&'static str> {
        self.entries.iter().map(|e| e.type_name).collect()
    }
}
