//! A processor with one extra rule type, `panic-on`, that panics when the
//! content contains a trigger word. The end-to-end tests use it to prove
//! that a panicking rule gets the error policy and never a lost message.
//! It is also the smallest example of a processor with a custom rule.

use std::process::ExitCode;

use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use serde::Deserialize;

/// `panic-on`: panics when the content contains `trigger`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PanicOnConfig {
    trigger: String,
}

impl RuleConfig for PanicOnConfig {
    const TYPE: &'static str = "panic-on";
    const SUMMARY: &'static str = "Test rule: panics on a trigger word.";
    const DOC: &'static str = "panic-on: a test rule.\n\nWhat it does\n  Panics when the content contains `trigger`.\n\nOptions\n  trigger (required)\n\nExample\n  [[rules]]\n  type = \"panic-on\"\n  trigger = \"PANIC\"\n\nLimitations\n  For tests only.\n";

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        Ok(Box::new(PanicOn(self.trigger)))
    }
}

struct PanicOn(String);

impl Rule for PanicOn {
    fn id(&self) -> &str {
        "panic-on"
    }

    fn check(&self, message: &mut Message<'_>, _findings: &mut Findings) -> Verdict {
        // Slicing past the end quotes nothing here, but a real bug might:
        // the processor's panic hook must not print payloads.
        assert!(
            !message.content().contains(&self.0),
            "rule bug: {}",
            message.content()
        );
        Verdict::Continue
    }
}

fn main() -> ExitCode {
    let mut registry = chimeflow_rules::registry();
    registry.register::<PanicOnConfig>();
    chimeflow_runtime::main_with_config(registry, chimeflow_rules::default_config())
}
