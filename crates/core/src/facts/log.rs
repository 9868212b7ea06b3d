//! Logs: what a store keeps about a sender or a channel over time.

use std::fmt;
use std::time::Duration;

/// Whose behaviour a log follows. A store keeps one record per subject, so
/// every log of one subject is read and written in one round trip.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// A sender (AppInstanceUser or AppInstanceBot ARN), across channels.
    Sender(String),
    /// A channel (its ARN), across senders.
    Channel(String),
}

impl Subject {
    /// The store key: `sender#ARN` or `channel#ARN`, so a key says whose
    /// record it is.
    ///
    /// ```
    /// use chimeflow_core::Subject;
    ///
    /// assert_eq!(Subject::Sender("arn:u".into()).key(), "sender#arn:u");
    /// ```
    pub fn key(&self) -> String {
        match self {
            Subject::Sender(arn) => format!("sender#{arn}"),
            Subject::Channel(arn) => format!("channel#{arn}"),
        }
    }
}

/// What a log records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogKind {
    /// One entry per message (rate limits, duplicates).
    Messages,
    /// One entry per strike (findings counted against a sender).
    Strikes,
}

impl LogKind {
    /// `messages` or `strikes`: the start of the log's attribute names.
    pub fn as_str(&self) -> &'static str {
        match self {
            LogKind::Messages => "messages",
            LogKind::Strikes => "strikes",
        }
    }
}

/// One log: a subject's entries of one kind within a sliding window.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LogId {
    /// Whose log.
    pub subject: Subject,
    /// What it records.
    pub kind: LogKind,
    /// How far back it looks: entries older than this are not returned.
    pub window: Duration,
}

impl LogId {
    /// The log of `kind` for `subject` over `window`.
    pub fn new(subject: Subject, kind: LogKind, window: Duration) -> Self {
        Self {
            subject,
            kind,
            window,
        }
    }
}

/// One entry of a log: when, which message, and short keyed tags (never
/// content): the channel the message went to and a hash of its content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LogEntry {
    /// When the message was sent, in Unix milliseconds.
    pub at_ms: u64,
    /// The message id: the same message is logged once, however often its
    /// event is delivered.
    pub message_id: String,
    /// A tag of the channel (a short hash of its ARN).
    pub channel: String,
    /// A keyed hash of the normalised content, when a rule asked for it.
    pub content: String,
}

impl LogEntry {
    /// The stored form: `at|message id|channel tag|content tag`. Message ids
    /// hold only letters, digits, `-` and `_`, and tags are hex, so `|`
    /// cannot occur inside a field.
    ///
    /// ```
    /// use chimeflow_core::LogEntry;
    ///
    /// let entry = LogEntry { at_ms: 5, message_id: "m1".into(), channel: "ab".into(), content: String::new() };
    /// assert_eq!(entry.encode(), "5|m1|ab|");
    /// assert_eq!(LogEntry::decode(&entry.encode()), Some(entry));
    /// assert_eq!(LogEntry::decode("garbage"), None);
    /// ```
    pub fn encode(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.at_ms, self.message_id, self.channel, self.content
        )
    }

    /// Reads the stored form; `None` for anything else (an entry written by
    /// something that is not chimeflow is ignored, not trusted).
    pub fn decode(stored: &str) -> Option<Self> {
        let mut fields = stored.split('|');
        let entry = LogEntry {
            at_ms: fields.next()?.parse().ok()?,
            message_id: fields.next()?.to_owned(),
            channel: fields.next()?.to_owned(),
            content: fields.next()?.to_owned(),
        };
        fields.next().is_none().then_some(entry)
    }
}

impl LogEntry {
    /// The channel tag of a channel ARN: 16 hex digits of its FNV-1a hash.
    /// Short (an entry stays small) and enough to tell one sender's
    /// channels apart; ARNs are not secret, so no key is needed.
    ///
    /// ```
    /// use chimeflow_core::LogEntry;
    ///
    /// let tag = LogEntry::channel_tag("arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c");
    /// assert_eq!(tag.len(), 16);
    /// assert_ne!(tag, LogEntry::channel_tag("arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/d"));
    /// ```
    pub fn channel_tag(channel_arn: &str) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in channel_arn.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("{hash:016x}")
    }
}

impl fmt::Display for LogId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} over {}",
            self.kind.as_str(),
            match self.subject {
                Subject::Sender(_) => "the sender",
                Subject::Channel(_) => "the channel",
            },
            crate::format_duration(self.window)
        )
    }
}
