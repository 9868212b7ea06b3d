//! `chimeflow check`: validate a configuration.

use std::process::ExitCode;

use crate::cli::CheckArgs;
use crate::failure::Failure;

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
