//! Shared set-up for the chimeflow fuzz targets. The byte-input targets'
//! bodies live in `setup.rs` (also replayed on stable by
//! tests/tests/fuzz_corpus.rs); the structured event of the `pipeline`
//! target, which needs `arbitrary`, lives here.

#[path = "setup.rs"]
mod setup;

pub use setup::*;

use arbitrary::Arbitrary;
use chimeflow_core::{
    ChannelMessage, Identity, MessageAttributeValue, Persistence, ProcessorEvent,
};
use chimeflow_test::{CHANNEL_ARN, EventBuilder};

/// How a generated event names its channel.
#[derive(Arbitrary, Debug)]
pub enum ArnChoice {
    /// The test channel.
    Valid,
    /// None (the CLI processes such events).
    Missing,
    /// Anything.
    Other(String),
}

/// How a generated event sets its ContentType.
#[derive(Arbitrary, Debug)]
pub enum ContentTypeChoice {
    /// None.
    Missing,
    /// Amazon Lex's.
    Lex,
    /// Anything.
    Other(String),
}

/// A structured event for the `pipeline` target and property tests:
/// identity fields are valid unless the fuzzer asks otherwise; every
/// other field is arbitrary.
#[derive(Arbitrary, Debug)]
pub struct FuzzEvent {
    /// The content.
    pub content: Option<String>,
    /// The metadata.
    pub metadata: Option<String>,
    /// Message attributes.
    pub attributes: Vec<(String, Vec<String>)>,
    /// Some other CallbackId instead of a valid one.
    pub callback_id: Option<String>,
    /// Some other MessageId instead of a valid one.
    pub message_id: Option<String>,
    /// The channel.
    pub channel_arn: ArnChoice,
    /// The sub-channel.
    pub sub_channel_id: Option<String>,
    /// The content type.
    pub content_type: ContentTypeChoice,
    /// Marks an edit.
    pub edit: bool,
    /// NON_PERSISTENT instead of PERSISTENT.
    pub non_persistent: bool,
    /// The sender's ARN.
    pub sender_arn: Option<String>,
    /// Unknown fields.
    pub extra: Vec<(String, String)>,
}

impl FuzzEvent {
    /// The processor event.
    pub fn to_event(&self) -> ProcessorEvent {
        let mut event = EventBuilder::new().build();
        if let Some(id) = &self.callback_id {
            event.callback_id = id.clone();
        }
        let message: &mut ChannelMessage = &mut event.channel_message;
        if let Some(id) = &self.message_id {
            message.message_id = id.clone();
        }
        message.channel_arn = match &self.channel_arn {
            ArnChoice::Valid => Some(CHANNEL_ARN.into()),
            ArnChoice::Missing => None,
            ArnChoice::Other(arn) => Some(arn.clone()),
        };
        message.content = self.content.clone();
        message.metadata = self.metadata.clone();
        if !self.attributes.is_empty() {
            message.message_attributes = Some(
                self.attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), MessageAttributeValue::new(v.iter().cloned())))
                    .collect(),
            );
        }
        message.sub_channel_id = self.sub_channel_id.clone();
        message.content_type = match &self.content_type {
            ContentTypeChoice::Missing => None,
            ContentTypeChoice::Lex => Some(chimeflow_core::LEX_CONTENT_TYPE.into()),
            ContentTypeChoice::Other(t) => Some(t.clone()),
        };
        if self.edit {
            message.last_edited_timestamp = Some("2026-01-01T00:05:00.000Z".into());
        }
        if self.non_persistent {
            message.persistence = Some(Persistence::NonPersistent);
        }
        if let Some(arn) = &self.sender_arn {
            message.sender = Some(Identity {
                arn: Some(arn.clone()),
                ..Identity::default()
            });
        }
        for (k, v) in &self.extra {
            message
                .extra
                .insert(format!("X{k}"), serde_json::Value::String(v.clone()));
        }
        event
    }
}
