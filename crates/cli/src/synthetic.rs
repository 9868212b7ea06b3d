//! Synthetic events for `--text`: each line of text becomes a message.

use chimeflow_core::{
    ChannelMessage, EventType, Identity, MessageType, Persistence, ProcessorEvent,
};

/// The channel synthetic events are sent to.
pub const TEXT_CHANNEL_ARN: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/00000000-0000-0000-0000-000000000000/channel/chimeflow-text";
/// The sender of synthetic events.
pub const TEXT_SENDER_ARN: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/00000000-0000-0000-0000-000000000000/user/chimeflow-cli";

/// A STANDARD, PERSISTENT message with this content. Ids are derived from
/// the input number and line so that output is reproducible.
pub fn text_event(input_index: usize, line: usize, content: String) -> ProcessorEvent {
    ProcessorEvent {
        event_type: Some(EventType::ChannelMessageEvent),
        callback_id: format!("chimeflow-text-{input_index:08}-{line:012}"),
        channel_message: ChannelMessage {
            message_id: format!("text-{input_index}-{line}"),
            channel_arn: Some(TEXT_CHANNEL_ARN.into()),
            content: Some(content),
            message_type: Some(MessageType::Standard),
            persistence: Some(Persistence::Persistent),
            sender: Some(Identity {
                arn: Some(TEXT_SENDER_ARN.into()),
                name: Some("chimeflow-cli".into()),
                ..Identity::default()
            }),
            ..ChannelMessage::default()
        },
        extra: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_events_are_answerable() {
        let event = text_event(3, 120, "hello".into());
        assert!(
            (32..=64).contains(&event.callback_id.len()),
            "{}",
            event.callback_id
        );
        let outcome = chimeflow_core::Processor::new(
            chimeflow_core::Pipeline::new(Vec::new()),
            chimeflow_core::OnError::Deny,
        )
        .process(&event)
        .unwrap();
        assert_eq!(outcome.callback.validate(), Ok(()));
    }
}
