//! `chimeflow check`: validate a configuration.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use chimeflow_host::ResolvedStore;

use crate::failure::Failure;

/// Validate a configuration and list the rules it builds.
///
/// Parses the configuration, builds every rule, and prints the rules in
/// order. A bad configuration prints one error naming the file, line and key
/// and exits 2, exactly as the processor would refuse to start with it.
/// With stateful rules it also says where their state would be kept, as
/// the processor would settle it in this environment (`[store]`,
/// CHIMEFLOW_STORE, CHIMEFLOW_STORE_TABLE).
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
    if config.is_stateful() {
        // The store as the processor would settle it in this environment.
        match config.store.resolve_env() {
            Ok(ResolvedStore::Dynamodb { table }) => println!(
                "store: dynamodb, table {table}, budget {}",
                chimeflow_core::format_duration(config.store.budget)
            ),
            Ok(ResolvedStore::Memory { explicit: true }) => println!(
                "store: memory (type = \"memory\"): each processor instance counts on its own"
            ),
            Ok(ResolvedStore::Memory { explicit: false }) => println!(
                "store: memory here (chimeflow process, chimeflow local); a deployed processor refuses \
                 stateful rules without {} or [store] type = \"dynamodb\"",
                chimeflow_host::STORE_TABLE_ENV
            ),
            Err(problem) => {
                return Err(Failure::Usage(format!("{}: {problem}", config.source_name)));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
