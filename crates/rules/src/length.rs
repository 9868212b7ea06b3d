//! The `length` rule: caps characters, bytes or lines.

use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use serde::Deserialize;
use unicode_segmentation::UnicodeSegmentation;

macro_rules! doc_text {
    () => {
        r#"length: cap a message's characters, bytes or lines; deny or truncate.

What it does
  Measures the content in Unicode characters (scalar values), UTF-8 bytes
  and lines (line feeds + 1). A message over any configured maximum is
  denied (reason "too-long") or truncated at the last grapheme boundary
  that fits every maximum, with an optional suffix. Reports one finding,
  category "too-long", over the part that is over the limit.

Options
  max_chars = (none)     maximum Unicode characters
  max_bytes = (none)     maximum UTF-8 bytes (AWS documents "up to 4KB"
                         per message without a unit)
  max_lines = (none)     maximum lines
  action    = "deny"     "deny" or "truncate"
  suffix    = "…"        appended when truncating; counts toward the maxima
  At least one maximum must be set.

Example
  [[rules]]
  type = "length"
  max_chars = 2000
  max_lines = 40
  action = "truncate"

Limitations
  Lex replies (ContentType application/amz-chime-lex-msgs) hold JSON and
  are never truncated; with action "truncate" they pass, with "deny" they
  are denied when over. A grapheme longer than the whole budget (a huge
  combining sequence) truncates to the suffix alone.
"#
    };
}

/// What to do with a message over the limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LengthAction {
    /// Deny it.
    #[default]
    Deny,
    /// Cut it to fit.
    Truncate,
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LengthConfig {
    /// Maximum Unicode characters.
    pub max_chars: Option<usize>,
    /// Maximum UTF-8 bytes.
    pub max_bytes: Option<usize>,
    /// Maximum lines.
    pub max_lines: Option<usize>,
    /// Deny or truncate.
    pub action: LengthAction,
    /// Appended when truncating.
    pub suffix: String,
}

impl Default for LengthConfig {
    fn default() -> Self {
        Self {
            max_chars: None,
            max_bytes: None,
            max_lines: None,
            action: LengthAction::Deny,
            suffix: "…".into(),
        }
    }
}

impl RuleConfig for LengthConfig {
    const TYPE: &'static str = "length";
    const SUMMARY: &'static str =
        "Cap characters, bytes or lines; deny or truncate on a grapheme boundary.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if self.max_chars.is_none() && self.max_bytes.is_none() && self.max_lines.is_none() {
            return Err(OptionError::rule(
                "set at least one of max_chars, max_bytes, max_lines",
            ));
        }
        for (key, value) in [
            ("max_chars", self.max_chars),
            ("max_bytes", self.max_bytes),
            ("max_lines", self.max_lines),
        ] {
            if value == Some(0) {
                return Err(OptionError::new(key, "must be at least 1"));
            }
        }
        if self.action == LengthAction::Truncate {
            let suffix = Budget::measure(&self.suffix);
            if !self.fits(&suffix) {
                return Err(OptionError::new(
                    "suffix",
                    "is longer than the maxima allow",
                ));
            }
        }
        Ok(Box::new(Length { config: self }))
    }
}

/// A text's size in the three measures.
#[derive(Clone, Copy, Debug, Default)]
struct Budget {
    chars: usize,
    bytes: usize,
    lines: usize,
}

impl Budget {
    fn measure(text: &str) -> Self {
        Self {
            chars: text.chars().count(),
            bytes: text.len(),
            lines: text.bytes().filter(|&b| b == b'\n').count() + 1,
        }
    }
}

impl LengthConfig {
    fn fits(&self, size: &Budget) -> bool {
        self.max_chars.is_none_or(|max| size.chars <= max)
            && self.max_bytes.is_none_or(|max| size.bytes <= max)
            && self.max_lines.is_none_or(|max| size.lines <= max)
    }

    /// The longest prefix, ending on a grapheme boundary, that fits every
    /// maximum once the suffix is appended.
    fn cut_point(&self, text: &str) -> usize {
        let suffix = Budget::measure(&self.suffix);
        let mut used = Budget {
            chars: suffix.chars,
            bytes: suffix.bytes,
            lines: suffix.lines,
        };
        let mut cut = 0;
        for (start, grapheme) in text.grapheme_indices(true) {
            used.chars += grapheme.chars().count();
            used.bytes += grapheme.len();
            used.lines += grapheme.bytes().filter(|&b| b == b'\n').count();
            if !self.fits(&used) {
                break;
            }
            cut = start + grapheme.len();
        }
        cut
    }
}

/// The built rule.
#[derive(Debug)]
pub struct Length {
    config: LengthConfig,
}

impl Rule for Length {
    fn id(&self) -> &str {
        LengthConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        let text = message.content();
        if self.config.fits(&Budget::measure(text)) {
            return Verdict::Continue;
        }
        match self.config.action {
            LengthAction::Deny => {
                findings.report("too-long", 0..text.len());
                Verdict::deny("too-long")
            }
            LengthAction::Truncate if message.is_lex() => Verdict::Continue,
            LengthAction::Truncate => {
                let cut = self.config.cut_point(text);
                let end = text.len();
                findings.report("too-long", cut..end);
                let suffix = self.config.suffix.clone();
                message.replace_content([(cut..end, suffix)]);
                Verdict::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_core::ChannelMessage;

    fn run(config: LengthConfig, content: &str) -> (Verdict, String, Vec<(usize, usize)>) {
        let rule = config.build().unwrap();
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(content.into()),
            ..Default::default()
        };
        let mut message = Message::new(&received);
        let mut findings = Findings::new();
        let verdict = rule.check(&mut message, &mut findings);
        let spans = findings
            .as_slice()
            .iter()
            .map(|f| (f.start, f.end))
            .collect();
        (verdict, message.content().to_owned(), spans)
    }

    fn truncate(
        max_chars: Option<usize>,
        max_bytes: Option<usize>,
        max_lines: Option<usize>,
    ) -> LengthConfig {
        LengthConfig {
            max_chars,
            max_bytes,
            max_lines,
            action: LengthAction::Truncate,
            suffix: "…".into(),
        }
    }

    #[test]
    fn deny_table() {
        let deny = |chars| LengthConfig {
            max_chars: Some(chars),
            ..LengthConfig::default()
        };
        assert!(!run(deny(5), "hello").0.is_deny());
        assert!(run(deny(4), "hello").0.is_deny());
        assert!(!run(deny(2), "éé").0.is_deny(), "characters, not bytes");
    }

    #[test]
    fn truncation_table() {
        let cases = [
            (truncate(Some(6), None, None), "hello world", "hello…"),
            (truncate(None, Some(8), None), "hello world", "hello…"),
            (truncate(None, None, Some(2)), "a\nb\nc\nd", "a\nb…"),
            // Never split a grapheme: the flag is two code points.
            (truncate(Some(3), None, None), "ab🇫🇷cd", "ab…"),
            (truncate(Some(5), None, None), "ab🇫🇷cd", "ab🇫🇷…"),
            // e + combining acute is one grapheme.
            (truncate(Some(2), None, None), "e\u{301}xyz", "…"),
            (truncate(Some(3), None, None), "e\u{301}xyz", "e\u{301}…"),
        ];
        for (config, input, expected) in cases {
            let (verdict, output, _) = run(config, input);
            assert_eq!(verdict, Verdict::Continue);
            assert_eq!(output, expected, "{input:?}");
        }
    }

    #[test]
    fn truncation_reports_the_cut_part() {
        let (_, _, spans) = run(truncate(Some(6), None, None), "hello world");
        assert_eq!(spans, vec![(5, 11)]);
    }

    #[test]
    fn bad_options_fail_at_build() {
        assert!(LengthConfig::default().build().is_err());
        let zero = LengthConfig {
            max_bytes: Some(0),
            ..LengthConfig::default()
        };
        assert_eq!(
            zero.build().err().unwrap().key.as_deref(),
            Some("max_bytes")
        );
        let long_suffix = LengthConfig {
            suffix: "0123456789".into(),
            ..truncate(Some(5), None, None)
        };
        assert_eq!(
            long_suffix.build().err().unwrap().key.as_deref(),
            Some("suffix")
        );
    }
}
