//! The registry: from a rule `type` in configuration to the code that builds it.
//!
//! The host knows no rule type of its own: rule crates register theirs
//! (`chimeflow_rules::register_builtins`, a custom crate's
//! `registry.register::<MyRuleConfig>()`), and the processor binary composes
//! them.

use std::ops::Range;

use chimeflow_core::{OptionError, Rule, RuleConfig};
use toml::de::ValueDeserializer;

use crate::quoting::without_quoted_value;

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
            message: without_quoted_value(inner.message()),
        }
    })?;
    config.build().map_err(BuildFailure::Build)
}

/// The rule types a configuration may name, in the order they were
/// registered (the order `chimeflow rules` lists them). Rule crates add
/// theirs with [`Registry::register`].
///
/// ```
/// use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
///
/// struct Quiet;
/// impl Rule for Quiet {
///     fn id(&self) -> &str { "quiet" }
///     fn check(&self, _: &mut Message<'_>, _: &mut Findings) -> Verdict { Verdict::Continue }
/// }
///
/// #[derive(serde::Deserialize, Default)]
/// #[serde(deny_unknown_fields)]
/// struct QuietConfig {}
/// impl RuleConfig for QuietConfig {
///     const TYPE: &'static str = "quiet";
///     const SUMMARY: &'static str = "Does nothing.";
///     const DOC: &'static str = "Does nothing.";
///     fn build(self) -> Result<Box<dyn Rule>, OptionError> { Ok(Box::new(Quiet)) }
/// }
///
/// let mut registry = chimeflow_host::Registry::empty();
/// registry.register::<QuietConfig>();
/// assert_eq!(registry.type_names(), ["quiet"]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Registry {
    entries: Vec<RuleEntry>,
}

impl Registry {
    /// A registry with no rule types.
    pub fn empty() -> Self {
        Self::default()
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
