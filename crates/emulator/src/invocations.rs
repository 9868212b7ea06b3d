//! The invocation queue: deliveries of processor events waiting for a
//! processor, and those a processor holds. Plain data with no behaviour
//! beyond bookkeeping, below both the shared core that owns the queue and
//! the channel-flow engine (`flow`) that fills it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// One delivery of an event to the processor.
#[derive(Clone, Debug, Default)]
pub struct Job {
    /// The Lambda request id of this delivery.
    pub request_id: String,
    /// The CallbackId in the event.
    pub callback_id: String,
    /// The channel.
    pub channel_arn: String,
    /// The message.
    pub message_id: String,
    /// The processor's Lambda ARN (`Lambda-Runtime-Invoked-Function-Arn`).
    pub function_arn: String,
    /// The flow's FallbackAction for this processor.
    pub fallback: String,
    /// The event JSON.
    pub event: Vec<u8>,
    /// 0 for the first attempt, then 1, 2… for Lambda's retries.
    pub attempt: usize,
    /// When it was (re)queued.
    pub queued_at: Option<Instant>,
    /// Whether some delivery of this CallbackId (a duplicate, an earlier
    /// attempt) reached a processor: then there is no fallback. Shared by
    /// the copies and attempts of one CallbackId.
    pub delivered: Arc<AtomicBool>,
}

/// Invocations waiting for a processor, and those a processor holds.
#[derive(Default)]
pub struct Invocations {
    /// Not yet picked up.
    pub queue: VecDeque<Job>,
    /// Picked up, not yet answered: by request id, with the deadline.
    pub in_flight: HashMap<String, Job>,
    /// When a processor was last seen (polling, picking up, answering);
    /// `None` before the first.
    pub last_seen: Option<Instant>,
    /// Deliveries answered `…/response` so far.
    pub succeeded: u64,
    /// Deliveries answered `…/error` or past their deadline so far.
    pub failed: u64,
    /// `…/invocation/next` requests waiting for work now.
    pub waiting: usize,
    /// Request ids delivered and then answered (or past their deadline),
    /// not held now: a second answer for one is a state error, not an
    /// unknown id. (A retry reuses its request id and holds it again.)
    pub finished: HashSet<String>,
}

/// Counts of finished deliveries, for tests and `chimeflow local`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InvocationStats {
    /// Deliveries the processor answered with a response.
    pub succeeded: u64,
    /// Deliveries that failed (function error or deadline passed).
    pub failed: u64,
    /// Deliveries queued or held by a processor now.
    pub outstanding: usize,
    /// Processors waiting for an invocation now (long-polling
    /// `…/invocation/next`).
    pub waiting: usize,
}

impl Invocations {
    /// Whether a processor is there now: polling or holding an invocation.
    fn processor_present(&self) -> bool {
        self.waiting > 0 || !self.in_flight.is_empty()
    }

    /// Notes that a processor was there just now.
    pub fn seen(&mut self) {
        self.last_seen = Some(Instant::now());
    }

    /// When the jobs never delivered become due for the fallback if no
    /// processor shows up (`None`: no such job, or a processor is there).
    pub fn next_fallback(&self, timeout: Duration) -> Option<Instant> {
        if self.processor_present() {
            return None;
        }
        let queued = self
            .queue
            .iter()
            .filter(|j| !j.delivered.load(Ordering::SeqCst))
            .filter_map(|j| j.queued_at)
            .min()?;
        let since = self.last_seen.map_or(queued, |seen| seen.max(queued));
        Some(since + timeout)
    }

    /// Takes the invocation `request_id` out of `in_flight` to answer it:
    /// `Err` says why it cannot be answered (never delivered, or delivered
    /// and already answered).
    pub fn finish(&mut self, request_id: &str) -> Result<Job, Unanswerable> {
        match self.in_flight.remove(request_id) {
            Some(job) => {
                self.finished.insert(request_id.to_owned());
                Ok(job)
            }
            None if self.finished.contains(request_id) => Err(Unanswerable::AlreadyAnswered),
            None => Err(Unanswerable::Unknown),
        }
    }

    /// The delivery counts now.
    pub fn stats(&self) -> InvocationStats {
        InvocationStats {
            succeeded: self.succeeded,
            failed: self.failed,
            outstanding: self.queue.len() + self.in_flight.len(),
            waiting: self.waiting,
        }
    }
}

/// Why an invocation cannot be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unanswerable {
    /// No invocation with this request id was ever handed out.
    Unknown,
    /// It was answered (response or error) or its deadline passed, and no
    /// retry holds it now.
    AlreadyAnswered,
}
