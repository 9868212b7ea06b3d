//! chimeflow-host: the rule host of a chimeflow processor.
//!
//! A configuration (`chimeflow.toml`) is an ordered list of rules tagged by
//! `type`. A [`Registry`] maps each type to the code that builds it; rule
//! crates register their types into it (the built-ins with
//! `chimeflow_rules::register_builtins`, a custom crate with
//! [`Registry::register`]). [`Config::parse`] reads a [`ConfigSource`],
//! looks each type up, builds the rules once, and hands back a ready
//! [`chimeflow_core::Processor`] through [`Config::into_processor`]. Errors
//! ([`ConfigError`]) name the file, line, column and key, never the value.
//!
//! The host depends on `chimeflow-core` alone, so a processor with only
//! custom rules does not link the built-in ones.
//!
//! ```
//! use chimeflow_host::{Config, ConfigSource, Registry};
//!
//! let source = ConfigSource {
//!     name: "chimeflow.toml".into(),
//!     text: "on_error = \"pass\"\n".into(),
//! };
//! let config = Config::parse(&source, &Registry::empty()).unwrap();
//! assert!(config.rule_ids().is_empty());
//!
//! let unknown = ConfigSource {
//!     name: "chimeflow.toml".into(),
//!     text: "[[rules]]\ntype = \"length\"\n".into(),
//! };
//! let error = Config::parse(&unknown, &Registry::empty()).unwrap_err();
//! assert_eq!((error.line, error.key.as_deref()), (Some(2), Some("rules[0].type")));
//! ```

mod comprehend;
mod config;
mod error;
mod events;
mod quoting;
mod registry;
mod source;
mod store;

pub use comprehend::ComprehendSettings;
pub use config::Config;
pub use error::ConfigError;
pub use events::{EVENT_BUS_ENV, EventsSettings};
pub use registry::{Registry, RuleEntry};
pub use source::{CONFIG_ENV, ConfigSource};
pub use store::{ResolvedStore, STORE_TABLE_ENV, STORE_TYPE_ENV, StoreKind, StoreSettings};
