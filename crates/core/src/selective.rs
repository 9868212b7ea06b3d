//! A rule that applies only to the messages its selector chooses.

use crate::{FactRequests, Findings, Message, Rule, Selector, Verdict};

/// Wraps a rule with a [`Selector`]: messages outside it pass untouched.
pub struct Selective {
    rule: Box<dyn Rule>,
    selector: Selector,
}

impl Selective {
    /// `rule`, applied only where `selector` matches.
    ///
    /// ```
    /// use chimeflow_core::{ChannelMessage, Findings, Message, Rule, Selective, Selector, Verdict};
    ///
    /// struct DenyAll;
    /// impl Rule for DenyAll {
    ///     fn id(&self) -> &str { "deny-all" }
    ///     fn check(&self, _: &mut Message<'_>, _: &mut Findings) -> Verdict { Verdict::deny("no") }
    /// }
    ///
    /// // Deny edits only.
    /// let rule = Selective::new(Box::new(DenyAll), Selector { edits: Some(true), ..Default::default() });
    /// let new = ChannelMessage {
    ///     message_id: "m1".into(),
    ///     created_timestamp: Some(1_700_000_000.into()),
    ///     ..Default::default()
    /// };
    /// let edit = ChannelMessage { last_edited_timestamp: Some(1_700_000_060.into()), ..new.clone() };
    /// assert!(!rule.check(&mut Message::new(&new), &mut Findings::new()).is_deny());
    /// assert!(rule.check(&mut Message::new(&edit), &mut Findings::new()).is_deny());
    /// ```
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

    /// Asks for facts only for the messages the rule applies to.
    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        if self.selector.matches_known(message) {
            self.rule.gather(message, requests);
        }
    }

    fn is_stateful(&self) -> bool {
        self.rule.is_stateful()
    }

    fn uses_store(&self) -> bool {
        self.rule.uses_store()
    }
}
