//! The `keyword` rule: operator-defined literal words and phrases, found by
//! one aho-corasick automaton, masked, redacted, denied or tagged.
//!
//! The action machinery here ([`MatchAction`], grapheme snapping, masking,
//! option checks) is shared with the `regex` rule.

use std::ops::Range;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use serde::Deserialize;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

macro_rules! doc_text {
    () => {
        r#"keyword: find operator-defined words and phrases; mask, redact, deny or tag.

What it does
  Looks for every entry of `words` (literal text, not patterns) with one
  aho-corasick automaton built at start-up; where entries overlap, the
  leftmost, then longest, wins. Each match is reported as a finding
  (category = `category`, the span; never the text) and then, by action:
    "mask"    each character the reader sees (grapheme) becomes one "*"
    "redact"  the match becomes `replacement`
    "deny"    the message is denied, reason = `category`
    "tag"     findings only (a later `tag` rule can summarise them)
  With case_sensitive = false, words and text are compared after simple
  Unicode lower-casing ("STRASSE" finds "strasse", "ÉCOLE" finds "école").
  With whole_words = true, a match must not continue a word: where the
  match starts (or ends) with a word character, the character before
  (or after) it must not be one. Word characters are those of Unicode
  regex `\w`: letters, marks, decimal digits, connector punctuation and
  joiners. So "class" does not match inside "classic" or "subclass", "C++"
  matches in "C++!", "café" does not match "cafe\u0301s". When the longest
  entry at a place is not a whole word, shorter entries there are tried
  ("new" in "new yorker" when the list has "new" and "new york").
  Matches are widened to grapheme boundaries, so masking never splits an
  emoji sequence or a letter from its accents.

Options
  words          = (required)    the words and phrases; empty entries and
                                 duplicates (after case folding) are errors
  category       = "keyword"     the finding category (and deny reason):
                                 1-64 printable ASCII characters, no spaces
  action         = "mask"        "mask", "redact", "deny" or "tag"
  replacement    = "[REDACTED]"  what "redact" writes (1-100 bytes)
  case_sensitive = false
  whole_words    = true

Example
  [[rules]]
  type = "keyword"
  words = ["project falcon", "acme corp", "internal-only"]
  category = "confidential"
  action = "redact"
  replacement = "[confidential]"

Limitations
  Literal matching: no leet-speak, spacing or look-alike handling (the
  profanity rule does that). Case folding is simple per character: "ß"
  and "ss" differ. Amazon Lex replies (ContentType
  application/amz-chime-lex-msgs) hold JSON and are skipped entirely,
  whatever the action. Redaction tokens may make a message longer; past
  4 KB the processor shortens them (see the limits fallback).
"#
    };
}

/// What the `keyword` and `regex` rules do with a match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchAction {
    /// One `*` per grapheme of the match.
    #[default]
    Mask,
    /// The match becomes the replacement token.
    Redact,
    /// Deny the message; the reason is the category.
    Deny,
    /// Report findings only.
    Tag,
}

/// The default finding category of the `keyword` rule.
pub const DEFAULT_CATEGORY: &str = "keyword";
/// The default redaction token of the `keyword` and `regex` rules.
pub const DEFAULT_REPLACEMENT: &str = "[REDACTED]";

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeywordConfig {
    /// The literal words and phrases.
    pub words: Vec<String>,
    /// The finding category and deny reason.
    pub category: String,
    /// What to do with a match.
    pub action: MatchAction,
    /// What `redact` writes.
    pub replacement: String,
    /// Compare case exactly.
    pub case_sensitive: bool,
    /// Matches must not continue a word.
    pub whole_words: bool,
}

impl Default for KeywordConfig {
    fn default() -> Self {
        Self {
            words: Vec::new(),
            category: DEFAULT_CATEGORY.into(),
            action: MatchAction::Mask,
            replacement: DEFAULT_REPLACEMENT.into(),
            case_sensitive: false,
            whole_words: true,
        }
    }
}

impl RuleConfig for KeywordConfig {
    const TYPE: &'static str = "keyword";
    const SUMMARY: &'static str =
        "Find operator-defined words and phrases (one automaton); mask, redact, deny or tag.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        check_category(&self.category)?;
        check_replacement(&self.replacement)?;
        if self.words.is_empty() {
            return Err(OptionError::new("words", "list at least one word"));
        }
        let mut folded: Vec<String> = Vec::with_capacity(self.words.len());
        for (i, word) in self.words.iter().enumerate() {
            if word.trim().is_empty() {
                return Err(OptionError::new(
                    format!("words[{i}]"),
                    format!("words[{i}] is empty"),
                ));
            }
            let key = if self.case_sensitive {
                word.clone()
            } else {
                fold_str(word)
            };
            if let Some(first) = folded.iter().position(|w| *w == key) {
                return Err(OptionError::new(
                    format!("words[{i}]"),
                    format!("words[{i}] repeats words[{first}]"),
                ));
            }
            folded.push(key);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(!self.case_sensitive)
            .start_kind(StartKind::Both)
            .build(&folded)
            .map_err(|e| OptionError::new("words", format!("cannot be compiled: {e}")))?;
        Ok(Box::new(Keyword {
            automaton,
            outcome: Act {
                category: self.category,
                action: self.action,
                replacement: self.replacement,
            },
            case_sensitive: self.case_sensitive,
            whole_words: self.whole_words,
        }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct Keyword {
    automaton: AhoCorasick,
    outcome: Act,
    case_sensitive: bool,
    whole_words: bool,
}

impl Rule for Keyword {
    fn id(&self) -> &str {
        KeywordConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        if message.is_lex() {
            return Verdict::Continue;
        }
        let text = message.content();
        let folded = if self.case_sensitive {
            None
        } else {
            Folded::of(text)
        };
        let spans = self.find(text, folded.as_ref());
        if spans.is_empty() {
            return Verdict::Continue;
        }
        self.outcome.apply(message, findings, &spans)
    }
}

impl Keyword {
    /// The spans (in `text`) of every accepted match, sorted and disjoint.
    /// Allocates only when something is found.
    fn find(&self, text: &str, folded: Option<&Folded>) -> Vec<Range<usize>> {
        let scanned = folded.map_or(text, |f| f.text.as_str());
        let original = |span: Range<usize>| folded.map_or(span.clone(), |f| f.original(span));
        let mut spans: Vec<Range<usize>> = Vec::new();
        let mut at = 0;
        while at < scanned.len() {
            let Some(found) = self.automaton.find(Input::new(scanned).range(at..)) else {
                break;
            };
            // The longest entry here, then shorter ones, until one is a
            // whole word.
            let mut candidate = Some(found);
            let mut accepted = None;
            while let Some(m) = candidate {
                let span = original(m.range());
                if !self.whole_words || is_whole_word(text, &span) {
                    accepted = Some((m.end(), span));
                    break;
                }
                candidate = if m.len() > 1 {
                    self.automaton.find(
                        Input::new(scanned)
                            .range(m.start()..m.end() - 1)
                            .anchored(Anchored::Yes),
                    )
                } else {
                    None
                };
            }
            match accepted {
                Some((end, span)) => {
                    push_merged(&mut spans, snap_to_graphemes(text, span));
                    at = end;
                }
                None => at = next_char(scanned, found.start()),
            }
        }
        spans
    }
}

/// The content lower-cased character by character, with a map back to the
/// content's byte offsets when lengths changed.
#[derive(Debug)]
struct Folded {
    text: String,
    /// `map[i]`: the content offset of folded byte `i` (one entry per byte,
    /// plus the end). `None` when every character kept its length.
    map: Option<Vec<usize>>,
}

impl Folded {
    /// `None` when the automaton can search `text` as it is (ASCII case
    /// is folded by the automaton itself): no allocation.
    fn of(text: &str) -> Option<Self> {
        if text.is_ascii() || !text.chars().any(|c| !c.is_ascii() && fold_char(c) != c) {
            return None;
        }
        let mut folded = String::with_capacity(text.len());
        let mut map: Option<Vec<usize>> = None;
        for (at, c) in text.char_indices() {
            let f = fold_char(c);
            if f.len_utf8() != c.len_utf8() && map.is_none() {
                let mut m = Vec::with_capacity(text.len() + 1);
                // Everything so far kept its length.
                m.extend(0..folded.len());
                map = Some(m);
            }
            if let Some(m) = &mut map {
                m.extend(std::iter::repeat_n(at, f.len_utf8()));
            }
            folded.push(f);
        }
        if let Some(m) = &mut map {
            m.push(text.len());
        }
        Some(Self { text: folded, map })
    }

    fn original(&self, span: Range<usize>) -> Range<usize> {
        match &self.map {
            None => span,
            Some(map) => map[span.start]..map[span.end],
        }
    }
}

/// Simple per-character lower-casing (İ becomes i).
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(one), None) => one,
        (Some(first), Some(_)) => first,
        _ => c,
    }
}

fn fold_str(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

fn next_char(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len(), |c| at + c.len_utf8())
}

/// Whether `c` is a Unicode word character (regex `\w`).
pub(crate) fn is_word_char(c: char) -> bool {
    regex_syntax::try_is_word_character(c).unwrap_or_else(|_| c.is_alphanumeric() || c == '_')
}

/// Whether `span` of `text` does not continue a word on either side.
fn is_whole_word(text: &str, span: &Range<usize>) -> bool {
    let inner = &text[span.clone()];
    let starts_word = inner.chars().next().is_some_and(is_word_char);
    let ends_word = inner.chars().next_back().is_some_and(is_word_char);
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    let continues_before = starts_word && before.is_some_and(is_word_char);
    let continues_after = ends_word && after.is_some_and(is_word_char);
    !continues_before && !continues_after
}

/// Widens `span` to the grapheme boundaries around it.
pub(crate) fn snap_to_graphemes(text: &str, span: Range<usize>) -> Range<usize> {
    let boundary = |at: usize| {
        GraphemeCursor::new(at, text.len(), true)
            .is_boundary(text, 0)
            .unwrap_or(true)
    };
    let mut start = span.start;
    if !boundary(start) {
        start = GraphemeCursor::new(start, text.len(), true)
            .prev_boundary(text, 0)
            .ok()
            .flatten()
            .unwrap_or(0);
    }
    let mut end = span.end;
    if !boundary(end) {
        end = GraphemeCursor::new(end, text.len(), true)
            .next_boundary(text, 0)
            .ok()
            .flatten()
            .unwrap_or(text.len());
    }
    start..end
}

/// Appends `span`, merging it into the last span when they overlap.
pub(crate) fn push_merged(spans: &mut Vec<Range<usize>>, span: Range<usize>) {
    match spans.last_mut() {
        Some(last) if span.start < last.end => last.end = last.end.max(span.end),
        _ => spans.push(span),
    }
}

/// Checks a `category` option.
pub(crate) fn check_category(category: &str) -> Result<(), OptionError> {
    if category.is_empty() || category.len() > 64 || !category.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(OptionError::new(
            "category",
            "must be 1-64 printable ASCII characters without spaces",
        ));
    }
    Ok(())
}

/// Checks a `replacement` option.
pub(crate) fn check_replacement(replacement: &str) -> Result<(), OptionError> {
    if replacement.is_empty()
        || replacement.len() > 100
        || replacement.chars().any(char::is_control)
    {
        return Err(OptionError::new(
            "replacement",
            "must be 1-100 bytes without control characters",
        ));
    }
    Ok(())
}

/// What a `keyword` or `regex` rule does with its matches.
#[derive(Clone, Debug)]
pub(crate) struct Act {
    pub(crate) category: String,
    pub(crate) action: MatchAction,
    pub(crate) replacement: String,
}

impl Act {
    /// Reports `spans` (sorted, disjoint, on grapheme boundaries of the
    /// current content), then acts on them.
    pub(crate) fn apply(
        &self,
        message: &mut Message<'_>,
        findings: &mut Findings,
        spans: &[Range<usize>],
    ) -> Verdict {
        for span in spans {
            findings.report(self.category.clone(), span.clone());
        }
        match self.action {
            MatchAction::Deny => Verdict::deny(self.category.clone()),
            MatchAction::Tag => Verdict::Continue,
            MatchAction::Mask => {
                let text = message.content();
                let edits: Vec<(Range<usize>, String)> = spans
                    .iter()
                    .map(|span| {
                        let graphemes = text[span.clone()].graphemes(true).count();
                        (span.clone(), "*".repeat(graphemes))
                    })
                    .collect();
                message.replace_content(edits);
                Verdict::Continue
            }
            MatchAction::Redact => {
                message.replace_content(spans.iter().map(|s| (s.clone(), &self.replacement)));
                Verdict::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_test::{EventBuilder, Expect, assert_table, run_rule, run_rule_on};

    fn rule(words: &[&str]) -> Box<dyn Rule> {
        KeywordConfig {
            words: words.iter().map(|w| w.to_string()).collect(),
            ..KeywordConfig::default()
        }
        .build()
        .unwrap()
    }

    fn with(words: &[&str], edit: impl FnOnce(&mut KeywordConfig)) -> Box<dyn Rule> {
        let mut config = KeywordConfig {
            words: words.iter().map(|w| w.to_string()).collect(),
            ..KeywordConfig::default()
        };
        edit(&mut config);
        config.build().unwrap()
    }

    #[test]
    fn mask_table() {
        let rule = rule(&["class", "new", "new york", "C++", "project falcon", "café"]);
        assert_table(
            rule.as_ref(),
            &[
                ("a class act", Expect::Becomes("a ***** act")),
                ("classic subclass classes", Expect::Pass),
                ("CLASS!", Expect::Becomes("*****!")),
                ("(class)", Expect::Becomes("(*****)")),
                ("class_name", Expect::Pass),
                ("class1", Expect::Pass),
                ("new york city", Expect::Becomes("******** city")),
                ("a new yorker", Expect::Becomes("a *** yorker")),
                ("I like C++!", Expect::Becomes("I like ***!")),
                ("c++11", Expect::Becomes("***11")),
                ("Project  Falcon", Expect::Pass),
                (
                    "PROJECT FALCON launch",
                    Expect::Becomes("************** launch"),
                ),
                ("CAFÉ", Expect::Becomes("****")),
                ("café", Expect::Becomes("****")),
                // A combining accent continues the word.
                ("cafe\u{301}s", Expect::Pass),
                ("nothing here", Expect::Pass),
                ("", Expect::Pass),
            ],
        );
    }

    #[test]
    fn substrings_when_whole_words_is_off() {
        let rule = with(&["class", "👍"], |c| c.whole_words = false);
        assert_table(
            rule.as_ref(),
            &[
                ("classic", Expect::Becomes("*****ic")),
                ("subclass", Expect::Becomes("sub*****")),
                // The thumbs-up with a skin tone is one grapheme: one star,
                // the modifier is not left dangling.
                ("ok 👍🏽 ok", Expect::Becomes("ok * ok")),
                // An accent on the last letter widens the match to it.
                ("classe\u{301}", Expect::Becomes("*****e\u{301}")),
                ("clas\u{0073}\u{0301}", Expect::Becomes("*****")),
            ],
        );
    }

    #[test]
    fn unicode_case_folding_and_offsets() {
        // The Kelvin sign (3 bytes) folds to "k" (1 byte): spans still
        // point at the original text.
        let rule = rule(&["kilo", "straße", "ΣΟΦΙΑ"]);
        let text = "\u{212A}ILO and STRAßE and σοφια.";
        let run = run_rule(rule.as_ref(), text);
        let found: Vec<&str> = run.findings.iter().map(|(_, s)| &text[s.clone()]).collect();
        assert_eq!(found, ["\u{212A}ILO", "STRAßE", "σοφια"]);
        assert_eq!(run.content, "**** and ****** and *****.");
        let exact = with(&["Kilo"], |c| c.case_sensitive = true);
        assert_table(
            exact.as_ref(),
            &[
                ("Kilo", Expect::Becomes("****")),
                ("kilo KILO", Expect::Pass),
            ],
        );
    }

    #[test]
    fn actions() {
        let text = "ship project falcon now";
        let redact = with(&["project falcon"], |c| c.action = MatchAction::Redact);
        assert_eq!(
            run_rule(redact.as_ref(), text).content,
            "ship [REDACTED] now"
        );
        let custom = with(&["project falcon"], |c| {
            c.action = MatchAction::Redact;
            c.replacement = "[x]".into();
        });
        assert_eq!(run_rule(custom.as_ref(), text).content, "ship [x] now");
        let deny = with(&["project falcon"], |c| {
            c.action = MatchAction::Deny;
            c.category = "confidential".into();
        });
        assert_table(deny.as_ref(), &[(text, Expect::Deny("confidential"))]);
        let tag = with(&["project falcon"], |c| c.action = MatchAction::Tag);
        assert_table(tag.as_ref(), &[(text, Expect::Found(&["keyword"]))]);
    }

    #[test]
    fn findings_point_at_the_original_before_edits() {
        let rule = with(&["ab", "cd"], |c| c.action = MatchAction::Redact);
        let text = "ab x cd";
        let run = run_rule(rule.as_ref(), text);
        assert_eq!(run.content, "[REDACTED] x [REDACTED]");
        let spans: Vec<_> = run.findings.iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(spans, [0..2, 5..7]);
    }

    #[test]
    fn lex_replies_are_skipped() {
        let rule = with(&["content", "secret"], |c| c.action = MatchAction::Deny);
        let event = EventBuilder::new().lex_reply("the secret plan").build();
        let run = run_rule_on(rule.as_ref(), &event);
        assert_eq!(run.verdict, Verdict::Continue);
        assert!(run.findings.is_empty() && !run.changed);
    }

    #[test]
    fn bad_options_fail_at_build() {
        let err = |edit: fn(&mut KeywordConfig)| {
            let mut config = KeywordConfig {
                words: vec!["a".into()],
                ..KeywordConfig::default()
            };
            edit(&mut config);
            config.build().err().unwrap()
        };
        assert_eq!(err(|c| c.words.clear()).key.as_deref(), Some("words"));
        let empty = err(|c| c.words.push("  ".into()));
        assert_eq!(empty.key.as_deref(), Some("words[1]"));
        let dup = err(|c| c.words = vec!["x".into(), "Foo".into(), "fOO".into()]);
        assert_eq!(dup.key.as_deref(), Some("words[2]"));
        assert!(dup.message.contains("words[1]"), "{dup}");
        assert_eq!(
            err(|c| c.category = "has space".into()).key.as_deref(),
            Some("category")
        );
        assert_eq!(
            err(|c| c.replacement = String::new()).key.as_deref(),
            Some("replacement")
        );
        // Case-sensitive lists may hold both spellings.
        assert!(
            KeywordConfig {
                words: vec!["Foo".into(), "foo".into()],
                case_sensitive: true,
                ..KeywordConfig::default()
            }
            .build()
            .is_ok()
        );
    }

    #[test]
    fn config_parses_from_toml() {
        let config: KeywordConfig = toml::from_str(
            "words = [\"a\", \"b c\"]\naction = \"deny\"\ncase_sensitive = true\nwhole_words = false\n",
        )
        .unwrap();
        assert_eq!(config.words, ["a", "b c"]);
        assert_eq!(config.action, MatchAction::Deny);
        assert!(toml::from_str::<KeywordConfig>("action = \"explode\"").is_err());
        assert!(toml::from_str::<KeywordConfig>("word = [\"a\"]").is_err());
    }

    #[test]
    fn a_message_without_a_match_is_borrowed() {
        let rule = rule(&["falcon"]);
        for text in ["plain ascii text", "Ünïcödé ТЕКСТ without it"] {
            let run = run_rule(rule.as_ref(), text);
            assert!(!run.changed && run.findings.is_empty());
        }
        // ASCII and lower-case text need no folded copy.
        assert!(Folded::of("Plain ASCII").is_none());
        assert!(Folded::of("déjà vu").is_none());
        assert!(Folded::of("DÉJÀ").is_some());
    }

    #[test]
    fn hostile_repetition_is_linear_enough() {
        let rule = with(&["a", "aa", "aaa", "aaaa"], |_| {});
        let text = "a".repeat(4096);
        let run = run_rule(rule.as_ref(), &text);
        assert!(run.findings.is_empty());
    }
}
