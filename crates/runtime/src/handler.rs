//! One invocation: parse, process, call back once, log, measure.

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

use chimeflow_core::{
    CallbackRequest, Decision, DenyReason, Effect, Finding, Observation, Outcome, Processor,
    ProcessorEvent,
};
use chimeflow_facts::{Gathered, Stage};
use lambda_runtime::{Diagnostic, LambdaEvent};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::delivery::{Delivery, deliver};
use crate::events::{Events, EventsRecord, Moderated};
use crate::logging::{FactsRecord, InvocationRecord};
use crate::{Callback, Settings, metrics};

/// The processor's invocation handler, built once at cold start.
///
/// It calls back through `callback`, or, in a dry run (no callback: see
/// [`Handler::dry_run`]), sends nothing and returns the request it would
/// have sent as the invocation result. [`Handler::into_service`] makes it a
/// `tower::Service` for `lambda_runtime::run`, to wrap in layers of your own.
pub struct Handler<C> {
    processor: Processor,
    /// `None`: a dry run, the one way the runtime has of not sending.
    callback: Option<C>,
    settings: Settings,
    /// The facts stage, for stateful rules (none: their facts are missing,
    /// and each applies its `on_store_error`).
    stage: Option<Stage>,
    /// Moderation events to EventBridge (`[events]`), if any.
    events: Option<Events>,
}

/// What the facts stage needs of an invocation's deadline: it stops
/// gathering this long before it, leaving the callback its time.
const CALLBACK_RESERVE: Duration = Duration::from_millis(500);

/// Why an invocation failed. Lambda retries a failed asynchronous
/// invocation (twice by default) and then sends it to the on-failure
/// destination: a message is never silently dropped. Says what failed,
/// never the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvocationError {
    /// `Chimeflow.UnusableEvent`, `Chimeflow.InvalidCallback`, `Chimeflow.CallbackFailed`.
    pub error_type: &'static str,
    /// What failed.
    pub message: String,
}

impl fmt::Display for InvocationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type, self.message)
    }
}

impl std::error::Error for InvocationError {}

impl From<InvocationError> for Diagnostic {
    fn from(error: InvocationError) -> Self {
        Diagnostic {
            error_type: error.error_type.into(),
            error_message: error.message,
        }
    }
}

/// What processing produced, before calling back.
struct Processed {
    message_id: String,
    channel: String,
    decision: &'static str,
    /// The decision, for the events.
    outcome: Decision,
    reason: Option<String>,
    /// Why it was denied, for the events.
    deny: Option<DenyReason>,
    /// The sender's ARN, for the events.
    sender: Option<String>,
    /// The content as received: kept only when events include it.
    content: Option<String>,
    findings: Vec<Finding>,
    /// What rules in observe mode would have done.
    observed: Vec<Observation>,
    request: CallbackRequest,
    effects: Vec<Effect>,
    gathered: Option<Gathered>,
}

impl<C: Callback> Handler<C> {
    /// A handler for `processor`, calling back through `callback`.
    pub fn new(processor: Processor, callback: C, settings: Settings) -> Self {
        Self {
            processor,
            callback: Some(callback),
            settings,
            stage: None,
            events: None,
        }
    }

    /// The same handler with a facts stage for stateful rules: it gathers
    /// what the rules ask for before they run, within the stage's budget
    /// and never past the invocation's deadline, and records what they ask
    /// to keep after the callback.
    pub fn with_stage(mut self, stage: Stage) -> Self {
        self.stage = Some(stage);
        self
    }

    /// The same handler sending moderation events after each callback
    /// (`[events]`): never before the callback is delivered, at the same
    /// time as the facts stage's recording, within the events' budget.
    pub fn with_events(mut self, events: Events) -> Self {
        self.events = Some(events);
        self
    }

    /// The moderation events it sends, if any.
    pub fn events(&self) -> Option<&Events> {
        self.events.as_ref()
    }

    /// The facts stage, if any.
    pub fn stage(&self) -> Option<&Stage> {
        self.stage.as_ref()
    }

    /// A handler that sends no callback: it logs the request's shape
    /// (sizes, never content) and returns the request as the invocation
    /// result (what `CHIMEFLOW_DRY_RUN=1` and `sam local invoke` use).
    pub fn dry_run(processor: Processor, settings: Settings) -> Self {
        Self {
            processor,
            callback: None,
            settings,
            stage: None,
            events: None,
        }
    }

    /// Whether this handler sends nothing.
    pub fn is_dry_run(&self) -> bool {
        self.callback.is_none()
    }

    /// The processor it runs.
    pub fn processor(&self) -> &Processor {
        &self.processor
    }

    /// The lambda_runtime entry point.
    pub async fn invoke(
        &self,
        event: LambdaEvent<Box<RawValue>>,
    ) -> Result<Value, InvocationError> {
        let deadline = instant_of(event.context.deadline());
        self.handle(
            event.payload.get().as_bytes(),
            deadline,
            &event.context.request_id,
        )
        .await
    }

    /// Handles one event: succeeds when the message was called back (or
    /// was already resolved), fails when Lambda must deliver it again.
    pub async fn handle(
        &self,
        event: &[u8],
        deadline: Instant,
        request_id: &str,
    ) -> Result<Value, InvocationError> {
        let started = Instant::now();
        let processed = self.process(event, deadline).await.inspect_err(|error| {
            tracing::error!(request_id, error_type = error.error_type, error = %error.message, "cannot process event");
        })?;
        if let Err(violations) = processed.request.validate() {
            let error = InvocationError {
                error_type: "Chimeflow.InvalidCallback",
                message: format!("the callback would break service limits: {violations}"),
            };
            tracing::error!(request_id, message_id = %processed.message_id, error = %error.message, "cannot call back");
            return Err(error);
        }
        // The rules' own time: gathering facts is the store's, reported
        // apart (StoreLatency).
        let pipeline = started.elapsed().saturating_sub(
            processed
                .gathered
                .as_ref()
                .map_or(Duration::ZERO, |g| g.elapsed),
        );
        let callback_started = Instant::now();
        let delivery = match &self.callback {
            None => None,
            Some(callback) => {
                Some(deliver(callback, &processed.request, deadline, &self.settings.retry).await)
            }
        };
        let callback_elapsed = callback_started.elapsed();
        let (facts, events) = tokio::join!(
            self.record_facts(&processed, deadline),
            self.publish_events(&processed, delivery.as_ref(), deadline)
        );
        let record = InvocationRecord {
            request_id,
            message_id: &processed.message_id,
            channel: &processed.channel,
            outcome: processed.decision,
            reason: processed.reason.as_deref(),
            findings: &processed.findings,
            observed: &processed.observed,
            pipeline,
            callback: callback_elapsed,
            delivery: delivery.as_ref(),
            facts: facts.as_ref(),
            events: events.as_ref(),
        };
        record.log();
        metrics::emit(&record);
        if self.is_dry_run() {
            crate::logging::log_dry_run(&processed.request);
        }
        let status = match &delivery {
            None => "dry-run",
            Some(Delivery::Delivered { .. }) => "delivered",
            Some(Delivery::AlreadyResolved { .. }) => "already-resolved",
            Some(Delivery::Exhausted { attempts, last }) => {
                return Err(InvocationError {
                    error_type: "Chimeflow.CallbackFailed",
                    message: format!(
                        "callback not accepted after {attempts} attempts before the deadline (last: {})",
                        last.code()
                    ),
                });
            }
            Some(Delivery::Rejected { attempts, failure }) => {
                return Err(InvocationError {
                    error_type: "Chimeflow.CallbackRejected",
                    message: format!(
                        "callback refused after {attempts} attempts: {}",
                        failure.code()
                    ),
                });
            }
        };
        let mut response = json!({
            "MessageId": processed.message_id,
            "Outcome": processed.decision,
            "Callback": status,
            "Attempts": delivery.as_ref().map_or(0, Delivery::attempts),
            "Findings": processed.findings,
        });
        if self.is_dry_run() {
            // The developer asked to see it (sam local invoke prints it);
            // it is the invocation result, not a log line.
            response["Request"] = serde_json::to_value(&processed.request).unwrap_or(Value::Null);
        }
        Ok(response)
    }

    /// Parses and processes an event, exactly as `chimeflow process` does:
    /// a known field of the wrong shape is set aside and the message still
    /// moderated; only an event without a usable CallbackId, MessageId and
    /// ChannelArn cannot be answered, and fails the invocation.
    async fn process(&self, bytes: &[u8], deadline: Instant) -> Result<Processed, InvocationError> {
        let unusable = |message: String| InvocationError {
            error_type: "Chimeflow.UnusableEvent",
            message,
        };
        let event = ProcessorEvent::from_slice(bytes)
            .map_err(|error| unusable(format!("not a processor event: {error}")))?;
        let (outcome, gathered) = self
            .decide(&event, deadline)
            .await
            .map_err(|error| unusable(error.to_string()))?;
        if let Some(reason) = outcome.no_callback {
            return Err(unusable(reason));
        }
        let set_aside: Vec<String> = event.set_aside_fields().collect();
        if !set_aside.is_empty() {
            tracing::warn!(message_id = %outcome.message_id, fields = %set_aside.join(","), "fields of an undocumented shape set aside");
        }
        Ok(Processed {
            message_id: outcome.message_id,
            channel: event
                .channel_message
                .channel_arn
                .clone()
                .unwrap_or_default(),
            decision: outcome.decision.as_str(),
            outcome: outcome.decision,
            reason: outcome
                .reason
                .as_ref()
                .map(|r| format!("{}/{}", r.rule, r.reason)),
            deny: outcome.reason,
            sender: event
                .channel_message
                .sender
                .as_ref()
                .and_then(|s| s.arn.clone()),
            content: self
                .events
                .as_ref()
                .filter(|e| e.settings().include_content)
                .and_then(|_| event.channel_message.content.clone()),
            findings: outcome.findings,
            observed: outcome.observed,
            request: outcome.callback,
            effects: outcome.effects,
            gathered,
        })
    }

    /// Gathers the facts the rules ask for (when any do and there is a
    /// stage), then runs them.
    async fn decide(
        &self,
        event: &ProcessorEvent,
        deadline: Instant,
    ) -> Result<(Outcome, Option<Gathered>), chimeflow_core::EventError> {
        let requests = self.processor.requests(event)?;
        let gathered = match &self.stage {
            Some(stage) if !requests.is_empty() => {
                let until = deadline.checked_sub(CALLBACK_RESERVE).unwrap_or(deadline);
                let gathered = stage
                    .gather(&requests, &event.channel_message, Some(until))
                    .await;
                for call in &gathered.service_calls {
                    if let Some((reason, error)) = &call.failure {
                        tracing::warn!(
                            message_id = %event.channel_message.message_id,
                            operation = call.kind.operation(),
                            reason = reason.as_str(),
                            error = error.as_ref().map(ToString::to_string),
                            "Comprehend gave no answer: its rules apply their on_service_error"
                        );
                    }
                }
                for (subject, reason, error) in &gathered.failures {
                    tracing::warn!(
                        message_id = %event.channel_message.message_id,
                        store = stage.store().kind(),
                        subject,
                        reason = reason.as_str(),
                        error = error.as_ref().map(ToString::to_string),
                        "facts unavailable: stateful rules apply their on_store_error"
                    );
                }
                Some(gathered)
            }
            _ => None,
        };
        let facts = gathered.as_ref().map(|g| &g.facts);
        let outcome = match facts {
            Some(facts) => self.processor.process_with(event, facts)?,
            None => self.processor.process(event)?,
        };
        Ok((outcome, gathered))
    }

    /// After the callback was accepted (delivered, or landed by an earlier
    /// attempt of this invocation): the moderation events. Nothing in a dry
    /// run, nothing when the message was not answered (Lambda delivers the
    /// event again, and the retry sends them), nothing without `[events]`.
    async fn publish_events(
        &self,
        processed: &Processed,
        delivery: Option<&Delivery>,
        deadline: Instant,
    ) -> Option<EventsRecord> {
        let events = self.events.as_ref()?;
        match delivery? {
            Delivery::Delivered { .. } => {}
            Delivery::AlreadyResolved { attempts, .. } if *attempts > 1 => {}
            _ => return None,
        }
        let moderated = Moderated {
            message_id: &processed.message_id,
            channel_arn: &processed.channel,
            sender_arn: processed.sender.as_deref(),
            decision: processed.outcome,
            deny: processed.deny.as_ref(),
            findings: &processed.findings,
            observed: &processed.observed,
            content: processed.content.as_deref(),
        };
        events.publish(&moderated, deadline).await
    }

    /// After the callback: records what the rules asked to keep and makes
    /// the bans they asked for, before the deadline. Failures are logged
    /// and counted; the message was already answered.
    async fn record_facts(&self, processed: &Processed, deadline: Instant) -> Option<FactsRecord> {
        let stage = self.stage.as_ref()?;
        let gathered = processed.gathered.as_ref()?;
        if self.is_dry_run() {
            // A dry run decides nothing: it counts (gathering logs the
            // message) but records no strike or timeout and bans no one.
            return Some(FactsRecord {
                store: stage.store().kind(),
                calls: gathered.calls,
                latency: gathered.elapsed,
                unavailable: gathered.failures.first().map(|(_, why, _)| why.as_str()),
                services: gathered.service_calls.clone(),
                ..FactsRecord::default()
            });
        }
        let mut record = FactsRecord {
            store: stage.store().kind(),
            calls: gathered.calls,
            latency: gathered.elapsed,
            unavailable: gathered.failures.first().map(|(_, why, _)| why.as_str()),
            services: gathered.service_calls.clone(),
            ..FactsRecord::default()
        };
        let recorded = stage
            .record(gathered, &processed.effects, Some(deadline))
            .await;
        record.recorded = recorded.calls;
        record.record_failures = recorded.failures.len();
        for (subject, reason, error) in &recorded.failures {
            tracing::warn!(
                message_id = %processed.message_id,
                subject,
                reason = reason.as_str(),
                error = error.as_ref().map(ToString::to_string),
                "could not record what the rules asked to keep"
            );
        }
        for ban in &recorded.bans {
            let Effect::Ban {
                channel_arn,
                member_arn,
                bearer_arn,
            } = ban
            else {
                continue;
            };
            record.bans += 1;
            let Some(callback) = &self.callback else {
                continue;
            };
            if let Err(failure) = callback.ban(channel_arn, member_arn, bearer_arn).await {
                record.ban_failures += 1;
                tracing::warn!(
                    message_id = %processed.message_id,
                    channel = %channel_arn,
                    error = %failure.code(),
                    "CreateChannelBan failed"
                );
            } else {
                tracing::info!(message_id = %processed.message_id, channel = %channel_arn, "sender banned from the channel");
            }
        }
        Some(record)
    }
}

/// The monotonic instant of a wall-clock deadline.
fn instant_of(deadline: SystemTime) -> Instant {
    let remaining = deadline
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO);
    Instant::now() + remaining
}
