//! CloudWatch Embedded Metric Format: one JSON document per line on stdout.
//!
//! Per invocation, namespace `chimeflow` (or `CHIMEFLOW_METRICS_NAMESPACE`):
//! `Invocations`, `PipelineLatency` (microseconds), `CallbackLatency`
//! (milliseconds) and `CallbackAttempts`, by `Outcome`; `Findings`, by
//! `Rule` and `Category` (enforcing rules' findings) and by `Rule`,
//! `Category` and `Mode` (`enforce`, or `observe` for what rules in observe
//! mode found, which the first set leaves out); and `Actions`, by `Rule`,
//! `Action` and `Mode`: the enforcing rule that denied (`DENY`, `enforce`)
//! and each observed rule's would-be action (`DENY`, `UPDATE`, `TAG`,
//! `ERROR`, `observe`). With stateful rules:
//! `StoreCalls`, `StoreLatency` (milliseconds), `StoreRecordFailures`,
//! `Bans` and `BanFailures` by `Store`, and `FactsUnavailable` by `Store`
//! and `Reason` (`timeout`, `throttled`, `failed`) when facts were missing.
//! Per Comprehend call: `ComprehendCalls`, `ComprehendUnits` (billed
//! 100-character units), `ComprehendLatency` (milliseconds) and
//! `ComprehendErrors` by `Operation`. With moderation events (`[events]`):
//! `EventsSent` and `EventsFailed` by `Outcome` (in the invocation's
//! document), and `EventsFailed` by `Reason` (`timeout`, `throttled`,
//! `rejected`, `failed`) when some were not sent.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::logging::InvocationRecord;

fn namespace() -> String {
    std::env::var("CHIMEFLOW_METRICS_NAMESPACE")
        .ok()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "chimeflow".into())
}

/// The EMF documents for one invocation.
pub(crate) fn documents(record: &InvocationRecord<'_>) -> Vec<serde_json::Value> {
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let namespace = namespace();
    let mut documents = vec![json!({
        "_aws": {
            "Timestamp": timestamp,
            "CloudWatchMetrics": [{
                "Namespace": namespace,
                "Dimensions": [["Outcome"]],
                "Metrics": [
                    {"Name": "Invocations", "Unit": "Count"},
                    {"Name": "PipelineLatency", "Unit": "Microseconds"},
                    {"Name": "CallbackLatency", "Unit": "Milliseconds"},
                    {"Name": "CallbackAttempts", "Unit": "Count"}
                ]
            }]
        },
        "Outcome": record.outcome,
        "Invocations": 1,
        "PipelineLatency": record.pipeline.as_micros() as u64,
        "CallbackLatency": record.callback.as_millis() as u64,
        "CallbackAttempts": record.delivery.map_or(0, crate::Delivery::attempts),
    })];
    if let Some(events) = record.events {
        let first = &mut documents[0];
        if let Some(metrics) = first["_aws"]["CloudWatchMetrics"][0]["Metrics"].as_array_mut() {
            metrics.push(json!({"Name": "EventsSent", "Unit": "Count"}));
            metrics.push(json!({"Name": "EventsFailed", "Unit": "Count"}));
        }
        first["EventsSent"] = json!(events.sent);
        first["EventsFailed"] = json!(events.failed);
        if let Some(reason) = events.reason {
            documents.push(json!({
                "_aws": {
                    "Timestamp": timestamp,
                    "CloudWatchMetrics": [{
                        "Namespace": namespace,
                        "Dimensions": [["Reason"]],
                        "Metrics": [{"Name": "EventsFailed", "Unit": "Count"}]
                    }]
                },
                "Reason": reason,
                "EventsFailed": events.failed,
            }));
        }
    }
    if let Some(facts) = record.facts {
        documents.push(json!({
            "_aws": {
                "Timestamp": timestamp,
                "CloudWatchMetrics": [{
                    "Namespace": namespace,
                    "Dimensions": [["Store"]],
                    "Metrics": [
                        {"Name": "StoreCalls", "Unit": "Count"},
                        {"Name": "StoreLatency", "Unit": "Milliseconds"},
                        {"Name": "StoreRecordFailures", "Unit": "Count"},
                        {"Name": "Bans", "Unit": "Count"},
                        {"Name": "BanFailures", "Unit": "Count"}
                    ]
                }]
            },
            "Store": facts.store,
            "StoreCalls": facts.calls + facts.recorded,
            "StoreLatency": facts.latency.as_secs_f64() * 1000.0,
            "StoreRecordFailures": facts.record_failures,
            "Bans": facts.bans,
            "BanFailures": facts.ban_failures,
        }));
        for call in &facts.services {
            documents.push(json!({
                "_aws": {
                    "Timestamp": timestamp,
                    "CloudWatchMetrics": [{
                        "Namespace": namespace,
                        "Dimensions": [["Operation"]],
                        "Metrics": [
                            {"Name": "ComprehendCalls", "Unit": "Count"},
                            {"Name": "ComprehendUnits", "Unit": "Count"},
                            {"Name": "ComprehendLatency", "Unit": "Milliseconds"},
                            {"Name": "ComprehendErrors", "Unit": "Count"}
                        ]
                    }]
                },
                "Operation": call.kind.operation(),
                "ComprehendCalls": 1,
                "ComprehendUnits": call.units,
                "ComprehendLatency": call.latency.as_secs_f64() * 1000.0,
                "ComprehendErrors": usize::from(call.failure.is_some()),
                "Reason": call.failure.as_ref().map(|(why, _)| why.as_str()),
            }));
        }
        if let Some(reason) = facts.unavailable {
            documents.push(json!({
                "_aws": {
                    "Timestamp": timestamp,
                    "CloudWatchMetrics": [{
                        "Namespace": namespace,
                        "Dimensions": [["Store", "Reason"]],
                        "Metrics": [{"Name": "FactsUnavailable", "Unit": "Count"}]
                    }]
                },
                "Store": facts.store,
                "Reason": reason,
                "FactsUnavailable": 1,
            }));
        }
    }
    let enforced = record
        .findings
        .iter()
        .map(|f| (&*f.rule, &*f.category, "enforce"));
    let observed = record.observed.iter().flat_map(|o| {
        o.findings
            .iter()
            .map(|f| (&*f.rule, &*f.category, "observe"))
    });
    let mut triples: Vec<(&str, &str, &str)> = enforced.chain(observed).collect();
    triples.sort_unstable();
    for group in triples.chunk_by(|a, b| a == b) {
        let (rule, category, mode) = group[0];
        // Observed findings stay out of the (Rule, Category) counts, which
        // keep meaning what was acted on.
        let dimensions = if mode == "enforce" {
            json!([["Rule", "Category"], ["Rule", "Category", "Mode"]])
        } else {
            json!([["Rule", "Category", "Mode"]])
        };
        documents.push(json!({
            "_aws": {
                "Timestamp": timestamp,
                "CloudWatchMetrics": [{
                    "Namespace": namespace,
                    "Dimensions": dimensions,
                    "Metrics": [{"Name": "Findings", "Unit": "Count"}]
                }]
            },
            "Rule": rule,
            "Category": category,
            "Mode": mode,
            "Findings": group.len(),
        }));
    }
    let denied = record
        .reason
        .filter(|_| record.outcome == "DENY")
        .and_then(|reason| reason.split_once('/'))
        .map(|(rule, _)| (rule, "DENY", "enforce"));
    let actions = denied.into_iter().chain(
        record
            .observed
            .iter()
            .map(|o| (o.rule.as_str(), o.action.as_str(), "observe")),
    );
    for (rule, action, mode) in actions {
        documents.push(json!({
            "_aws": {
                "Timestamp": timestamp,
                "CloudWatchMetrics": [{
                    "Namespace": namespace,
                    "Dimensions": [["Rule", "Action", "Mode"]],
                    "Metrics": [{"Name": "Actions", "Unit": "Count"}]
                }]
            },
            "Rule": rule,
            "Action": action,
            "Mode": mode,
            "Actions": 1,
        }));
    }
    documents
}

/// Writes the documents to stdout, where Lambda ships them to CloudWatch.
pub(crate) fn emit(record: &InvocationRecord<'_>) {
    let mut out = std::io::stdout().lock();
    for document in documents(record) {
        // Metrics are best effort: a failed write must not fail the invocation.
        let _ = writeln!(out, "{document}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    use chimeflow_core::{Field, Finding};

    fn finding(rule: &str, category: &'static str) -> Finding {
        Finding {
            rule: Arc::from(rule),
            category: category.into(),
            field: Field::Content,
            start: 0,
            end: 1,
        }
    }

    #[test]
    fn one_document_per_invocation_and_per_rule_category() {
        let findings = vec![
            finding("pii", "EMAIL"),
            finding("pii", "EMAIL"),
            finding("pii", "PHONE"),
        ];
        let delivery = crate::Delivery::Delivered { attempts: 2 };
        let record = InvocationRecord {
            request_id: "r",
            message_id: "m",
            channel: "c",
            outcome: "UPDATE",
            reason: None,
            findings: &findings,
            observed: &[],
            pipeline: Duration::from_micros(42),
            callback: Duration::from_millis(7),
            delivery: Some(&delivery),
            facts: None,
            events: None,
        };
        let documents = documents(&record);
        assert_eq!(documents.len(), 3);
        assert_eq!(documents[0]["Outcome"], "UPDATE");
        assert_eq!(documents[0]["PipelineLatency"], 42);
        assert_eq!(documents[0]["CallbackAttempts"], 2);
        let emails = documents.iter().find(|d| d["Category"] == "EMAIL").unwrap();
        assert_eq!(emails["Findings"], 2);
        assert_eq!(
            emails["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
            serde_json::json!([["Rule", "Category"], ["Rule", "Category", "Mode"]])
        );
        assert_eq!(emails["Mode"], "enforce");
        for document in &documents {
            // Every metric a directive names has a value in the document.
            for metric in document["_aws"]["CloudWatchMetrics"][0]["Metrics"]
                .as_array()
                .unwrap()
            {
                assert!(document.get(metric["Name"].as_str().unwrap()).is_some());
            }
        }
    }

    #[test]
    fn observed_findings_and_actions_carry_the_observe_mode() {
        use chimeflow_core::{Observation, ObservedAction};
        let observed = vec![Observation {
            rule: "profanity".into(),
            action: ObservedAction::Deny,
            reason: Some("profanity".into()),
            findings: vec![finding("profanity", "general")],
        }];
        let record = InvocationRecord {
            request_id: "r",
            message_id: "m",
            channel: "c",
            outcome: "DENY",
            reason: Some("length/too-long"),
            findings: &[],
            observed: &observed,
            pipeline: Duration::from_micros(1),
            callback: Duration::from_millis(1),
            delivery: None,
            facts: None,
            events: None,
        };
        let documents = documents(&record);
        let findings = documents.iter().find(|d| d["Findings"] == 1).unwrap();
        assert_eq!(
            (
                &findings["Mode"],
                &findings["_aws"]["CloudWatchMetrics"][0]["Dimensions"]
            ),
            (&json!("observe"), &json!([["Rule", "Category", "Mode"]]))
        );
        let actions: Vec<_> = documents
            .iter()
            .filter(|d| d.get("Actions").is_some())
            .map(|d| (d["Rule"].clone(), d["Action"].clone(), d["Mode"].clone()))
            .collect();
        assert_eq!(
            actions,
            [
                (json!("length"), json!("DENY"), json!("enforce")),
                (json!("profanity"), json!("DENY"), json!("observe")),
            ]
        );
    }
}
