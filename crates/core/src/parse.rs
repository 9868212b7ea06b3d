//! Parsing events from JSON with errors that never quote the input.
//!
//! AWS documents the event loosely, so only what a callback cannot do
//! without is essential: `CallbackId` and `ChannelMessage.MessageId` (and
//! `ChannelArn`, which the processor checks after parsing). Any other known
//! field whose value does not have the documented shape (`SubChannelId` as a
//! number, `MessageAttributes` as a list, ...) is set aside: kept raw in the
//! `extra` map, never echoed, named by
//! [`ProcessorEvent::set_aside_fields`], and the message is still moderated.
//! The CLI and the Lambda both parse through here, so they answer the same
//! bytes the same way.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::event::is_known_message_field;
use crate::{ChannelMessage, EventType, ProcessorEvent};

/// Why bytes are not a processor event. The message names the place (line,
/// column, field path) and what was expected, never the values found, so it
/// is safe to log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line of the problem (0 when unknown).
    pub line: usize,
    /// 1-based column of the problem (0 when unknown).
    pub column: usize,
    /// The field path, e.g. `ChannelMessage.MessageId`, when known.
    pub path: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        write!(f, "{}", self.problem)?;
        if self.line > 0 {
            write!(f, " (line {}, column {})", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

impl ProcessorEvent {
    /// Parses an event from JSON bytes. Invalid JSON (invalid UTF-8, lone
    /// surrogates, nesting deeper than 128 levels, trailing data), a
    /// non-object, or a missing or non-string CallbackId or MessageId are
    /// errors. A known optional field of the wrong shape is set aside (see
    /// the module doc), not an error.
    ///
    /// ```
    /// use chimeflow_core::ProcessorEvent;
    ///
    /// let event = ProcessorEvent::from_slice(br#"{"CallbackId": "0123456789abcdef0123456789abcdef",
    ///     "ChannelMessage": {"MessageId": "m1", "Content": "hi", "Persistence": "PERSISTENT"}}"#).unwrap();
    /// assert_eq!(event.channel_message.content.as_deref(), Some("hi"));
    ///
    /// // Errors name the field and the problem, never the value.
    /// let error = ProcessorEvent::from_slice(br#"{"CallbackId": "secret text",
    ///     "ChannelMessage": {"MessageId": 42}}"#).unwrap_err();
    /// assert_eq!(error.path.as_deref(), Some("ChannelMessage.MessageId"));
    /// assert!(!error.to_string().contains("secret"));
    /// ```
    pub fn from_slice(json: &[u8]) -> Result<Self, ParseError> {
        let mut deserializer = serde_json::Deserializer::from_slice(json);
        let parsed: Result<Self, _> = serde_path_to_error::deserialize(&mut deserializer);
        match parsed {
            Ok(event) => deserializer
                .end()
                .map(|()| event)
                .map_err(|error| from_json(None, &error)),
            // A key given twice is ambiguous (which one did Chime mean?):
            // an error, never a guess.
            Err(strict) if strict.inner().to_string().starts_with("duplicate field") => {
                let path = strict.path().to_string();
                let path = (path != "." && !path.is_empty()).then_some(path);
                Err(from_json(path, strict.inner()))
            }
            Err(strict) => {
                // Not JSON at all: report the syntax error itself.
                let value: Value = serde_json::from_slice(json).map_err(|e| from_json(None, &e))?;
                let path = strict.path().to_string();
                let path = (path != "." && !path.is_empty()).then_some(path);
                lenient(value).ok_or_else(|| from_json(path, strict.inner()))
            }
        }
    }
}

/// The event with every known optional field of the wrong shape moved into
/// `extra`; `None` when an essential field is missing or unusable (the
/// caller then reports the strict parser's error, which names it).
fn lenient(value: Value) -> Option<ProcessorEvent> {
    let Value::Object(mut top) = value else {
        return None;
    };
    let Some(Value::Object(mut message)) = top.remove("ChannelMessage") else {
        return None;
    };
    let mut set_aside_top = Map::new();
    if let Some(event_type) = top.get("EventType")
        && !fits::<Option<EventType>>(event_type)
        && let Some(raw) = top.remove("EventType")
    {
        set_aside_top.insert("EventType".into(), raw);
    }
    let mut set_aside = Map::new();
    let names: Vec<String> = message
        .keys()
        .filter(|key| is_known_message_field(key))
        .cloned()
        .collect();
    for name in names {
        let fits_shape = message.get(&name).is_some_and(|raw| field_fits(&name, raw));
        if !fits_shape && let Some(raw) = message.remove(&name) {
            set_aside.insert(name, raw);
        }
    }
    top.insert("ChannelMessage".into(), Value::Object(message));
    let mut event: ProcessorEvent = serde_json::from_value(Value::Object(top)).ok()?;
    event.extra.extend(set_aside_top);
    event.channel_message.extra.extend(set_aside);
    Some(event)
}

/// Whether `raw` is a value `ChannelMessage.<name>` can hold.
fn field_fits(name: &str, raw: &Value) -> bool {
    // Parse a message holding only this field (and a MessageId): the same
    // types and rules as the strict parse, one field at a time.
    let mut probe = Map::new();
    probe.insert("MessageId".into(), Value::String(String::new()));
    probe.insert(name.to_owned(), raw.clone());
    fits::<ChannelMessage>(&Value::Object(probe))
}

fn fits<T: DeserializeOwned>(raw: &Value) -> bool {
    T::deserialize(raw).is_ok()
}

fn from_json(path: Option<String>, error: &serde_json::Error) -> ParseError {
    ParseError {
        line: error.line(),
        column: error.column(),
        path,
        problem: describe(error),
    }
}

/// serde_json's message without the offending value.
fn describe(error: &serde_json::Error) -> String {
    let full = error.to_string();
    // Strip serde_json's " at line L column C" suffix: we report it ourselves.
    let message = match full.rfind(" at line ") {
        Some(at) => &full[..at],
        None => &full,
    };
    if message.starts_with("invalid type:") || message.starts_with("invalid value:") {
        let kind = if message.starts_with("invalid type") {
            "invalid type"
        } else {
            "invalid value"
        };
        let expected = message
            .rfind(", expected ")
            .map_or("", |at| &message[at + 2..]);
        let expected = expected.replace("struct ProcessorEvent", "a JSON object (the event)");
        return if expected.is_empty() {
            kind.to_owned()
        } else {
            format!("{kind}, {expected}")
        };
    }
    if message.starts_with("unknown variant") {
        return "unknown variant".into();
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_never_quote_values() {
        let cases: &[&[u8]] = &[
            br#"{"CallbackId": "secret-value", "ChannelMessage": "secret-value"}"#,
            br#"{"CallbackId": 12345678, "ChannelMessage": {"MessageId": "m"}}"#,
            br#""secret-value""#,
            br#"{"CallbackId": "x", "ChannelMessage": {"MessageId": ["secret-value"]}}"#,
            br#"{"CallbackId": "x", "ChannelMessage": {"MessageId": "m", "Content": ["secret-value"]}} secret-value"#,
        ];
        for input in cases {
            let message = ProcessorEvent::from_slice(input).unwrap_err().to_string();
            assert!(
                !message.contains("secret") && !message.contains("12345678"),
                "{message}"
            );
        }
    }

    #[test]
    fn errors_name_the_field() {
        let error = ProcessorEvent::from_slice(
            br#"{"CallbackId": "x", "ChannelMessage": {"MessageId": 7}}"#,
        )
        .unwrap_err();
        assert_eq!(error.path.as_deref(), Some("ChannelMessage.MessageId"));
        assert!(error.problem.contains("expected a string"), "{error}");
    }

    fn event(message: Value) -> Result<ProcessorEvent, ParseError> {
        let json = serde_json::json!({
            "CallbackId": "c".repeat(32),
            "ChannelMessage": message,
        });
        ProcessorEvent::from_slice(json.to_string().as_bytes())
    }

    #[test]
    fn odd_shapes_are_set_aside_and_the_rest_is_kept() {
        use serde_json::json;
        let parsed = event(json!({
            "MessageId": "m",
            "ChannelArn": "arn:aws:chime:us-east-1:1:app-instance/a/channel/c",
            "Content": "hello",
            "SubChannelId": 7,
            "ContentType": 12,
            "MessageAttributes": [{"Name": "k", "Value": "v"}],
            "Persistence": {"x": 1},
            "Sender": "alice",
        }))
        .unwrap();
        let message = &parsed.channel_message;
        assert_eq!(message.content.as_deref(), Some("hello"));
        assert!(message.channel_arn.is_some());
        assert_eq!(message.sub_channel_id, None);
        assert_eq!(message.content_type, None);
        assert_eq!(message.message_attributes, None);
        assert_eq!(message.persistence, None);
        assert_eq!(message.sender, None);
        let aside: Vec<String> = parsed.set_aside_fields().collect();
        assert_eq!(
            aside,
            [
                "ChannelMessage.Sender",
                "ChannelMessage.Persistence",
                "ChannelMessage.MessageAttributes",
                "ChannelMessage.SubChannelId",
                "ChannelMessage.ContentType",
            ]
        );
        // The raw values are kept, not lost.
        assert_eq!(message.extra["SubChannelId"], json!(7));
    }

    #[test]
    fn attributes_with_string_values_are_set_aside() {
        let parsed = event(serde_json::json!({
            "MessageId": "m", "MessageAttributes": {"k": "v"}
        }))
        .unwrap();
        assert_eq!(parsed.channel_message.message_attributes, None);
        assert_eq!(
            parsed.set_aside_fields().collect::<Vec<_>>(),
            ["ChannelMessage.MessageAttributes"]
        );
    }

    #[test]
    fn a_target_of_another_shape_is_set_aside() {
        use serde_json::json;
        for target in [json!({"MemberArn": "arn:x"}), json!(["arn:x"]), json!(5)] {
            let parsed = event(json!({"MessageId": "m", "Target": target.clone()})).unwrap();
            assert_eq!(parsed.channel_message.target, None);
            assert_eq!(parsed.channel_message.extra["Target"], target);
            assert_eq!(
                parsed.set_aside_fields().collect::<Vec<_>>(),
                ["ChannelMessage.Target"]
            );
        }
    }

    #[test]
    fn essential_fields_stay_errors() {
        use serde_json::json;
        assert!(event(json!({"MessageId": 7})).is_err());
        assert!(event(json!({"Content": "x"})).is_err());
        assert!(event(json!("m")).is_err());
        let no_callback = json!({"ChannelMessage": {"MessageId": "m"}});
        assert!(ProcessorEvent::from_slice(no_callback.to_string().as_bytes()).is_err());
        let numeric_callback = json!({"CallbackId": 5, "ChannelMessage": {"MessageId": "m"}});
        let error =
            ProcessorEvent::from_slice(numeric_callback.to_string().as_bytes()).unwrap_err();
        assert_eq!(error.path.as_deref(), Some("CallbackId"));
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(
            ProcessorEvent::from_slice(
                br#"{"CallbackId": "x", "ChannelMessage": {"MessageId": "m"}} x"#
            )
            .is_err()
        );
    }
}
