//! Errors that stop a command, and their exit codes.

use std::fmt;

use chimeflow_rules::ConfigError;

/// A failure that ends the command with exit code 2: a bad configuration,
/// an unreadable input, an unknown rule.
#[derive(Debug)]
pub enum Failure {
    /// The configuration did not load.
    Config(ConfigError),
    /// An input could not be read.
    Input { name: String, error: std::io::Error },
    /// Writing the output failed (other than a closed pipe).
    Output(std::io::Error),
    /// Anything else the user must fix.
    Usage(String),
}

impl Failure {
    /// The exit code: always 2 (1 is for per-event errors).
    pub fn exit_code(&self) -> std::process::ExitCode {
        std::process::ExitCode::from(2)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Config(error) => write!(f, "bad configuration: {error}"),
            Failure::Input { name, error } => write!(f, "cannot read {name}: {error}"),
            Failure::Output(error) => write!(f, "cannot write output: {error}"),
            Failure::Usage(message) => f.write_str(message),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(error: ConfigError) -> Self {
        Failure::Config(error)
    }
}
