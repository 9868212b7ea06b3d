//! `chimeflow process --format human`: each outcome as a short block a
//! person reads at a glance, with the findings highlighted in the text.
//!
//! The person running the command is looking at their own input, so the
//! text is shown here (it never is in logs, errors or the JSON findings).
//! Control characters and bidi overrides are escaped so that no input can
//! rewrite the terminal; spans are highlighted with ANSI colour on a
//! terminal and marked `«…»` elsewhere.

use std::fmt::Write as _;
use std::ops::Range;

use chimeflow_core::{Decision, Field, Outcome, ProcessorEvent};

use crate::output::visible;

/// How spans and labels are marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// ANSI colour: for a terminal.
    Color,
    /// Plain text: spans marked `«…»`.
    Plain,
}

impl Style {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset, or
    /// when `CLICOLOR_FORCE` is set (the conventions of no-color.org and
    /// bixense.com/clicolors).
    pub fn detect(is_terminal: bool) -> Self {
        let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        if set("CLICOLOR_FORCE") || (is_terminal && !set("NO_COLOR")) {
            Style::Color
        } else {
            Style::Plain
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Style::Color => format!("\x1b[{code}m{text}\x1b[0m"),
            Style::Plain => text.to_owned(),
        }
    }

    fn span(self, text: &str) -> String {
        match self {
            // Bold on red: visible on light and dark backgrounds.
            Style::Color => format!("\x1b[1;41;97m{text}\x1b[0m"),
            Style::Plain => format!("«{text}»"),
        }
    }
}

/// The block for one processed event.
pub fn outcome_block(
    origin: &str,
    event: &ProcessorEvent,
    outcome: &Outcome,
    style: Style,
) -> String {
    let received = event.channel_message.content.as_deref().unwrap_or("");
    let decision = match outcome.decision {
        Decision::Pass => style.paint("1;32", "PASS"),
        Decision::Update => style.paint("1;33", "UPDATE"),
        Decision::Deny => style.paint("1;31", "DENY"),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}  {}",
        style.paint("2", origin),
        visible(&outcome.message_id),
        decision
    );
    let spans: Vec<Range<usize>> = outcome
        .findings
        .iter()
        .filter(|f| f.field == Field::Content)
        .map(|f| f.span())
        .collect();
    let text = if received.is_empty() {
        style.paint("2", "(no content)")
    } else {
        highlighted(received, &spans, style)
    };
    let _ = writeln!(out, "  text    {text}");
    for finding in &outcome.findings {
        let place = if finding.field == Field::Content {
            format!("bytes {}..{}", finding.start, finding.end)
        } else {
            format!(
                "{:?} bytes {}..{}",
                finding.field, finding.start, finding.end
            )
        };
        let _ = writeln!(
            out,
            "  found   {} {} ({place})",
            finding.rule,
            style.paint("1", &finding.category)
        );
    }
    if let Some(reason) = &outcome.reason {
        let _ = writeln!(out, "  reason  {}/{}", reason.rule, reason.reason);
    }
    // Rules in observe mode: what they would have done, apart from what
    // was done (none of it applied).
    for observed in &outcome.observed {
        let reason = observed
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let found: Vec<String> = observed
            .findings
            .iter()
            .map(|f| format!("{} bytes {}..{}", f.category, f.start, f.end))
            .collect();
        let found = if found.is_empty() {
            String::new()
        } else {
            format!(": {}", found.join(", "))
        };
        let _ = writeln!(
            out,
            "  observe {} would {}{reason}{found}",
            observed.rule,
            style.paint("1;35", observed.action.as_str())
        );
    }
    if outcome.decision == Decision::Update {
        let body = &outcome.callback.channel_message;
        if let Some(sent) = body.content.as_deref().filter(|c| *c != received) {
            let _ = writeln!(out, "  sent    {}", visible(sent));
        }
        if body.metadata != event.channel_message.metadata {
            let metadata = body.metadata.as_deref().unwrap_or("(none)");
            let _ = writeln!(out, "  meta    {}", visible(metadata));
        }
    }
    for note in &outcome.notes {
        let _ = writeln!(out, "  note    {}", visible(note));
    }
    if let Some(reason) = &outcome.no_callback {
        let _ = writeln!(
            out,
            "  {}  {}",
            style.paint("1;31", "no callback"),
            visible(reason)
        );
    }
    out.push('\n');
    out
}

/// The block for an event that could not be processed.
pub fn error_block(origin: &str, error: &str, style: Style) -> String {
    format!(
        "{} {}  {}\n\n",
        style.paint("2", origin),
        style.paint("1;31", "ERROR"),
        visible(error)
    )
}

/// `text` made terminal-safe with each span (byte ranges into `text`,
/// possibly overlapping) marked. Spans off character boundaries are
/// widened to the enclosing characters.
fn highlighted(text: &str, spans: &[Range<usize>], style: Style) -> String {
    let mut merged: Vec<Range<usize>> = spans
        .iter()
        .map(|span| widen(text, span.clone()))
        .filter(|span| !span.is_empty())
        .collect();
    merged.sort_by_key(|span| span.start);
    let mut joined: Vec<Range<usize>> = Vec::new();
    for span in merged {
        match joined.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => joined.push(span),
        }
    }
    let mut out = String::new();
    let mut at = 0;
    for span in joined {
        out.push_str(&visible(&text[at..span.start]));
        out.push_str(&style.span(&visible(&text[span.clone()])));
        at = span.end;
    }
    out.push_str(&visible(&text[at..]));
    out
}

fn widen(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.min(text.len()).max(start);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observed_actions_get_their_own_lines() {
        use chimeflow_core::{Observation, ObservedAction};
        let event = ProcessorEvent::from_slice(
            br#"{"CallbackId": "0123456789abcdef0123456789abcdef",
                "ChannelMessage": {"MessageId": "m1", "Content": "hello"}}"#,
        )
        .unwrap();
        let processor = chimeflow_core::Processor::new(
            chimeflow_core::Pipeline::new(Vec::new()),
            chimeflow_core::OnError::Deny,
        );
        let mut outcome = processor.process(&event).unwrap();
        outcome.observed.push(Observation {
            rule: "profanity".into(),
            action: ObservedAction::Deny,
            reason: Some("profanity".into()),
            findings: Vec::new(),
        });
        let block = outcome_block("events.jsonl:1", &event, &outcome, Style::Plain);
        assert!(block.contains("PASS"), "{block}");
        assert!(
            block.contains("  observe profanity would DENY (profanity)\n"),
            "{block}"
        );
    }

    #[test]
    fn spans_are_marked_merged_and_escaped() {
        let text = "mail a@b.co now\x1b[2J";
        let out = highlighted(text, &[5..11, 7..9], Style::Plain);
        assert_eq!(out, "mail «a@b.co» now\\u{1b}[2J");
    }

    #[test]
    fn colour_wraps_spans_in_ansi() {
        let out = highlighted("ab cd", std::slice::from_ref(&(3..5)), Style::Color);
        assert_eq!(out, "ab \x1b[1;41;97mcd\x1b[0m");
    }

    #[test]
    fn spans_off_character_boundaries_are_widened() {
        let out = highlighted("é and ü", &[1..2, 7..8], Style::Plain);
        assert_eq!(out, "«é» and «ü»");
    }
}
