//! From an event to an Outcome: run the pipeline, map to a callback, keep limits.
//!
//! The callback mapping:
//! - PASS echoes every field received (Content, Metadata, MessageAttributes,
//!   ContentType, SubChannelId) with `DeleteResource: false`, **whatever its
//!   size**: Chime accepted the message, and the callback model sets no
//!   maximum on Content. A received field the callback model would refuse
//!   (empty Content, Metadata over 1024 characters, a value of the wrong
//!   JSON type) is set aside instead of echoed, with a note.
//! - UPDATE sends the edited fields and echoes the rest.
//! - DENY sends `MessageId` (and `SubChannelId`, which identifies the message
//!   in an elastic channel) with `DeleteResource: true`.
//!
//! Only what a rule changed is bounded by the documented service limits
//! ([`limits::content_fits_edit`]: 4 KB, or no longer than received when
//! the received content was already larger). When an edit breaks a limit:
//! 1. Content: every run a rule wrote that is longer than what it replaced
//!    (in UTF-8 bytes or UTF-16 units) becomes one `*` per replaced
//!    character, so the content is never longer than received.
//! 2. Metadata or MessageAttributes: the rule's edit to that field is
//!    dropped and the received value echoed.
//! 3. An invalid push notification set by a rule is dropped.
//! 4. An edit that still cannot be sent (content a rule emptied): the
//!    message is denied, reason `limits`/`limit`.
//!
//! Each fallback adds a note to the Outcome (field names only).

use crate::limits::{self, CALLBACK_ID_LEN, EchoField, LimitField, MESSAGE_ID_LEN};
use crate::{
    CallbackRequest, ChannelMessageCallback, Decision, DenyReason, FactRequests, Facts, Findings,
    Message, Outcome, Pipeline, PipelineRun, ProcessorEvent, Rule,
};

/// What to answer when a message cannot be processed (a rule panicked).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
///
/// ```
/// use chimeflow_core::OnError;
///
/// assert_eq!(OnError::default(), OnError::Deny);
/// let pass: OnError = serde_json::from_str(r#""pass""#).unwrap();
/// assert_eq!(pass, OnError::Pass);
/// ```
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Deny the message (fail closed; the default).
    #[default]
    Deny,
    /// Let the message through unchanged (fail open).
    Pass,
}

/// An event that cannot be answered at all: its identity fields are broken,
/// so no callback could be accepted. Names the field, never its value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct EventError {
    /// The field, e.g. `CallbackId`.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

/// A pipeline with its error policy: turns events into outcomes.
#[derive(Debug)]
pub struct Processor {
    pipeline: Pipeline,
    on_error: OnError,
}

impl Processor {
    /// A processor running `pipeline`, answering `on_error` when a rule panics.
    pub fn new(pipeline: Pipeline, on_error: OnError) -> Self {
        Self { pipeline, on_error }
    }

    /// The same processor with another error policy.
    pub fn with_on_error(mut self, on_error: OnError) -> Self {
        self.on_error = on_error;
        self
    }

    /// The pipeline's rules, in order.
    pub fn into_rules(self) -> Vec<Box<dyn Rule>> {
        self.pipeline.into_rules()
    }

    /// The pipeline.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// The error policy.
    pub fn on_error(&self) -> OnError {
        self.on_error
    }

    /// Processes one event. Fails only when the event's identity (CallbackId,
    /// MessageId, ChannelArn) is unusable; everything else, including a
    /// panicking rule, ends in an Outcome with a valid callback request.
    ///
    /// A panicking rule's message goes through the panic hook: a process
    /// that handles content should install one that does not print payloads
    /// (slice panics quote the text).
    ///
    /// ```
    /// use chimeflow_core::{OnError, Pipeline, Processor, ProcessorEvent};
    ///
    /// // No rules: every message passes, and the callback echoes it.
    /// let processor = Processor::new(Pipeline::new(Vec::new()), OnError::Deny);
    /// let event = ProcessorEvent::from_slice(br#"{
    ///     "CallbackId": "0123456789abcdef0123456789abcdef",
    ///     "ChannelMessage": {
    ///         "MessageId": "m1",
    ///         "ChannelArn": "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c",
    ///         "Content": "hello"}}"#).unwrap();
    /// let outcome = processor.process(&event).unwrap();
    /// assert_eq!(outcome.decision.as_str(), "PASS");
    /// assert_eq!(outcome.callback.channel_message.content.as_deref(), Some("hello"));
    /// assert!(!outcome.callback.delete_resource);
    /// assert!(outcome.callback.validate().is_ok());
    ///
    /// // A CallbackId that is too short cannot be answered at all.
    /// let broken = ProcessorEvent::from_slice(br#"{"CallbackId": "short",
    ///     "ChannelMessage": {"MessageId": "m1"}}"#).unwrap();
    /// assert_eq!(processor.process(&broken).unwrap_err().field, "CallbackId");
    /// ```
    pub fn process(&self, event: &ProcessorEvent) -> Result<Outcome, EventError> {
        self.process_with(event, &Facts::none())
    }

    /// What the rules need gathered before they check `event` (see
    /// [`Rule::gather`]); empty when no rule keeps state. Fails as
    /// [`process`](Self::process) does, so nothing is gathered (or logged
    /// in a store) for an event that cannot be answered.
    ///
    /// ```
    /// use chimeflow_core::{OnError, Pipeline, Processor, ProcessorEvent};
    ///
    /// let processor = Processor::new(Pipeline::new(Vec::new()), OnError::Deny);
    /// let event = ProcessorEvent::from_slice(br#"{"CallbackId": "0123456789abcdef0123456789abcdef",
    ///     "ChannelMessage": {"MessageId": "m1", "Content": "hi"}}"#).unwrap();
    /// assert!(processor.requests(&event).unwrap().is_empty());
    /// ```
    pub fn requests(&self, event: &ProcessorEvent) -> Result<FactRequests, EventError> {
        check_identity(event)?;
        let mut requests = FactRequests::default();
        if self.pipeline.is_stateful() {
            let mut message = Message::new(&event.channel_message);
            self.pipeline
                .gather(&mut message, &mut Findings::new(), &mut requests);
        }
        Ok(requests)
    }

    /// Processes one event with the facts gathered for it (what
    /// [`requests`](Self::requests) asked for); see [`process`](Self::process).
    /// The effects the rules asked for are in [`Outcome::effects`], for the
    /// runtime to carry out.
    pub fn process_with(
        &self,
        event: &ProcessorEvent,
        facts: &Facts,
    ) -> Result<Outcome, EventError> {
        check_identity(event)?;
        let received = &event.channel_message;
        let mut message = Message::with_facts(received, facts);
        let mut findings = Findings::new();
        let mut notes = Vec::new();
        if let Some(why) = facts.unavailable() {
            notes.push(format!(
                "facts unavailable ({}): stateful rules applied their on_store_error",
                why.as_str()
            ));
        }
        match self.pipeline.run(&mut message, &mut findings) {
            PipelineRun::Continue => {}
            PipelineRun::Denied { rule, reason } => {
                let reason = DenyReason {
                    rule: rule.to_string(),
                    reason: reason.into_owned(),
                };
                return Ok(deny(
                    event,
                    findings.into_vec(),
                    reason,
                    notes,
                    &mut message,
                ));
            }
            PipelineRun::Panicked { rule } => {
                notes.push(format!(
                    "rule {rule} panicked; on_error = {}",
                    self.on_error.as_str()
                ));
                match self.on_error {
                    OnError::Deny => {
                        let reason = DenyReason {
                            rule: rule.to_string(),
                            reason: "error".into(),
                        };
                        return Ok(deny(
                            event,
                            findings.into_vec(),
                            reason,
                            notes,
                            &mut message,
                        ));
                    }
                    // The message as received, and nothing the rules asked
                    // for: a run that panicked half-way decided nothing
                    // (what observed rules saw before the panic stays).
                    OnError::Pass => {
                        let observed = message.take_observations();
                        message = Message::with_facts(received, facts);
                        for observation in observed {
                            message.add_observation(observation);
                        }
                    }
                }
            }
        }
        let changed = message.is_changed();
        let echoed = echo(received, &mut notes);
        for field in event.set_aside_fields() {
            notes.push(format!("{field}: set aside, not of the documented shape"));
        }
        let mut callback = callback_for(event, &message, &echoed);
        if let Err(violations) = limit_violations(&callback, &message) {
            enforce_limits(&mut callback, &message, &echoed, &violations, &mut notes);
            if let Err(left) = limit_violations(&callback, &message) {
                notes.push(format!("over the service limits: {}", field_list(&left)));
                let reason = DenyReason {
                    rule: "limits".into(),
                    reason: "limit".into(),
                };
                return Ok(deny(
                    event,
                    findings.into_vec(),
                    reason,
                    notes,
                    &mut message,
                ));
            }
        }
        notes.extend(message.take_notes());
        let decision = if changed && callback.channel_message != echoed {
            Decision::Update
        } else {
            Decision::Pass
        };
        Ok(Outcome {
            message_id: received.message_id.clone(),
            decision,
            reason: None,
            findings: findings.into_vec(),
            notes,
            no_callback: no_callback(event),
            callback,
            effects: message.take_effects(),
            language: message.language().map(str::to_owned),
            observed: message.take_observations(),
        })
    }
}

impl OnError {
    /// `deny` or `pass`.
    pub fn as_str(&self) -> &'static str {
        match self {
            OnError::Deny => "deny",
            OnError::Pass => "pass",
        }
    }
}

fn check_identity(event: &ProcessorEvent) -> Result<(), EventError> {
    let invalid = |field, problem: String| Err(EventError { field, problem });
    // The same counting as `CallbackRequest::validate` (at least 32
    // characters, at most 64 UTF-16 units): an id of 16 astral characters
    // is 32 UTF-16 units but only 16 characters, and validate refuses it.
    if !limits::len_within(&event.callback_id, CALLBACK_ID_LEN) {
        return invalid(
            "CallbackId",
            format!(
                "must be {}-{} characters, got {}",
                CALLBACK_ID_LEN.0,
                CALLBACK_ID_LEN.1,
                event.callback_id.chars().count()
            ),
        );
    }
    let id = &event.channel_message.message_id;
    if !(MESSAGE_ID_LEN.0..=MESSAGE_ID_LEN.1).contains(&id.len()) || !limits::is_id(id) {
        return invalid(
            "ChannelMessage.MessageId",
            format!(
                "must be 1-128 of letters, digits, '-' and '_' (got {} characters)",
                id.chars().count()
            ),
        );
    }
    if let Some(arn) = &event.channel_message.channel_arn
        && !limits::is_valid_chime_arn(arn)
    {
        return invalid(
            "ChannelMessage.ChannelArn",
            "is not a valid Chime ARN".into(),
        );
    }
    Ok(())
}

/// Every field received that a callback carries, unchanged, whatever its
/// size. A field the callback model would refuse is set aside (not echoed)
/// with a note in `notes`: empty Content, Metadata, ContentType or
/// attributes over the model's lengths. Chime's send APIs share those
/// limits, so this only happens to events Chime did not send.
fn echo(received: &crate::ChannelMessage, notes: &mut Vec<String>) -> ChannelMessageCallback {
    let mut keep = |field: &str, breaks: bool| {
        if breaks {
            notes.push(format!(
                "ChannelMessage.{field}: set aside, the callback model refuses it"
            ));
        }
        !breaks
    };
    let metadata = received.metadata.clone().filter(|value| {
        keep(
            "Metadata",
            limits::breaks_model_limit(EchoField::Metadata(value)),
        )
    });
    let content_type = received.content_type.clone().filter(|value| {
        keep(
            "ContentType",
            limits::breaks_model_limit(EchoField::ContentType(value)),
        )
    });
    let message_attributes = received.message_attributes.clone().filter(|value| {
        keep(
            "MessageAttributes",
            limits::breaks_model_limit(EchoField::MessageAttributes(value)),
        )
    });
    let sub_channel_id = received.sub_channel_id.clone().filter(|value| {
        keep(
            "SubChannelId",
            limits::breaks_model_limit(EchoField::SubChannelId(value)),
        )
    });
    ChannelMessageCallback {
        message_id: received.message_id.clone(),
        content: received.content.clone().filter(|c| !c.is_empty()),
        metadata,
        push_notification: None,
        message_attributes,
        sub_channel_id,
        content_type,
    }
}

/// The callback for a message that passes: edits where made, `echoed`
/// elsewhere.
fn callback_for(
    event: &ProcessorEvent,
    message: &Message<'_>,
    echoed: &ChannelMessageCallback,
) -> CallbackRequest {
    let received = &event.channel_message;
    let mut body = echoed.clone();
    if message.content_changed() {
        body.content = Some(message.content().to_owned());
    }
    if message.metadata_changed() {
        body.metadata = message.metadata().map(str::to_owned);
    }
    if message.attributes_changed() {
        let attributes = message.attributes();
        body.message_attributes = (!attributes.is_empty() || received.message_attributes.is_some())
            .then(|| attributes.clone());
    }
    body.push_notification = message.push_notification().cloned();
    CallbackRequest {
        channel_arn: received.channel_arn.clone(),
        callback_id: event.callback_id.clone(),
        delete_resource: false,
        channel_message: body,
    }
}

fn deny(
    event: &ProcessorEvent,
    findings: Vec<crate::Finding>,
    reason: DenyReason,
    mut notes: Vec<String>,
    message: &mut Message<'_>,
) -> Outcome {
    notes.extend(message.take_notes());
    let effects = message.take_effects();
    let language = message.language().map(str::to_owned);
    let received = &event.channel_message;
    Outcome {
        message_id: received.message_id.clone(),
        decision: Decision::Deny,
        reason: Some(reason),
        findings,
        notes,
        no_callback: no_callback(event),
        effects,
        language,
        observed: message.take_observations(),
        callback: CallbackRequest {
            channel_arn: received.channel_arn.clone(),
            callback_id: event.callback_id.clone(),
            delete_resource: true,
            channel_message: ChannelMessageCallback {
                message_id: received.message_id.clone(),
                // The same SubChannelId a PASS would echo: one the model
                // refuses is set aside (the echo's note says so).
                sub_channel_id: received
                    .sub_channel_id
                    .clone()
                    .filter(|id| !limits::breaks_model_limit(EchoField::SubChannelId(id))),
                ..ChannelMessageCallback::default()
            },
        },
    }
}

/// Why `event` cannot be called back, if it cannot: it has no ChannelArn.
fn no_callback(event: &ProcessorEvent) -> Option<String> {
    event.channel_message.channel_arn.is_none().then(|| {
        "ChannelMessage.ChannelArn is missing: without it no ChannelFlowCallback can be sent".into()
    })
}

/// The model's limits on the body (a missing ChannelArn is the caller's
/// concern: the CLI may process events without one), and the service limits
/// on what the rules changed: content within 4 KB or no longer than
/// received, attributes within 1 KB in all.
fn limit_violations(
    callback: &CallbackRequest,
    message: &Message<'_>,
) -> Result<(), limits::LimitViolations> {
    let mut violations = callback.validate().err().unwrap_or_default();
    violations.0.retain(|v| v.field != LimitField::ChannelArn);
    let body = &callback.channel_message;
    let received = message.received();
    if message.content_changed()
        && let Some(content) = &body.content
        && !limits::content_fits_edit(content, received.content.as_deref().unwrap_or(""))
        && !violations.touches(|f| f == LimitField::Content)
    {
        violations.push(
            LimitField::Content,
            format!(
                "an edit must fit {} bytes or what was received",
                limits::CONTENT_MAX_BYTES
            ),
        );
    }
    if message.attributes_changed()
        && let Some(attributes) = &body.message_attributes
        && limits::attributes_size(attributes) > limits::ATTRIBUTES_MAX_BYTES
    {
        violations.push(
            LimitField::Attributes,
            format!(
                "an edit must fit {} bytes in all",
                limits::ATTRIBUTES_MAX_BYTES
            ),
        );
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

fn enforce_limits(
    callback: &mut CallbackRequest,
    message: &Message<'_>,
    echoed: &ChannelMessageCallback,
    violations: &limits::LimitViolations,
    notes: &mut Vec<String>,
) {
    let received = message.received();
    let body = &mut callback.channel_message;
    if violations.touches(|f| f == LimitField::Content) && message.content_changed() {
        let compact = message.compact_content();
        if limits::content_fits_edit(&compact, received.content.as_deref().unwrap_or("")) {
            body.content = Some(compact);
            notes.push(
                "ChannelMessage.Content: replacements shortened to fit the service limit".into(),
            );
        }
    }
    if violations.touches(|f| f == LimitField::Metadata) && message.metadata_changed() {
        body.metadata = echoed.metadata.clone();
        notes.push(format!(
            "ChannelMessage.Metadata: edit dropped, over {} characters",
            limits::METADATA_MAX
        ));
    }
    if violations.touches(LimitField::is_attributes) && message.attributes_changed() {
        body.message_attributes = echoed.message_attributes.clone();
        notes.push(
            "ChannelMessage.MessageAttributes: edit dropped, over the attribute limits".into(),
        );
    }
    if violations.touches(LimitField::is_push_notification) {
        body.push_notification = None;
        notes.push("ChannelMessage.PushNotification: dropped, over its limits".into());
    }
}

fn field_list(violations: &limits::LimitViolations) -> String {
    let mut fields: Vec<&str> = violations.0.iter().map(|v| v.field.path()).collect();
    fields.dedup();
    fields.join(", ")
}
