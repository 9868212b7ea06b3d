//! An ordered list of rules, itself a rule.

use std::sync::Arc;

use crate::{Findings, Message, Rule, Verdict};

/// Rules run in order, each on the output of the one before; the first deny
/// stops the run. Findings each rule reports are stamped with its id and
/// their spans mapped back to the text the pipeline received.
pub struct Pipeline {
    rules: Vec<(Arc<str>, Box<dyn Rule>)>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.rules.iter().map(|(id, _)| id))
            .finish()
    }
}

impl Pipeline {
    /// A pipeline of these rules, in this order.
    ///
    /// ```
    /// use chimeflow_core::{Findings, Message, Pipeline, Rule, Verdict};
    ///
    /// struct Nothing(&'static str);
    /// impl Rule for Nothing {
    ///     fn id(&self) -> &str { self.0 }
    ///     fn check(&self, _: &mut Message<'_>, _: &mut Findings) -> Verdict { Verdict::Continue }
    /// }
    ///
    /// let pipeline = Pipeline::new(vec![Box::new(Nothing("first")), Box::new(Nothing("second"))]);
    /// assert_eq!(pipeline.rule_ids().collect::<Vec<_>>(), ["first", "second"]);
    /// assert_eq!(pipeline.len(), 2);
    /// ```
    pub fn new(rules: Vec<Box<dyn Rule>>) -> Self {
        Self {
            rules: rules
                .into_iter()
                .map(|rule| (Arc::from(rule.id()), rule))
                .collect(),
        }
    }

    /// The ids of the rules, in order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|(id, _)| &**id)
    }

    /// The rules, in order.
    pub fn into_rules(self) -> Vec<Box<dyn Rule>> {
        self.rules.into_iter().map(|(_, rule)| rule).collect()
    }

    /// How many rules there are.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules (every message passes unchanged).
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

impl Rule for Pipeline {
    fn id(&self) -> &str {
        "pipeline"
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        for (id, rule) in &self.rules {
            let first_new = findings.len();
            // Spans are reported in the text this rule received; to map them
            // back we need the provenance as it was before the rule's edits.
            let before = message
                .edit_map()
                .is_edited()
                .then(|| message.edit_map().clone());
            let len_before = message.content().len();
            let outer = findings.set_current_rule(Some(id.clone()));
            let verdict = rule.check(message, findings);
            findings.set_current_rule(outer);
            if let Some(map) = before {
                for finding in &mut findings.items_mut()[first_new..] {
                    if finding.field == crate::Field::Content {
                        let span = map.to_original(finding.span(), len_before);
                        finding.start = span.start;
                        finding.end = span.end;
                    }
                }
            }
            if verdict.is_deny() {
                findings.note_denied_by(id);
                return verdict;
            }
        }
        Verdict::Continue
    }
}
