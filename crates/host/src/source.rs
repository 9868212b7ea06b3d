//! Where a configuration comes from: a file, `$CHIMEFLOW_CONFIG`, or the
//! text a processor embeds.

use std::path::Path;

use crate::error::ConfigError;

/// The environment variable naming a configuration file to use instead of
/// a processor's embedded default.
pub const CONFIG_ENV: &str = "CHIMEFLOW_CONFIG";

/// A configuration's text and the name errors give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigSource {
    /// A path, or a name in angle brackets for an embedded text
    /// (`<embedded rules/chimeflow.toml>`).
    pub name: String,
    /// The TOML text.
    pub text: String,
}

impl ConfigSource {
    /// Reads a file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Self { name, text }),
            Err(error) => Err(ConfigError::whole_file(
                name,
                format!("cannot read: {error}"),
            )),
        }
    }

    /// `explicit` if given, else the file `$CHIMEFLOW_CONFIG` names (when
    /// set and not empty), else `default`: the configuration the processor
    /// embeds (`chimeflow_rules::default_config()`, or a custom processor's
    /// own `include_str!`).
    pub fn resolve_or(explicit: Option<&Path>, default: ConfigSource) -> Result<Self, ConfigError> {
        if let Some(path) = explicit {
            return Self::from_file(path);
        }
        match std::env::var_os(CONFIG_ENV) {
            Some(path) if !path.is_empty() => Self::from_file(Path::new(&path)),
            _ => Ok(default),
        }
    }
}
