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
#[cfg(test)]
pub(super) fn mask(word: &str, style: MaskStyle, replacement: &str) -> String {
    let mut out = String::new();
    mask_into(word, style, replacement, &mut out);
    out
}

/// Appends the replacement for `word` (whole graphemes of the original) to
/// `out`. Except for `Fixed`, it is never longer in bytes than `word`.
pub(super) fn mask_into(word: &str, style: MaskStyle, replacement: &str, out: &mut String) {
    let (first, count) = if word.is_ascii() && !word.contains('\r') {
        // ASCII without CR: every byte is a visible grapheme of its own.
        (&word[..1.min(word.len())], word.len())
    } else {
        let mut visible = word
            .graphemes(true)
            .filter(|g| !g.chars().all(is_invisible));
        let count = visible.clone().count();
        (visible.next().unwrap_or(""), count)
    };
    match style {
        MaskStyle::Asterisks => out.extend(std::iter::repeat_n('*', count)),
        MaskStyle::FirstLetter => {
            out.push_str(first);
            out.extend(std::iter::repeat_n('*', count.saturating_sub(1)));
        }
        MaskStyle::Grawlix => {
            out.extend(GRAWLIX.iter().cycle().take(count).map(|&b| char::from(b)))
        }
        MaskStyle::Fixed => out.push_str(replacement),
    }
}

/// The grapheme boundary at or before `at`.
pub(super) fn grapheme_floor(text: &str, at: usize) -> usize {
    if ascii_boundary(text, at) {
        return at;
    }
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(true) => at,
        _ => cursor.prev_boundary(text, 0).ok().flatten().unwrap_or(0),
    }
}

/// The grapheme boundary at or after `at`.
pub(super) fn grapheme_ceil(text: &str, at: usize) -> usize {
    if ascii_boundary(text, at) {
        return at;
    }
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

/// Whether `at` is certainly a grapheme boundary without running the
/// segmentation rules: the ends of the text, or between two ASCII bytes
/// other than CR LF (every rule that joins two characters involves CR LF or
/// a non-ASCII character).
fn ascii_boundary(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    if at == 0 || at >= bytes.len() {
        return true;
    }
    let (before, after) = (bytes[at - 1], bytes[at]);
    before.is_ascii() && after.is_ascii() && !(before == b'\r' && after == b'\n')
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

    #[test]
    fn the_ascii_shortcuts_agree_with_the_segmentation_rules() {
        let slow = |text: &str, at: usize| {
            let mut cursor = GraphemeCursor::new(at, text.len(), true);
            cursor.is_boundary(text, 0).unwrap()
        };
        for text in [
            "a\r\nb",
            "ab\u{301}c",
            "x\u{200D}y",
            "\u{1F469}\u{200D}\u{1F467} ok",
            "a\u{0E33}b",
            "\u{0600}1 abc",
            "f*ck\tsh!t",
        ] {
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                if ascii_boundary(text, at) {
                    assert!(slow(text, at), "{text:?} at {at}");
                }
            }
        }
        for style in [
            MaskStyle::Asterisks,
            MaskStyle::FirstLetter,
            MaskStyle::Grawlix,
        ] {
            for word in ["fuck", "sh*t", "a", "b-i-t-c-h"] {
                let visible = word.graphemes(true).count();
                assert_eq!(mask(word, style, "").chars().count(), visible, "{word}");
            }
        }
    }
}
