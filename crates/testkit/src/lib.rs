//! chimeflow-test: what a rule author needs to test a rule.
//!
//! - [`EventBuilder`]: processor events without JSON by hand.
//! - [`run_rule`]: one rule on one text, with its verdict, output and findings.
//! - [`assert_table`]: table-driven tests in one call.
//! - [`assert_conformance`]: the checks every rule must pass: it never
//!   panics on hostile input, its output is valid UTF-8 within the service
//!   limits, it is deterministic, its findings stay inside the text, and its
//!   id is kebab-case.
//! - [`invariants`]: the invariants every processed message meets, shared by
//!   the fuzz targets, the property tests and the adversarial corpus.
//!
//! ```
//! use chimeflow_core::{Findings, Message, Rule, Verdict};
//! use chimeflow_test::{Expect, assert_conformance, assert_table};
//!
//! struct NoShouting;
//! impl Rule for NoShouting {
//!     fn id(&self) -> &str { "no-shouting" }
//!     fn check(&self, message: &mut Message<'_>, _: &mut Findings) -> Verdict {
//!         let text = message.content();
//!         if text.len() > 3 && text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase) {
//!             Verdict::deny("shouting")
//!         } else {
//!             Verdict::Continue
//!         }
//!     }
//! }
//!
//! assert_table(&NoShouting, &[
//!     ("HELLO ALL", Expect::Deny("shouting")),
//!     ("hello all", Expect::Pass),
//! ]);
//! assert_conformance(Box::new(NoShouting));
//! ```
//!
//! The guide's [writing and testing a rule crate](https://github.com/chimeflow/chimeflow/blob/main/docs/writing-rules.md) walks
//! through a rule, its configuration and these tests; the built-in rules'
//! own tests (crates/rules) use the same kit.

mod builder;
mod conformance;
pub mod invariants;
mod run;

pub use builder::{CHANNEL_ARN, EventBuilder, SENDER_ARN};
pub use conformance::{assert_conformance, check_conformance, hostile_inputs};
pub use run::{Expect, RuleRun, assert_table, run_rule, run_rule_on};

/// The README's Rust examples, compiled and run as doctests so that they
/// keep working as written.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;

/// The examples of docs/writing-rules.md, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/writing-rules.md")]
pub struct WritingRulesExamples;
