//! chimeflow's default configuration: `chimeflow.toml` in this crate (also
//! reachable as `rules/chimeflow.toml` at the top of the repository), embedded
//! at build time so that a processor needs no file beside it.

use std::path::Path;

use chimeflow_host::{Config, ConfigError, ConfigSource};

/// The default configuration's text.
pub const EMBEDDED_CONFIG: &str = include_str!("../chimeflow.toml");
/// How errors name the embedded default configuration.
pub const EMBEDDED_CONFIG_NAME: &str = "<embedded rules/chimeflow.toml>";

/// The default configuration, as a source for
/// [`ConfigSource::resolve_or`] or [`Config::parse`].
pub fn default_config() -> ConfigSource {
    ConfigSource {
        name: EMBEDDED_CONFIG_NAME.into(),
        text: EMBEDDED_CONFIG.into(),
    }
}

/// The default configuration built with the built-in rules.
pub fn load_default() -> Result<Config, ConfigError> {
    Config::parse(&default_config(), &crate::registry())
}

/// `explicit` (a `--config` file), else `$CHIMEFLOW_CONFIG`, else the
/// default configuration, built with the built-in rules: what the
/// `chimeflow` command and the `processor` binary load.
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    Config::parse(
        &ConfigSource::resolve_or(explicit, default_config())?,
        &crate::registry(),
    )
}
