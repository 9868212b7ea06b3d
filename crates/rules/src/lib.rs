//! chimeflow-rules: the built-in rules and chimeflow's default configuration.
//!
//! Each rule is a [`chimeflow_core::RuleConfig`] in a module of its own.
//! [`register_builtins`] adds them all to a [`chimeflow_host::Registry`];
//! [`default_config`] is the configuration chimeflow ships
//! (`chimeflow.toml`, embedded at build time), which names them. A processor
//! composes the two with its own rule types:
//!
//! ```
//! use chimeflow_host::Config;
//!
//! let mut registry = chimeflow_rules::registry();
//! // registry.register::<MyRuleConfig>();
//! let config = Config::parse(&chimeflow_rules::default_config(), &registry).unwrap();
//! let processor = config.into_processor();
//! assert!(processor.pipeline().len() > 0);
//! ```
//!
//! Each rule type's documentation is the `DOC` text of its configuration,
//! printed by `chimeflow rules TYPE` and published as the guide's
//! [rule pages](https://github.com/chimeflow/chimeflow/blob/main/docs/rules/README.md); [configuration](https://github.com/chimeflow/chimeflow/blob/main/docs/configuration.md)
//! describes the file.

mod default_config;
mod stateful;
mod text;

pub mod comprehend;
pub mod deny_empty;
pub mod duplicate;
pub mod keyword;
pub mod length;
pub mod links;
pub mod mention_spam;
pub mod pii;
pub mod profanity;
pub mod rate_limit;
pub mod regex_rule;
pub mod strikes;
pub mod tag;

pub use default_config::{
    EMBEDDED_CONFIG, EMBEDDED_CONFIG_NAME, default_config, load, load_default,
};
pub use stateful::{OnStoreError, StatefulAction};

use chimeflow_host::Registry;

/// Adds every built-in rule type to `registry`, in the order `chimeflow
/// rules` lists them (a type already there is replaced).
pub fn register_builtins(registry: &mut Registry) -> &mut Registry {
    registry
        .register::<deny_empty::DenyEmptyConfig>()
        .register::<length::LengthConfig>()
        .register::<tag::TagConfig>()
        .register::<pii::PiiConfig>()
        .register::<keyword::KeywordConfig>()
        .register::<regex_rule::RegexConfig>()
        .register::<links::LinksConfig>()
        .register::<profanity::ProfanityConfig>()
        .register::<mention_spam::MentionSpamConfig>()
        .register::<rate_limit::RateLimitConfig>()
        .register::<duplicate::DuplicateConfig>()
        .register::<strikes::StrikesConfig>()
        .register::<comprehend::toxicity::ToxicityConfig>()
        .register::<comprehend::pii::ComprehendPiiConfig>()
        .register::<comprehend::language::LanguageConfig>()
}

/// A registry with every built-in rule type (and nothing else yet): the
/// start of a processor's registry.
pub fn registry() -> Registry {
    let mut registry = Registry::empty();
    register_builtins(&mut registry);
    registry
}
