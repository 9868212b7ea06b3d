//! Observe mode: a rule that runs, and is recorded, but changes nothing.
//!
//! Teams roll a rule out by watching what it would do before letting it
//! act. [`Observed`] wraps any rule: it checks a copy of the message, so
//! its edits, deny, notes, timeouts and bans go nowhere, and records what
//! it would have done as an [`Observation`] in the message (then the
//! Outcome). The callback is decided by the enforcing rules alone. Its
//! bookkeeping in the store does go through ([`Effect::Append`]: a strike
//! logged; [`Effect::SetNumber`]: a timeout's end, which only that rule
//! reads), so an observed `strikes` rule counts, and reports the denials of
//! a timeout, as it would enforced; a ban ([`Effect::Ban`]) is not made.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::{
    Effect, FactRequests, Field, Findings, Message, Observation, ObservedAction, Rule, Verdict,
};

/// A rule in observe mode (see the module documentation).
///
/// ```
/// use chimeflow_core::{ChannelMessage, Findings, Message, Observed, ObservedAction, Rule, Verdict};
///
/// struct Refuse;
/// impl Rule for Refuse {
///     fn id(&self) -> &str { "refuse" }
///     fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
///         findings.report("everything", 0..message.content().len());
///         message.replace_content([(0..message.content().len(), "")]);
///         Verdict::deny("no")
///     }
/// }
///
/// let received = ChannelMessage { message_id: "m".into(), content: Some("hi".into()), ..Default::default() };
/// let mut message = Message::new(&received);
/// let mut findings = Findings::new();
/// let observed = Observed::new(Box::new(Refuse));
/// assert_eq!(observed.check(&mut message, &mut findings), Verdict::Continue);
/// assert_eq!((message.content(), findings.len()), ("hi", 0));
/// let seen = &message.observations()[0];
/// assert_eq!((seen.rule.as_str(), seen.action, seen.reason.as_deref()), ("refuse", ObservedAction::Deny, Some("no")));
/// assert_eq!(seen.findings[0].span(), 0..2);
/// ```
pub struct Observed {
    rule: Box<dyn Rule>,
}

impl std::fmt::Debug for Observed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Observed").field(&self.rule.id()).finish()
    }
}

impl Observed {
    /// `rule`, observed.
    pub fn new(rule: Box<dyn Rule>) -> Self {
        Self { rule }
    }
}

impl Rule for Observed {
    fn id(&self) -> &str {
        self.rule.id()
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        // It sees what the rules before it found (a `tag` rule summarises
        // them); what it adds is its own.
        let mut copy = message.clone();
        let mut found = findings.clone();
        let first_new = found.len();
        let checked = catch_unwind(AssertUnwindSafe(|| self.rule.check(&mut copy, &mut found)));
        // Its bookkeeping is kept (only it reads it); a ban is not made.
        // Starting a timeout or banning counts as acting.
        let mut acts = false;
        for effect in copy
            .take_effects()
            .into_iter()
            .skip(message.effects().len())
        {
            match effect {
                Effect::Append { .. } => message.add_effect(effect),
                Effect::SetNumber { .. } => {
                    acts = true;
                    message.add_effect(effect);
                }
                Effect::Ban { .. } => acts = true,
            }
        }
        let (action, reason) = match checked {
            Err(_) => (Some(ObservedAction::Error), None),
            Ok(Verdict::Deny(reason)) => (Some(ObservedAction::Deny), Some(reason.into_owned())),
            Ok(Verdict::Continue) if acts || changed(message, &copy) => {
                (Some(ObservedAction::Update), None)
            }
            Ok(Verdict::Continue) if found.len() > first_new => (Some(ObservedAction::Tag), None),
            Ok(Verdict::Continue) => (None, None),
        };
        let Some(action) = action else {
            return Verdict::Continue;
        };
        // Spans were reported in the content this rule received; map them
        // back to the content as received, as the pipeline does.
        let mut findings = found.into_vec().split_off(first_new);
        if message.edit_map().is_edited() {
            let len = message.content().len();
            for finding in findings.iter_mut().filter(|f| f.field == Field::Content) {
                let span = message.edit_map().to_original(finding.span(), len);
                (finding.start, finding.end) = (span.start, span.end);
            }
        }
        message.add_observation(Observation {
            rule: self.rule.id().to_owned(),
            action,
            reason,
            findings,
        });
        Verdict::Continue
    }

    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        self.rule.gather(message, requests);
    }

    fn is_stateful(&self) -> bool {
        self.rule.is_stateful()
    }

    fn uses_store(&self) -> bool {
        self.rule.uses_store()
    }
}

/// Whether the copy differs from the message in anything a callback sends.
fn changed(message: &Message<'_>, copy: &Message<'_>) -> bool {
    message.content() != copy.content()
        || message.metadata() != copy.metadata()
        || message.attributes() != copy.attributes()
        || message.push_notification() != copy.push_notification()
}
