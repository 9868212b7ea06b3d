//! Errors that stop a command, and their exit codes.

use std::fmt;

use chimeflow_host::ConfigError;

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
    /// The service answered with an error: its exception code and message
    /// (never the request's content).
    Service { code: String, message: String },
    /// The call did not complete: the endpoint could not be reached, the
    /// response could not be read, a wait timed out, a child process failed.
    Runtime(String),
}

impl Failure {
    /// The exit code: 2 for what the user must fix before running again (a
    /// bad configuration, input or usage), 1 for an AWS call that failed
    /// (1 is also what `process` uses for per-event errors).
    pub fn exit_code(&self) -> std::process::ExitCode {
        match self {
            Failure::Service { .. } | Failure::Runtime(_) => std::process::ExitCode::FAILURE,
            _ => std::process::ExitCode::from(2),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Config(error) => write!(f, "bad configuration: {error}"),
            Failure::Input { name, error } => write!(f, "cannot read {name}: {error}"),
            Failure::Output(error) => write!(f, "cannot write output: {error}"),
            Failure::Usage(message) | Failure::Runtime(message) => f.write_str(message),
            Failure::Service { code, message } if message.is_empty() => f.write_str(code),
            Failure::Service { code, message } => write!(f, "{code}: {message}"),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(error: ConfigError) -> Self {
        Failure::Config(error)
    }
}
