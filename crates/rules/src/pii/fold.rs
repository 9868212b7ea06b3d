//! Unicode folding: detection sees ASCII digits and punctuation whatever the
//! script they were typed in, and redaction still covers the original text.
//!
//! Folded: decimal digits of the common scripts (Arabic-Indic, Extended
//! Arabic-Indic, Devanagari, Bengali, Thai, fullwidth, mathematical, …) to
//! `0-9`; the fullwidth ASCII block (`＋`, `＠`, `Ａ`, …) to ASCII; Unicode
//! spaces to a space; Unicode dashes and minus to `-`. Invisible characters
//! (zero-width spaces and joiners, BOM, soft hyphen, bidi marks) are dropped,
//! so that `4111\u{200B}1111…` cannot hide a card number.

use crate::text::is_invisible;

/// Code points of the digit zero of scripts whose digits fold to ASCII.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x11066, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E950, 0x1FBF0,
];

/// What a character becomes for detection: `Some(Some(b))` an ASCII byte,
/// `Some(None)` nothing (dropped), `None` itself.
fn fold_char(c: char) -> Option<Option<u8>> {
    let cp = c as u32;
    if cp < 0x80 {
        return None;
    }
    if (0xFF01..=0xFF5E).contains(&cp) {
        // Fullwidth ASCII.
        return Some(Some((cp - 0xFEE0) as u8));
    }
    if matches!(
        cp,
        0x00A0 | 0x1680 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000
    ) {
        return Some(Some(b' '));
    }
    if matches!(cp, 0x2010..=0x2015 | 0x2212 | 0xFE58 | 0xFE63) {
        return Some(Some(b'-'));
    }
    if is_invisible(c) {
        return Some(None);
    }
    if c.is_numeric() {
        for &zero in DIGIT_ZEROS {
            if (zero..zero + 10).contains(&cp) {
                return Some(Some(b'0' + (cp - zero) as u8));
            }
        }
    }
    None
}

/// Text folded for detection, with the way back to the original offsets.
#[derive(Debug)]
pub(super) struct Folded {
    text: String,
    /// For each byte of `text`, the offset of the original byte it came from
    /// (for a folded character: the start of the original character).
    map: Vec<u32>,
}

impl Folded {
    /// The folded text.
    pub(super) fn text(&self) -> &str {
        &self.text
    }

    /// Maps a span of the folded text (on character boundaries) to the original.
    pub(super) fn original(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let orig_start = self.map.get(start).map_or(original.len(), |&o| o as usize);
        if end <= start {
            return (orig_start, orig_start);
        }
        let last = self.map[end - 1] as usize;
        let folded_byte = self.text.as_bytes()[end - 1];
        let orig_end = if folded_byte < 0x80 {
            // An ASCII byte stands for one whole original character.
            last + original[last..].chars().next().map_or(1, char::len_utf8)
        } else {
            last + 1
        };
        (orig_start, orig_end)
    }
}

/// Folds `text`, or None when nothing in it folds (no copy is made then).
pub(super) fn fold(text: &str) -> Option<Folded> {
    if text.is_ascii() || !text.chars().any(|c| fold_char(c).is_some()) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    for (offset, c) in text.char_indices() {
        match fold_char(c) {
            Some(Some(byte)) => {
                out.push(char::from(byte));
                map.push(offset as u32);
            }
            Some(None) => {}
            None => {
                out.push(c);
                map.extend((0..c.len_utf8()).map(|k| (offset + k) as u32));
            }
        }
    }
    Some(Folded { text: out, map })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_digits_and_fullwidth() {
        let text = "card ٤١١١ and ４１１１＠x";
        let folded = fold(text).unwrap();
        assert_eq!(folded.text(), "card 4111 and 4111@x");
        let start = folded.text().find("4111 and").unwrap();
        let (s, e) = folded.original(text, start, start + 4);
        assert_eq!(&text[s..e], "٤١١١");
        let start = folded.text().rfind("4111").unwrap();
        let (s, e) = folded.original(text, start, start + 5);
        assert_eq!(&text[s..e], "４１１１＠");
    }

    #[test]
    fn drops_invisible_and_keeps_other_text() {
        let text = "é4\u{200B}1";
        let folded = fold(text).unwrap();
        assert_eq!(folded.text(), "é41");
        let (s, e) = folded.original(text, 0, 2);
        assert_eq!(&text[s..e], "é");
        let (s, e) = folded.original(text, 2, 4);
        assert_eq!(&text[s..e], "4\u{200B}1");
        assert!(fold("plain ascii").is_none());
        assert!(fold("café").is_none());
    }
}
