//! The editable view of a channel message that rules see.

use std::borrow::Cow;
use std::ops::Range;

use crate::edits::{EditMap, Recorder};
use crate::{
    ChannelMessage, Effect, Facts, MessageAttributes, MessageType, Observation, Persistence,
    PushNotification,
};

/// A channel message as rules see it: the fields a callback can change
/// (content, metadata, message attributes, push notification), plus read-only
/// context (sender, channel, persistence, type, content type, edit or not).
///
/// Fields borrow from the event until a rule edits them, so a message that no
/// rule touches costs no allocation. The message knows whether anything
/// changed, and where every byte of edited content came from.
///
/// ```
/// use chimeflow_core::{ChannelMessage, Message};
///
/// let received = ChannelMessage {
///     message_id: "m1".into(),
///     content: Some("mail a@b.co now".into()),
///     ..Default::default()
/// };
/// let mut message = Message::new(&received);
/// assert!(!message.is_changed());
///
/// message.replace_content([(5..11, "[EMAIL]")]);
/// assert_eq!(message.content(), "mail [EMAIL] now");
/// assert!(message.content_changed());
/// // The received message is still there, untouched.
/// assert_eq!(message.received().content.as_deref(), Some("mail a@b.co now"));
/// ```
#[derive(Clone, Debug)]
pub struct Message<'a> {
    received: &'a ChannelMessage,
    content: Cow<'a, str>,
    metadata: Option<Cow<'a, str>>,
    attributes: Cow<'a, MessageAttributes>,
    push_notification: Option<PushNotification>,
    edits: EditMap,
    facts: &'a Facts,
    effects: Vec<Effect>,
    notes: Vec<String>,
    language: Option<String>,
    observations: Vec<Observation>,
    gathering: bool,
}

static NO_ATTRIBUTES: MessageAttributes = MessageAttributes::new();
static NO_FACTS: Facts = Facts::none();

impl<'a> Message<'a> {
    /// A view of `received`, unchanged, with no facts gathered.
    pub fn new(received: &'a ChannelMessage) -> Self {
        Self::with_facts(received, &NO_FACTS)
    }

    /// A view of `received`, unchanged, with the facts gathered for it.
    pub fn with_facts(received: &'a ChannelMessage, facts: &'a Facts) -> Self {
        Self {
            received,
            content: Cow::Borrowed(received.content.as_deref().unwrap_or("")),
            metadata: received.metadata.as_deref().map(Cow::Borrowed),
            attributes: Cow::Borrowed(
                received
                    .message_attributes
                    .as_ref()
                    .unwrap_or(&NO_ATTRIBUTES),
            ),
            push_notification: None,
            edits: EditMap::default(),
            facts,
            effects: Vec::new(),
            notes: Vec::new(),
            language: None,
            observations: Vec::new(),
            gathering: false,
        }
    }

    /// Whether this is the first pass that gathers facts (see
    /// [`Pipeline::gather`](crate::Pipeline::gather)), not the run that
    /// decides.
    pub fn is_gathering(&self) -> bool {
        self.gathering
    }

    pub(crate) fn set_gathering(&mut self, gathering: bool) {
        self.gathering = gathering;
    }

    /// Adds a note to the Outcome: why a rule did not do what it could
    /// have (a language it does not support, say). Names and numbers only,
    /// never content.
    pub fn add_note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// Takes the notes added so far.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// Sets the message's language (an ISO 639-1 code such as `en`): what
    /// the `language` rule does with Comprehend's answer.
    pub fn set_language(&mut self, code: impl Into<String>) {
        self.language = Some(code.into());
    }

    /// The message's language: as a rule set it, else the dominant language
    /// a service found (in the facts), else unknown.
    pub fn language(&self) -> Option<&str> {
        self.language
            .as_deref()
            .or_else(|| self.facts.dominant_language())
    }

    /// Records what a rule in observe mode would have done (see
    /// [`Observed`](crate::Observed)).
    pub fn add_observation(&mut self, observation: Observation) {
        self.observations.push(observation);
    }

    /// What observed rules would have done so far.
    pub fn observations(&self) -> &[Observation] {
        &self.observations
    }

    /// Takes the observations (the processor moves them into the Outcome).
    pub fn take_observations(&mut self) -> Vec<Observation> {
        std::mem::take(&mut self.observations)
    }

    // ----- facts and effects -----

    /// What the runtime gathered for this message before the rules ran
    /// (see [`Rule::gather`](crate::Rule::gather)).
    pub fn facts(&self) -> &'a Facts {
        self.facts
    }

    /// Asks the runtime to do something once the message is decided (log
    /// a strike, ban the sender): see [`Effect`].
    pub fn add_effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// The effects asked for so far.
    pub fn effects(&self) -> &[Effect] {
        &self.effects
    }

    /// Takes the effects asked for (the processor moves them into the
    /// Outcome).
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The message as received, with every field of the event.
    pub fn received(&self) -> &'a ChannelMessage {
        self.received
    }

    // ----- content -----

    /// The current content ("" when the event had none).
    pub fn content(&self) -> &str {
        &self.content
    }

    /// Replaces byte ranges of the current content. `edits` must be sorted,
    /// non-overlapping and on character boundaries; a rule that breaks this
    /// has a bug, and the call panics (the processor catches it and applies
    /// its error policy). Findings reported before this call keep pointing at
    /// the right place in the original text.
    ///
    /// ```
    /// use chimeflow_core::{ChannelMessage, Message};
    ///
    /// let received = ChannelMessage {
    ///     message_id: "m1".into(),
    ///     content: Some("call 555-0100 or 555-0199".into()),
    ///     ..Default::default()
    /// };
    /// let mut message = Message::new(&received);
    /// message.replace_content([(5..13, "[PHONE]"), (17..25, "[PHONE]")]);
    /// assert_eq!(message.content(), "call [PHONE] or [PHONE]");
    /// // The second token, in the edited text, came from bytes 17..25 of the original.
    /// assert_eq!(message.original_span(16..23), 17..25);
    /// ```
    pub fn replace_content<I, S>(&mut self, edits: I)
    where
        I: IntoIterator<Item = (Range<usize>, S)>,
        S: AsRef<str>,
    {
        let current: &str = &self.content;
        let mut edits = edits.into_iter().peekable();
        if edits.peek().is_none() {
            return;
        }
        let mut out = String::with_capacity(current.len() + 16);
        let mut recorder = Recorder::new(self.edits.segments(), current.len(), 4);
        let mut cursor = 0;
        for (range, replacement) in edits {
            assert!(
                range.start >= cursor && range.start <= range.end && range.end <= current.len(),
                "content edits must be sorted, non-overlapping and in bounds"
            );
            assert!(
                current.is_char_boundary(range.start) && current.is_char_boundary(range.end),
                "content edits must fall on character boundaries"
            );
            let replacement = replacement.as_ref();
            out.push_str(&current[cursor..range.start]);
            out.push_str(replacement);
            recorder.edit(range.clone(), replacement.len());
            cursor = range.end;
        }
        out.push_str(&current[cursor..]);
        let segments = recorder.finish();
        self.edits.set_segments(segments);
        self.content = Cow::Owned(out);
    }

    /// Replaces the whole content.
    ///
    /// ```
    /// use chimeflow_core::{ChannelMessage, Message};
    ///
    /// let received = ChannelMessage { message_id: "m1".into(), content: Some("hi".into()), ..Default::default() };
    /// let mut message = Message::new(&received);
    /// message.set_content("hi");
    /// assert!(!message.content_changed(), "the same text is no change");
    /// message.set_content("hello");
    /// assert!(message.content_changed());
    /// ```
    pub fn set_content(&mut self, content: impl Into<String>) {
        let content = content.into();
        let len = self.content.len();
        self.edits.record(len, &[(0..len, content.len())]);
        self.content = Cow::Owned(content);
    }

    /// Whether the content differs from what was received.
    pub fn content_changed(&self) -> bool {
        match &self.content {
            Cow::Borrowed(_) => false,
            Cow::Owned(now) => now.as_str() != self.received.content.as_deref().unwrap_or(""),
        }
    }

    /// Maps a span of the current content to the original content.
    pub fn original_span(&self, span: Range<usize>) -> Range<usize> {
        self.edits.to_original(span, self.content.len())
    }

    pub(crate) fn edit_map(&self) -> &EditMap {
        &self.edits
    }

    /// The current content rebuilt so that no rule-written run is longer than
    /// the text it replaced (the size-limit fallback).
    pub fn compact_content(&self) -> String {
        self.edits.compact(
            &self.content,
            self.received.content.as_deref().unwrap_or(""),
        )
    }

    // ----- metadata -----

    /// The current metadata, if any.
    pub fn metadata(&self) -> Option<&str> {
        self.metadata.as_deref()
    }

    /// Replaces the metadata (at most 1024 characters reach the callback;
    /// see the limits fallback).
    ///
    /// ```
    /// use chimeflow_core::{ChannelMessage, Message};
    ///
    /// let received = ChannelMessage { message_id: "m1".into(), ..Default::default() };
    /// let mut message = Message::new(&received);
    /// assert_eq!(message.metadata(), None);
    /// message.set_metadata(r#"{"moderation":{"flagged":true}}"#);
    /// assert!(message.metadata_changed());
    /// ```
    pub fn set_metadata(&mut self, metadata: impl Into<String>) {
        self.metadata = Some(Cow::Owned(metadata.into()));
    }

    /// Whether the metadata differs from what was received.
    pub fn metadata_changed(&self) -> bool {
        self.metadata.as_deref() != self.received.metadata.as_deref()
    }

    // ----- attributes -----

    /// The current message attributes.
    pub fn attributes(&self) -> &MessageAttributes {
        &self.attributes
    }

    /// The message attributes, for editing.
    ///
    /// ```
    /// use chimeflow_core::{ChannelMessage, Message, MessageAttributeValue};
    ///
    /// let received = ChannelMessage { message_id: "m1".into(), ..Default::default() };
    /// let mut message = Message::new(&received);
    /// message
    ///     .attributes_mut()
    ///     .insert("moderation".into(), MessageAttributeValue::new(["pii"]));
    /// assert!(message.attributes_changed());
    /// assert_eq!(message.attributes()["moderation"].string_values, ["pii"]);
    /// ```
    pub fn attributes_mut(&mut self) -> &mut MessageAttributes {
        self.attributes.to_mut()
    }

    /// Whether the attributes differ from what was received.
    pub fn attributes_changed(&self) -> bool {
        match &self.attributes {
            Cow::Borrowed(_) => false,
            Cow::Owned(now) => {
                now != self
                    .received
                    .message_attributes
                    .as_ref()
                    .unwrap_or(&NO_ATTRIBUTES)
            }
        }
    }

    // ----- push notification -----

    /// The push notification the callback will set, if a rule set one.
    pub fn push_notification(&self) -> Option<&PushNotification> {
        self.push_notification.as_ref()
    }

    /// Sets the push notification sent with the message.
    pub fn set_push_notification(&mut self, push: Option<PushNotification>) {
        self.push_notification = push;
    }

    /// Whether any field differs from what was received.
    pub fn is_changed(&self) -> bool {
        self.content_changed()
            || self.metadata_changed()
            || self.attributes_changed()
            || self.push_notification.is_some()
    }

    // ----- read-only context -----

    /// The message id.
    pub fn message_id(&self) -> &'a str {
        &self.received.message_id
    }

    /// The channel ARN, if the event had one.
    pub fn channel_arn(&self) -> Option<&'a str> {
        self.received.channel_arn.as_deref()
    }

    /// The sender's ARN, if the event had one.
    pub fn sender_arn(&self) -> Option<&'a str> {
        self.received.sender.as_ref()?.arn.as_deref()
    }

    /// The sender's display name, if the event had one.
    pub fn sender_name(&self) -> Option<&'a str> {
        self.received.sender.as_ref()?.name.as_deref()
    }

    /// PERSISTENT or NON_PERSISTENT, if given.
    pub fn persistence(&self) -> Option<&'a Persistence> {
        self.received.persistence.as_ref()
    }

    /// STANDARD (or another type), if given.
    pub fn message_type(&self) -> Option<&'a MessageType> {
        self.received.message_type.as_ref()
    }

    /// The content type, if given.
    pub fn content_type(&self) -> Option<&'a str> {
        self.received.content_type.as_deref()
    }

    /// Whether the content is an Amazon Lex reply (JSON, not text).
    ///
    /// ```
    /// use chimeflow_core::{ChannelMessage, LEX_CONTENT_TYPE, Message};
    ///
    /// let reply = ChannelMessage {
    ///     message_id: "m1".into(),
    ///     content: Some(r#"{"Messages":[]}"#.into()),
    ///     content_type: Some(LEX_CONTENT_TYPE.into()),
    ///     ..Default::default()
    /// };
    /// assert!(Message::new(&reply).is_lex());
    /// ```
    pub fn is_lex(&self) -> bool {
        self.content_type() == Some(crate::event::LEX_CONTENT_TYPE)
    }

    /// Whether this is an edit of an earlier message: its
    /// `LastEditedTimestamp` is later than its `CreatedTimestamp` (see
    /// [`ChannelMessage::is_edit`]).
    ///
    /// ```
    /// use chimeflow_core::{ChannelMessage, Message};
    ///
    /// let new = ChannelMessage {
    ///     message_id: "m1".into(),
    ///     created_timestamp: Some("2026-01-01T00:00:00.000Z".into()),
    ///     // A plain send carries LastEditedTimestamp too, equal to created.
    ///     last_edited_timestamp: Some("2026-01-01T00:00:00.000Z".into()),
    ///     ..Default::default()
    /// };
    /// assert!(!Message::new(&new).is_edit());
    /// let edit = ChannelMessage {
    ///     last_edited_timestamp: Some("2026-01-01T00:05:00.000Z".into()),
    ///     ..new.clone()
    /// };
    /// assert!(Message::new(&edit).is_edit());
    /// ```
    pub fn is_edit(&self) -> bool {
        self.received.is_edit()
    }

    /// The sub-channel of an elastic channel, if any.
    pub fn sub_channel_id(&self) -> Option<&'a str> {
        self.received.sub_channel_id.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(content: &str) -> ChannelMessage {
        ChannelMessage {
            message_id: "m".into(),
            content: Some(content.into()),
            ..ChannelMessage::default()
        }
    }

    #[test]
    fn untouched_message_is_unchanged_and_borrowed() {
        let received = message("hello");
        let view = Message::new(&received);
        assert!(!view.is_changed());
        assert!(matches!(view.content, Cow::Borrowed(_)));
    }

    #[test]
    fn replacing_with_the_same_text_is_not_a_change() {
        let received = message("hello");
        let mut view = Message::new(&received);
        view.replace_content([(0..5, "hello")]);
        assert!(!view.content_changed());
    }

    #[test]
    fn replace_content_applies_all_edits() {
        let received = message("one two three");
        let mut view = Message::new(&received);
        view.replace_content([(0..3, "1"), (8..13, "3")]);
        assert_eq!(view.content(), "1 two 3");
        assert!(view.content_changed());
        assert_eq!(view.original_span(2..5), 4..7);
    }

    #[test]
    #[should_panic(expected = "character boundaries")]
    fn edits_inside_a_character_panic() {
        let received = message("é");
        let mut view = Message::new(&received);
        view.replace_content([(0..1, "e")]);
    }

    #[test]
    fn attribute_edits_are_changes() {
        let received = message("x");
        let mut view = Message::new(&received);
        assert!(!view.attributes_changed());
        view.attributes_mut()
            .insert("k".into(), crate::MessageAttributeValue::new(["v"]));
        assert!(view.attributes_changed());
    }
}
