//! The optional JSON snapshot: loaded at start, rewritten (atomically, via a
//! temporary file) after changes and at shutdown.

use std::path::Path;
use std::sync::Arc;

use crate::error::EmulatorError;
use crate::flow;
use crate::invocations::Job;
use crate::shared::Shared;
use crate::state::State;

/// Reads the snapshot at `path`; an absent file is an empty state.
pub fn load(path: &Path) -> Result<State, EmulatorError> {
    let error = |reason: String| EmulatorError::Snapshot {
        path: path.to_owned(),
        reason,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => State::from_json(&text).map_err(|e| error(describe(&e))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
        Err(e) => Err(error(e.to_string())),
    }
}

/// Why a snapshot did not parse, without serde_json's own text: that
/// quotes string values (message content, for one). Only the kind of error
/// and where.
fn describe(e: &serde_json::Error) -> String {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "JSON that is not a snapshot",
        serde_json::error::Category::Eof => "truncated JSON",
    };
    format!(
        "not a snapshot: {kind} at line {} column {}",
        e.line(),
        e.column()
    )
}

/// Writes the current state to `path`.
pub fn write(shared: &Shared, path: &Path) -> Result<(), EmulatorError> {
    let text = shared.state().to_json();
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| EmulatorError::Snapshot {
            path: path.to_owned(),
            reason: e.to_string(),
        })
}

/// Re-queues the invocations of messages that were PENDING when the
/// snapshot was written (a restart is a redelivery, as Chime would retry).
pub fn resume(shared: &Arc<Shared>) {
    let jobs: Vec<Job> = {
        let state = shared.state();
        let mut jobs = Vec::new();
        for channel in state.channels.values() {
            let Some(flow) = channel.flow_arn.as_ref().and_then(|f| state.flows.get(f)) else {
                continue;
            };
            let Some((function_arn, fallback)) = flow.first_processor() else {
                continue;
            };
            for message in &channel.messages {
                if let (Some(callback_id), "PENDING") =
                    (&message.callback_id, message.status.as_str())
                {
                    jobs.push(Job {
                        request_id: String::new(),
                        callback_id: callback_id.clone(),
                        channel_arn: channel.arn.clone(),
                        message_id: message.id.clone(),
                        function_arn: function_arn.clone(),
                        fallback: fallback.clone(),
                        event: flow::event(&state, &channel.arn, message, callback_id),
                        attempt: 0,
                        ..Job::default()
                    });
                }
            }
        }
        jobs
    };
    for job in jobs {
        flow::start(shared, job);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_snapshot_is_reported_without_its_values() {
        let dir = std::env::temp_dir().join(format!("chimeflow-snapshot-{}", crate::ids::uuid()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        // A string where a map belongs: serde_json's message would quote it.
        std::fs::write(&path, r#"{"AppInstances": "SECRET-CONTENT"}"#).unwrap();
        let reason = match load(&path) {
            Err(EmulatorError::Snapshot { reason, .. }) => reason,
            other => panic!("{other:?}"),
        };
        assert!(!reason.contains("SECRET"), "{reason}");
        assert!(reason.contains("not a snapshot"), "{reason}");
        assert!(reason.contains("line 1 column"), "{reason}");
        std::fs::write(&path, "{\"AppInstances\": {\"x\": \"SECRET").unwrap();
        let reason = load(&path).unwrap_err().to_string();
        assert!(!reason.contains("SECRET"), "{reason}");
        assert!(reason.contains("truncated JSON"), "{reason}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
