//! The channel-flow engine: a PENDING message becomes an invocation of the
//! flow's processor, queued for the Runtime API. FallbackAction applies only
//! when Chime cannot invoke the processor (ABORT → FAILED, CONTINUE → SENT):
//! here, when an invocation was never picked up and, for `processor_timeout`,
//! no processor was there at all (none polling `…/invocation/next`, none
//! holding an invocation). A busy processor with a backlog is not "absent":
//! its queue just waits. A failed or timed-out invocation is retried after
//! each of `retry_delays`, with the same request id, as Lambda retries async
//! invocations; when they are used up the message stays PENDING, as it does
//! on AWS when a processor never calls back. Every background task here
//! stops when the emulator starts closing, and none changes the state after.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use chimeflow_core::{ChannelMessage, ProcessorEvent};

use crate::ids;
use crate::invocations::{InvocationStats, Job};
use crate::shared::Shared;
use crate::state::{Message, State};
use crate::wire::compact;

/// The processor event for `message` of `channel_arn`, in the shape of
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/processor-setup.html>
/// (the input event it shows for a processor Lambda function).
pub fn event(state: &State, channel_arn: &str, message: &Message, callback_id: &str) -> Vec<u8> {
    let (content, metadata) = match &message.pending_edit {
        Some(edit) => (
            edit.content
                .clone()
                .unwrap_or_else(|| message.content.clone()),
            edit.metadata.clone().or_else(|| message.metadata.clone()),
        ),
        None => (message.content.clone(), message.metadata.clone()),
    };
    let sender = state.users.get(&message.sender);
    let wire = serde_json::json!({
        "MessageId": message.id,
        "ChannelArn": channel_arn,
        "Content": content,
        "Metadata": metadata,
        "Type": message.message_type,
        "Persistence": message.persistence,
        "CreatedTimestamp": ids::iso8601(message.created),
        "LastUpdatedTimestamp": ids::iso8601(message.updated),
        // Set on a plain send too, equal to CreatedTimestamp, as AWS's
        // documented event shows it: only a later value marks an edit.
        "LastEditedTimestamp": ids::iso8601(
            message
                .pending_edit
                .as_ref()
                .and_then(|e| e.at)
                .or(message.edited)
                .unwrap_or(message.created)
        ),
        "Sender": {"Arn": message.sender, "Name": sender.map(|u| u.name.clone())},
        "MessageAttributes": message.attributes,
        "SubChannelId": message.sub_channel_id,
        "ContentType": message.content_type,
        "Target": message.target,
    });
    let wire = compact(wire);
    let channel_message: ChannelMessage =
        serde_json::from_value(wire).unwrap_or_else(|_| ChannelMessage {
            message_id: message.id.clone(),
            channel_arn: Some(channel_arn.to_owned()),
            ..ChannelMessage::default()
        });
    let event = ProcessorEvent {
        event_type: Some(chimeflow_core::EventType::ChannelMessageEvent),
        callback_id: callback_id.to_owned(),
        channel_message,
        extra: Default::default(),
    };
    serde_json::to_vec(&event).unwrap_or_default()
}

/// Queues a first attempt (twice with `duplicate_delivery`); the
/// fallback supervisor ([`supervise`]) watches it.
pub fn start(shared: &Arc<Shared>, job: Job) {
    let copies = if shared.config.duplicate_delivery {
        2
    } else {
        1
    };
    {
        let mut invocations = shared.invocations();
        for _ in 0..copies {
            invocations.queue.push_back(Job {
                request_id: ids::uuid(),
                queued_at: Some(Instant::now()),
                ..job.clone()
            });
        }
    }
    for _ in 0..copies {
        shared.queued.notify_one();
    }
    shared.supervisor.notify_one();
    tracing::info!(message_id = %job.message_id, function = %job.function_arn, "invocation queued");
}

/// The fallback supervisor: runs until the emulator closes. When no
/// processor has been there for `processor_timeout` and invocations never
/// delivered have waited as long, they are dropped and their messages get
/// the FallbackAction.
pub async fn supervise(shared: Arc<Shared>) {
    let timeout = shared.config.processor_timeout;
    let mut closing = shared.closing.subscribe();
    loop {
        let kicked = shared.supervisor.notified();
        let due = shared.invocations().next_fallback(timeout);
        let wait = async {
            match due {
                Some(due) => tokio::time::sleep_until(due.into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = wait => {}
            () = kicked => continue,
            _ = closing.wait_for(|closing| *closing) => return,
        }
        let expired: Vec<Job> = {
            let mut invocations = shared.invocations();
            match invocations.next_fallback(timeout) {
                Some(due) if due <= Instant::now() => {}
                _ => continue,
            }
            let (expired, kept): (Vec<Job>, Vec<Job>) = std::mem::take(&mut invocations.queue)
                .into_iter()
                .partition(|j| !j.delivered.load(Ordering::SeqCst));
            invocations.queue = kept.into();
            expired
        };
        for job in expired {
            fallback(&shared, &job);
        }
    }
}

/// Applies the FallbackAction to the job's message if it is still pending
/// for this CallbackId.
fn fallback(shared: &Shared, job: &Job) {
    {
        let mut state = shared.state();
        // Checked under the state lock: the final snapshot, written after
        // `closing` is set, sees every change made before it and none after.
        if *shared.closing.borrow() {
            return;
        }
        let Some(message) = state.message_mut(&job.channel_arn, &job.message_id) else {
            return;
        };
        if message.callback_id.as_deref() != Some(&job.callback_id) || message.status != "PENDING" {
            return;
        }
        message.callback_id = None;
        let now = ids::now();
        if job.fallback == "CONTINUE" {
            if let Some(edit) = message.pending_edit.take() {
                edit.apply(message);
            }
            message.mark_sent();
        } else {
            message.pending_edit = None;
            message.status = "FAILED".into();
            message.detail = Some("The channel flow processor could not be invoked".into());
        }
        message.updated = now;
    }
    tracing::warn!(message_id = %job.message_id, action = %job.fallback, "no processor picked up the invocation: fallback applied");
    shared.changed();
}

/// A delivery failed (function error or deadline passed): schedules
/// Lambda's next retry, if any is left.
pub fn failed(shared: &Arc<Shared>, job: Job, reason: &str) {
    shared.invocations().failed += 1;
    let Some(delay) = shared.config.retry_delays.get(job.attempt).copied() else {
        tracing::warn!(message_id = %job.message_id, attempts = job.attempt + 1, reason, "invocation failed; retries used up, the message stays PENDING");
        return;
    };
    tracing::info!(message_id = %job.message_id, attempt = job.attempt + 1, reason, ?delay, "invocation failed; Lambda will retry");
    let shared = shared.clone();
    tokio::spawn(async move {
        let mut closing = shared.closing.subscribe();
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = closing.wait_for(|closing| *closing) => return,
        }
        // A retry keeps the request id: Lambda retries an async invocation
        // under the same request id.
        shared.invocations().queue.push_back(Job {
            attempt: job.attempt + 1,
            queued_at: Some(Instant::now()),
            ..job
        });
        shared.queued.notify_one();
        shared.supervisor.notify_one();
    });
}

/// The delivery counts now.
pub fn stats(shared: &Shared) -> InvocationStats {
    shared.invocations().stats()
}
