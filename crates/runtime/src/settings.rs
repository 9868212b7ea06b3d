//! Settings the processor reads from its environment.

use chimeflow_core::OnError;

use crate::RetryPolicy;

/// What the environment says.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `CHIMEFLOW_DRY_RUN`: do not send callbacks.
    pub dry_run: bool,
    /// `CHIMEFLOW_ON_ERROR`: overrides the configuration's `on_error`.
    pub on_error: Option<OnError>,
    /// Retry timing.
    pub retry: RetryPolicy,
}

impl Settings {
    /// Reads `CHIMEFLOW_DRY_RUN` and `CHIMEFLOW_ON_ERROR`. A value that is
    /// set but not understood is an error: the processor refuses to start.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The same, from any lookup (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let dry_run = match lookup("CHIMEFLOW_DRY_RUN").as_deref().map(str::trim) {
            None | Some("" | "0" | "false" | "no") => false,
            Some("1" | "true" | "yes") => true,
            Some(_) => return Err("CHIMEFLOW_DRY_RUN must be 1/true/yes or 0/false/no".into()),
        };
        let on_error = match lookup("CHIMEFLOW_ON_ERROR").as_deref().map(str::trim) {
            None | Some("") => None,
            Some("deny") => Some(OnError::Deny),
            Some("pass") => Some(OnError::Pass),
            Some(_) => return Err("CHIMEFLOW_ON_ERROR must be deny or pass".into()),
        };
        Ok(Self {
            dry_run,
            on_error,
            retry: RetryPolicy::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn table() {
        assert!(!settings(&[]).unwrap().dry_run);
        assert!(settings(&[("CHIMEFLOW_DRY_RUN", "1")]).unwrap().dry_run);
        assert!(!settings(&[("CHIMEFLOW_DRY_RUN", "0")]).unwrap().dry_run);
        assert!(settings(&[("CHIMEFLOW_DRY_RUN", "maybe")]).is_err());
        assert_eq!(
            settings(&[("CHIMEFLOW_ON_ERROR", "pass")])
                .unwrap()
                .on_error,
            Some(OnError::Pass)
        );
        assert_eq!(
            settings(&[("CHIMEFLOW_ON_ERROR", "")]).unwrap().on_error,
            None
        );
        assert!(settings(&[("CHIMEFLOW_ON_ERROR", "open")]).is_err());
    }
}
