//! The service limits of ChannelFlowCallback, and validation against them.
//!
//! Two kinds of limit, kept apart on purpose:
//!
//! - **Model limits**: what the ChannelFlowCallback request shape in the
//!   service model allows (botocore's `chime-sdk-messaging` model, the same
//!   one the AWS SDKs are generated from). The service refuses a request
//!   that breaks one, so [`CallbackRequest::validate`] checks every one of
//!   them and nothing else. `Content` has a minimum (1) but no maximum there.
//! - **Service limits on edits**: what AWS documents for messages but the
//!   callback model does not enforce: a STANDARD message holds "up to 4KB"
//!   (<https://docs.aws.amazon.com/chime-sdk/latest/APIReference/API_messaging-chime_SendChannelMessage.html>)
//!   and message attributes 1 KB in all. Chime already accepted the message
//!   it hands a processor, so these bound only what a rule *changed*: see
//!   [`content_fits_edit`]. An unchanged field is echoed whatever its size.
//!
//! Lengths in the service model are in characters; AWS counts them as Java
//! does (UTF-16 code units), which is never fewer than Unicode scalar values,
//! so maxima are checked in UTF-16 code units: a request that passes here is
//! never rejected for length. The 4 KB message size, whose unit AWS does not
//! state, is checked in UTF-8 bytes, never fewer than UTF-16 code units.
//! Errors name the field and the limit, never the value.

use std::fmt;

use crate::{CallbackRequest, MessageAttributes};

/// CallbackId: 32-64 characters.
pub const CALLBACK_ID_LEN: (usize, usize) = (32, 64);
/// ChannelArn: 5-1600 characters, see [`is_valid_chime_arn`].
pub const CHANNEL_ARN_LEN: (usize, usize) = (5, 1600);
/// MessageId: 1-128 of `[-_a-zA-Z0-9]`.
pub const MESSAGE_ID_LEN: (usize, usize) = (1, 128);
/// SubChannelId: 1-128 of `[-_a-zA-Z0-9]`.
pub const SUB_CHANNEL_ID_LEN: (usize, usize) = (1, 128);
/// Content of a STANDARD message as AWS documents it: up to 4 KB (counted
/// here in UTF-8 bytes). A service limit on *edits* only: the callback model
/// sets no maximum, and content Chime accepted is echoed whatever its size.
pub const CONTENT_MAX_BYTES: usize = 4096;
/// Metadata: at most 1024 characters.
pub const METADATA_MAX: usize = 1024;
/// ContentType: at most 45 characters.
pub const CONTENT_TYPE_MAX: usize = 45;
/// A message attribute key: 1-64 characters.
pub const ATTRIBUTE_KEY_LEN: (usize, usize) = (1, 64);
/// A message attribute value: 1-512 characters.
pub const ATTRIBUTE_VALUE_LEN: (usize, usize) = (1, 512);
/// All message attributes together (keys and values, UTF-8 bytes): at most
/// 1 KB. A limit on edits only, like [`CONTENT_MAX_BYTES`]: the model has none.
pub const ATTRIBUTES_MAX_BYTES: usize = 1024;
/// PushNotification.Title: 1-50 characters.
pub const PUSH_TITLE_LEN: (usize, usize) = (1, 50);
/// PushNotification.Body: 1-150 characters.
pub const PUSH_BODY_LEN: (usize, usize) = (1, 150);

/// A field of the ChannelFlowCallback request that has limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitField {
    /// `CallbackId`.
    CallbackId,
    /// `ChannelArn` (the request's path).
    ChannelArn,
    /// `ChannelMessage.MessageId`.
    MessageId,
    /// `ChannelMessage.Content`.
    Content,
    /// `ChannelMessage.Metadata`.
    Metadata,
    /// `ChannelMessage.ContentType`.
    ContentType,
    /// `ChannelMessage.SubChannelId`.
    SubChannelId,
    /// A key of `ChannelMessage.MessageAttributes`.
    AttributeKey,
    /// A value of `ChannelMessage.MessageAttributes`.
    AttributeValue,
    /// `ChannelMessage.MessageAttributes` as a whole (its total size).
    Attributes,
    /// `ChannelMessage.PushNotification.Title`.
    PushTitle,
    /// `ChannelMessage.PushNotification.Body`.
    PushBody,
    /// `ChannelMessage.PushNotification.Type`.
    PushType,
}

impl LimitField {
    /// The field's path in the request, e.g. `ChannelMessage.Metadata`.
    pub fn path(self) -> &'static str {
        match self {
            LimitField::CallbackId => "CallbackId",
            LimitField::ChannelArn => "ChannelArn",
            LimitField::MessageId => "ChannelMessage.MessageId",
            LimitField::Content => "ChannelMessage.Content",
            LimitField::Metadata => "ChannelMessage.Metadata",
            LimitField::ContentType => "ChannelMessage.ContentType",
            LimitField::SubChannelId => "ChannelMessage.SubChannelId",
            LimitField::AttributeKey => "ChannelMessage.MessageAttributes.key",
            LimitField::AttributeValue => "ChannelMessage.MessageAttributes.value",
            LimitField::Attributes => "ChannelMessage.MessageAttributes",
            LimitField::PushTitle => "ChannelMessage.PushNotification.Title",
            LimitField::PushBody => "ChannelMessage.PushNotification.Body",
            LimitField::PushType => "ChannelMessage.PushNotification.Type",
        }
    }

    /// Whether this field is part of the message attributes.
    pub fn is_attributes(self) -> bool {
        matches!(
            self,
            LimitField::AttributeKey | LimitField::AttributeValue | LimitField::Attributes
        )
    }

    /// Whether this field is part of the push notification.
    pub fn is_push_notification(self) -> bool {
        matches!(
            self,
            LimitField::PushTitle | LimitField::PushBody | LimitField::PushType
        )
    }
}

impl fmt::Display for LimitField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path())
    }
}

/// One broken limit: the field and what is wrong, never the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitViolation {
    /// The field, e.g. [`LimitField::Metadata`].
    pub field: LimitField,
    /// e.g. `at most 1024 characters, got 1100`.
    pub problem: String,
}

impl fmt::Display for LimitViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Every limit a request breaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, thiserror::Error)]
pub struct LimitViolations(pub Vec<LimitViolation>);

impl fmt::Display for LimitViolations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl LimitViolations {
    /// Whether a field for which `which` is true broke a limit, e.g.
    /// `violations.touches(|f| f == LimitField::Metadata)` or
    /// `violations.touches(LimitField::is_attributes)`.
    pub fn touches(&self, which: impl Fn(LimitField) -> bool) -> bool {
        self.0.iter().any(|v| which(v.field))
    }

    /// Adds a violation.
    pub fn push(&mut self, field: LimitField, problem: impl Into<String>) {
        self.0.push(LimitViolation {
            field,
            problem: problem.into(),
        });
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn check_len(&mut self, field: LimitField, value: &str, (min, max): (usize, usize)) {
        // Keep in step with `len_within`, which the processor's identity
        // check uses.
        let chars = value.chars().count();
        let units = utf16_len(value);
        if chars < min {
            self.push(field, format!("at least {min} characters, got {chars}"));
        } else if units > max {
            self.push(field, format!("at most {max} characters, got {units}"));
        }
    }

    fn check_id(&mut self, field: LimitField, value: &str, limits: (usize, usize)) {
        self.check_len(field, value, limits);
        if !is_id(value) {
            self.push(field, "only letters, digits, '-' and '_'");
        }
    }
}

/// Whether `value` is within `(min, max)` characters as [`CallbackRequest::validate`]
/// counts them: at least `min` Unicode scalar values and at most `max`
/// UTF-16 code units (see the module doc).
///
/// ```
/// use chimeflow_core::limits::{CALLBACK_ID_LEN, len_within};
///
/// assert!(len_within(&"a".repeat(32), CALLBACK_ID_LEN));
/// assert!(!len_within("too-short", CALLBACK_ID_LEN));
/// ```
pub fn len_within(value: &str, (min, max): (usize, usize)) -> bool {
    value.chars().count() >= min && utf16_len(value) <= max
}

/// The length AWS counts: UTF-16 code units.
///
/// ```
/// use chimeflow_core::limits::utf16_len;
///
/// assert_eq!(utf16_len("abc"), 3);
/// assert_eq!(utf16_len("é"), 1);
/// assert_eq!(utf16_len("😀"), 2, "outside the Basic Multilingual Plane: a surrogate pair");
/// ```
pub fn utf16_len(value: &str) -> usize {
    value.chars().map(char::len_utf16).sum()
}

/// `[-_a-zA-Z0-9]*`.
///
/// ```
/// use chimeflow_core::limits::is_id;
///
/// assert!(is_id("a1_b-2"));
/// assert!(!is_id("has space"));
/// ```
pub fn is_id(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The ChimeArn pattern:
/// `arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}`
/// (anchored, as the service applies it), and 5-1600 characters.
///
/// ```
/// use chimeflow_core::limits::is_valid_chime_arn;
///
/// assert!(is_valid_chime_arn("arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c"));
/// assert!(!is_valid_chime_arn("not an arn"));
/// ```
pub fn is_valid_chime_arn(value: &str) -> bool {
    let len = utf16_len(value);
    if len < CHANNEL_ARN_LEN.0 || len > CHANNEL_ARN_LEN.1 {
        return false;
    }
    let Some(rest) = value.strip_prefix("arn:") else {
        return false;
    };
    let mut parts = rest.splitn(5, ':');
    let part_ok = |part: &str, min: usize| {
        (min..=63).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    };
    let (Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    part_ok(partition, 1)
        && part_ok(service, 0)
        && part_ok(region, 0)
        && part_ok(account, 0)
        && !resource.starts_with('/')
        && !resource.is_empty()
        && !resource.contains(['\n', '\r'])
        && resource.chars().count() <= 1024
}

/// Total size of message attributes as counted against the 1 KB limit.
///
/// ```
/// use chimeflow_core::{MessageAttributeValue, MessageAttributes, limits::attributes_size};
///
/// let mut attributes = MessageAttributes::new();
/// attributes.insert("flags".into(), MessageAttributeValue::new(["pii", "profanity"]));
/// assert_eq!(attributes_size(&attributes), "flags".len() + "pii".len() + "profanity".len());
/// ```
pub fn attributes_size(attributes: &MessageAttributes) -> usize {
    attributes
        .iter()
        .map(|(key, value)| key.len() + value.string_values.iter().map(String::len).sum::<usize>())
        .sum()
}

/// Whether `edited` content may replace `received` content: within the
/// documented 4 KB ([`CONTENT_MAX_BYTES`] UTF-8 bytes), or, when the
/// received content was already larger (Chime accepted it, and counts in a
/// unit AWS does not state), no longer than it in UTF-8 bytes nor in UTF-16
/// code units. Empty content is never accepted (the model's minimum).
pub fn content_fits_edit(edited: &str, received: &str) -> bool {
    if edited.is_empty() {
        return false;
    }
    if edited.len() <= CONTENT_MAX_BYTES {
        return true;
    }
    edited.len() <= received.len() && utf16_len(edited) <= utf16_len(received)
}

/// Whether a received field's value would be refused if echoed in a
/// callback: it breaks one of the model's limits for that field. Such a
/// value cannot have come from Chime (its send APIs have the same limits),
/// and it is set aside rather than echoed.
pub fn breaks_model_limit(field: EchoField<'_>) -> bool {
    match field {
        EchoField::Metadata(value) => !len_within(value, (0, METADATA_MAX)),
        EchoField::ContentType(value) => !len_within(value, (0, CONTENT_TYPE_MAX)),
        EchoField::SubChannelId(value) => !len_within(value, SUB_CHANNEL_ID_LEN) || !is_id(value),
        EchoField::MessageAttributes(attributes) => attributes.iter().any(|(key, value)| {
            !len_within(key, ATTRIBUTE_KEY_LEN)
                || value
                    .string_values
                    .iter()
                    .any(|v| !len_within(v, ATTRIBUTE_VALUE_LEN))
        }),
    }
}

/// A received field that a callback echoes, for [`breaks_model_limit`].
#[derive(Clone, Copy, Debug)]
pub enum EchoField<'a> {
    /// `Metadata`.
    Metadata(&'a str),
    /// `ContentType`.
    ContentType(&'a str),
    /// `SubChannelId`.
    SubChannelId(&'a str),
    /// `MessageAttributes`.
    MessageAttributes(&'a MessageAttributes),
}

impl CallbackRequest {
    /// Checks every limit of the ChannelFlowCallback request in the service
    /// model (<https://docs.aws.amazon.com/chime-sdk/latest/APIReference/API_messaging-chime_ChannelFlowCallback.html>):
    /// CallbackId 32-64; ChannelArn present and well-formed; MessageId and
    /// SubChannelId 1-128 of `[-_a-zA-Z0-9]`; Content at least 1 character
    /// (no maximum); Metadata at most 1024; ContentType at most 45; attribute
    /// keys 1-64, values 1-512; push notification title 1-50, body 1-150.
    /// The documented 4 KB message and 1 KB attribute sizes are not model
    /// limits: they bound edits only ([`content_fits_edit`], [`attributes_size`]).
    ///
    /// ```
    /// use chimeflow_core::{CallbackRequest, ChannelMessageCallback};
    ///
    /// let mut request = CallbackRequest {
    ///     channel_arn: Some("arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c".into()),
    ///     callback_id: "0123456789abcdef0123456789abcdef".into(),
    ///     delete_resource: false,
    ///     channel_message: ChannelMessageCallback {
    ///         message_id: "m1".into(),
    ///         content: Some("hello".into()),
    ///         ..Default::default()
    ///     },
    /// };
    /// assert!(request.validate().is_ok());
    ///
    /// request.channel_message.metadata = Some("x".repeat(1025));
    /// let violations = request.validate().unwrap_err();
    /// assert!(violations.touches(|f| f == chimeflow_core::limits::LimitField::Metadata));
    /// // Violations name the field and the limit, never the value.
    /// assert!(!violations.to_string().contains("xxx"));
    /// ```
    pub fn validate(&self) -> Result<(), LimitViolations> {
        let mut errors = LimitViolations::default();
        errors.check_len(LimitField::CallbackId, &self.callback_id, CALLBACK_ID_LEN);
        match &self.channel_arn {
            None => errors.push(LimitField::ChannelArn, "required"),
            Some(arn) if !is_valid_chime_arn(arn) => {
                errors.push(LimitField::ChannelArn, "not a valid Chime ARN")
            }
            Some(_) => {}
        }
        let message = &self.channel_message;
        errors.check_id(LimitField::MessageId, &message.message_id, MESSAGE_ID_LEN);
        if let Some(content) = &message.content
            && content.is_empty()
        {
            errors.push(LimitField::Content, "at least 1 character, got 0");
        }
        if let Some(metadata) = &message.metadata {
            errors.check_len(LimitField::Metadata, metadata, (0, METADATA_MAX));
        }
        if let Some(content_type) = &message.content_type {
            errors.check_len(LimitField::ContentType, content_type, (0, CONTENT_TYPE_MAX));
        }
        if let Some(sub_channel) = &message.sub_channel_id {
            errors.check_id(LimitField::SubChannelId, sub_channel, SUB_CHANNEL_ID_LEN);
        }
        if let Some(attributes) = &message.message_attributes {
            for (key, value) in attributes {
                errors.check_len(LimitField::AttributeKey, key, ATTRIBUTE_KEY_LEN);
                for string in &value.string_values {
                    errors.check_len(LimitField::AttributeValue, string, ATTRIBUTE_VALUE_LEN);
                }
            }
        }
        if let Some(push) = &message.push_notification {
            if let Some(title) = &push.title {
                errors.check_len(LimitField::PushTitle, title, PUSH_TITLE_LEN);
            }
            if let Some(body) = &push.body {
                errors.check_len(LimitField::PushBody, body, PUSH_BODY_LEN);
            }
            if let Some(crate::PushNotificationType::Unknown(_)) = &push.notification_type {
                errors.push(LimitField::PushType, "DEFAULT or VOIP");
            }
        }
        if errors.0.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChannelMessageCallback, MessageAttributeValue, PushNotification};

    const ARN: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/abc/channel/def";

    fn valid() -> CallbackRequest {
        CallbackRequest {
            channel_arn: Some(ARN.into()),
            callback_id: "a".repeat(32),
            delete_resource: false,
            channel_message: ChannelMessageCallback {
                message_id: "msg-1".into(),
                content: Some("hi".into()),
                ..Default::default()
            },
        }
    }

    fn fields(request: &CallbackRequest) -> Vec<String> {
        request
            .validate()
            .err()
            .map(|e| e.0.into_iter().map(|v| v.field.path().to_owned()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_valid_request_passes() {
        assert_eq!(valid().validate(), Ok(()));
    }

    #[test]
    fn each_limit_is_checked() {
        type Mutation = fn(&mut CallbackRequest);
        let cases: Vec<(Mutation, &str)> = vec![
            (|r| r.callback_id = "a".repeat(31), "CallbackId"),
            (|r| r.callback_id = "a".repeat(65), "CallbackId"),
            (|r| r.channel_arn = None, "ChannelArn"),
            (
                |r| r.channel_arn = Some("arn:aws:chime:us-east-1:1:/x".into()),
                "ChannelArn",
            ),
            (|r| r.channel_arn = Some("channel".into()), "ChannelArn"),
            (
                |r| r.channel_message.message_id = String::new(),
                "ChannelMessage.MessageId",
            ),
            (
                |r| r.channel_message.message_id = "a b".into(),
                "ChannelMessage.MessageId",
            ),
            (
                |r| r.channel_message.message_id = "a".repeat(129),
                "ChannelMessage.MessageId",
            ),
            (
                |r| r.channel_message.content = Some(String::new()),
                "ChannelMessage.Content",
            ),
            (
                |r| r.channel_message.metadata = Some("m".repeat(1025)),
                "ChannelMessage.Metadata",
            ),
            (
                |r| r.channel_message.metadata = Some("😀".repeat(513)),
                "ChannelMessage.Metadata",
            ),
            (
                |r| r.channel_message.content_type = Some("t".repeat(46)),
                "ChannelMessage.ContentType",
            ),
            (
                |r| r.channel_message.sub_channel_id = Some("a/b".into()),
                "ChannelMessage.SubChannelId",
            ),
            (
                |r| {
                    r.channel_message.message_attributes =
                        Some([("k".repeat(65), MessageAttributeValue::new(["v"]))].into())
                },
                "ChannelMessage.MessageAttributes.key",
            ),
            (
                |r| {
                    r.channel_message.message_attributes =
                        Some([("k".into(), MessageAttributeValue::new([""]))].into())
                },
                "ChannelMessage.MessageAttributes.value",
            ),
            (
                |r| {
                    r.channel_message.push_notification = Some(PushNotification {
                        title: Some("t".repeat(51)),
                        body: None,
                        notification_type: None,
                    })
                },
                "ChannelMessage.PushNotification.Title",
            ),
            (
                |r| {
                    r.channel_message.push_notification = Some(PushNotification {
                        title: None,
                        body: Some("b".repeat(151)),
                        notification_type: None,
                    })
                },
                "ChannelMessage.PushNotification.Body",
            ),
        ];
        for (mutate, field) in cases {
            let mut request = valid();
            mutate(&mut request);
            assert_eq!(fields(&request), vec![field.to_string()], "case {field}");
        }
    }

    #[test]
    fn boundaries_are_inclusive() {
        let mut request = valid();
        request.callback_id = "a".repeat(64);
        request.channel_message.content = Some("x".repeat(CONTENT_MAX_BYTES));
        request.channel_message.metadata = Some("m".repeat(METADATA_MAX));
        request.channel_message.message_id = "a".repeat(128);
        assert_eq!(request.validate(), Ok(()));
    }

    #[test]
    fn the_model_sets_no_content_maximum() {
        // botocore's NonEmptyContent: min 1, no max. 8 KB of CJK is valid.
        let mut request = valid();
        request.channel_message.content = Some("語".repeat(2800));
        assert_eq!(request.validate(), Ok(()));
        // Nor a total size of attributes.
        request.channel_message.message_attributes = Some(
            (0..3)
                .map(|i| {
                    (
                        format!("k{i}"),
                        MessageAttributeValue::new(["v".repeat(400)]),
                    )
                })
                .collect(),
        );
        assert_eq!(request.validate(), Ok(()));
    }

    #[test]
    fn an_edit_fits_within_4_kb_or_within_what_was_received() {
        let small = "a".repeat(100);
        assert!(content_fits_edit(&"b".repeat(CONTENT_MAX_BYTES), &small));
        assert!(!content_fits_edit(
            &"b".repeat(CONTENT_MAX_BYTES + 1),
            &small
        ));
        assert!(!content_fits_edit("", &small));
        // Received over 4 KB: the edit may be as long, not longer.
        let big = "語".repeat(2000); // 6000 bytes, 2000 UTF-16 units
        assert!(content_fits_edit(&"*".repeat(2000), &big));
        assert!(content_fits_edit(&"語".repeat(2000), &big));
        assert!(!content_fits_edit(&"語".repeat(2001), &big));
        // Fewer bytes but more UTF-16 units than received: refused.
        assert!(!content_fits_edit(&"a".repeat(5000), &big));
        // Astral characters: 4 bytes, 2 units each.
        let emoji = "😀".repeat(1200); // 4800 bytes, 2400 units
        assert!(content_fits_edit(&"😀".repeat(1200), &emoji));
        assert!(!content_fits_edit(&"a".repeat(4500), &emoji));
    }

    #[test]
    fn over_limit_echoes_are_recognised() {
        assert!(breaks_model_limit(EchoField::Metadata(&"m".repeat(1025))));
        assert!(!breaks_model_limit(EchoField::Metadata(&"m".repeat(1024))));
        assert!(breaks_model_limit(EchoField::ContentType(&"t".repeat(46))));
        let attributes: MessageAttributes =
            [("k".to_owned(), MessageAttributeValue::new([""]))].into();
        assert!(breaks_model_limit(EchoField::MessageAttributes(
            &attributes
        )));
        let attributes: MessageAttributes = [(
            "k".to_owned(),
            MessageAttributeValue::new(["v".repeat(512)]),
        )]
        .into();
        assert!(!breaks_model_limit(EchoField::MessageAttributes(
            &attributes
        )));
    }

    #[test]
    fn errors_never_contain_values() {
        let mut request = valid();
        request.channel_message.metadata = Some("secret-".repeat(200));
        let text = request.validate().unwrap_err().to_string();
        assert!(!text.contains("secret"), "{text}");
    }
}
