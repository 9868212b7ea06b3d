//! Parsing events from JSON with errors that never quote the input.

use std::fmt;

use crate::ProcessorEvent;

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
    /// Parses an event from JSON bytes. Invalid UTF-8, lone surrogates,
    /// nesting deeper than 128 levels, a non-object, or missing CallbackId
    /// or MessageId are errors.
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
            Err(error) => {
                let path = error.path().to_string();
                let path = (path != "." && !path.is_empty()).then_some(path);
                Err(from_json(path, error.inner()))
            }
        }
    }
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
            br#"{"CallbackId": "x", "ChannelMessage": {"MessageId": "m", "Content": ["secret-value"]}}"#,
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
