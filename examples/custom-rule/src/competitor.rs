//! The `competitor-mentions` rule.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use serde::Deserialize;

macro_rules! doc_text {
    () => {
        r#"competitor-mentions: deny or tag messages that name a competitor.

What it does
  Looks for the configured competitor names and their aliases, as whole
  words and in any case. With action "deny" a message naming one is denied
  (reason "competitor"); with "tag" it passes, with a finding per mention
  (category "competitor") and the attribute `competitors` listing who was
  named, for a routing or analytics pipeline downstream.

Options
  names     = []       competitor names; each may carry aliases after "|":
                       "Globex|Globex Corp|GBX"
  action    = "tag"    "tag" or "deny"
  attribute = "competitors"   attribute written by "tag" ("" for none)

Example
  [[rules]]
  type = "competitor-mentions"
  names = ["Globex|Globex Corp|GBX", "Initech"]
  action = "deny"

Limitations
  Exact names only: misspellings and look-alike characters are not caught
  (the built-in profanity rule shows how to normalise text first).
"#
    };
}

/// Deny or tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Findings and an attribute.
    #[default]
    Tag,
    /// Deny the message.
    Deny,
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CompetitorMentionsConfig {
    /// Names, each with optional `|`-separated aliases.
    pub names: Vec<String>,
    /// What to do.
    pub action: Action,
    /// The attribute `tag` writes.
    pub attribute: String,
}

impl Default for CompetitorMentionsConfig {
    fn default() -> Self {
        Self {
            names: Vec::new(),
            action: Action::Tag,
            attribute: "competitors".into(),
        }
    }
}

impl RuleConfig for CompetitorMentionsConfig {
    const TYPE: &'static str = "competitor-mentions";
    const SUMMARY: &'static str =
        "Deny or tag messages that name a competitor (example custom rule).";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (index, entry) in self.names.iter().enumerate() {
            let canonical = entry.split('|').next().unwrap_or("").trim();
            for alias in entry.split('|').map(str::trim) {
                if alias.is_empty() {
                    return Err(OptionError::new(
                        "names",
                        format!("entry {index} has an empty name"),
                    ));
                }
                patterns.push(alias.to_owned());
                owners.push(canonical.to_owned());
            }
        }
        if patterns.is_empty() {
            return Err(OptionError::new("names", "name at least one competitor"));
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| OptionError::new("names", e.to_string()))?;
        Ok(Box::new(CompetitorMentions {
            automaton,
            owners,
            action: self.action,
            attribute: self.attribute,
        }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct CompetitorMentions {
    automaton: AhoCorasick,
    owners: Vec<String>,
    action: Action,
    attribute: String,
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

impl Rule for CompetitorMentions {
    fn id(&self) -> &str {
        CompetitorMentionsConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        if message.is_lex() {
            return Verdict::Continue;
        }
        let text = message.content();
        let mut named: Vec<&str> = Vec::new();
        for found in self.automaton.find_iter(text) {
            let before = text[..found.start()].chars().next_back();
            let after = text[found.end()..].chars().next();
            if is_word(before) || is_word(after) {
                continue;
            }
            findings.report("competitor", found.range());
            let owner = self.owners[found.pattern().as_usize()].as_str();
            if !named.contains(&owner) {
                named.push(owner);
            }
        }
        if named.is_empty() {
            return Verdict::Continue;
        }
        match self.action {
            Action::Deny => Verdict::deny("competitor"),
            Action::Tag => {
                if !self.attribute.is_empty() {
                    let values = chimeflow_core::MessageAttributeValue::new(named.iter().copied());
                    message
                        .attributes_mut()
                        .insert(self.attribute.clone(), values);
                }
                Verdict::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_test::{EventBuilder, Expect, assert_conformance, assert_table, run_rule_on};

    fn rule(action: Action) -> Box<dyn Rule> {
        CompetitorMentionsConfig {
            names: vec!["Globex|Globex Corp|GBX".into(), "Initech".into()],
            action,
            ..CompetitorMentionsConfig::default()
        }
        .build()
        .unwrap()
    }

    #[test]
    fn deny_table() {
        assert_table(
            rule(Action::Deny).as_ref(),
            &[
                ("have you tried Globex?", Expect::Deny("competitor")),
                ("GLOBEX CORP is cheaper", Expect::Deny("competitor")),
                ("we beat initech again", Expect::Deny("competitor")),
                ("the globexian empire", Expect::Pass),
                ("GBXs are not a thing", Expect::Pass),
                ("nothing to see", Expect::Pass),
            ],
        );
    }

    #[test]
    fn tag_names_each_competitor_once() {
        let event = EventBuilder::new()
            .content("Globex, GBX and Initech: GLOBEX again")
            .build();
        let run = run_rule_on(rule(Action::Tag).as_ref(), &event);
        assert_eq!(run.findings.len(), 4);
        assert!(run.changed);
        let mut message = chimeflow_core::Message::new(&event.channel_message);
        rule(Action::Tag).check(&mut message, &mut Findings::new());
        assert_eq!(
            message.attributes()["competitors"].string_values,
            ["Globex", "Initech"]
        );
    }

    #[test]
    fn lex_replies_are_left_alone() {
        let event = EventBuilder::new().lex_reply("try Globex").build();
        assert_eq!(
            run_rule_on(rule(Action::Deny).as_ref(), &event).verdict,
            Verdict::Continue
        );
    }

    #[test]
    fn bad_options_are_refused() {
        let empty = CompetitorMentionsConfig::default().build();
        assert_eq!(empty.err().unwrap().key.as_deref(), Some("names"));
        let blank_alias = CompetitorMentionsConfig {
            names: vec!["Globex||GBX".into()],
            ..CompetitorMentionsConfig::default()
        };
        assert!(blank_alias.build().is_err());
    }

    #[test]
    fn conforms() {
        assert_conformance(rule(Action::Tag));
        assert_conformance(rule(Action::Deny));
    }
}
