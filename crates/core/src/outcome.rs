//! What processing a message produced.

use serde::{Deserialize, Serialize};

use crate::{CallbackRequest, Effect, Finding, Observation};

/// PASS, UPDATE or DENY (read from configuration too: `[events] outcomes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Decision {
    /// Nothing changed: the callback echoes every field received.
    Pass,
    /// Something changed: the callback sends the edits and echoes the rest.
    Update,
    /// The message is denied: the callback sets `DeleteResource: true`.
    Deny,
}

impl Decision {
    /// `PASS`, `UPDATE` or `DENY`.
    ///
    /// ```
    /// use chimeflow_core::Decision;
    ///
    /// assert_eq!(Decision::Update.as_str(), "UPDATE");
    /// assert_eq!(serde_json::to_string(&Decision::Deny).unwrap(), r#""DENY""#);
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Decision::Pass => "PASS",
            Decision::Update => "UPDATE",
            Decision::Deny => "DENY",
        }
    }
}

/// Why a message was denied: the rule and its reason code (never content).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DenyReason {
    /// The rule id; `limits` for the limit fallback, the panicking rule's id
    /// for the error policy.
    pub rule: String,
    /// A short code such as `too-long`, `limit` or `error`.
    pub reason: String,
}

/// The result of processing one event.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Outcome {
    /// The message id.
    pub message_id: String,
    /// PASS, UPDATE or DENY.
    #[serde(rename = "Outcome")]
    pub decision: Decision,
    /// Why it was denied, for DENY.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<DenyReason>,
    /// What the rules found, with spans in the original content.
    pub findings: Vec<Finding>,
    /// Fallbacks applied to keep the callback within the service limits, and
    /// error-policy decisions. Field names and limits only, never content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The exact ChannelFlowCallback request to send. Left out of the JSON
    /// when the event cannot be called back ([`Outcome::no_callback`]), so
    /// nothing ever prints a request the service would refuse.
    #[serde(skip_serializing_if = "CallbackRequest::lacks_channel")]
    pub callback: CallbackRequest,
    /// Why no callback can be sent, when none can: the event has no
    /// `ChannelArn` (it is the request's path). The rules still ran, so the
    /// decision and findings are real; a processor cannot answer such an
    /// event and fails the invocation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_callback: Option<String>,
    /// What the rules asked the runtime to do once the message is decided
    /// (log a strike, start a timeout, ban the sender).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<Effect>,
    /// The message's language, when a rule or a service found it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// What rules in observe mode would have done; none of it applied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub observed: Vec<Observation>,
}
