//! The `mention-spam` rule: too many members addressed in one message.

use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use serde::Deserialize;

use crate::stateful::StatefulAction;

macro_rules! doc_text {
    () => {
        r#"mention-spam: more than max_mentions distinct members addressed in one message.

What it does
  Counts the distinct members a message addresses: its Target members
  (targeted messages) and its mentions in the content, which are
  `@handle` (letters, digits, `_`, `.`, `-`; an address such as
  a@b.example is not a mention) and AppInstanceUser or AppInstanceBot ARNs
  written in the text (how many clients encode a mention). A handle and
  the same handle again count once, case aside. More than `max_mentions`
  denies (reason "mention-spam") or, with action = "tag", adds a finding
  "mention-spam". Needs no store.

Options
  max_mentions = 5       distinct members allowed in one message
  action       = "deny"  "deny" or "tag"

Example
  [[rules]]
  type = "mention-spam"
  max_mentions = 10
  action = "tag"

Limitations
  `@here`-style group mentions count as one handle each. Mentions carried
  only in Metadata (some clients) are not seen.
"#
    };
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MentionSpamConfig {
    /// Distinct members allowed in one message.
    pub max_mentions: u32,
    /// Deny or tag.
    pub action: StatefulAction,
}

impl Default for MentionSpamConfig {
    fn default() -> Self {
        Self {
            max_mentions: 5,
            action: StatefulAction::Deny,
        }
    }
}

impl RuleConfig for MentionSpamConfig {
    const TYPE: &'static str = "mention-spam";
    const SUMMARY: &'static str =
        "Deny or tag messages that address more than max_mentions distinct members.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        Ok(Box::new(MentionSpam { config: self }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct MentionSpam {
    config: MentionSpamConfig,
}

impl Rule for MentionSpam {
    fn id(&self) -> &str {
        MentionSpamConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        let mut members: Vec<String> = message
            .received()
            .target
            .iter()
            .flatten()
            .filter_map(|target| target.member_arn.clone())
            .collect();
        members.extend(mentions(message.content()));
        members.sort_unstable();
        members.dedup();
        if members.len() > self.config.max_mentions as usize {
            self.config.action.fire("mention-spam", findings)
        } else {
            Verdict::Continue
        }
    }
}

/// The members mentioned in `text`: `@handle`s (lower-cased, prefixed `@`)
/// and AppInstanceUser/Bot ARNs.
fn mentions(text: &str) -> Vec<String> {
    let is_handle = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '-');
    let mut found = Vec::new();
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        if c == '@' && !previous.is_alphanumeric() {
            let rest = &text[at + 1..];
            let end = rest.find(|c: char| !is_handle(c)).unwrap_or(rest.len());
            let handle = rest[..end].trim_end_matches(['.', '-']);
            if !handle.is_empty() {
                found.push(format!("@{}", handle.to_lowercase()));
            }
        }
        previous = c;
    }
    for (at, _) in text.match_indices("arn:aws") {
        let rest = &text[at..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | ','))
            .unwrap_or(rest.len());
        let arn = rest[..end].trim_end_matches(['.', ';', ':', '!', '?']);
        if arn.contains(":app-instance/") && (arn.contains("/user/") || arn.contains("/bot/")) {
            found.push(arn.to_owned());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn handles_and_arns_are_mentions_addresses_are_not() {
        let text = "hi @Ana, @bob. and @ana again; mail x@y.example; \
                    see arn:aws:chime:us-east-1:111122223333:app-instance/a/user/u1.";
        let mut found = mentions(text);
        found.sort();
        found.dedup();
        assert_eq!(
            found,
            [
                "@ana",
                "@bob",
                "arn:aws:chime:us-east-1:111122223333:app-instance/a/user/u1"
            ]
        );
    }
}
