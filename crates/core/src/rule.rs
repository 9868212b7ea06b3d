//! The Rule trait and its Verdict.

use std::borrow::Cow;

use crate::{FactRequests, Findings, Message};

/// What a rule decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Go on to the next rule (edits, if any, are kept).
    Continue,
    /// Deny the message. The reason is a short code such as `too-long`,
    /// never message content: it is logged and returned.
    Deny(Cow<'static, str>),
}

impl Verdict {
    /// A deny with this reason code.
    ///
    /// ```
    /// use chimeflow_core::Verdict;
    ///
    /// let verdict = Verdict::deny("too-long");
    /// assert!(verdict.is_deny());
    /// assert_eq!(verdict, Verdict::Deny("too-long".into()));
    /// assert!(!Verdict::Continue.is_deny());
    /// ```
    pub fn deny(reason: impl Into<Cow<'static, str>>) -> Self {
        Verdict::Deny(reason.into())
    }

    /// Whether this verdict denies the message.
    pub fn is_deny(&self) -> bool {
        matches!(self, Verdict::Deny(_))
    }
}

/// A moderation rule.
///
/// A rule is built once from its configuration at cold start (where all
/// fallible work happens: parsing options, compiling automata) and then
/// checks every message. `check` edits the message in place, reports what it
/// found into `findings` (spans in the text as it received it), and returns a
/// [`Verdict`]. It never fails at run time: a deny is a value, not an error.
///
/// Rules are `Send + Sync` and object-safe, so a [`Pipeline`](crate::Pipeline)
/// holds them as `Box<dyn Rule>`.
pub trait Rule: Send + Sync {
    /// A stable kebab-case name, e.g. `profanity`.
    fn id(&self) -> &str;

    /// Checks one message.
    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict;

    /// Asks for the facts this rule needs to check `message` (its sender's
    /// recent messages, say), before any rule runs. The runtime gathers the
    /// requests of every rule at once and hands the answers to `check`
    /// through [`Message::facts`]. Most rules need nothing: the default asks
    /// for nothing. `message` is as received (no rule has run yet).
    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        let _ = (message, requests);
    }

    /// Whether this rule asks for facts (for some messages at least): a
    /// stateful rule, which a processor must not run without a store
    /// shared by all its instances. Rules that implement
    /// [`gather`](Rule::gather) say `true`.
    fn is_stateful(&self) -> bool {
        false
    }

    /// Whether this rule keeps state in the store (rate limits, strikes),
    /// which a processor must share across its instances. A stateful rule
    /// that only asks a service (Comprehend) says `false`. Defaults to
    /// [`is_stateful`](Rule::is_stateful).
    fn uses_store(&self) -> bool {
        self.is_stateful()
    }
}

impl<R: Rule + ?Sized> Rule for Box<R> {
    fn id(&self) -> &str {
        (**self).id()
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        (**self).check(message, findings)
    }

    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        (**self).gather(message, requests)
    }

    fn is_stateful(&self) -> bool {
        (**self).is_stateful()
    }

    fn uses_store(&self) -> bool {
        (**self).uses_store()
    }
}
