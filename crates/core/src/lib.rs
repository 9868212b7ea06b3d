//! chimeflow-core: the model every chimeflow crate shares.
//!
//! An Amazon Chime SDK Messaging channel flow hands each message to a processor
//! Lambda as a [`ProcessorEvent`]. The processor builds a [`Message`] (the
//! editable view), runs a [`Pipeline`] of [`Rule`]s over it, and answers with
//! the [`CallbackRequest`] carried by the resulting [`Outcome`].
//!
//! This crate has no AWS SDK, no async runtime and no I/O: a rule author
//! depends on it alone.
//!
//! ```
//! use chimeflow_core::{Findings, Message, OnError, Pipeline, Processor, ProcessorEvent, Rule, Verdict};
//!
//! /// Denies messages that shout.
//! struct NoShouting;
//! impl Rule for NoShouting {
//!     fn id(&self) -> &str { "no-shouting" }
//!     fn check(&self, message: &mut Message<'_>, _findings: &mut Findings) -> Verdict {
//!         let text = message.content();
//!         if text.len() > 3 && !text.chars().any(char::is_lowercase) {
//!             Verdict::deny("shouting")
//!         } else {
//!             Verdict::Continue
//!         }
//!     }
//! }
//!
//! let processor = Processor::new(Pipeline::new(vec![Box::new(NoShouting)]), OnError::Deny);
//! let event: ProcessorEvent = serde_json::from_str(r#"{
//!     "CallbackId": "0123456789abcdef0123456789abcdef",
//!     "ChannelMessage": {"MessageId": "m1", "Content": "HELLO ALL"}}"#).unwrap();
//! let outcome = processor.process(&event).unwrap();
//! assert_eq!(outcome.decision.as_str(), "DENY");
//! assert!(outcome.callback.delete_resource);
//! ```
//!
//! The guide ([`docs/` in the repository](https://github.com/chimeflow/chimeflow/blob/main/docs/README.md)) explains the
//! model around these types: [writing and testing a rule crate](https://github.com/chimeflow/chimeflow/blob/main/docs/writing-rules.md),
//! [configuration and what the processor answers](https://github.com/chimeflow/chimeflow/blob/main/docs/configuration.md), and
//! [the local loop](https://github.com/chimeflow/chimeflow/blob/main/docs/local.md).

mod callback;
mod duration;
mod edits;
mod event;
mod facts;
mod finding;
pub mod limits;
mod message;
mod observation;
mod observe;
mod outcome;
mod panic_hook;
mod parse;
mod pipeline;
mod processor;
mod rule;
mod rule_config;
mod selective;
mod selector;
mod wire_enum;

pub use callback::{CallbackBody, CallbackRequest, ChannelMessageCallback, PushNotification};
pub use duration::{duration_str, format_duration, parse_duration};
pub use event::{
    ChannelMessage, EventType, Identity, LEX_CONTENT_TYPE, MessageAttributeValue,
    MessageAttributes, MessageType, Persistence, ProcessorEvent, PushNotificationType, Target,
    parse_timestamp,
};
pub use facts::{
    Effect, FactRequests, Facts, LanguageScore, LogEntry, LogId, LogKind, PiiEntity,
    SegmentToxicity, ServiceAnswer, ServiceKind, ServiceRequest, Subject, SubjectFacts,
    Unavailable,
};
pub use finding::{Field, Finding, Findings};
pub use limits::{LimitField, LimitViolation, LimitViolations};
pub use message::Message;
pub use observation::{Mode, Observation, ObservedAction};
pub use observe::Observed;
pub use outcome::{Decision, DenyReason, Outcome};
pub use panic_hook::install_quiet_panic_hook;
pub use parse::ParseError;
pub use pipeline::{Pipeline, PipelineRun};
pub use processor::{EventError, OnError, Processor};
pub use rule::{Rule, Verdict};
pub use rule_config::{OptionError, RuleConfig};
pub use selective::Selective;
pub use selector::{Selector, wildcard_match};
