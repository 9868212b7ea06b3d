//! The fast path of the view for ASCII text: a table lookup per byte
//! instead of classifying characters, words of two to seven letters eight
//! bytes at a time, and the places where mixed text may be split so that
//! its ASCII stretches take this path.

use super::{ASCII, BOUNDARY, Kind, Source, Unit, View, is_in_token};
use crate::profanity::swar;

impl View {
    /// Writes the view of ASCII `bytes[from..to]`. A word of two or more
    /// letters with no star before or after it is written straight away;
    /// the stretches between such words go through the token passes.
    pub(super) fn build_ascii(&mut self, bytes: &[u8], from: usize, to: usize) {
        let source = Ascii { bytes, offset: 0 };
        let kind = |at: usize| ASCII[usize::from(bytes[at] & 0x7F)].0;
        let mut pending = from;
        let mut at = from;
        while at < to {
            let gap = at;
            while at < to && !is_in_token(kind(at)) {
                at += 1;
            }
            let start = at;
            // Most words: up to seven letters, eight bytes at a time.
            if let Some(word) = swar::load(bytes, start) {
                let len = swar::leading_letters(word).min(to - start);
                let end = start + len;
                if (2..8).contains(&len) && (end == to || !is_in_token(kind(end))) {
                    at = end;
                    let starred_before =
                        start > gap && bytes[gap..start].iter().all(|&b| b == b'*');
                    let starred_after = end < to && bytes[end] == b'*';
                    if !starred_before && !starred_after {
                        // Up to the word, separators included: stars that
                        // end the word before ("put* all") are read there.
                        if pending < start {
                            self.build_tokens(bytes, pending, start);
                        }
                        let folded = swar::fold(word);
                        if swar::has_repeat(folded, len) {
                            source.write_plain(self, start, end);
                        } else {
                            self.write_folded(folded, start, end);
                        }
                        self.push(BOUNDARY, 0, 0);
                        pending = end;
                    }
                    continue;
                }
            }
            let mut letters = true;
            while at < to {
                let kind = kind(at);
                if !is_in_token(kind) {
                    break;
                }
                letters &= kind == Kind::Letter;
                at += 1;
            }
            let starred_before = start > gap && bytes[gap..start].iter().all(|&b| b == b'*');
            let starred_after = at < to && bytes[at] == b'*';
            if letters && at - start >= 2 && !starred_before && !starred_after {
                if pending < start {
                    self.build_tokens(bytes, pending, start);
                }
                source.write_plain(self, start, at);
                self.push(BOUNDARY, 0, 0);
                pending = at;
            }
        }
        if pending < to {
            self.build_tokens(bytes, pending, to);
        }
    }

    /// Writes a word of `end - start` (2 to 7) letters, already folded and
    /// without repeats, in two stores (the view ends with a boundary or is
    /// empty).
    fn write_folded(&mut self, folded: u64, start: usize, end: usize) {
        let len = self.bytes.len();
        self.open = (len as u32, start as u32);
        self.last_end = end as u32;
        self.bytes.extend_from_slice(&folded.to_le_bytes());
        self.bytes.truncate(len + end - start);
        self.runs.extend_from_slice(&[1; 8]);
        self.runs.truncate(len + end - start);
    }

    /// Writes the view of ASCII `bytes[from..to]` through the token passes.
    fn build_tokens(&mut self, bytes: &[u8], from: usize, to: usize) {
        self.tokens.clear();
        self.plain.clear();
        let source = Ascii {
            bytes: &bytes[from..to],
            offset: from,
        };
        self.tokenize(&source);
        self.emit_words(&source);
    }
}

/// ASCII text: one unit per byte.
struct Ascii<'a> {
    bytes: &'a [u8],
    /// Where `bytes` starts in the text.
    offset: usize,
}

impl Source for Ascii<'_> {
    #[inline]
    fn count(&self) -> usize {
        self.bytes.len()
    }

    /// Copies the folded letters, collapsing repeats, without the
    /// per-unit checks of [`View::push`].
    fn write_plain(&self, view: &mut View, from: usize, to: usize) {
        view.open = (view.bytes.len() as u32, (self.offset + from) as u32);
        view.last_end = (self.offset + to) as u32;
        // The view ends with a boundary or is empty: no letter to repeat.
        let mut last = BOUNDARY;
        for &byte in &self.bytes[from..to] {
            let letter = ASCII[usize::from(byte & 0x7F)].1;
            if letter == last {
                if let Some(run) = view.runs.last_mut() {
                    *run = run.saturating_add(1);
                }
            } else {
                view.bytes.push(letter);
                view.runs.push(1);
                last = letter;
            }
        }
    }

    #[inline]
    fn unit(&self, index: usize) -> Unit {
        let (kind, ch) = ASCII[usize::from(self.bytes[index] & 0x7F)];
        let start = (self.offset + index) as u32;
        Unit {
            kind,
            ch,
            start,
            end: start + 1,
        }
    }
}

/// Whether the text may be split at byte `at`: one white-space byte with two
/// ASCII letters on each side. The tokens on both sides are words of two
/// letters or more and the gap holds no star, so neither a spelled-out run
/// ("f u c k") nor a starred word ("sh*t") can span it.
pub(super) fn is_cut(bytes: &[u8], at: usize) -> bool {
    at >= 2
        && at + 2 < bytes.len()
        && matches!(bytes[at], b' ' | b'\n' | b'\t')
        && bytes[at - 2..at].iter().all(u8::is_ascii_alphabetic)
        && bytes[at + 1..at + 3].iter().all(u8::is_ascii_alphabetic)
}
