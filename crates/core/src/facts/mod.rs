//! Facts, then decisions: what rules know beyond the message itself.
//!
//! Rules stay pure and synchronous. A rule that needs state (how many
//! messages this sender sent in the last ten seconds, its strikes) says so
//! in [`Rule::gather`](crate::Rule::gather); the runtime gathers every
//! rule's requests in one stage before the rules run (one store round trip
//! per subject, all at once, within a time budget), hands the answers to
//! the rules as [`Facts`] through [`Message::facts`](crate::Message::facts),
//! and afterwards carries out the [`Effect`]s the rules asked for. A fact
//! that could not be had is absent with its reason ([`Unavailable`]), and
//! each rule says what it does then.
//!
//! Two kinds of facts: logs kept in a store (rate limits, duplicates,
//! strikes) and answers of services (Amazon Comprehend's toxicity,
//! personal data and language detection), asked with the message's text
//! as the rules before the asking rule left it.
//!
//! This crate has the model only; the stores, the services and the stage
//! are in `chimeflow-facts`.

mod effects;
mod known;
mod log;
mod requests;
mod services;

pub use effects::Effect;
pub use known::{Facts, SubjectFacts, Unavailable};
pub use log::{LogEntry, LogId, LogKind, Subject};
pub use requests::FactRequests;
pub use services::{
    LanguageScore, PiiEntity, SegmentToxicity, ServiceAnswer, ServiceKind, ServiceRequest,
};
