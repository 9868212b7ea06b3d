//! An ordered list of rules, itself a rule.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;

use crate::{FactRequests, Findings, Message, Rule, Verdict};

/// How a [`Pipeline::run`] ended, and which rule decided.
#[derive(Debug)]
pub enum PipelineRun {
    /// Every rule let the message go on (edits, if any, are in the message).
    Continue,
    /// A rule denied the message; the rules after it did not run.
    Denied {
        /// The id of the rule that denied it (`pipeline` for a pipeline
        /// nested as a rule).
        rule: Arc<str>,
        /// Its reason code.
        reason: Cow<'static, str>,
    },
    /// A rule panicked; the rules after it did not run, and the message
    /// holds whatever edits were made before.
    Panicked {
        /// The id of the rule that panicked (the innermost, for a pipeline
        /// nested as a rule).
        rule: Arc<str>,
    },
}

/// A panic re-raised by a nested pipeline, carrying the id of the rule
/// that panicked inside it, so the outer run reports that rule.
struct NestedPanic {
    rule: Arc<str>,
}

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

impl Pipeline {
    /// Whether any rule is stateful ([`Rule::is_stateful`]).
    pub fn is_stateful(&self) -> bool {
        self.rules.iter().any(|(_, rule)| rule.is_stateful())
    }

    /// Whether any rule keeps state in the store ([`Rule::uses_store`]).
    pub fn uses_store(&self) -> bool {
        self.rules.iter().any(|(_, rule)| rule.uses_store())
    }

    /// Collects what the rules need gathered before `run` (see
    /// [`Rule::gather`]), in a first pass over `message`: in order, each
    /// stateful rule says what it needs, seeing the message as the rules
    /// before it left it, and each other rule checks the message as it
    /// will in `run` (it needs no facts, so it decides the same). A deny
    /// ends the pass: the rules after it would not run, so nothing is
    /// gathered (or paid for) on their behalf, and a service never sees
    /// text a local rule before it redacted.
    ///
    /// `message` and `findings` are scratch: `run` starts again from the
    /// message as received. A panicking `gather` is caught and its requests
    /// left out; the rule then finds what it asked for missing, and most
    /// likely panics again in `check`, where the error policy applies.
    pub fn gather(
        &self,
        message: &mut Message<'_>,
        findings: &mut Findings,
        requests: &mut FactRequests,
    ) {
        message.set_gathering(true);
        for (id, rule) in &self.rules {
            if rule.is_stateful() {
                let before = requests.clone();
                let view: &Message<'_> = message;
                if catch_unwind(AssertUnwindSafe(|| rule.gather(view, requests))).is_err() {
                    *requests = before;
                }
                continue;
            }
            let outer = findings.set_current_rule(Some(id.clone()));
            let checked = catch_unwind(AssertUnwindSafe(|| rule.check(message, findings)));
            findings.set_current_rule(outer);
            if !matches!(checked, Ok(Verdict::Continue)) {
                return;
            }
        }
    }

    /// Runs the rules in order on `message`, each on the output of the one
    /// before, and says how the run ended and which rule decided: the
    /// first deny stops it, and so does a panic, which is caught here (a
    /// rule must never take the processor down with it). Findings are
    /// stamped with their rule's id and mapped back to the received text.
    ///
    /// ```
    /// use chimeflow_core::{ChannelMessage, Findings, Message, Pipeline, PipelineRun, Rule, Verdict};
    ///
    /// struct Refuse;
    /// impl Rule for Refuse {
    ///     fn id(&self) -> &str { "refuse" }
    ///     fn check(&self, _: &mut Message<'_>, _: &mut Findings) -> Verdict { Verdict::deny("no") }
    /// }
    ///
    /// let received = ChannelMessage { message_id: "m".into(), ..Default::default() };
    /// let mut message = Message::new(&received);
    /// let run = Pipeline::new(vec![Box::new(Refuse)]).run(&mut message, &mut Findings::new());
    /// assert!(matches!(run, PipelineRun::Denied { ref rule, .. } if &**rule == "refuse"));
    /// ```
    pub fn run(&self, message: &mut Message<'_>, findings: &mut Findings) -> PipelineRun {
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
            let checked = catch_unwind(AssertUnwindSafe(|| rule.check(message, findings)));
            findings.set_current_rule(outer);
            let verdict = match checked {
                Ok(verdict) => verdict,
                Err(payload) => {
                    let rule = match payload.downcast::<NestedPanic>() {
                        Ok(nested) => nested.rule,
                        Err(_) => id.clone(),
                    };
                    return PipelineRun::Panicked { rule };
                }
            };
            if let Some(map) = before {
                for finding in &mut findings.items_mut()[first_new..] {
                    if finding.field == crate::Field::Content {
                        let span = map.to_original(finding.span(), len_before);
                        finding.start = span.start;
                        finding.end = span.end;
                    }
                }
            }
            if let Verdict::Deny(reason) = verdict {
                return PipelineRun::Denied {
                    rule: id.clone(),
                    reason,
                };
            }
        }
        PipelineRun::Continue
    }
}

/// A pipeline nested as a rule of another: its decision passes up, and a
/// panic inside it is re-raised for the outer run to catch, naming the
/// rule that panicked.
impl Rule for Pipeline {
    fn id(&self) -> &str {
        "pipeline"
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        match self.run(message, findings) {
            PipelineRun::Continue => Verdict::Continue,
            PipelineRun::Denied { reason, .. } => Verdict::Deny(reason),
            PipelineRun::Panicked { rule } => resume_unwind(Box::new(NestedPanic { rule })),
        }
    }

    /// Nested as a rule, a pipeline's stateful rules gather with the
    /// message as the outer pass gives it (no inner first pass: the view
    /// is read-only here).
    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        for (_, rule) in self.rules.iter().filter(|(_, rule)| rule.is_stateful()) {
            let before = requests.clone();
            if catch_unwind(AssertUnwindSafe(|| rule.gather(message, requests))).is_err() {
                *requests = before;
            }
        }
    }

    fn is_stateful(&self) -> bool {
        Pipeline::is_stateful(self)
    }

    fn uses_store(&self) -> bool {
        Pipeline::uses_store(self)
    }
}
