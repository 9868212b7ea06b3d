//! The example's processor: the built-in rules plus `competitor-mentions`,
//! configured by rules/chimeflow.toml next to this crate (point
//! CHIMEFLOW_CONFIG at it, or embed your own as the built-in processor does).

use std::process::ExitCode;

use chimeflow_example_custom_rule::CompetitorMentionsConfig;

fn main() -> ExitCode {
    let mut registry = chimeflow_rules::Registry::builtin();
    registry.register::<CompetitorMentionsConfig>();
    chimeflow_runtime::main(registry)
}
