//! Masking: what a matched word is replaced with, on whole graphemes.

use serde::Deserialize;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

use crate::text::is_invisible;

/// How a masked word looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MaskStyle {
    /// One `*` per visible character: "****".
    #[default]
    Asterisks,
    /// The first character kept, then asterisks: "f***".
    FirstLetter,
    /// Cartoon swearing of the same length: "@#$%".
    Grawlix,
    /// The configured replacement text.
    Fixed,
}

const GRAWLIX: &[u8] = b"@#$%&!";

/// The replacement for `word` (whole graphemes of the original). Except for
/// `Fixed`, it is never longer in bytes than `word`.
pub(super) fn mask(word: &str, style: MaskStyle, replacement: &str) -> String {
    let mut visible = word
        .graphemes(true)
        .filter(|g| !g.chars().all(is_invisible));
    let count = visible.clone().count();
    match style {
        MaskStyle::Asterisks => "*".repeat(count),
        MaskStyle::FirstLetter => {
            let first = visible.next().unwrap_or("");
            let mut out = String::with_capacity(first.len() + count);
            out.push_str(first);
            out.extend(std::iter::repeat_n('*', count.saturating_sub(1)));
            out
        }
        MaskStyle::Grawlix => GRAWLIX
            .iter()
            .cycle()
            .take(count)
            .map(|&b| char::from(b))
            .collect(),
        MaskStyle::Fixed => replacement.to_owned(),
    }
}

/// The grapheme boundary at or before `at`.
pub(super) fn grapheme_floor(text: &str, at: usize) -> usize {
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(true) => at,
        _ => cursor.prev_boundary(text, 0).ok().flatten().unwrap_or(0),
    }
}

/// The grapheme boundary at or after `at`.
pub(super) fn grapheme_ceil(text: &str, at: usize) -> usize {
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(true) => at,
        _ => cursor
            .next_boundary(text, 0)
            .ok()
            .flatten()
            .unwrap_or(text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        let cases = [
            (MaskStyle::Asterisks, "fuck", "****"),
            (MaskStyle::Asterisks, "fu\u{200B}ck", "****"),
            (MaskStyle::Asterisks, "ｆｕｃｋ", "****"),
            (MaskStyle::Asterisks, "e\u{301}e", "**"),
            (MaskStyle::FirstLetter, "fuck", "f***"),
            (MaskStyle::FirstLetter, "\u{200B}ｆuck", "ｆ***"),
            (MaskStyle::Grawlix, "shithead", "@#$%&!@#"),
            (MaskStyle::Fixed, "shit", "[x]"),
        ];
        for (style, word, expected) in cases {
            assert_eq!(mask(word, style, "[x]"), expected, "{style:?} {word:?}");
        }
    }

    #[test]
    fn boundaries_widen_to_graphemes() {
        let text = "ae\u{301}b";
        assert_eq!(grapheme_ceil(text, 2), 4);
        assert_eq!(grapheme_floor(text, 2), 1);
        assert_eq!(grapheme_floor(text, 0), 0);
        assert_eq!(grapheme_ceil(text, text.len()), text.len());
    }
}
