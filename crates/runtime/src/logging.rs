//! Logs: JSON lines through tracing, never message content.
//!
//! Lambda's JSON log format reads `timestamp`, `level` and `message`; the
//! level comes from `RUST_LOG`, else `AWS_LAMBDA_LOG_LEVEL`, else `info`.

use std::time::Duration;

use chimeflow_core::{CallbackRequest, Finding, Observation};
use tracing_subscriber::EnvFilter;

use crate::Delivery;

/// Libraries that log request and event bodies at debug or trace level
/// (lambda_runtime logs the raw event, the HTTP stack the raw callback).
/// They stay at `info` whatever RUST_LOG says: content never reaches logs.
const CAPPED: &[&str] = &[
    "lambda_runtime",
    "lambda_runtime_api_client",
    "aws_smithy_runtime",
    "aws_smithy_runtime_api",
    "aws_smithy_http_client",
    "aws_smithy_http",
    "aws_smithy_types",
    "aws_sigv4",
    "aws_runtime",
    "aws_config",
    "aws_sdk_chimesdkmessaging",
    "aws_sdk_dynamodb",
    "aws_sdk_comprehend",
    "aws_sdk_eventbridge",
    "hyper",
    "hyper_util",
    "h2",
    "rustls",
    "tower",
];

/// The filter: `RUST_LOG`, else `AWS_LAMBDA_LOG_LEVEL`, else `info`, with
/// the libraries in [`CAPPED`] held at `info`.
pub(crate) fn filter(rust_log: Option<&str>, lambda_level: Option<&str>) -> EnvFilter {
    let spec = rust_log
        .map(str::to_owned)
        .or_else(|| lambda_level.map(str::to_ascii_lowercase))
        .unwrap_or_else(|| "info".into());
    let mut filter = EnvFilter::try_new(&spec).unwrap_or_else(|_| EnvFilter::new("info"));
    for target in CAPPED {
        if let Ok(directive) = format!("{target}=info").parse() {
            filter = filter.add_directive(directive);
        }
    }
    filter
}

/// Installs the JSON subscriber (once; later calls do nothing).
pub(crate) fn init() {
    let filter = filter(
        std::env::var("RUST_LOG").ok().as_deref(),
        std::env::var("AWS_LAMBDA_LOG_LEVEL").ok().as_deref(),
    );
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_env_filter(filter)
        .with_writer(std::io::stdout)
        .try_init();
}

/// What one invocation did, for its log line and its metrics.
pub(crate) struct InvocationRecord<'a> {
    pub request_id: &'a str,
    pub message_id: &'a str,
    pub channel: &'a str,
    pub outcome: &'static str,
    pub reason: Option<&'a str>,
    pub findings: &'a [Finding],
    /// What rules in observe mode would have done.
    pub observed: &'a [Observation],
    pub pipeline: Duration,
    pub callback: Duration,
    pub delivery: Option<&'a Delivery>,
    /// The facts stage, when a rule asked for facts.
    pub facts: Option<&'a FactsRecord>,
    /// The moderation events, when some were due.
    pub events: Option<&'a crate::events::EventsRecord>,
}

/// What the facts stage did for one invocation (counts and kinds only).
#[derive(Debug, Default)]
pub(crate) struct FactsRecord {
    /// `memory` or `dynamodb`.
    pub store: &'static str,
    /// Store calls made before the rules ran.
    pub calls: usize,
    /// How long gathering took.
    pub latency: Duration,
    /// Why some facts were missing (`timeout`, `throttled`, `failed`), if so.
    pub unavailable: Option<&'static str>,
    /// Store calls made after the decision (strikes, timeouts, clean-up).
    pub recorded: usize,
    /// Of those, how many failed.
    pub record_failures: usize,
    /// Bans made, and bans that failed.
    pub bans: usize,
    pub ban_failures: usize,
    /// The service (Comprehend) calls: operation, latency, billed units,
    /// why one gave no answer.
    pub services: Vec<chimeflow_facts::ServiceCall>,
}

impl FactsRecord {
    /// Why some service call gave no answer (the first), if one did.
    pub fn service_unavailable(&self) -> Option<&'static str> {
        self.services
            .iter()
            .find_map(|call| call.failure.as_ref().map(|(why, _)| why.as_str()))
    }
}

impl InvocationRecord<'_> {
    /// The rule ids that reported findings, in first-seen order.
    pub fn rules(&self) -> Vec<&str> {
        let mut rules: Vec<&str> = Vec::new();
        for finding in self.findings {
            if !rules.contains(&&*finding.rule) {
                rules.push(&finding.rule);
            }
        }
        rules
    }

    /// Each observed rule's would-be action, `rule:ACTION`, in order.
    pub fn observed_actions(&self) -> String {
        self.observed
            .iter()
            .map(|o| format!("{}:{}", o.rule, o.action.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The categories found, sorted.
    pub fn categories(&self) -> Vec<&str> {
        let mut categories: Vec<&str> = self.findings.iter().map(|f| &*f.category).collect();
        categories.sort_unstable();
        categories.dedup();
        categories
    }

    fn callback_status(&self) -> String {
        match self.delivery {
            None => "dry-run".into(),
            Some(Delivery::Delivered { .. }) => "delivered".into(),
            Some(Delivery::AlreadyResolved { answer, .. }) => {
                format!("already-resolved:{}", answer.code())
            }
            Some(Delivery::Exhausted { last, .. }) => format!("exhausted:{}", last.code()),
            Some(Delivery::Rejected { failure, .. }) => format!("rejected:{}", failure.code()),
        }
    }

    /// The one line per invocation.
    pub fn log(&self) {
        tracing::info!(
            request_id = self.request_id,
            message_id = self.message_id,
            channel = self.channel,
            outcome = self.outcome,
            reason = self.reason,
            rules = %self.rules().join(","),
            categories = %self.categories().join(","),
            findings = self.findings.len(),
            observed = (!self.observed.is_empty()).then(|| self.observed_actions()),
            pipeline_us = self.pipeline.as_micros() as u64,
            callback_ms = self.callback.as_millis() as u64,
            attempts = self.delivery.map_or(0, Delivery::attempts),
            callback = %self.callback_status(),
            store_calls = self.facts.map(|f| f.calls + f.recorded),
            store_ms = self.facts.map(|f| f.latency.as_secs_f64() * 1000.0),
            facts_unavailable = self.facts.and_then(|f| f.unavailable),
            bans = self.facts.map(|f| f.bans),
            comprehend_calls = self.facts.map(|f| f.services.len()).filter(|n| *n > 0),
            comprehend_units = self
                .facts
                .map(|f| f.services.iter().map(|c| c.units).sum::<u64>())
                .filter(|n| *n > 0),
            comprehend_ms = self
                .facts
                .and_then(|f| f.services.iter().map(|c| c.latency).max())
                .map(|d| d.as_secs_f64() * 1000.0),
            comprehend_unavailable = self.facts.and_then(FactsRecord::service_unavailable),
            events_sent = self.events.map(|e| e.sent),
            events_failed = self.events.map(|e| e.failed),
            events_unavailable = self.events.and_then(|e| e.reason),
            "processed"
        );
    }
}

/// For `CHIMEFLOW_DRY_RUN`: the callback's shape, with every text field
/// replaced by its size.
pub(crate) fn log_dry_run(request: &CallbackRequest) {
    let message = &request.channel_message;
    let size = |field: &Option<String>| field.as_ref().map(String::len);
    tracing::info!(
        channel = request.channel_arn.as_deref().unwrap_or(""),
        callback_id = %request.callback_id,
        delete_resource = request.delete_resource,
        message_id = %message.message_id,
        content_bytes = size(&message.content),
        metadata_bytes = size(&message.metadata),
        attributes = message.message_attributes.as_ref().map(|a| a.len()),
        sub_channel_id = message.sub_channel_id.as_deref(),
        content_type = message.content_type.as_deref(),
        "dry run: callback not sent (the invocation result holds it)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;
    use tracing_subscriber::layer::SubscriberExt;

    fn enabled(filter: EnvFilter, check: impl Fn() -> bool) -> bool {
        let subscriber = tracing_subscriber::registry().with(filter);
        tracing::subscriber::with_default(subscriber, check)
    }

    #[test]
    fn body_logging_libraries_stay_at_info() {
        let trace_all = || filter(Some("trace"), None);
        assert!(enabled(
            trace_all(),
            || tracing::enabled!(target: "chimeflow_runtime", Level::TRACE)
        ));
        assert!(!enabled(
            trace_all(),
            || tracing::enabled!(target: "lambda_runtime", Level::TRACE)
        ));
        assert!(!enabled(
            trace_all(),
            || tracing::enabled!(target: "aws_smithy_runtime::client", Level::DEBUG)
        ));
        assert!(enabled(
            trace_all(),
            || tracing::enabled!(target: "lambda_runtime", Level::INFO)
        ));
        let explicit = filter(Some("lambda_runtime=trace"), None);
        assert!(!enabled(
            explicit,
            || tracing::enabled!(target: "lambda_runtime", Level::TRACE)
        ));
    }

    #[test]
    fn lambda_log_level_applies_without_rust_log() {
        assert!(!enabled(
            filter(None, Some("WARN")),
            || tracing::enabled!(target: "chimeflow_runtime", Level::INFO)
        ));
        assert!(enabled(
            filter(None, None),
            || tracing::enabled!(target: "chimeflow_runtime", Level::INFO)
        ));
        assert!(enabled(filter(Some("debug"), Some("WARN")), || {
            tracing::enabled!(target: "chimeflow_runtime", Level::DEBUG)
        }));
    }
}
