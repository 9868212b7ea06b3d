//! The `[comprehend]` section: how the Comprehend-backed rules are asked.

use std::time::Duration;

use serde::Deserialize;

/// The `[comprehend]` section, as written:
///
/// ```toml
/// [comprehend]
/// budget = "500ms"   # the longest a message waits for Comprehend's answers
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComprehendSettings {
    /// The longest a message waits for one Comprehend call.
    #[serde(with = "chimeflow_core::duration_str")]
    pub budget: Duration,
}

impl Default for ComprehendSettings {
    fn default() -> Self {
        Self {
            budget: Duration::from_millis(500),
        }
    }
}

impl ComprehendSettings {
    /// Checks the budget: between 1 ms and 30 s.
    pub fn check(&self) -> Result<(), String> {
        if self.budget < Duration::from_millis(1) || self.budget > Duration::from_secs(30) {
            return Err("must be between \"1ms\" and \"30s\"".into());
        }
        Ok(())
    }
}
