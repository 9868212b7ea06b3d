//! An example rule crate: `competitor-mentions`.
//!
//! A rule author depends on `chimeflow-core` for the `Rule` trait and
//! `RuleConfig`, on `chimeflow-test` to test, and (for the processor binary
//! in `src/main.rs`) on `chimeflow-host` (the registry and the configuration
//! loader), `chimeflow-rules` (the built-ins it registers next to its own
//! rule) and `chimeflow-runtime`, which runs them on Lambda.

mod competitor;

pub use competitor::{CompetitorMentions, CompetitorMentionsConfig};
