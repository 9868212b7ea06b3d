//! A replay corpus: channel-flow events, or exported messages turned into
//! events.
//!
//! Each input is JSON or JSON Lines (as `chimeflow process` reads them).
//! A value may be
//! - a processor event (`CallbackId` and `ChannelMessage`): used as is;
//! - what `chimeflow messages list` prints (`ChannelArn` and
//!   `ChannelMessages`): each message becomes an event in that channel;
//! - one message (`MessageId`, as `chimeflow messages watch` prints, or an
//!   export of your own): an event in its `ChannelArn`, or a placeholder
//!   channel.
//!
//! Messages get a synthetic CallbackId; their own CreatedTimestamp is their
//! time, so rate limits and duplicates replay as they happened.

use chimeflow_core::ProcessorEvent;
use serde_json::{Map, Value, json};

use crate::input::{self, Input};

/// The channel of an exported message that names none.
pub const REPLAY_CHANNEL_ARN: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/00000000-0000-0000-0000-000000000000/channel/chimeflow-replay";

/// One event of the corpus and where it came from (`FILE:LINE`).
pub struct Item {
    pub origin: String,
    pub event: ProcessorEvent,
}

/// A value of the corpus that is neither an event nor a message.
pub struct Unusable {
    pub origin: String,
    pub error: String,
}

/// Every event of `inputs`, in order, and what could not be used.
pub fn read(inputs: &[Input]) -> (Vec<Item>, Vec<Unusable>) {
    let mut items = Vec::new();
    let mut unusable = Vec::new();
    for input in inputs {
        for piece in input::events(&input.bytes) {
            let origin = format!("{}:{}", input.name, piece.line);
            let value: Value = match serde_json::from_slice(piece.bytes) {
                Ok(value) => value,
                Err(error) => {
                    unusable.push(Unusable {
                        origin,
                        error: format!("not JSON: {error}"),
                    });
                    continue;
                }
            };
            for (n, event) in events_of(value).into_iter().enumerate() {
                let origin = if n == 0 {
                    origin.clone()
                } else {
                    format!("{origin}#{n}")
                };
                let event = event.and_then(|event| {
                    ProcessorEvent::from_slice(event.to_string().as_bytes())
                        .map_err(|e| e.to_string())
                });
                match event {
                    Ok(event) => items.push(Item { origin, event }),
                    Err(error) => unusable.push(Unusable { origin, error }),
                }
            }
        }
    }
    (items, unusable)
}

/// The events a value holds (see the module documentation).
fn events_of(value: Value) -> Vec<Result<Value, String>> {
    let Value::Object(object) = value else {
        return vec![Err("not a JSON object".into())];
    };
    if object.contains_key("CallbackId") || object.contains_key("ChannelMessage") {
        return vec![Ok(Value::Object(object))];
    }
    if let Some(messages) = object.get("ChannelMessages") {
        let channel = object.get("ChannelArn").and_then(Value::as_str);
        let Some(messages) = messages.as_array() else {
            return vec![Err("ChannelMessages is not a list".into())];
        };
        return messages
            .iter()
            .map(|message| match message {
                Value::Object(message) => Ok(event_for(message.clone(), channel)),
                _ => Err("a ChannelMessages entry is not an object".into()),
            })
            .collect();
    }
    if object.contains_key("MessageId") {
        return vec![Ok(event_for(object, None))];
    }
    vec![Err(
        "neither an event (CallbackId, ChannelMessage), a message list (ChannelMessages) nor a message (MessageId)"
            .into(),
    )]
}

/// An event carrying `message`, in its own channel, else `channel`, else
/// the placeholder.
fn event_for(mut message: Map<String, Value>, channel: Option<&str>) -> Value {
    if !message.contains_key("ChannelArn") {
        let channel = channel.unwrap_or(REPLAY_CHANNEL_ARN);
        message.insert("ChannelArn".into(), json!(channel));
    }
    let id = message
        .get("MessageId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // 32-64 characters, as the service's ids are; derived from the
    // message id so reruns are identical.
    let callback_id: String = format!("replay-{id}")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(56)
        .collect();
    json!({
        "EventType": "CHANNEL_MESSAGE_EVENT",
        "CallbackId": format!("{callback_id:0<32}"),
        "ChannelMessage": message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(text: &str) -> (Vec<Item>, Vec<Unusable>) {
        read(&[Input {
            name: "c.jsonl".into(),
            bytes: text.as_bytes().to_vec(),
        }])
    }

    #[test]
    fn events_lists_and_messages_are_read() {
        let text = concat!(
            r#"{"CallbackId": "0123456789abcdef0123456789abcdef", "ChannelMessage": {"MessageId": "e1", "ChannelArn": "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c", "Content": "hi"}}"#,
            "\n",
            r#"{"ChannelArn": "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/list", "ChannelMessages": [{"MessageId": "l1", "Content": "one", "CreatedTimestamp": "2026-12-01T10:00:00.000Z"}, {"MessageId": "l2", "Content": "two"}]}"#,
            "\n",
            r#"{"MessageId": "w1", "Content": "watched"}"#,
            "\n",
            r#"[1, 2]"#,
            "\n",
            r#"{"Something": "else"}"#,
            "\n",
        );
        let (items, unusable) = corpus(text);
        let seen: Vec<(&str, &str, &str)> = items
            .iter()
            .map(|item| {
                let message = &item.event.channel_message;
                (
                    item.origin.as_str(),
                    message.message_id.as_str(),
                    message.channel_arn.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "c.jsonl:1",
                    "e1",
                    "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c"
                ),
                (
                    "c.jsonl:2",
                    "l1",
                    "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/list"
                ),
                (
                    "c.jsonl:2#1",
                    "l2",
                    "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/list"
                ),
                ("c.jsonl:3", "w1", REPLAY_CHANNEL_ARN),
            ]
        );
        assert!(items.iter().all(|item| item.event.callback_id.len() >= 32));
        let origins: Vec<&str> = unusable.iter().map(|u| u.origin.as_str()).collect();
        assert_eq!(origins, ["c.jsonl:4", "c.jsonl:5"]);
    }
}
