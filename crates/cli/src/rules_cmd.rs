//! `chimeflow rules`: list rule types or explain one.

use std::process::ExitCode;

use clap::Args;

use crate::failure::Failure;

/// List the rule types, or explain one.
///
/// Without ID, prints every rule type with a one-line summary. With ID,
/// prints its whole documentation: what it does, every option with its
/// default, an example, and its limitations.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow rules\n  chimeflow rules length")]
pub struct RulesArgs {
    /// A rule type, e.g. `length`.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
}

pub fn run(args: &RulesArgs) -> Result<ExitCode, Failure> {
    let registry = chimeflow_rules::registry();
    match &args.id {
        None => {
            let width = registry
                .entries()
                .iter()
                .map(|e| e.type_name.len())
                .max()
                .unwrap_or(0);
            for entry in registry.entries() {
                println!("{:width$}  {}", entry.type_name, entry.summary);
            }
            println!("\n`chimeflow rules ID` explains one.");
        }
        Some(id) => match registry.get(id) {
            Some(entry) => print!("{}", entry.doc),
            None => {
                return Err(Failure::Usage(format!(
                    "no rule type `{id}`; known types: {}",
                    registry.type_names().join(", ")
                )));
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}
