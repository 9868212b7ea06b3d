//! What the rules ask the runtime to gather before they run.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::{LogId, ServiceKind, ServiceRequest, Subject};

/// The facts the rules of a pipeline need for one message, collected by
/// [`Rule::gather`](crate::Rule::gather) before any rule runs. The runtime
/// gathers them all in one stage (one store round trip per subject, all
/// subjects at once) and hands the answers to the rules as [`Facts`](crate::Facts).
///
/// ```
/// use std::time::Duration;
/// use chimeflow_core::{FactRequests, LogId, LogKind, Subject};
///
/// let mut requests = FactRequests::default();
/// let log = LogId::new(Subject::Sender("arn:u".into()), LogKind::Messages, Duration::from_secs(10));
/// requests.append(log.clone(), None);
/// requests.append(log.clone(), Some("c0ffee".into())); // another rule wants the content tag
/// assert_eq!(requests.appends().count(), 1);
/// assert_eq!(requests.appends().next().unwrap().1, Some("c0ffee"));
/// assert!(!requests.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FactRequests {
    appends: BTreeMap<LogId, Option<String>>,
    reads: BTreeSet<LogId>,
    numbers: BTreeSet<(Subject, String)>,
    keep: BTreeMap<Subject, Duration>,
    services: BTreeMap<ServiceKind, ServiceRequest>,
}

impl FactRequests {
    /// Log this message in `log` and return the log's entries within its
    /// window (this message's entry included). `content` is a keyed hash
    /// of the content, for rules that compare contents; the first rule to
    /// give one sets it. A tag must be hex digits (a store entry is
    /// `|`-separated); any other is dropped.
    pub fn append(&mut self, log: LogId, content: Option<String>) {
        let content = content.filter(|tag| tag.bytes().all(|b| b.is_ascii_hexdigit()));
        let slot = self.appends.entry(log).or_default();
        if slot.is_none() {
            *slot = content;
        }
    }

    /// Return `log`'s entries within its window, without adding to it.
    pub fn read(&mut self, log: LogId) {
        self.reads.insert(log);
    }

    /// Return the number `name` stored for `subject` (a timeout's end, say).
    pub fn read_number(&mut self, subject: Subject, name: impl Into<String>) {
        self.numbers.insert((subject, name.into()));
    }

    /// Keep what is stored for `subject` at least this long after this
    /// message (logs keep twice their window on their own).
    pub fn keep(&mut self, subject: Subject, at_least: Duration) {
        let slot = self.keep.entry(subject).or_default();
        *slot = (*slot).max(at_least);
    }

    /// Ask a service (at most one call of each kind per message: the first
    /// rule to ask sets the request).
    pub fn ask(&mut self, request: ServiceRequest) {
        self.services.entry(request.kind()).or_insert(request);
    }

    /// The service calls asked for.
    pub fn services(&self) -> impl Iterator<Item = &ServiceRequest> {
        self.services.values()
    }

    /// Whether no log, number or TTL was asked of the store (service calls
    /// apart).
    pub fn store_is_idle(&self) -> bool {
        self.appends.is_empty()
            && self.reads.is_empty()
            && self.numbers.is_empty()
            && self.keep.is_empty()
    }

    /// The logs to append to, each with its content tag.
    pub fn appends(&self) -> impl Iterator<Item = (&LogId, Option<&str>)> {
        self.appends.iter().map(|(log, tag)| (log, tag.as_deref()))
    }

    /// The logs to read without appending (those also appended to are
    /// left out: the append returns them).
    pub fn reads(&self) -> impl Iterator<Item = &LogId> {
        self.reads
            .iter()
            .filter(|log| !self.appends.contains_key(*log))
    }

    /// The numbers to read.
    pub fn numbers(&self) -> impl Iterator<Item = (&Subject, &str)> {
        self.numbers
            .iter()
            .map(|(subject, name)| (subject, name.as_str()))
    }

    /// How long to keep each subject's record, as asked with [`keep`](Self::keep).
    pub fn kept(&self, subject: &Subject) -> Duration {
        self.keep.get(subject).copied().unwrap_or_default()
    }

    /// Every subject something is asked of, in order.
    pub fn subjects(&self) -> BTreeSet<&Subject> {
        self.appends
            .keys()
            .chain(&self.reads)
            .map(|log| &log.subject)
            .chain(self.numbers.iter().map(|(subject, _)| subject))
            .chain(self.keep.keys())
            .collect()
    }

    /// Whether no rule asked for anything (the stage then does nothing).
    pub fn is_empty(&self) -> bool {
        self.store_is_idle() && self.services.is_empty()
    }
}
