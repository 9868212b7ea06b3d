//! The `processor` binary: the channel-flow processor Lambda with the
//! built-in rules and the embedded configuration. SAM builds it as
//! `bootstrap` (provided.al2023, arm64).

use std::process::ExitCode;

fn main() -> ExitCode {
    chimeflow_runtime::main_with_config(
        chimeflow_rules::registry(),
        chimeflow_rules::default_config(),
    )
}
