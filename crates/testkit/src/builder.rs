//! Building processor events in tests.

use chimeflow_core::{
    ChannelMessage, EventType, Identity, MessageAttributeValue, MessageType, Persistence,
    ProcessorEvent,
};

/// The channel test events belong to.
pub const CHANNEL_ARN: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/00000000-0000-4000-8000-000000000000/channel/test-channel";
/// The default sender.
pub const SENDER_ARN: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/00000000-0000-4000-8000-000000000000/user/test-user";

/// A builder for [`ProcessorEvent`]s: a STANDARD, PERSISTENT message from a
/// test user to a test channel, with whatever you change.
///
/// ```
/// use chimeflow_core::Message;
/// use chimeflow_test::EventBuilder;
///
/// let event = EventBuilder::new()
///     .content("see you at 5")
///     .sender("arn:aws:chime:us-east-1:111122223333:app-instance/a/user/guest-1")
///     .attribute("lang", &["en"])
///     .edit()
///     .build();
/// let message = Message::new(&event.channel_message);
/// assert_eq!(message.content(), "see you at 5");
/// assert!(message.is_edit());
/// assert_eq!(message.attributes()["lang"].string_values, ["en"]);
/// ```
#[derive(Clone, Debug)]
pub struct EventBuilder {
    event: ProcessorEvent,
}

impl Default for EventBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBuilder {
    /// A new message with content "hello".
    pub fn new() -> Self {
        Self {
            event: ProcessorEvent {
                event_type: Some(EventType::ChannelMessageEvent),
                callback_id: "0123456789abcdef0123456789abcdef".into(),
                channel_message: ChannelMessage {
                    message_id: "test-message-1".into(),
                    channel_arn: Some(CHANNEL_ARN.into()),
                    content: Some("hello".into()),
                    message_type: Some(MessageType::Standard),
                    persistence: Some(Persistence::Persistent),
                    created_timestamp: Some("2026-01-01T00:00:00.000Z".into()),
                    sender: Some(Identity {
                        arn: Some(SENDER_ARN.into()),
                        name: Some("Test User".into()),
                        ..Identity::default()
                    }),
                    ..ChannelMessage::default()
                },
                extra: Default::default(),
            },
        }
    }

    /// The content.
    pub fn content(mut self, content: impl Into<String>) -> Self {
        self.event.channel_message.content = Some(content.into());
        self
    }

    /// The metadata.
    pub fn metadata(mut self, metadata: impl Into<String>) -> Self {
        self.event.channel_message.metadata = Some(metadata.into());
        self
    }

    /// The message id.
    pub fn message_id(mut self, id: impl Into<String>) -> Self {
        self.event.channel_message.message_id = id.into();
        self
    }

    /// The sender's ARN.
    pub fn sender(mut self, arn: impl Into<String>) -> Self {
        let sender = self
            .event
            .channel_message
            .sender
            .get_or_insert_with(Identity::default);
        sender.arn = Some(arn.into());
        self
    }

    /// NON_PERSISTENT instead of PERSISTENT.
    pub fn non_persistent(mut self) -> Self {
        self.event.channel_message.persistence = Some(Persistence::NonPersistent);
        self
    }

    /// Marks the event as an edit of an earlier message.
    pub fn edit(mut self) -> Self {
        self.event.channel_message.last_edited_timestamp = Some("2026-01-01T00:05:00.000Z".into());
        self
    }

    /// The content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.event.channel_message.content_type = Some(content_type.into());
        self
    }

    /// An Amazon Lex reply: JSON content, the Lex content type.
    ///
    /// ```
    /// use chimeflow_core::Message;
    /// use chimeflow_test::EventBuilder;
    ///
    /// let event = EventBuilder::new().lex_reply("Your order is on its way").build();
    /// let message = Message::new(&event.channel_message);
    /// assert!(message.is_lex());
    /// assert!(message.content().contains("Your order is on its way"));
    /// ```
    pub fn lex_reply(self, text: &str) -> Self {
        let content = serde_json::json!({
            "Messages": [{"Content": text, "ContentType": "PlainText"}],
            "SessionState": {"DialogAction": {"Type": "ElicitIntent"}}
        });
        self.content(content.to_string())
            .content_type(chimeflow_core::LEX_CONTENT_TYPE)
    }

    /// Adds a message attribute.
    pub fn attribute(mut self, key: impl Into<String>, values: &[&str]) -> Self {
        self.event
            .channel_message
            .message_attributes
            .get_or_insert_with(Default::default)
            .insert(
                key.into(),
                MessageAttributeValue::new(values.iter().copied()),
            );
        self
    }

    /// The sub-channel of an elastic channel.
    pub fn sub_channel(mut self, id: impl Into<String>) -> Self {
        self.event.channel_message.sub_channel_id = Some(id.into());
        self
    }

    /// The event.
    pub fn build(self) -> ProcessorEvent {
        self.event
    }
}
