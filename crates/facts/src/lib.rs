//! chimeflow-facts: the facts stage of a chimeflow processor.
//!
//! Stateful rules (`rate-limit`, `duplicate`, `strikes`) stay pure: they ask
//! for facts in [`Rule::gather`](chimeflow_core::Rule::gather), and this
//! crate's [`Stage`] gathers every rule's requests before the rules run, in
//! one [`Store`] call per subject (the sender; the channel when a rule
//! counts per channel), all at once, within a time budget (default 50 ms,
//! never past the invocation's deadline). After the decision,
//! [`Stage::record`] keeps what the rules asked to keep (strikes, timeouts).
//!
//! Two stores: [`MemoryStore`] (one process: `chimeflow process`,
//! `chimeflow local`, tests) and, with the `dynamodb` feature (default),
//! `DynamoStore`, one DynamoDB table shared by every processor instance.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! use std::sync::Arc;
//! use std::time::Duration;
//! use chimeflow_core::{ChannelMessage, FactRequests, LogId, LogKind, Subject};
//! use chimeflow_facts::{MemoryStore, Stage};
//!
//! let stage = Stage::new(Arc::new(MemoryStore::new()));
//! let sender = Subject::Sender("arn:u".into());
//! let log = LogId::new(sender, LogKind::Messages, Duration::from_secs(10));
//! let mut requests = FactRequests::default();
//! requests.append(log.clone(), None);
//! for id in ["m1", "m2", "m2"] {
//!     let message = ChannelMessage { message_id: id.into(), ..Default::default() };
//!     let gathered = stage.gather(&requests, &message, None).await;
//!     assert_eq!(gathered.calls, 1);
//!     let count = gathered.facts.log(&log).unwrap().count();
//!     println!("{id}: {count} in the last 10 s");
//! }
//! # });
//! ```

mod layout;
mod memory;
mod services;
mod stage;
mod store;

#[cfg(feature = "comprehend")]
mod comprehend;

#[cfg(feature = "dynamodb")]
mod dynamodb;

#[cfg(feature = "comprehend")]
pub use comprehend::Comprehend;
#[cfg(feature = "dynamodb")]
pub use dynamodb::DynamoStore;
pub use memory::MemoryStore;
pub use services::Services;
pub use stage::{DEFAULT_BUDGET, DEFAULT_SERVICE_BUDGET, Gathered, Recorded, ServiceCall, Stage};
pub use store::{EXPIRES, Item, ItemUpdate, KEY, Store, StoreError};
