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

/// The ContentType of Amazon Lex bot replies: their Content is JSON.
pub const LEX_CONTENT_TYPE: &str = "application/amz-chime-lex-msgs";

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
    /// new message: `LastEditedTimestamp` is present and later than
    /// `CreatedTimestamp`.
    ///
    /// AWS documents no edit marker, and its documented event for a plain
    /// send carries `LastEditedTimestamp` too
    /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/processor-setup.html>),
    /// so its presence alone proves nothing. Both are compared as instants
    /// ([`parse_timestamp`]: ISO-8601 strings or epoch numbers). When either
    /// is missing or unreadable the message counts as new: a rule limited to
    /// new messages then still runs, which is the safe side.
    pub fn is_edit(&self) -> bool {
        // LastEditedTimestamp first: without it nothing needs parsing.
        let Some(edited) = self
            .last_edited_timestamp
            .as_ref()
            .and_then(parse_timestamp)
        else {
            return false;
        };
        self.created_timestamp
            .as_ref()
            .and_then(parse_timestamp)
            .is_some_and(|created| edited > created)
    }
}

/// Fields of the event that this version knows but found in a shape it
/// cannot use; [`ProcessorEvent::from_slice`] sets them aside, keeping the
/// raw value in `extra`, so the message is still moderated.
const KNOWN_EVENT_FIELDS: &[&str] = &["EventType"];
const KNOWN_MESSAGE_FIELDS: &[&str] = &[
    "ChannelArn",
    "Content",
    "Metadata",
    "Type",
    "CreatedTimestamp",
    "LastEditedTimestamp",
    "LastUpdatedTimestamp",
    "Sender",
    "Persistence",
    "MessageAttributes",
    "SubChannelId",
    "ContentType",
    "Target",
];

impl ProcessorEvent {
    /// The paths of the known fields that were set aside because their value
    /// did not have the documented shape (a number where a string belongs, a
    /// list where a map belongs, ...). They are never echoed in a callback.
    pub fn set_aside_fields(&self) -> impl Iterator<Item = String> + '_ {
        let top = KNOWN_EVENT_FIELDS
            .iter()
            .filter(|name| self.extra.contains_key(**name))
            .map(|name| (*name).to_owned());
        let message = KNOWN_MESSAGE_FIELDS
            .iter()
            .filter(|name| self.channel_message.extra.contains_key(**name))
            .map(|name| format!("ChannelMessage.{name}"));
        top.chain(message)
    }
}

/// Whether `name` is a field of [`ChannelMessage`] this version reads.
pub(crate) fn is_known_message_field(name: &str) -> bool {
    KNOWN_MESSAGE_FIELDS.contains(&name)
}

/// A timestamp as nanoseconds since the Unix epoch. AWS does not document
/// the event's timestamp format, and both forms occur: ISO-8601 / RFC 3339
/// strings (`2026-11-25T09:14:03.512Z`, what the API's JSON uses) and epoch
/// numbers (seconds, with a fraction; a value above 10^11 is read as
/// milliseconds), as numbers or numeric strings. `None` when unreadable.
pub fn parse_timestamp(value: &Value) -> Option<i128> {
    match value {
        Value::Number(number) => epoch_nanos(number.as_f64()?),
        Value::String(text) => {
            let text = text.trim();
            if let Ok(number) = text.parse::<f64>() {
                return epoch_nanos(number);
            }
            use time::format_description::well_known::{Iso8601, Rfc3339};
            time::OffsetDateTime::parse(text, &Rfc3339)
                .or_else(|_| time::OffsetDateTime::parse(text, &Iso8601::DEFAULT))
                .ok()
                .map(time::OffsetDateTime::unix_timestamp_nanos)
        }
        _ => None,
    }
}

fn epoch_nanos(number: f64) -> Option<i128> {
    if !number.is_finite() {
        return None;
    }
    let seconds = if number.abs() > 1e11 {
        number / 1000.0
    } else {
        number
    };
    // Within ±10^13 s (about 300,000 years) the cast cannot overflow.
    (seconds.abs() < 1e13).then_some((seconds * 1e9) as i128)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(created: Option<Value>, edited: Option<Value>) -> ChannelMessage {
        ChannelMessage {
            message_id: "m".into(),
            created_timestamp: created,
            last_edited_timestamp: edited,
            ..ChannelMessage::default()
        }
    }

    #[test]
    fn a_plain_send_with_last_edited_equal_to_created_is_not_an_edit() {
        // The documented plain-send event carries LastEditedTimestamp.
        let at = json!("2026-11-25T09:14:03.512Z");
        assert!(!message(Some(at.clone()), Some(at)).is_edit());
    }

    #[test]
    fn last_edited_later_than_created_is_an_edit() {
        let cases = [
            (
                json!("2026-11-25T09:14:03.512Z"),
                json!("2026-11-25T09:16:41.007Z"),
            ),
            (
                json!("2026-11-25T09:14:03Z"),
                json!("2026-11-25T10:14:04+01:00"),
            ),
            (json!(1_795_598_043.512), json!(1_795_598_201.007)),
            (json!(1_795_598_043_512_u64), json!(1_795_598_201_007_u64)),
            (json!("1795598043.512"), json!("2026-11-25T09:16:41.007Z")),
            (json!("2026-11-25T09:14:03.512Z"), json!(1_795_598_201.007)),
        ];
        for (created, edited) in cases {
            assert!(
                message(Some(created.clone()), Some(edited.clone())).is_edit(),
                "{created} -> {edited}"
            );
            assert!(
                !message(Some(edited.clone()), Some(created.clone())).is_edit(),
                "{edited} -> {created}"
            );
        }
    }

    #[test]
    fn offsets_are_compared_as_instants() {
        // 10:00+01:00 is 09:00Z: earlier than 09:30Z, though it sorts later.
        let created = json!("2026-11-25T09:30:00Z");
        let edited = json!("2026-11-25T10:00:00+01:00");
        assert!(!message(Some(created), Some(edited)).is_edit());
    }

    #[test]
    fn missing_or_unreadable_timestamps_mean_new() {
        let at = json!("2026-11-25T09:14:03.512Z");
        assert!(!message(None, Some(at.clone())).is_edit());
        assert!(!message(Some(at.clone()), None).is_edit());
        assert!(!message(Some(json!("yesterday")), Some(at.clone())).is_edit());
        assert!(!message(Some(at), Some(json!({"at": 1}))).is_edit());
        assert!(!message(Some(json!(1.0)), Some(Value::Null)).is_edit());
    }
}
