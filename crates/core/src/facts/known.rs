//! What the runtime gathered: the facts rules read.

use std::collections::BTreeMap;

use super::{LogEntry, LogId, ServiceAnswer, ServiceKind, ServiceRequest, Subject};

/// Why a fact is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unavailable {
    /// No store was configured or nothing was gathered (a bare
    /// [`Processor::process`](crate::Processor::process)).
    NoStore,
    /// The store did not answer within the time budget.
    Timeout,
    /// The store refused for throughput (DynamoDB throttling).
    Throttled,
    /// The store failed (unreachable, an error, an answer it cannot read).
    Failed,
    /// No service is configured (`chimeflow process` without
    /// `--comprehend-endpoint`, a processor without Comprehend).
    NoService,
    /// No service was asked: the rule's own
    /// conditions (too short, a language it does not support) kept it from
    /// asking.
    NotAsked,
    /// The service answered about other text than the rule now sees (a
    /// rule before it changed the text differently once it had its own
    /// facts).
    Stale,
}

impl Unavailable {
    /// `no-store`, `timeout`, `throttled` or `failed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Unavailable::NoStore => "no-store",
            Unavailable::Timeout => "timeout",
            Unavailable::Throttled => "throttled",
            Unavailable::Failed => "failed",
            Unavailable::NoService => "no-service",
            Unavailable::NotAsked => "not-asked",
            Unavailable::Stale => "stale",
        }
    }
}

/// What the store holds for one subject, as gathered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubjectFacts {
    /// Each log's entries (this message's own included when it was appended).
    pub logs: BTreeMap<LogId, Vec<LogEntry>>,
    /// Numbers by name (absent: never set).
    pub numbers: BTreeMap<String, i64>,
}

/// The facts gathered for one message, handed to the rules through
/// [`Message::facts`](crate::Message::facts). A fact that could not be had
/// within the budget is absent with the reason, and each rule decides what
/// that means for it (its `on_store_error`).
///
/// Everything is judged as of the message's time ([`Facts::at_ms`]): a log
/// returns the entries within the window before it, so a message delivered
/// again later is judged as it was the first time.
///
/// ```
/// use std::time::Duration;
/// use chimeflow_core::{Facts, LogEntry, LogId, LogKind, Subject, SubjectFacts, Unavailable};
///
/// let sender = Subject::Sender("arn:u".into());
/// let log = LogId::new(sender.clone(), LogKind::Messages, Duration::from_secs(10));
/// let entry = |at_ms| LogEntry { at_ms, message_id: format!("m{at_ms}"), ..Default::default() };
/// let mut known = SubjectFacts::default();
/// known.logs.insert(log.clone(), vec![entry(1_000), entry(50_000), entry(55_000), entry(70_000)]);
/// let facts = Facts::new(60_000).with_subject(sender.clone(), Ok(known));
///
/// // Within the 10 s before 60 s, not after it.
/// let ids: Vec<_> = facts.log(&log).unwrap().map(|e| e.message_id.as_str()).collect();
/// assert_eq!(ids, ["m55000"]);
///
/// let channel_log = LogId::new(Subject::Channel("arn:c".into()), LogKind::Messages, Duration::from_secs(10));
/// assert_eq!(facts.log(&channel_log).err(), Some(Unavailable::NoStore));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    at_ms: u64,
    subjects: BTreeMap<Subject, Result<SubjectFacts, Unavailable>>,
    services: BTreeMap<ServiceKind, (ServiceRequest, Result<ServiceAnswer, Unavailable>)>,
}

impl Facts {
    /// No facts at all: every lookup answers [`Unavailable::NoStore`].
    pub const fn none() -> Self {
        Self {
            at_ms: 0,
            subjects: BTreeMap::new(),
            services: BTreeMap::new(),
        }
    }

    /// Facts as of `at_ms` (Unix milliseconds), none gathered yet.
    pub fn new(at_ms: u64) -> Self {
        Self {
            at_ms,
            subjects: BTreeMap::new(),
            services: BTreeMap::new(),
        }
    }

    /// With what was gathered for `subject` (or why it could not be).
    pub fn with_subject(
        mut self,
        subject: Subject,
        gathered: Result<SubjectFacts, Unavailable>,
    ) -> Self {
        self.subjects.insert(subject, gathered);
        self
    }

    /// With a service's answer to `request` (or why there is none).
    pub fn with_service(
        mut self,
        request: ServiceRequest,
        answer: Result<ServiceAnswer, Unavailable>,
    ) -> Self {
        self.services.insert(request.kind(), (request, answer));
        self
    }

    /// A service's answer, with the request it answers (its text is what
    /// the service saw), or why there is none ([`Unavailable::NotAsked`]
    /// when nothing asked).
    pub fn service(
        &self,
        kind: ServiceKind,
    ) -> Result<(&ServiceRequest, &ServiceAnswer), Unavailable> {
        match self.services.get(&kind) {
            Some((request, Ok(answer))) => Ok((request, answer)),
            Some((_, Err(why))) => Err(*why),
            None => Err(Unavailable::NotAsked),
        }
    }

    /// The dominant language a service found, if one was asked and answered.
    pub fn dominant_language(&self) -> Option<&str> {
        match self.service(ServiceKind::DominantLanguage) {
            Ok((_, ServiceAnswer::DominantLanguage(languages))) => {
                languages.first().map(|l| l.code.as_str())
            }
            _ => None,
        }
    }

    /// The message's time, in Unix milliseconds, that windows and timeouts
    /// are judged against (0 when nothing was gathered).
    pub fn at_ms(&self) -> u64 {
        self.at_ms
    }

    /// `log`'s entries within its window before [`at_ms`](Self::at_ms),
    /// oldest first, or why they are missing.
    pub fn log(&self, log: &LogId) -> Result<impl Iterator<Item = &LogEntry>, Unavailable> {
        let subject = self.subject(&log.subject)?;
        let from = self
            .at_ms
            .saturating_sub(u64::try_from(log.window.as_millis()).unwrap_or(u64::MAX));
        let to = self.at_ms;
        Ok(subject
            .logs
            .get(log)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(move |entry| entry.at_ms > from && entry.at_ms <= to))
    }

    /// The number `name` stored for `subject` (`None`: never set), or why
    /// it is missing.
    pub fn number(&self, subject: &Subject, name: &str) -> Result<Option<i64>, Unavailable> {
        Ok(self.subject(subject)?.numbers.get(name).copied())
    }

    /// Why nothing could be gathered for some subject, if so (the first
    /// reason): what the runtime logs and counts.
    pub fn unavailable(&self) -> Option<Unavailable> {
        self.subjects
            .values()
            .find_map(|s| s.as_ref().err().copied())
            .or_else(|| {
                self.services
                    .values()
                    .find_map(|(_, answer)| answer.as_ref().err().copied())
            })
    }

    fn subject(&self, subject: &Subject) -> Result<&SubjectFacts, Unavailable> {
        match self.subjects.get(subject) {
            Some(gathered) => gathered.as_ref().map_err(|e| *e),
            None => Err(Unavailable::NoStore),
        }
    }
}

impl Default for Facts {
    fn default() -> Self {
        Self::none()
    }
}
