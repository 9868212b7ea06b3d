//! The `regex` rule: operator-defined regular expressions, tested together
//! by one `RegexSet`, masked, redacted, denied or tagged.

use std::ops::Range;

use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;

pub use crate::keyword::MatchAction;
use crate::keyword::{
    Act, DEFAULT_REPLACEMENT, check_category, check_replacement, snap_to_graphemes,
};

macro_rules! doc_text {
    () => {
        r#"regex: find operator-defined regular expressions; mask, redact, deny or tag.

What it does
  Compiles every entry of `patterns` (Rust regex syntax: linear time, no
  look-around or back-references) into one RegexSet, which answers "does
  any pattern match?" in a single pass. Only on a yes are the patterns
  that matched run one by one for their spans. Each match is widened to
  grapheme boundaries, overlapping matches are merged, and each is
  reported as a finding (category = `category`, the span; never the text).
  Then, by action:
    "mask"    each character the reader sees (grapheme) becomes one "*"
    "redact"  the match becomes `replacement`
    "deny"    the message is denied, reason = `category`
    "tag"     findings only (a later `tag` rule can summarise them)
  Patterns are case-sensitive and Unicode-aware; write (?i) for any case
  and \b for word boundaries. A bad pattern stops the processor at start,
  naming the file, line and pattern index.

Options
  patterns    = (required)    regular expressions; at most 256, none may
                              match the empty string, each at most 2 MiB
                              compiled (8 MiB for the whole set)
  category    = "regex"       the finding category (and deny reason):
                              1-64 printable ASCII characters, no spaces
  action      = "mask"        "mask", "redact", "deny" or "tag"
  replacement = "[REDACTED]"  what "redact" writes (1-100 bytes)

Example
  [[rules]]
  type = "regex"
  patterns = ['(?i)\bticket[- ]?\d{5,}\b', '\bJIRA-\d+\b']
  category = "ticket"
  action = "redact"
  replacement = "[ticket]"

Limitations
  Unicode classes are large once compiled: \w{50} is over the 2 MiB
  limit; use (?-u:\w) or [A-Za-z0-9_] for long repetitions. Amazon Lex
  replies (ContentType application/amz-chime-lex-msgs) hold JSON and are
  skipped entirely, whatever the action. Redaction tokens may make a
  message longer; past 4 KB the processor shortens them.
"#
    };
}

/// The most patterns one rule may hold.
pub const MAX_PATTERNS: usize = 256;
/// The compiled size limit of one pattern, in bytes.
pub const PATTERN_SIZE_LIMIT: usize = 2 << 20;
/// The compiled size limit of the whole set, in bytes.
pub const SET_SIZE_LIMIT: usize = 8 << 20;

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegexConfig {
    /// The regular expressions.
    pub patterns: Vec<String>,
    /// The finding category and deny reason.
    pub category: String,
    /// What to do with a match.
    pub action: MatchAction,
    /// What `redact` writes.
    pub replacement: String,
}

impl Default for RegexConfig {
    fn default() -> Self {
        Self {
            patterns: Vec::new(),
            category: "regex".into(),
            action: MatchAction::Mask,
            replacement: DEFAULT_REPLACEMENT.into(),
        }
    }
}

impl RuleConfig for RegexConfig {
    const TYPE: &'static str = "regex";
    const SUMMARY: &'static str =
        "Find operator-defined regular expressions (one RegexSet); mask, redact, deny or tag.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        check_category(&self.category)?;
        check_replacement(&self.replacement)?;
        if self.patterns.is_empty() {
            return Err(OptionError::new("patterns", "list at least one pattern"));
        }
        if self.patterns.len() > MAX_PATTERNS {
            return Err(OptionError::new(
                "patterns",
                format!("at most {MAX_PATTERNS} patterns"),
            ));
        }
        let mut regexes = Vec::with_capacity(self.patterns.len());
        for (i, pattern) in self.patterns.iter().enumerate() {
            let key = format!("patterns[{i}]");
            let regex = RegexBuilder::new(pattern)
                .size_limit(PATTERN_SIZE_LIMIT)
                .build()
                .map_err(|e| {
                    OptionError::new(&key, format!("{key} is not a valid regex: {}", reason(&e)))
                })?;
            if regex.is_match("") {
                return Err(OptionError::new(
                    &key,
                    format!("{key} matches the empty string"),
                ));
            }
            regexes.push(regex);
        }
        let set = RegexSetBuilder::new(&self.patterns)
            .size_limit(SET_SIZE_LIMIT)
            .build()
            .map_err(|e| OptionError::new("patterns", format!("the whole set: {}", reason(&e))))?;
        Ok(Box::new(RegexRule {
            set,
            regexes,
            outcome: Act {
                category: self.category,
                action: self.action,
                replacement: self.replacement,
            },
        }))
    }
}

/// One line saying why a pattern did not compile (never the pattern).
fn reason(error: &regex::Error) -> String {
    match error {
        regex::Error::CompiledTooBig(limit) => {
            format!("too big once compiled (over {limit} bytes); simplify it")
        }
        regex::Error::Syntax(text) => text
            .lines()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or("syntax error")
            .to_owned(),
        other => other.to_string(),
    }
}

/// The built rule.
#[derive(Debug)]
pub struct RegexRule {
    set: RegexSet,
    regexes: Vec<Regex>,
    outcome: Act,
}

impl Rule for RegexRule {
    fn id(&self) -> &str {
        RegexConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        if message.is_lex() {
            return Verdict::Continue;
        }
        let text = message.content();
        if !self.set.is_match(text) {
            return Verdict::Continue;
        }
        let mut spans: Vec<Range<usize>> = Vec::new();
        for index in self.set.matches(text).iter() {
            for m in self.regexes[index].find_iter(text) {
                if !m.is_empty() {
                    spans.push(snap_to_graphemes(text, m.range()));
                }
            }
        }
        spans.sort_unstable_by_key(|s| (s.start, s.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for span in spans {
            crate::keyword::push_merged(&mut merged, span);
        }
        if merged.is_empty() {
            return Verdict::Continue;
        }
        self.outcome.apply(message, findings, &merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_test::{EventBuilder, Expect, assert_table, run_rule, run_rule_on};

    fn rule(patterns: &[&str], action: MatchAction) -> Box<dyn Rule> {
        RegexConfig {
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            action,
            ..RegexConfig::default()
        }
        .build()
        .unwrap()
    }

    #[test]
    fn mask_table() {
        let rule = rule(
            &[r"(?i)\bticket-\d{3,}\b", r"\bJIRA-\d+\b", r"\d{4}"],
            MatchAction::Mask,
        );
        assert_table(
            rule.as_ref(),
            &[
                (
                    "see TICKET-12345 now",
                    Expect::Becomes("see ************ now"),
                ),
                ("JIRA-7 and JIRA-88", Expect::Becomes("****** and *******")),
                // Overlapping matches (ticket and \d{4}) merge.
                ("ticket-123456", Expect::Becomes("*************")),
                ("ticket-12 xJIRA-1", Expect::Pass),
                ("plain", Expect::Pass),
                ("", Expect::Pass),
                // Digits of other scripts are \d in Unicode mode.
                ("٤١١١", Expect::Becomes("****")),
            ],
        );
    }

    #[test]
    fn matches_widen_to_graphemes() {
        let rule = rule(&["e"], MatchAction::Mask);
        assert_eq!(run_rule(rule.as_ref(), "e\u{301}te").content, "*t*");
        let flags = rule_with_flag();
        assert_eq!(run_rule(flags.as_ref(), "a🇫🇷b").content, "a*b");
    }

    fn rule_with_flag() -> Box<dyn Rule> {
        // Matches only the first regional indicator of the flag.
        rule(&["\u{1F1EB}"], MatchAction::Mask)
    }

    #[test]
    fn actions_and_findings() {
        let text = "id 42 and 7";
        let redact = rule(&[r"\d+"], MatchAction::Redact);
        let run = run_rule(redact.as_ref(), text);
        assert_eq!(run.content, "id [REDACTED] and [REDACTED]");
        let spans: Vec<_> = run.findings.iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(spans, [3..5, 10..11]);
        let deny = RegexConfig {
            patterns: vec![r"\d+".into()],
            action: MatchAction::Deny,
            category: "number".into(),
            ..RegexConfig::default()
        }
        .build()
        .unwrap();
        assert_table(deny.as_ref(), &[(text, Expect::Deny("number"))]);
        let tag = rule(&[r"\d+"], MatchAction::Tag);
        assert_table(tag.as_ref(), &[(text, Expect::Found(&["regex", "regex"]))]);
    }

    #[test]
    fn lex_replies_are_skipped() {
        let rule = rule(&["Content", r"\d+"], MatchAction::Deny);
        let event = EventBuilder::new().lex_reply("order 12").build();
        let run = run_rule_on(rule.as_ref(), &event);
        assert_eq!(run.verdict, Verdict::Continue);
        assert!(run.findings.is_empty() && !run.changed);
    }

    #[test]
    fn bad_patterns_fail_at_build_naming_their_index() {
        let err = |patterns: &[&str]| {
            RegexConfig {
                patterns: patterns.iter().map(|p| p.to_string()).collect(),
                ..RegexConfig::default()
            }
            .build()
            .err()
            .unwrap()
        };
        let e = err(&["ok", "(unclosed"]);
        assert_eq!(e.key.as_deref(), Some("patterns[1]"));
        assert!(e.message.contains("patterns[1]"), "{e}");
        assert!(e.message.contains("unclosed group"), "{e}");
        assert!(!e.message.contains('\n'), "{e}");
        let big = err(&[r"\w{50}"]);
        assert_eq!(big.key.as_deref(), Some("patterns[0]"));
        assert!(big.message.contains("too big"), "{big}");
        let empty = err(&["a", "x*"]);
        assert_eq!(empty.key.as_deref(), Some("patterns[1]"));
        assert!(empty.message.contains("empty string"), "{empty}");
        assert_eq!(err(&[]).key.as_deref(), Some("patterns"));
        let many: Vec<String> = (0..=MAX_PATTERNS).map(|i| format!("x{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(err(&many).key.as_deref(), Some("patterns"));
    }

    #[test]
    fn config_parses_from_toml() {
        let config: RegexConfig =
            toml::from_str("patterns = ['\\d+']\naction = \"tag\"\ncategory = \"n\"\n").unwrap();
        assert_eq!(config.patterns, [r"\d+"]);
        assert_eq!(config.action, MatchAction::Tag);
        assert!(toml::from_str::<RegexConfig>("pattern = ['x']").is_err());
    }
}
