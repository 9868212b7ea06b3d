//! `chimeflow check`: validate a configuration.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::failure::Failure;

/// Validate a configuration and list the rules it builds.
///
/// Parses the configuration, builds every rule, and prints the rules in
/// order. A bad configuration prints one error naming the file, line and key
/// and exits 2, exactly as the processor would refuse to start with it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow check\n  chimeflow check --config my-rules.toml")]
pub struct CheckArgs {
    /// Configuration file [default: $CHIMEFLOW_CONFIG, else the embedded rules/chimeflow.toml].
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let config = chimeflow_rules::load(args.config.as_deref())?;
    let ids = config.rule_ids();
    println!(
        "{}: ok, {} rule{} ({}), on_error = {}",
        config.source_name,
        ids.len(),
        if ids.len() == 1 { "" } else { "s" },
        if ids.is_empty() {
            "every message passes".to_owned()
        } else {
            ids.join(" -> ")
        },
        config.on_error.as_str()
    );
    Ok(ExitCode::SUCCESS)
}
