//! The invocation event a channel flow sends to its processor Lambda.
//!
//! Field names are PascalCase as on the wire. Only `CallbackId` and
//! `ChannelMessage.MessageId` are required: AWS documents the event loosely,
//! so every other field is optional, unknown enum values parse into an
//! `Unknown` arm, and unknown fields are kept in `extra` and written back out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::wire_enum::wire_enum;

wire_enum! {
    /// `EventType`: `CHANNEL_MESSAGE_EVENT` is the only documented value.
    EventType {
        /// A new or edited channel message.
        ChannelMessageEvent => "CHANNEL_MESSAGE_EVENT",
    }
}

wire_enum! {
    /// `ChannelMessage.Persistence`.
    Persistence {
        /// Stored in the channel's history.
        Persistent => "PERSISTENT",
        /// Delivered to connected members only.
        NonPersistent => "NON_PERSISTENT",
    }
}

wire_enum! {
    /// `ChannelMessage.Type`. Flows only see STANDARD messages.
    MessageType {
        /// A member's message.
        Standard => "STANDARD",
        /// A control message (never reaches a flow).
        Control => "CONTROL",
        /// A system message (never reaches a flow).
        System => "SYSTEM",
    }
}

wire_enum! {
    /// `PushNotification.Type`.
    PushNotificationType {
        /// An ordinary push notification.
        Default => "DEFAULT",
        /// A VoIP push notification.
        Voip => "VOIP",
    }
}

/// Message attributes: `{key: {"StringValues": [...]}}`.
pub type MessageAttributes = BTreeMap<String, MessageAttributeValue>;

/// The event a channel flow delivers to its processor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProcessorEvent {
    /// `CHANNEL_MESSAGE_EVENT`, or a value added later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventType>,
    /// The token to call back with (32-64 characters).
    pub callback_id: String,
    /// The message being processed.
    pub channel_message: ChannelMessage,
    /// Fields this version does not know, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The message inside a [`ProcessorEvent`], as the ChannelMessage API shape has it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChannelMessage {
    /// The message id (required).
    pub message_id: String,
    /// The channel's ARN, needed to call back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_arn: Option<String>,
    /// The text (or, for Lex replies, JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Free-form metadata (at most 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
    /// STANDARD, CONTROL or SYSTEM.
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub message_type: Option<MessageType>,
    /// When the message was created, as given (format undocumented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_timestamp: Option<Value>,
    /// When the message was last edited; set on edits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_edited_timestamp: Option<Value>,
    /// When the message was last updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_timestamp: Option<Value>,
    /// Who sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<Identity>,
    /// PERSISTENT or NON_PERSISTENT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence: Option<Persistence>,
    /// Message attributes, used by push-notification filter rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_attributes: Option<MessageAttributes>,
    /// The sub-channel of an elastic channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_channel_id: Option<String>,
    /// The content type, e.g. `application/amz-chime-lex-msgs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The member a targeted message is for (at most one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Vec<Target>>,
    /// Fields this version does not know, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A sender or other identity: an ARN and a display name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Identity {
    /// The AppInstanceUser or bot ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields this version does not know, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The target of a targeted message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Target {
    /// The member's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_arn: Option<String>,
    /// Fields this version does not know, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One message attribute's values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageAttributeValue {
    /// The string values (each 1-512 characters).
    #[serde(default)]
    pub string_values: Vec<String>,
}

impl MessageAttributeValue {
    /// An attribute value holding these strings.
    pub fn new<I, S>(values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            string_values: values.into_iter().map(Into::into).collect(),
        }
    }
}

impl ChannelMessage {
    /// Whether this event is for an edit (UpdateChannelMessage) rather than a
    /// new message. AWS does not document an edit marker; a populated
    /// `LastEditedTimestamp` is the sign processors use.
    pub fn is_edit(&self) -> bool {
        matches!(&self.last_edited_timestamp, Some(value) if !value.is_null())
    }
}
