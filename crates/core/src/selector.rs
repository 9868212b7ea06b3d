//! Which messages a rule applies to: the `when` table of any rule.

use serde::Deserialize;

use crate::{Message, OptionError, Persistence};

/// Conditions on a message's context; a rule with a selector checks only
/// the messages that meet all of them. An empty selector selects everything.
///
/// ```toml
/// [[rules]]
/// type = "length"
/// max_chars = 500
/// when = { sender = ["arn:aws:chime:*:*:app-instance/*/user/guest-*"], persistence = "PERSISTENT", edits = false }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Selector {
    /// Sender ARN patterns (`*` matches any run of characters); any may match.
    pub sender: Vec<String>,
    /// Sender ARN patterns that exclude a message (e.g. your own bots).
    pub not_sender: Vec<String>,
    /// `PERSISTENT` or `NON_PERSISTENT`.
    pub persistence: Option<String>,
    /// `true`: edits only; `false`: new messages only; absent: both.
    pub edits: Option<bool>,
    /// Content types (patterns as for `sender`; `""` matches a message
    /// without one); any may match.
    pub content_type: Vec<String>,
    /// Languages (ISO 639-1 codes such as `en`; any may match), as the
    /// `language` rule found them with Amazon Comprehend. A message whose
    /// language is unknown does not match; while facts are being gathered
    /// (before it is known) the condition is left out, so the rule asks
    /// for what it needs and decides once the language is in, and a local
    /// rule that redacts runs then, so what it would redact is never sent
    /// to a service.
    pub language: Vec<String>,
}

impl Selector {
    /// Whether the selector has no condition.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Checks the values that serde cannot.
    pub fn validate(&self) -> Result<(), OptionError> {
        match self.persistence.as_deref() {
            None | Some("PERSISTENT" | "NON_PERSISTENT") => Ok(()),
            Some(_) => Err(OptionError::new(
                "persistence",
                "must be PERSISTENT or NON_PERSISTENT",
            )),
        }
    }

    /// Whether `message` meets every condition.
    ///
    /// ```
    /// use chimeflow_core::{ChannelMessage, Identity, Message, Selector};
    ///
    /// let guests = Selector { sender: vec!["*/user/guest-*".into()], edits: Some(false), ..Default::default() };
    /// let from = |arn: &str| ChannelMessage {
    ///     message_id: "m1".into(),
    ///     sender: Some(Identity { arn: Some(arn.into()), ..Default::default() }),
    ///     ..Default::default()
    /// };
    /// let guest = from("arn:aws:chime:us-east-1:1:app-instance/a/user/guest-7");
    /// let member = from("arn:aws:chime:us-east-1:1:app-instance/a/user/alice");
    /// assert!(guests.matches(&Message::new(&guest)));
    /// assert!(!guests.matches(&Message::new(&member)));
    /// ```
    pub fn matches(&self, message: &Message<'_>) -> bool {
        self.matches_known(message)
            && (self.language.is_empty()
                || message.is_gathering()
                || message
                    .language()
                    .is_some_and(|code| self.language.iter().any(|l| l == code)))
    }

    /// [`matches`](Self::matches) without the conditions on what is only
    /// known once facts are in (the language): for gathering.
    pub fn matches_known(&self, message: &Message<'_>) -> bool {
        let sender = message.sender_arn().unwrap_or("");
        if !self.sender.is_empty() && !self.sender.iter().any(|p| wildcard_match(p, sender)) {
            return false;
        }
        if self.not_sender.iter().any(|p| wildcard_match(p, sender)) {
            return false;
        }
        if let Some(wanted) = &self.persistence {
            let actual = message.persistence().map(Persistence::as_str).unwrap_or("");
            if actual != wanted {
                return false;
            }
        }
        if let Some(edits) = self.edits
            && edits != message.is_edit()
        {
            return false;
        }
        let content_type = message.content_type().unwrap_or("");
        self.content_type.is_empty()
            || self
                .content_type
                .iter()
                .any(|p| wildcard_match(p, content_type))
    }
}

/// `*` matches any run of characters (including none); everything else
/// matches itself. Linear time: no backtracking blow-up on hostile input.
///
/// ```
/// use chimeflow_core::wildcard_match;
///
/// assert!(wildcard_match("*/user/guest-*", "arn:aws:chime:us-east-1:1:app-instance/a/user/guest-7"));
/// assert!(wildcard_match("text/*", "text/markdown"));
/// assert!(!wildcard_match("text/*", "application/json"));
/// ```
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChannelMessage, Identity};

    #[test]
    fn wildcards() {
        let cases = [
            ("*", "", true),
            ("", "", true),
            ("", "a", false),
            ("a*c", "abc", true),
            ("a*c", "ac", true),
            ("a*c", "abd", false),
            ("*/user/guest-*", "arn:x/user/guest-7", true),
            ("*/user/guest-*", "arn:x/user/admin", false),
            ("text/*", "text/plain", true),
            ("**a", "bbba", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                wildcard_match(pattern, text),
                expected,
                "{pattern} ~ {text}"
            );
        }
        assert!(
            !wildcard_match(&"*a".repeat(50), &"a".repeat(40)),
            "linear on hostile input"
        );
    }

    fn message(
        sender: &str,
        persistence: &str,
        edited: bool,
        content_type: Option<&str>,
    ) -> ChannelMessage {
        ChannelMessage {
            message_id: "m".into(),
            sender: Some(Identity {
                arn: Some(sender.into()),
                ..Default::default()
            }),
            persistence: Some(Persistence::from(persistence.to_owned())),
            created_timestamp: Some(serde_json::json!("2026-01-01T00:00:00Z")),
            last_edited_timestamp: edited.then(|| serde_json::json!("2026-01-01T00:05:00Z")),
            content_type: content_type.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn selection_table() {
        let guests = Selector {
            sender: vec!["*/user/guest-*".into()],
            ..Default::default()
        };
        let edits_only = Selector {
            edits: Some(true),
            ..Default::default()
        };
        let persistent_text = Selector {
            persistence: Some("PERSISTENT".into()),
            content_type: vec!["".into(), "text/*".into()],
            ..Default::default()
        };
        let not_bots = Selector {
            not_sender: vec!["*/bot/*".into()],
            ..Default::default()
        };
        let cases = [
            (
                &guests,
                message("a/user/guest-1", "PERSISTENT", false, None),
                true,
            ),
            (
                &guests,
                message("a/user/staff-1", "PERSISTENT", false, None),
                false,
            ),
            (
                &edits_only,
                message("a/user/x", "PERSISTENT", true, None),
                true,
            ),
            (
                &edits_only,
                message("a/user/x", "PERSISTENT", false, None),
                false,
            ),
            (
                &persistent_text,
                message("a", "PERSISTENT", false, None),
                true,
            ),
            (
                &persistent_text,
                message("a", "PERSISTENT", false, Some("text/markdown")),
                true,
            ),
            (
                &persistent_text,
                message(
                    "a",
                    "PERSISTENT",
                    false,
                    Some(crate::event::LEX_CONTENT_TYPE),
                ),
                false,
            ),
            (
                &persistent_text,
                message("a", "NON_PERSISTENT", false, None),
                false,
            ),
            (
                &not_bots,
                message("a/bot/order-bot", "PERSISTENT", false, None),
                false,
            ),
            (
                &not_bots,
                message("a/user/x", "PERSISTENT", false, None),
                true,
            ),
            (&Selector::default(), message("", "", false, None), true),
        ];
        for (selector, received, expected) in cases {
            assert_eq!(
                selector.matches(&Message::new(&received)),
                expected,
                "{selector:?} {received:?}"
            );
        }
    }

    #[test]
    fn persistence_values_are_checked() {
        let bad = Selector {
            persistence: Some("persistent".into()),
            ..Default::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().key.as_deref(),
            Some("persistence")
        );
    }
}
