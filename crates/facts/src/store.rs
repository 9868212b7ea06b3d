//! The store interface: one record per subject, read and written in one call.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use futures_util::future::BoxFuture;

/// The TTL attribute of every record: when it may be deleted, in Unix seconds.
pub const EXPIRES: &str = "expires";

/// The partition key attribute of the table.
pub const KEY: &str = "pk";

/// One call to a store: atomically change one record (by its key) and
/// return it as it is afterwards. With nothing to change it is a strongly
/// consistent read. On DynamoDB it is exactly one `UpdateItem` (or
/// `GetItem`); in memory, one locked map access.
///
/// No attribute appears twice in one update (the stage sees to it), as
/// DynamoDB requires of an update expression.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemUpdate {
    /// The record's key, e.g. `sender#arn:aws:chime:…`.
    pub key: String,
    /// Elements to add to string-set attributes (a set: adding an element
    /// already there changes nothing, which makes a delivered-again message
    /// count once).
    pub add: Vec<(String, String)>,
    /// Attributes to remove whole.
    pub remove: Vec<String>,
    /// Number attributes to set.
    pub set: Vec<(String, i64)>,
    /// When the record may be deleted, in Unix seconds (the table's TTL
    /// attribute). Set with every write.
    pub expires: Option<u64>,
}

impl ItemUpdate {
    /// An update of the record `key` that changes nothing yet.
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            ..Self::default()
        }
    }

    /// Whether it changes nothing (a read).
    pub fn is_read(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty() && self.set.is_empty()
    }
}

/// A record as a store returns it: string sets and numbers by attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Item {
    /// String-set attributes.
    pub sets: BTreeMap<String, BTreeSet<String>>,
    /// Number attributes (the TTL attribute included).
    pub numbers: BTreeMap<String, i64>,
}

/// Why a store call failed, by kind: what the failure policy, the logs and
/// the metrics need. Never holds content.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Refused for throughput (DynamoDB `ProvisionedThroughputExceeded`,
    /// `ThrottlingException`, `RequestLimitExceeded`).
    #[error("throttled: {0}")]
    Throttled(String),
    /// Anything else: unreachable, an error code, an unreadable answer.
    #[error("failed: {0}")]
    Failed(String),
}

/// Where stateful rules keep their state. Object-safe, so the stage holds
/// any store as `Arc<dyn Store>`.
pub trait Store: Send + Sync + fmt::Debug {
    /// Applies `update` atomically and returns the record afterwards
    /// (shared: the memory store hands out its own copy without cloning).
    fn update(&self, update: ItemUpdate) -> BoxFuture<'_, Result<Arc<Item>, StoreError>>;

    /// A short name for logs: `memory` or `dynamodb`.
    fn kind(&self) -> &'static str;
}
