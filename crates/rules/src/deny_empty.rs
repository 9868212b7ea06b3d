//! The `deny-empty` rule: denies messages with nothing visible in them.

use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use serde::Deserialize;

use crate::text::is_blank;

macro_rules! doc_text {
    () => {
        r#"deny-empty: deny messages with nothing visible in them.

What it does
  Denies a message whose content is empty or holds only white space and
  invisible characters (zero-width spaces and joiners, BOM, soft hyphen,
  bidi marks), which render as an empty bubble. Lex replies (ContentType
  application/amz-chime-lex-msgs) are skipped: their content is JSON. An
  event with no Content field at all is let through: the event format is
  loosely documented and the service never accepts a message without
  content, so a missing field is not an empty message.

Options
  metadata_counts = false   when true, a message with blank content but
                            non-empty Metadata is let through (an app that
                            sends attachments as metadata wants this).

Example
  [[rules]]
  type = "deny-empty"
  metadata_counts = true

Limitations
  Emoji-only and punctuation-only messages are not blank and pass.
"#
    };
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DenyEmptyConfig {
    /// Let blank content through when Metadata is not empty.
    pub metadata_counts: bool,
}

impl RuleConfig for DenyEmptyConfig {
    const TYPE: &'static str = "deny-empty";
    const SUMMARY: &'static str =
        "Deny messages that are empty or only white space and invisible characters.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        Ok(Box::new(DenyEmpty { config: self }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct DenyEmpty {
    config: DenyEmptyConfig,
}

impl Rule for DenyEmpty {
    fn id(&self) -> &str {
        DenyEmptyConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, _findings: &mut Findings) -> Verdict {
        if message.is_lex() || message.received().content.is_none() || !is_blank(message.content())
        {
            return Verdict::Continue;
        }
        if self.config.metadata_counts && message.metadata().is_some_and(|m| !m.is_empty()) {
            return Verdict::Continue;
        }
        Verdict::deny("empty")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_core::ChannelMessage;

    fn verdict(config: DenyEmptyConfig, content: &str, metadata: Option<&str>) -> Verdict {
        let rule = config.build().unwrap();
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(content.into()),
            metadata: metadata.map(Into::into),
            ..Default::default()
        };
        rule.check(&mut Message::new(&received), &mut Findings::new())
    }

    #[test]
    fn table() {
        let cases = [
            ("", None, true),
            ("   \n\t", None, true),
            ("\u{200B}\u{200D}\u{FEFF}\u{00AD}", None, true),
            (" \u{2060} ", None, true),
            ("hi", None, false),
            ("😀", None, false),
            (".", None, false),
            ("\u{200B}a", None, false),
        ];
        for (content, metadata, denied) in cases {
            assert_eq!(
                verdict(DenyEmptyConfig::default(), content, metadata).is_deny(),
                denied,
                "{content:?}"
            );
        }
    }

    #[test]
    fn a_missing_content_field_is_not_empty() {
        let rule = DenyEmptyConfig::default().build().unwrap();
        let received = ChannelMessage {
            message_id: "m".into(),
            ..Default::default()
        };
        assert!(
            !rule
                .check(&mut Message::new(&received), &mut Findings::new())
                .is_deny()
        );
    }

    #[test]
    fn metadata_counts_lets_attachments_through() {
        let config = DenyEmptyConfig {
            metadata_counts: true,
        };
        assert!(!verdict(config.clone(), " ", Some("{\"file\":1}")).is_deny());
        assert!(verdict(config, " ", Some("")).is_deny());
    }
}
