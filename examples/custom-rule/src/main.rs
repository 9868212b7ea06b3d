//! The example's processor: the built-in rules plus `competitor-mentions`,
//! configured by rules/chimeflow.toml next to this crate, embedded at build
//! time (`CHIMEFLOW_CONFIG` still overrides it).

use std::process::ExitCode;

use chimeflow_example_custom_rule::CompetitorMentionsConfig;

fn main() -> ExitCode {
    let mut registry = chimeflow_rules::registry();
    registry.register::<CompetitorMentionsConfig>();
    let config = chimeflow_host::ConfigSource {
        name: "<embedded examples/custom-rule/rules/chimeflow.toml>".into(),
        text: include_str!("../rules/chimeflow.toml").into(),
    };
    chimeflow_runtime::main_with_config(registry, config)
}
