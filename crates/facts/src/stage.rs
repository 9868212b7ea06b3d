//! The facts stage: gather before the rules, record after the decision.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chimeflow_core::{
    ChannelMessage, Effect, FactRequests, Facts, LogEntry, LogId, ServiceAnswer, ServiceKind,
    ServiceRequest, Subject, SubjectFacts, Unavailable, parse_timestamp,
};
use futures_util::future::join_all;

use crate::layout::{attribute, bucket, is_stale, window_ms};
use crate::services::Services;
use crate::store::{Item, ItemUpdate, Store, StoreError};

/// The default time budget for gathering: what a message may wait for its
/// facts before the rules run without them.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(50);

/// How far in the future a message's CreatedTimestamp may be (clock skew)
/// before the stage uses its own clock instead.
const MAX_SKEW_MS: u64 = 60_000;

/// Gathers what the rules asked for, within a budget, and records what
/// they asked to keep. One store call per subject (the sender, and the
/// channel when a rule counts per channel), all at once.
#[derive(Clone, Debug)]
pub struct Stage {
    store: Arc<dyn Store>,
    budget: Duration,
    services: Option<(Arc<dyn Services>, Duration)>,
}

/// The default time budget for a service call (Amazon Comprehend answers
/// a short text in tens of milliseconds).
pub const DEFAULT_SERVICE_BUDGET: Duration = Duration::from_millis(500);

/// One service call, for logs and metrics (never the text).
#[derive(Clone, Debug)]
pub struct ServiceCall {
    /// Which call.
    pub kind: ServiceKind,
    /// How long it took (the budget, when it ran out).
    pub latency: Duration,
    /// The units it is billed (100 characters each, 3 at least).
    pub units: u64,
    /// Why it gave no answer, if so, and the error.
    pub failure: Option<(Unavailable, Option<StoreError>)>,
}

/// What the stage gathered for one message: the facts for the rules, and
/// what `record` needs afterwards.
#[derive(Debug)]
pub struct Gathered {
    /// The facts, for [`Processor::process_with`](chimeflow_core::Processor::process_with).
    pub facts: Facts,
    /// Store calls made.
    pub calls: usize,
    /// How long gathering took (zero when nothing was asked).
    pub elapsed: Duration,
    /// The failures, by subject kind (`sender`, `channel`) and reason.
    pub failures: Vec<(&'static str, Unavailable, Option<StoreError>)>,
    /// The service calls made (or that had none to answer them).
    pub service_calls: Vec<ServiceCall>,
    entry: LogEntry,
    /// The stage's clock when it gathered: TTLs count from it (a message
    /// delivered again long after it was sent must not set a TTL in the
    /// past, which would let DynamoDB delete newer state).
    now_ms: u64,
    kept: BTreeMap<Subject, Duration>,
    stale: BTreeMap<Subject, Vec<String>>,
}

/// What recording did.
#[derive(Debug, Default)]
pub struct Recorded {
    /// Store calls made.
    pub calls: usize,
    /// Calls that failed or ran out of time.
    pub failures: Vec<(&'static str, Unavailable, Option<StoreError>)>,
    /// Bans the rules asked for, for the caller to make (`CreateChannelBan`
    /// is a Chime call, not a store call).
    pub bans: Vec<Effect>,
}

impl Stage {
    /// A stage over `store`, with the default budget (50 ms).
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            budget: DEFAULT_BUDGET,
            services: None,
        }
    }

    /// The same stage asking `services` (Amazon Comprehend) what the
    /// rules ask, each call within `budget` (and the invocation's
    /// deadline), at the same time as the store.
    pub fn with_services(mut self, services: Arc<dyn Services>, budget: Duration) -> Self {
        self.services = Some((services, budget));
        self
    }

    /// The services, if any.
    pub fn services(&self) -> Option<&Arc<dyn Services>> {
        self.services.as_ref().map(|(services, _)| services)
    }

    /// The same stage with another budget.
    pub fn with_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The budget.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Gathers `requests` for `message`: never later than the budget after
    /// now, nor than `until` (the invocation's deadline less what the
    /// callback needs). A subject whose call failed or ran out of time is
    /// unavailable in the facts, with the reason.
    pub async fn gather(
        &self,
        requests: &FactRequests,
        message: &ChannelMessage,
        until: Option<Instant>,
    ) -> Gathered {
        let now_ms = now_ms();
        let at_ms = message_time(message, now_ms);
        let entry = LogEntry {
            at_ms,
            message_id: message.message_id.clone(),
            channel: message
                .channel_arn
                .as_deref()
                .map(LogEntry::channel_tag)
                .unwrap_or_default(),
            content: String::new(),
        };
        let mut gathered = Gathered {
            facts: Facts::new(at_ms),
            calls: 0,
            elapsed: Duration::ZERO,
            failures: Vec::new(),
            service_calls: Vec::new(),
            entry,
            now_ms,
            kept: BTreeMap::new(),
            stale: BTreeMap::new(),
        };
        if requests.is_empty() {
            return gathered;
        }
        let started = Instant::now();
        let end = deadline(started, self.budget, until);
        let asked: Vec<&ServiceRequest> = requests.services().collect();
        let questions = join_all(
            asked
                .iter()
                .map(|request| self.ask(request, started, until)),
        );
        let plans: Vec<(Subject, ItemUpdate, Duration)> = requests
            .subjects()
            .into_iter()
            .map(|subject| {
                let (update, kept) = plan(requests, subject, &gathered.entry, now_ms);
                (subject.clone(), update, kept)
            })
            .collect();
        gathered.calls = plans.len();
        let calls = plans.iter().map(|(_, update, _)| {
            let store = &self.store;
            let update = update.clone();
            async move { tokio::time::timeout_at(end.into(), store.update(update)).await }
        });
        // The store and the services at once.
        let (answers, replies) = futures_util::future::join(join_all(calls), questions).await;
        gathered.elapsed = started.elapsed();
        let mut facts = Facts::new(at_ms);
        for (request, (answer, call)) in asked.into_iter().zip(replies) {
            facts = facts.with_service(request.clone(), answer);
            gathered.service_calls.push(call);
        }
        for ((subject, update, kept), answer) in plans.into_iter().zip(answers) {
            gathered.kept.insert(subject.clone(), kept);
            let known = match answer {
                Ok(Ok(item)) => {
                    let stale: Vec<String> = item
                        .sets
                        .keys()
                        .filter(|name| is_stale(name, at_ms) && !update.remove.contains(name))
                        .cloned()
                        .collect();
                    if !stale.is_empty() {
                        gathered.stale.insert(subject.clone(), stale);
                    }
                    Ok(read(requests, &subject, at_ms, &item))
                }
                Ok(Err(error)) => {
                    let reason = match error {
                        StoreError::Throttled(_) => Unavailable::Throttled,
                        StoreError::Failed(_) => Unavailable::Failed,
                    };
                    gathered
                        .failures
                        .push((subject_kind(&subject), reason, Some(error)));
                    Err(reason)
                }
                Err(_elapsed) => {
                    gathered
                        .failures
                        .push((subject_kind(&subject), Unavailable::Timeout, None));
                    Err(Unavailable::Timeout)
                }
            };
            facts = facts.with_subject(subject, known);
        }
        gathered.facts = facts;
        gathered
    }

    /// Asks one service question within its budget; the answer, or why
    /// there is none, and the call's record.
    async fn ask(
        &self,
        request: &ServiceRequest,
        started: Instant,
        until: Option<Instant>,
    ) -> (Result<ServiceAnswer, Unavailable>, ServiceCall) {
        let mut call = ServiceCall {
            kind: request.kind(),
            latency: Duration::ZERO,
            units: 0,
            failure: None,
        };
        let Some((services, budget)) = &self.services else {
            call.failure = Some((Unavailable::NoService, None));
            return (Err(Unavailable::NoService), call);
        };
        call.units = request.billed_units();
        let end = deadline(started, *budget, until);
        let answer = tokio::time::timeout_at(end.into(), services.ask(request)).await;
        call.latency = started.elapsed();
        let answer = match answer {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(error)) => {
                let reason = match error {
                    StoreError::Throttled(_) => Unavailable::Throttled,
                    StoreError::Failed(_) => Unavailable::Failed,
                };
                call.failure = Some((reason, Some(error)));
                Err(reason)
            }
            Err(_) => {
                call.failure = Some((Unavailable::Timeout, None));
                Err(Unavailable::Timeout)
            }
        };
        (answer, call)
    }

    /// Records what the rules asked for (strikes, timeouts) and removes log
    /// buckets left behind, within `until`. Bans are handed back: they are
    /// Chime calls.
    pub async fn record(
        &self,
        gathered: &Gathered,
        effects: &[Effect],
        until: Option<Instant>,
    ) -> Recorded {
        let entry = &gathered.entry;
        let mut updates: BTreeMap<Subject, (ItemUpdate, Duration)> = BTreeMap::new();
        let mut recorded = Recorded::default();
        fn slot<'u>(
            updates: &'u mut BTreeMap<Subject, (ItemUpdate, Duration)>,
            gathered: &Gathered,
            subject: &Subject,
        ) -> &'u mut (ItemUpdate, Duration) {
            updates.entry(subject.clone()).or_insert_with(|| {
                let kept = gathered.kept.get(subject).copied().unwrap_or_default();
                (ItemUpdate::new(subject.key()), kept)
            })
        }
        for effect in effects {
            match effect {
                Effect::Append { log } => {
                    let (update, kept) = slot(&mut updates, gathered, &log.subject);
                    let name = attribute(log.kind, log.window, bucket(entry.at_ms, log.window));
                    let logged = LogEntry {
                        content: String::new(),
                        ..entry.clone()
                    };
                    if !update.add.iter().any(|(n, _)| *n == name) {
                        update.add.push((name, logged.encode()));
                    }
                    *kept = (*kept).max(log.window * 2);
                }
                Effect::SetNumber {
                    subject,
                    name,
                    value,
                    keep,
                } => {
                    let (update, kept) = slot(&mut updates, gathered, subject);
                    update.set.retain(|(n, _)| n != name);
                    update.set.push((name.clone(), *value));
                    *kept = (*kept).max(*keep);
                }
                Effect::Ban { .. } => recorded.bans.push(effect.clone()),
            }
        }
        // Buckets left behind go with a write already due, or on their own
        // once there are a few (a sender quiet for a while leaves one).
        for (subject, stale) in &gathered.stale {
            if stale.len() >= 3 || updates.contains_key(subject) {
                let (update, _) = slot(&mut updates, gathered, subject);
                let adding: Vec<String> = update.add.iter().map(|(n, _)| n.clone()).collect();
                update
                    .remove
                    .extend(stale.iter().filter(|n| !adding.contains(n)).cloned());
            }
        }
        let mut calls = Vec::new();
        for (subject, (mut update, kept)) in updates {
            if update.is_read() {
                continue;
            }
            update.expires = Some(expires(gathered.now_ms.max(entry.at_ms), kept));
            calls.push((subject, update));
        }
        if calls.is_empty() {
            return recorded;
        }
        recorded.calls = calls.len();
        let end = deadline(Instant::now(), self.budget * 4, until);
        let answers = join_all(calls.iter().map(|(_, update)| {
            let store = &self.store;
            let update = update.clone();
            async move { tokio::time::timeout_at(end.into(), store.update(update)).await }
        }))
        .await;
        for ((subject, _), answer) in calls.iter().zip(answers) {
            match answer {
                Ok(Ok(_)) => {}
                Ok(Err(error)) => {
                    let reason = match error {
                        StoreError::Throttled(_) => Unavailable::Throttled,
                        StoreError::Failed(_) => Unavailable::Failed,
                    };
                    recorded
                        .failures
                        .push((subject_kind(subject), reason, Some(error)));
                }
                Err(_) => {
                    recorded
                        .failures
                        .push((subject_kind(subject), Unavailable::Timeout, None))
                }
            }
        }
        recorded
    }
}

impl Gathered {
    /// The message's time the facts are judged as of (Unix milliseconds).
    pub fn at_ms(&self) -> u64 {
        self.entry.at_ms
    }
}

/// The update for one subject: this message's entry added to each log it
/// is appended to (removing the buckets before the ones it reads), and how
/// long the record must be kept.
fn plan(
    requests: &FactRequests,
    subject: &Subject,
    entry: &LogEntry,
    now_ms: u64,
) -> (ItemUpdate, Duration) {
    let mut update = ItemUpdate::new(subject.key());
    let mut kept = requests.kept(subject);
    for (log, content) in requests
        .appends()
        .filter(|(log, _)| log.subject == *subject)
    {
        let current = bucket(entry.at_ms, log.window);
        let logged = LogEntry {
            content: content.unwrap_or_default().to_owned(),
            ..entry.clone()
        };
        update
            .add
            .push((attribute(log.kind, log.window, current), logged.encode()));
        // Only a recent message clears old buckets: one delivered again
        // long after must not remove what newer messages count on.
        if entry.at_ms.saturating_add(window_ms(log.window)) >= now_ms {
            for back in [2, 3] {
                if let Some(old) = current.checked_sub(back) {
                    update.remove.push(attribute(log.kind, log.window, old));
                }
            }
        }
        kept = kept.max(log.window * 2);
    }
    for log in requests.reads().filter(|log| log.subject == *subject) {
        kept = kept.max(log.window * 2);
    }
    if !update.is_read() {
        update.expires = Some(expires(now_ms.max(entry.at_ms), kept));
    }
    (update, kept)
}

/// What the rules asked of `subject`, read from its record.
fn read(requests: &FactRequests, subject: &Subject, at_ms: u64, item: &Item) -> SubjectFacts {
    let mut known = SubjectFacts::default();
    let logs = requests
        .appends()
        .map(|(log, _)| log)
        .chain(requests.reads())
        .filter(|log| log.subject == *subject);
    for log in logs {
        known.logs.insert(log.clone(), entries(item, log, at_ms));
    }
    for (_, name) in requests.numbers().filter(|(s, _)| *s == subject) {
        if let Some(value) = item.numbers.get(name) {
            known.numbers.insert(name.to_owned(), *value);
        }
    }
    known
}

/// The entries of `log` in the bucket of `at_ms` and the one before,
/// oldest first (unreadable elements skipped).
fn entries(item: &Item, log: &LogId, at_ms: u64) -> Vec<LogEntry> {
    let current = bucket(at_ms, log.window);
    let mut entries: Vec<LogEntry> = [current.checked_sub(1), Some(current)]
        .into_iter()
        .flatten()
        .filter_map(|b| item.sets.get(&attribute(log.kind, log.window, b)))
        .flatten()
        .filter_map(|stored| LogEntry::decode(stored))
        .collect();
    entries.sort();
    entries
}

fn subject_kind(subject: &Subject) -> &'static str {
    match subject {
        Subject::Sender(_) => "sender",
        Subject::Channel(_) => "channel",
    }
}

/// The earlier of now + budget and `until`.
fn deadline(now: Instant, budget: Duration, until: Option<Instant>) -> Instant {
    let by_budget = now + budget;
    until.map_or(by_budget, |until| until.min(by_budget))
}

/// The TTL: a second past what must be kept.
fn expires(at_ms: u64, kept: Duration) -> u64 {
    (at_ms / 1000)
        .saturating_add(kept.as_secs())
        .saturating_add(1)
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The message's CreatedTimestamp in Unix milliseconds: the time its facts
/// are judged as of, and the same on every delivery of its event. The
/// stage's clock when it is missing, unreadable or too far ahead.
fn message_time(message: &ChannelMessage, now_ms: u64) -> u64 {
    message
        .created_timestamp
        .as_ref()
        .and_then(parse_timestamp)
        .and_then(|nanos| u64::try_from(nanos / 1_000_000).ok())
        .filter(|&at| at > 0 && at <= now_ms.saturating_add(MAX_SKEW_MS))
        .unwrap_or(now_ms)
}
