//! chimeflow-rules: the built-in rules, configuration parsing and the registry.
//!
//! A configuration (`rules/chimeflow.toml`, embedded at build time) is an
//! ordered list of rules tagged by `type`. [`Config::load`] parses it, looks
//! each type up in a [`Registry`], builds the rules once, and hands back a
//! ready [`chimeflow_core::Processor`].
//!
//! ```
//! let config = chimeflow_rules::Config::embedded().unwrap();
//! let processor = config.into_processor();
//! assert!(processor.pipeline().len() > 0);
//! ```
//!
//! Each rule type's documentation is the `DOC` text of its configuration,
//! printed by `chimeflow rules TYPE` and published as the guide's
//! [rule pages](https://github.com/chimeflow/chimeflow/blob/main/docs/rules/README.md); [configuration](https://github.com/chimeflow/chimeflow/blob/main/docs/configuration.md)
//! describes the file.

mod config;
mod registry;
mod text;

pub mod deny_empty;
pub mod keyword;
pub mod length;
pub mod links;
pub mod pii;
pub mod profanity;
pub mod regex_rule;
pub mod tag;

pub use config::{
    CONFIG_ENV, Config, ConfigError, ConfigSource, EMBEDDED_CONFIG, EMBEDDED_CONFIG_NAME,
};
pub use registry::{Registry, RuleEntry};
