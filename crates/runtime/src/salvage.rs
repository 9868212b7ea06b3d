//! What can be answered for an event that does not parse.

use chimeflow_core::{CallbackRequest, ChannelMessageCallback, OnError, limits};
use serde_json::Value;

/// The identity of an unparseable event, if it still carries one: a
/// CallbackId, a ChannelArn and a MessageId that would be accepted.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Salvaged {
    callback_id: String,
    channel_arn: String,
    message_id: String,
    content: Option<String>,
}

impl Salvaged {
    /// Reads the identity from loosely parsed JSON.
    pub(crate) fn from_json(bytes: &[u8]) -> Option<Self> {
        let value: Value = serde_json::from_slice(bytes).ok()?;
        let callback_id = value.get("CallbackId")?.as_str()?.to_owned();
        let message = value.get("ChannelMessage")?;
        let message_id = message.get("MessageId")?.as_str()?.to_owned();
        let channel_arn = message.get("ChannelArn")?.as_str()?.to_owned();
        let content = message
            .get("Content")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let salvaged = Self {
            callback_id,
            channel_arn,
            message_id,
            content,
        };
        salvaged
            .request(OnError::Deny)
            .validate()
            .is_ok()
            .then_some(salvaged)
    }

    /// The callback `on_error` calls for: a deny, or the content echoed
    /// (when it is text within the limits; otherwise a deny all the same).
    pub(crate) fn request(&self, on_error: OnError) -> CallbackRequest {
        let echo = match on_error {
            OnError::Pass => self
                .content
                .clone()
                .filter(|c| !c.is_empty() && c.len() <= limits::CONTENT_MAX_BYTES),
            OnError::Deny => None,
        };
        let deny = on_error == OnError::Deny || echo.is_none();
        CallbackRequest {
            channel_arn: Some(self.channel_arn.clone()),
            callback_id: self.callback_id.clone(),
            delete_resource: deny,
            channel_message: ChannelMessageCallback {
                message_id: self.message_id.clone(),
                content: if deny { None } else { echo },
                ..Default::default()
            },
        }
    }

    /// The message id.
    pub(crate) fn message_id(&self) -> &str {
        &self.message_id
    }

    /// The channel.
    pub(crate) fn channel_arn(&self) -> &str {
        &self.channel_arn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:chime:us-east-1:1:app-instance/a/channel/c";

    #[test]
    fn an_event_with_a_bad_field_but_a_good_identity_is_salvaged() {
        let json = serde_json::json!({
            "CallbackId": "c".repeat(32),
            "ChannelMessage": {"MessageId": "m", "ChannelArn": ARN, "Content": "hi", "Persistence": 7}
        });
        let salvaged = Salvaged::from_json(json.to_string().as_bytes()).unwrap();
        let deny = salvaged.request(OnError::Deny);
        assert!(deny.delete_resource);
        assert_eq!(deny.channel_message.content, None);
        let pass = salvaged.request(OnError::Pass);
        assert!(!pass.delete_resource);
        assert_eq!(pass.channel_message.content.as_deref(), Some("hi"));
    }

    #[test]
    fn no_identity_no_salvage() {
        for json in [
            serde_json::json!({"ChannelMessage": {"MessageId": "m", "ChannelArn": ARN}}),
            serde_json::json!({"CallbackId": "c".repeat(32), "ChannelMessage": {"MessageId": "m"}}),
            serde_json::json!({"CallbackId": "short", "ChannelMessage": {"MessageId": "m", "ChannelArn": ARN}}),
            serde_json::json!([1, 2]),
        ] {
            assert_eq!(
                Salvaged::from_json(json.to_string().as_bytes()),
                None,
                "{json}"
            );
        }
        assert_eq!(Salvaged::from_json(b"{not json"), None);
    }
}
