//! A rule that applies only to the messages its selector chooses.

use crate::{Findings, Message, Rule, Selector, Verdict};

/// Wraps a rule with a [`Selector`]: messages outside it pass untouched.
pub struct Selective {
    rule: Box<dyn Rule>,
    selector: Selector,
}

impl Selective {
    /// `rule`, applied only where `selector` matches.
    pub fn new(rule: Box<dyn Rule>, selector: Selector) -> Self {
        Self { rule, selector }
    }
}

impl Rule for Selective {
    fn id(&self) -> &str {
        self.rule.id()
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        if self.selector.matches(message) {
            self.rule.check(message, findings)
        } else {
            Verdict::Continue
        }
    }
}
