//! What a replay measured: per configuration, the outcomes by rule and
//! category, who denied, what observed rules would have done, and the
//! throughput; between the two, the messages whose outcome differs.
//!
//! Names, codes and spans only: the text of a changed message is added
//! only when asked (`--show-text`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use chimeflow_core::{Decision, Outcome};
use serde::Serialize;

use crate::output::visible;

/// PASS, UPDATE and DENY counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub struct Decisions {
    pub pass: usize,
    pub update: usize,
    pub deny: usize,
}

impl Decisions {
    fn add(&mut self, decision: Decision) {
        match decision {
            Decision::Pass => self.pass += 1,
            Decision::Update => self.update += 1,
            Decision::Deny => self.deny += 1,
        }
    }

    fn short(&self) -> String {
        format!("{}/{}/{}", self.pass, self.update, self.deny)
    }
}

/// What one configuration did to the corpus.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Side {
    /// The configuration's file (or what stands for it).
    pub config: String,
    /// Outcomes of every message.
    pub outcomes: Decisions,
    /// For each rule and category found, the outcomes of the messages it
    /// was found in.
    #[serde(serialize_with = "by_rule")]
    pub by_rule: BTreeMap<(String, String), Decisions>,
    /// Messages denied, by the rule that denied them.
    pub denied_by: BTreeMap<String, usize>,
    /// What rules in observe mode would have done: `rule` -> action -> messages.
    pub observed: BTreeMap<String, BTreeMap<String, usize>>,
    /// Messages that could not be processed (an unusable event).
    pub errors: usize,
    /// Messages processed per second (rules and the in-memory store).
    pub messages_per_second: f64,
    #[serde(skip)]
    pub elapsed: Duration,
}

fn by_rule<S: serde::Serializer>(
    map: &BTreeMap<(String, String), Decisions>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Row<'a> {
        rule: &'a str,
        category: &'a str,
        #[serde(flatten)]
        outcomes: &'a Decisions,
    }
    serializer.collect_seq(map.iter().map(|((rule, category), outcomes)| Row {
        rule,
        category,
        outcomes,
    }))
}

impl Side {
    pub fn new(config: String) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    pub fn add(&mut self, outcome: &Outcome) {
        self.outcomes.add(outcome.decision);
        let mut pairs: Vec<(&str, &str)> = outcome
            .findings
            .iter()
            .map(|f| (&*f.rule, &*f.category))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        for (rule, category) in pairs {
            self.by_rule
                .entry((rule.to_owned(), category.to_owned()))
                .or_default()
                .add(outcome.decision);
        }
        if let Some(reason) = &outcome.reason {
            *self.denied_by.entry(reason.rule.clone()).or_default() += 1;
        }
        for observed in &outcome.observed {
            *self
                .observed
                .entry(observed.rule.clone())
                .or_default()
                .entry(observed.action.as_str().to_owned())
                .or_default() += 1;
        }
    }

    pub fn finish(&mut self, elapsed: Duration, messages: usize) {
        self.elapsed = elapsed;
        self.messages_per_second = if elapsed.is_zero() {
            0.0
        } else {
            messages as f64 / elapsed.as_secs_f64()
        };
    }
}

/// One side of a changed message.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Seen {
    pub outcome: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `rule category start..end`, sorted.
    pub findings: Vec<String>,
}

impl Seen {
    fn of(outcome: &Outcome) -> Self {
        let mut findings: Vec<String> = outcome
            .findings
            .iter()
            .map(|f| format!("{} {} {}..{}", f.rule, f.category, f.start, f.end))
            .collect();
        findings.sort();
        Self {
            outcome: outcome.decision,
            reason: outcome
                .reason
                .as_ref()
                .map(|r| format!("{}/{}", r.rule, r.reason)),
            findings,
        }
    }
}

/// A message whose outcome differs between the two configurations: its
/// decision, what would be sent, or what was found.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Change {
    pub input: String,
    pub message_id: String,
    pub before: Seen,
    pub after: Seen,
    /// The message's text, with `--show-text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Change {
    /// The change between two outcomes of one message, if they differ.
    pub fn between(input: &str, before: &Outcome, after: &Outcome) -> Option<Self> {
        let (seen_before, seen_after) = (Seen::of(before), Seen::of(after));
        let same = before.decision == after.decision
            && before.callback.channel_message == after.callback.channel_message
            && seen_before.findings == seen_after.findings;
        (!same).then(|| Self {
            input: input.to_owned(),
            message_id: after.message_id.clone(),
            before: seen_before,
            after: seen_after,
            text: None,
        })
    }
}

/// The whole report.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Report {
    pub messages: usize,
    /// Values of the corpus that were neither events nor messages.
    pub unusable: Vec<UnusableLine>,
    pub baseline: Side,
    pub new: Side,
    /// How many messages changed (all of them, however many are listed).
    pub changed_count: usize,
    pub changed: Vec<Change>,
}

/// An unusable value of the corpus.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnusableLine {
    pub input: String,
    pub error: String,
}

impl Report {
    /// The report for a person.
    pub fn human(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "replayed {} messages{}",
            self.messages,
            if self.unusable.is_empty() {
                String::new()
            } else {
                format!(" ({} unusable values skipped)", self.unusable.len())
            }
        );
        let _ = writeln!(out, "  baseline: {}", self.baseline.config);
        let _ = writeln!(out, "  new:      {}", self.new.config);
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<34} {:>12} {:>12} {:>8}",
            "", "baseline", "new", "change"
        );
        let (b, n) = (&self.baseline.outcomes, &self.new.outcomes);
        for (name, before, after) in [
            ("PASS", b.pass, n.pass),
            ("UPDATE", b.update, n.update),
            ("DENY", b.deny, n.deny),
        ] {
            let _ = writeln!(
                out,
                "{name:<34} {before:>12} {after:>12} {:>8}",
                delta(before, after)
            );
        }
        let _ = writeln!(
            out,
            "{:<34} {:>12.0} {:>12.0}",
            "messages per second", self.baseline.messages_per_second, self.new.messages_per_second
        );
        let mut pairs: Vec<&(String, String)> = self
            .baseline
            .by_rule
            .keys()
            .chain(self.new.by_rule.keys())
            .collect();
        pairs.sort();
        pairs.dedup();
        if !pairs.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "messages with findings, by rule and category (PASS/UPDATE/DENY)"
            );
            for pair in pairs {
                let side =
                    |side: &Side| side.by_rule.get(pair).copied().unwrap_or_default().short();
                let name = format!("{} {}", pair.0, pair.1);
                let _ = writeln!(
                    out,
                    "  {:<32} {:>12} {:>12}",
                    visible(&name),
                    side(&self.baseline),
                    side(&self.new)
                );
            }
        }
        let mut deniers: Vec<&String> = self
            .baseline
            .denied_by
            .keys()
            .chain(self.new.denied_by.keys())
            .collect();
        deniers.sort();
        deniers.dedup();
        if !deniers.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "denied, by rule");
            for rule in deniers {
                let count = |side: &Side| side.denied_by.get(rule).copied().unwrap_or(0);
                let (before, after) = (count(&self.baseline), count(&self.new));
                let _ = writeln!(
                    out,
                    "  {rule:<32} {before:>12} {after:>12} {:>8}",
                    delta(before, after)
                );
            }
        }
        for (name, side) in [("baseline", &self.baseline), ("new", &self.new)] {
            if side.observed.is_empty() {
                continue;
            }
            let _ = writeln!(out);
            let _ = writeln!(out, "observed in {name} (would have, not applied)");
            for (rule, actions) in &side.observed {
                let actions: Vec<String> =
                    actions.iter().map(|(a, n)| format!("{a} {n}")).collect();
                let _ = writeln!(out, "  {rule:<32} {}", actions.join(", "));
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "changed: {} messages", self.changed_count);
        for change in &self.changed {
            let reason = |seen: &Seen| {
                seen.reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            };
            let _ = writeln!(
                out,
                "  {} {}  {}{} -> {}{}",
                visible(&change.input),
                visible(&change.message_id),
                change.before.outcome.as_str(),
                reason(&change.before),
                change.after.outcome.as_str(),
                reason(&change.after)
            );
            if change.before.findings != change.after.findings {
                let list = |seen: &Seen| {
                    if seen.findings.is_empty() {
                        "none".to_owned()
                    } else {
                        seen.findings.join(", ")
                    }
                };
                let _ = writeln!(out, "    found before: {}", visible(&list(&change.before)));
                let _ = writeln!(out, "    found after:  {}", visible(&list(&change.after)));
            }
            if let Some(text) = &change.text {
                let _ = writeln!(out, "    text: {}", visible(text));
            }
        }
        if self.changed.len() < self.changed_count {
            let _ = writeln!(
                out,
                "  ... and {} more (--max-changes to list more)",
                self.changed_count - self.changed.len()
            );
        }
        for line in &self.unusable {
            let _ = writeln!(
                out,
                "unusable: {}: {}",
                visible(&line.input),
                visible(&line.error)
            );
        }
        out
    }
}

fn delta(before: usize, after: usize) -> String {
    match after.cmp(&before) {
        std::cmp::Ordering::Equal => String::new(),
        std::cmp::Ordering::Greater => format!("+{}", after - before),
        std::cmp::Ordering::Less => format!("-{}", before - after),
    }
}
