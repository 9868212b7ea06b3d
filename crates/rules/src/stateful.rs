//! What the stateful rules (`rate-limit`, `duplicate`, `strikes`) share.

use chimeflow_core::{Findings, Unavailable, Verdict};
use serde::Deserialize;

/// The deny reason when a rule's facts are missing and it fails closed.
pub const STORE_UNAVAILABLE: &str = "store-unavailable";

/// What a stateful rule does when its facts could not be gathered within
/// the budget (the store unreachable, throttled or slow).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnStoreError {
    /// The rule does not fire (the default): a store outage never blocks
    /// chat. The processor logs and counts the outage.
    #[default]
    Open,
    /// Deny the message, reason `store-unavailable`.
    Closed,
}

impl OnStoreError {
    /// The verdict for a message whose facts are missing.
    pub fn verdict(self, _why: Unavailable) -> Verdict {
        match self {
            OnStoreError::Open => Verdict::Continue,
            OnStoreError::Closed => Verdict::deny(STORE_UNAVAILABLE),
        }
    }
}

/// What a stateful rule does when it fires.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatefulAction {
    /// Deny the message with the rule's reason (the default).
    #[default]
    Deny,
    /// Let it through with a finding, for a later `tag` rule to write into
    /// the message.
    Tag,
}

impl StatefulAction {
    /// Reports `category` over the whole message (an empty span at 0: the
    /// finding is about the message, not a place in it) and decides.
    pub fn fire(self, category: &'static str, findings: &mut Findings) -> Verdict {
        findings.report(category, 0..0);
        match self {
            StatefulAction::Deny => Verdict::deny(category),
            StatefulAction::Tag => Verdict::Continue,
        }
    }
}

/// How many distinct messages `ids` name (a message edited is logged once
/// per edit under the same id, and counts once).
pub fn distinct<'a>(ids: impl Iterator<Item = &'a str>) -> usize {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}
