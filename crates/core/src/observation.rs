//! What a rule in observe mode would have done: the data an
//! [`Observed`](crate::Observed) rule records in the message and the
//! Outcome carries (kept apart from the wrapper, which needs the message).

use serde::{Deserialize, Serialize};

use crate::Finding;

/// Whether a rule acts (`enforce`, the default) or is only watched
/// (`observe`): the `mode` every rule takes in configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The rule's verdict and edits apply.
    #[default]
    Enforce,
    /// The rule runs on a copy; what it would have done is recorded.
    Observe,
}

impl Mode {
    /// `enforce` or `observe`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Observe => "observe",
        }
    }
}

/// What an observed rule would have done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ObservedAction {
    /// Denied the message.
    Deny,
    /// Changed the message (content, metadata, attributes, push settings)
    /// or asked for a timeout or a ban.
    Update,
    /// Reported findings only.
    Tag,
    /// Panicked: enforced, the error policy would have applied.
    Error,
}

impl ObservedAction {
    /// `DENY`, `UPDATE`, `TAG` or `ERROR`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ObservedAction::Deny => "DENY",
            ObservedAction::Update => "UPDATE",
            ObservedAction::Tag => "TAG",
            ObservedAction::Error => "ERROR",
        }
    }
}

/// One observed rule's would-be action on one message: names, codes and
/// spans, never content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Observation {
    /// The rule's id.
    pub rule: String,
    /// What it would have done.
    pub action: ObservedAction,
    /// Its deny reason, for `DENY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What it found, with spans in the content as received.
    pub findings: Vec<Finding>,
}
