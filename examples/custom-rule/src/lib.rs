//! An example rule crate: `competitor-mentions`.
//!
//! A rule author depends on `chimeflow-core` for the `Rule` trait and
//! `RuleConfig`, on `chimeflow-test` to test, and (for the processor binary
//! in `src/main.rs`) on `chimeflow-rules` and `chimeflow-runtime`, which
//! register the rule next to the built-ins and run it on Lambda.

mod competitor;

pub use competitor::{CompetitorMentions, CompetitorMentionsConfig};
