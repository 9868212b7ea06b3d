//! Moderation events: what the processor decided, sent to Amazon EventBridge
//! after the callback (`[events]` in the configuration, docs/events.md).
//!
//! One entry for the outcome when its decision is in `outcomes`, and one per
//! observed rule's would-be action when `observed`; all in one `PutEvents`
//! call, split only where PutEvents' limits say so: at most 10 entries a
//! request, and entries of less than 256 KB in all
//! (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html>,
//! <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html>).
//! Sending never delays the callback (it has been delivered already), stays
//! within the budget and before the invocation's deadline, and never fails
//! the invocation: a failure is logged (error codes only) and counted.

use std::time::{Duration, Instant};

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use chimeflow_core::{Decision, DenyReason, Finding, Mode, Observation};
use chimeflow_host::EventsSettings;
use serde::Serialize;

/// At most this many entries in one PutEvents request (its `Entries` has
/// 1 to 10 members).
pub(crate) const MAX_ENTRIES: usize = 10;

/// The entries of one request must be smaller than 256 KB in all, counted
/// as EventBridge counts them (the UTF-8 bytes of Source, DetailType,
/// Detail and each Resource; 14 for a Time). AWS does not say whether a
/// KB is 1,000 or 1,024 bytes: the stricter 1,000 is taken.
pub(crate) const MAX_REQUEST_BYTES: usize = 256_000;

/// Kept for the invocation's own report after sending: sending stops this
/// long before the deadline.
const REPORT_RESERVE: Duration = Duration::from_millis(100);

/// What was decided about one message, as the events describe it.
pub(crate) struct Moderated<'a> {
    pub message_id: &'a str,
    pub channel_arn: &'a str,
    pub sender_arn: Option<&'a str>,
    pub decision: Decision,
    pub deny: Option<&'a DenyReason>,
    pub findings: &'a [Finding],
    pub observed: &'a [Observation],
    /// The content as received; `None` unless `include_content`.
    pub content: Option<&'a str>,
}

/// One event's `detail`: names, codes and spans; the content only when
/// `include_content` asked for it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Detail<'a> {
    message_id: &'a str,
    channel_arn: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sender_arn: Option<&'a str>,
    outcome: &'static str,
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
    categories: Vec<&'a str>,
    findings: &'a [Finding],
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<&'static str>,
}

impl Detail<'_> {
    /// The JSON, within what one request may carry beside `source` and
    /// `detail_type`: the content is dropped first, then the findings,
    /// each with a note saying so.
    fn into_json(mut self, room: usize) -> String {
        let mut json = serde_json::to_string(&self).unwrap_or_default();
        if json.len() >= room && self.content.is_some() {
            self.content = None;
            self.notes
                .push("Content dropped: the event would exceed PutEvents' 256 KB");
            json = serde_json::to_string(&self).unwrap_or_default();
        }
        if json.len() >= room {
            self.findings = &[];
            self.notes
                .push("Findings dropped: the event would exceed PutEvents' 256 KB");
            json = serde_json::to_string(&self).unwrap_or_default();
        }
        json
    }
}

/// The categories of `findings`, sorted, without repeats.
fn categories(findings: &[Finding]) -> Vec<&str> {
    let mut categories: Vec<&str> = findings.iter().map(|f| &*f.category).collect();
    categories.sort_unstable();
    categories.dedup();
    categories
}

/// The `detail` of each event `settings` asks for about `moderated`: the
/// outcome's first (when its decision is in `outcomes`), then one per
/// observed action (when `observed`).
pub(crate) fn details(settings: &EventsSettings, moderated: &Moderated<'_>) -> Vec<String> {
    let room = MAX_REQUEST_BYTES.saturating_sub(settings.source.len() + settings.detail_type.len());
    let content = moderated.content.filter(|_| settings.include_content);
    let base = |mode: Mode| Detail {
        message_id: moderated.message_id,
        channel_arn: moderated.channel_arn,
        sender_arn: moderated.sender_arn,
        outcome: moderated.decision.as_str(),
        mode: mode.as_str(),
        rule: None,
        reason: None,
        action: None,
        categories: Vec::new(),
        findings: &[],
        content,
        notes: Vec::new(),
    };
    let mut details = Vec::new();
    if settings.sends(moderated.decision) {
        details.push(
            Detail {
                rule: moderated.deny.map(|d| d.rule.as_str()),
                reason: moderated.deny.map(|d| d.reason.as_str()),
                categories: categories(moderated.findings),
                findings: moderated.findings,
                ..base(Mode::Enforce)
            }
            .into_json(room),
        );
    }
    if settings.observed {
        for observation in moderated.observed {
            details.push(
                Detail {
                    rule: Some(&observation.rule),
                    reason: observation.reason.as_deref(),
                    action: Some(observation.action.as_str()),
                    categories: categories(&observation.findings),
                    findings: &observation.findings,
                    ..base(Mode::Observe)
                }
                .into_json(room),
            );
        }
    }
    details
}

/// Splits entries of these sizes into requests: at most [`MAX_ENTRIES`]
/// each, and less than [`MAX_REQUEST_BYTES`] in all. Returns the ranges.
pub(crate) fn chunks(sizes: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::new();
    let (mut start, mut total) = (0, 0);
    for (index, size) in sizes.iter().enumerate() {
        if index > start && (index - start == MAX_ENTRIES || total + size >= MAX_REQUEST_BYTES) {
            chunks.push(start..index);
            (start, total) = (index, 0);
        }
        total += size;
    }
    if start < sizes.len() {
        chunks.push(start..sizes.len());
    }
    chunks
}

/// What sending did for one invocation (counts and codes only).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EventsRecord {
    /// Entries EventBridge accepted.
    pub sent: usize,
    /// Entries that were not accepted.
    pub failed: usize,
    /// Why (the first failure): `timeout`, `throttled`, `rejected` (some
    /// entries refused: FailedEntryCount), `failed`.
    pub reason: Option<&'static str>,
    /// The error codes seen (EventBridge's codes, never messages).
    pub errors: Vec<String>,
}

impl EventsRecord {
    fn fail(&mut self, count: usize, reason: &'static str, code: String) {
        self.failed += count;
        self.reason.get_or_insert(reason);
        if !self.errors.contains(&code) {
            self.errors.push(code);
        }
    }
}

/// The EventBridge client and what to send, built once at cold start.
#[derive(Clone, Debug)]
pub struct Events {
    client: Client,
    settings: EventsSettings,
}

impl Events {
    /// A client from the environment (region, credentials,
    /// `AWS_ENDPOINT_URL_EVENTBRIDGE`, empty counting as unset), with the
    /// SDK's retries off: the budget is the bound, and a lost event is
    /// counted, not retried past the invocation.
    pub async fn from_env(settings: EventsSettings) -> Self {
        let config = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::disabled())
            .load()
            .await;
        let mut client_config = aws_sdk_eventbridge::config::Builder::from(&config);
        client_config.set_endpoint_url(crate::warm::endpoint_override(
            "AWS_ENDPOINT_URL_EVENTBRIDGE",
        ));
        Self::new(Client::from_conf(client_config.build()), settings)
    }

    /// Events sent through `client`.
    pub fn new(client: Client, settings: EventsSettings) -> Self {
        Self { client, settings }
    }

    /// What it sends.
    pub fn settings(&self) -> &EventsSettings {
        &self.settings
    }

    /// Sends the events about `moderated`, within the budget and
    /// [`REPORT_RESERVE`] before `deadline`; `None` when none was due.
    pub(crate) async fn publish(
        &self,
        moderated: &Moderated<'_>,
        deadline: Instant,
    ) -> Option<EventsRecord> {
        let details = details(&self.settings, moderated);
        if details.is_empty() {
            return None;
        }
        let until = (Instant::now() + self.settings.budget)
            .min(deadline.checked_sub(REPORT_RESERVE).unwrap_or(deadline));
        let fixed = self.settings.source.len() + self.settings.detail_type.len();
        let sizes: Vec<usize> = details.iter().map(|d| d.len() + fixed).collect();
        let requests = chunks(&sizes).into_iter().map(|range| {
            let entries: Vec<PutEventsRequestEntry> = details[range]
                .iter()
                .map(|detail| {
                    PutEventsRequestEntry::builder()
                        .event_bus_name(&self.settings.bus)
                        .source(&self.settings.source)
                        .detail_type(&self.settings.detail_type)
                        .detail(detail)
                        .build()
                })
                .collect();
            let count = entries.len();
            let send = self.client.put_events().set_entries(Some(entries)).send();
            async move { (count, tokio::time::timeout_at(until.into(), send).await) }
        });
        let mut record = EventsRecord::default();
        for (count, result) in futures_util::future::join_all(requests).await {
            match result {
                Err(_) => record.fail(count, "timeout", "Timeout".into()),
                Ok(Err(error)) => {
                    let code = error_code(&error);
                    let reason = match code.as_str() {
                        "ThrottlingException" | "TooManyRequestsException" => "throttled",
                        _ => "failed",
                    };
                    record.fail(count, reason, code);
                }
                Ok(Ok(output)) => {
                    let failed = usize::try_from(output.failed_entry_count())
                        .unwrap_or(0)
                        .min(count);
                    record.sent += count - failed;
                    if failed > 0 {
                        let codes = output.entries().iter().filter_map(|e| e.error_code());
                        let mut named = false;
                        for code in codes {
                            record.fail(0, "rejected", code.to_owned());
                            named = true;
                        }
                        if !named {
                            record.fail(0, "rejected", "FailedEntry".into());
                        }
                        record.failed += failed;
                    }
                }
            }
        }
        if record.failed > 0 {
            tracing::warn!(
                message_id = moderated.message_id,
                failed = record.failed,
                sent = record.sent,
                reason = record.reason,
                error = %record.errors.join(","),
                "moderation events not sent"
            );
        }
        Some(record)
    }
}

/// An SDK error's code, never its message.
fn error_code<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> String {
    match error {
        SdkError::ServiceError(service) => service.err().code().unwrap_or("Unknown").to_owned(),
        SdkError::TimeoutError(_) => "Timeout".into(),
        SdkError::DispatchFailure(_) => "DispatchFailure".into(),
        SdkError::ResponseError(_) => "ResponseError".into(),
        SdkError::ConstructionFailure(_) => "ConstructionFailure".into(),
        _ => "Unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_core::{Field, ObservedAction};
    use serde_json::{Value, json};

    fn finding(rule: &str, category: &'static str, start: usize, end: usize) -> Finding {
        Finding {
            rule: rule.into(),
            category: category.into(),
            field: Field::Content,
            start,
            end,
        }
    }

    fn parse(details: &[String]) -> Vec<Value> {
        details
            .iter()
            .map(|d| serde_json::from_str(d).unwrap())
            .collect()
    }

    #[test]
    fn a_deny_and_an_observed_action() {
        let deny = DenyReason {
            rule: "keyword".into(),
            reason: "keyword".into(),
        };
        let findings = [finding("keyword", "banned", 4, 10)];
        let observed = [Observation {
            rule: "profanity".into(),
            action: ObservedAction::Update,
            reason: None,
            findings: vec![finding("profanity", "general", 0, 3)],
        }];
        let moderated = Moderated {
            message_id: "m1",
            channel_arn: "arn:c",
            sender_arn: Some("arn:u"),
            decision: Decision::Deny,
            deny: Some(&deny),
            findings: &findings,
            observed: &observed,
            content: Some("the secret words"),
        };
        let details = parse(&details(&EventsSettings::default(), &moderated));
        assert_eq!(
            details,
            [
                json!({"MessageId": "m1", "ChannelArn": "arn:c", "SenderArn": "arn:u",
                    "Outcome": "DENY", "Mode": "enforce", "Rule": "keyword", "Reason": "keyword",
                    "Categories": ["banned"],
                    "Findings": [{"Rule": "keyword", "Category": "banned", "Start": 4, "End": 10}]}),
                json!({"MessageId": "m1", "ChannelArn": "arn:c", "SenderArn": "arn:u",
                    "Outcome": "DENY", "Mode": "observe", "Rule": "profanity", "Action": "UPDATE",
                    "Categories": ["general"],
                    "Findings": [{"Rule": "profanity", "Category": "general", "Start": 0, "End": 3}]}),
            ]
        );
        let with_content = EventsSettings {
            include_content: true,
            observed: false,
            ..EventsSettings::default()
        };
        let details = parse(&super::details(&with_content, &moderated));
        assert_eq!(details.len(), 1);
        assert_eq!(details[0]["Content"], "the secret words");
    }

    #[test]
    fn a_pass_sends_nothing_by_default() {
        let moderated = Moderated {
            message_id: "m1",
            channel_arn: "arn:c",
            sender_arn: None,
            decision: Decision::Pass,
            deny: None,
            findings: &[],
            observed: &[],
            content: None,
        };
        assert!(details(&EventsSettings::default(), &moderated).is_empty());
    }

    #[test]
    fn content_too_large_for_an_entry_is_dropped_with_a_note() {
        let huge = "x".repeat(MAX_REQUEST_BYTES);
        let moderated = Moderated {
            message_id: "m1",
            channel_arn: "arn:c",
            sender_arn: None,
            decision: Decision::Update,
            deny: None,
            findings: &[],
            observed: &[],
            content: Some(&huge),
        };
        let settings = EventsSettings {
            include_content: true,
            ..EventsSettings::default()
        };
        let details = super::details(&settings, &moderated);
        assert!(details[0].len() < 1000);
        let detail: Value = serde_json::from_str(&details[0]).unwrap();
        assert!(detail.get("Content").is_none());
        assert!(
            detail["Notes"][0]
                .as_str()
                .unwrap()
                .starts_with("Content dropped")
        );
    }

    #[test]
    fn requests_hold_ten_entries_and_less_than_256_kb() {
        assert_eq!(chunks(&[]), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(chunks(&[100; 3]), vec![(0..3)]);
        assert_eq!(chunks(&[100; 23]), [0..10, 10..20, 20..23]);
        assert_eq!(chunks(&[200_000, 100_000, 10]), [0..1, 1..3]);
        assert_eq!(chunks(&[255_999, 1]), [0..1, 1..2]);
    }
}
