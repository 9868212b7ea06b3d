//! Running one rule and checking what it did.

use std::ops::Range;

use chimeflow_core::{Findings, Message, ProcessorEvent, Rule, Verdict};

use crate::EventBuilder;

/// What a rule did to one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRun {
    /// Its verdict.
    pub verdict: Verdict,
    /// The content after it ran.
    pub content: String,
    /// The metadata after it ran.
    pub metadata: Option<String>,
    /// The (category, byte span) of each finding, in the original content.
    pub findings: Vec<(String, Range<usize>)>,
    /// Whether it changed anything.
    pub changed: bool,
}

/// Runs `rule` on a default test message with this content.
///
/// ```
/// use chimeflow_core::{Findings, Message, Rule, Verdict};
/// use chimeflow_test::run_rule;
///
/// struct MaskDigits;
/// impl Rule for MaskDigits {
///     fn id(&self) -> &str { "mask-digits" }
///     fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
///         let spans: Vec<_> = message.content().char_indices()
///             .filter(|(_, c)| c.is_ascii_digit())
///             .map(|(i, _)| i..i + 1)
///             .collect();
///         for span in &spans {
///             findings.report("digit", span.clone());
///         }
///         message.replace_content(spans.into_iter().map(|span| (span, "#")));
///         Verdict::Continue
///     }
/// }
///
/// let run = run_rule(&MaskDigits, "room 42");
/// assert_eq!(run.content, "room ##");
/// assert!(run.changed);
/// assert_eq!(run.findings, [("digit".to_owned(), 5..6), ("digit".to_owned(), 6..7)]);
/// ```
pub fn run_rule(rule: &dyn Rule, content: &str) -> RuleRun {
    run_rule_on(rule, &EventBuilder::new().content(content).build())
}

/// Runs `rule` on `event`'s message.
///
/// ```
/// use chimeflow_core::{Findings, Message, Rule, Verdict};
/// use chimeflow_test::{EventBuilder, run_rule_on};
///
/// /// Denies edits.
/// struct NoEdits;
/// impl Rule for NoEdits {
///     fn id(&self) -> &str { "no-edits" }
///     fn check(&self, message: &mut Message<'_>, _: &mut Findings) -> Verdict {
///         if message.is_edit() { Verdict::deny("edit") } else { Verdict::Continue }
///     }
/// }
///
/// assert!(run_rule_on(&NoEdits, &EventBuilder::new().edit().build()).verdict.is_deny());
/// assert!(!run_rule_on(&NoEdits, &EventBuilder::new().build()).verdict.is_deny());
/// ```
pub fn run_rule_on(rule: &dyn Rule, event: &ProcessorEvent) -> RuleRun {
    let mut message = Message::new(&event.channel_message);
    let mut findings = Findings::new();
    let verdict = rule.check(&mut message, &mut findings);
    RuleRun {
        verdict,
        content: message.content().to_owned(),
        metadata: message.metadata().map(str::to_owned),
        findings: findings
            .as_slice()
            .iter()
            .map(|f| (f.category.to_string(), f.span()))
            .collect(),
        changed: message.is_changed(),
    }
}

/// What a row of a table test expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect<'a> {
    /// Unchanged, no findings.
    Pass,
    /// Unchanged but with findings in these categories.
    Found(&'a [&'a str]),
    /// The content becomes exactly this.
    Becomes(&'a str),
    /// Denied with this reason.
    Deny(&'a str),
}

/// Runs `rule` on every row's input and checks the expectation, reporting
/// every failing row at once.
pub fn assert_table(rule: &dyn Rule, rows: &[(&str, Expect<'_>)]) {
    let mut failures = Vec::new();
    for (input, expect) in rows {
        let run = run_rule(rule, input);
        let categories: Vec<&str> = run.findings.iter().map(|(c, _)| c.as_str()).collect();
        let ok = match expect {
            Expect::Pass => {
                run.verdict == Verdict::Continue && !run.changed && run.findings.is_empty()
            }
            Expect::Found(wanted) => {
                run.verdict == Verdict::Continue && !run.changed && categories == *wanted
            }
            Expect::Becomes(output) => run.verdict == Verdict::Continue && run.content == *output,
            Expect::Deny(reason) => run.verdict == Verdict::deny(reason.to_string()),
        };
        if !ok {
            failures.push(format!(
                "{input:?}: expected {expect:?}, got {:?} {:?} {categories:?}",
                run.verdict, run.content
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
