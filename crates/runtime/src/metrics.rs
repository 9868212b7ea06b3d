//! CloudWatch Embedded Metric Format: one JSON document per line on stdout.
//!
//! Per invocation, namespace `chimeflow` (or `CHIMEFLOW_METRICS_NAMESPACE`):
//! `Invocations`, `PipelineLatency` (microseconds), `CallbackLatency`
//! (milliseconds) and `CallbackAttempts`, by `Outcome`; and `Findings`, by
//! `Rule` and `Category`, for each pair found.

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
    let mut pairs: Vec<(&str, &str)> = record
        .findings
        .iter()
        .map(|f| (&*f.rule, &*f.category))
        .collect();
    pairs.sort_unstable();
    for group in pairs.chunk_by(|a, b| a == b) {
        let (rule, category) = group[0];
        documents.push(json!({
            "_aws": {
                "Timestamp": timestamp,
                "CloudWatchMetrics": [{
                    "Namespace": namespace,
                    "Dimensions": [["Rule", "Category"]],
                    "Metrics": [{"Name": "Findings", "Unit": "Count"}]
                }]
            },
            "Rule": rule,
            "Category": category,
            "Findings": group.len(),
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
