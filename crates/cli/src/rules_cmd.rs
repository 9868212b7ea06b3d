//! `chimeflow rules`: list rule types or explain one.

use std::process::ExitCode;

use crate::cli::RulesArgs;
use crate::failure::Failure;

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
