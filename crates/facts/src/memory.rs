//! The in-memory store: one process's records, for `chimeflow process`,
//! `chimeflow local` and tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::future::{BoxFuture, FutureExt, ready};

use crate::store::{EXPIRES, Item, ItemUpdate, Store, StoreError};

/// Records in a map behind a lock: every update is atomic, as DynamoDB's
/// `UpdateItem` is, so rules behave here exactly as against the table.
/// A record past its `expires` reads as absent (DynamoDB's TTL deletes
/// within days; the stage never relies on it, so neither does this).
///
/// Only shared within one process: a processor on Lambda runs as many
/// instances, and needs the DynamoDB store for counts that hold across them.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use chimeflow_facts::{ItemUpdate, MemoryStore, Store};
///
/// let store = MemoryStore::new();
/// let mut update = ItemUpdate::new("sender#u");
/// update.add.push(("messages_10s_1".into(), "1|m1||".into()));
/// store.update(update.clone()).await.unwrap();
/// let item = store.update(update).await.unwrap(); // the same element again
/// assert_eq!(item.sets["messages_10s_1"].len(), 1);
/// # });
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    /// Each record behind an `Arc`: an update changes it in place
    /// (`Arc::make_mut`; the stage has let go of the last copy it was
    /// handed) and hands out a shared copy, so a call clones nothing.
    records: Mutex<HashMap<String, Arc<Item>>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many records it holds (expired ones included until touched).
    pub fn len(&self) -> usize {
        self.records.lock().map_or(0, |records| records.len())
    }

    /// Whether it holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn apply(&self, update: ItemUpdate) -> Result<Arc<Item>, StoreError> {
        let mut records = self
            .records
            .lock()
            .map_err(|_| StoreError::Failed("memory store lock poisoned".into()))?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let expired = records
            .get(&update.key)
            .and_then(|item| item.numbers.get(EXPIRES))
            .is_some_and(|&expires| u64::try_from(expires).unwrap_or(0) < now);
        if expired {
            records.remove(&update.key);
        }
        if update.is_read() {
            return Ok(records.get(&update.key).cloned().unwrap_or_default());
        }
        let shared = records.entry(update.key).or_default();
        let item = Arc::make_mut(shared);
        for (attribute, element) in update.add {
            item.sets.entry(attribute).or_default().insert(element);
        }
        for attribute in update.remove {
            item.sets.remove(&attribute);
            item.numbers.remove(&attribute);
        }
        for (attribute, value) in update.set {
            item.numbers.insert(attribute, value);
        }
        if let Some(expires) = update.expires {
            item.numbers
                .insert(EXPIRES.into(), i64::try_from(expires).unwrap_or(i64::MAX));
        }
        Ok(shared.clone())
    }
}

impl Store for MemoryStore {
    fn update(&self, update: ItemUpdate) -> BoxFuture<'_, Result<Arc<Item>, StoreError>> {
        ready(self.apply(update)).boxed()
    }

    fn kind(&self) -> &'static str {
        "memory"
    }
}
