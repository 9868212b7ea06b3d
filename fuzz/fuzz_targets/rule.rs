//! Each built-in rule, alone in a processor: the first byte picks the rule
//! (a documented example or a variant), the second the message's context
//! (edit, NON_PERSISTENT, Lex, metadata, attributes, sub-channel), the rest
//! is the content. Every invariant holds; a rule panic aborts (libFuzzer's
//! panic hook), even though the processor would catch it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| chimeflow_fuzz::rule_target(data));
