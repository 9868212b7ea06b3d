//! The normalised view of a text that the matcher searches.
//!
//! Every character of the original becomes zero or more bytes of the view:
//! a lower-case ASCII letter (after case folding, Unicode confusables,
//! diacritics and, inside words, leetspeak), [`WILD`] for a `*` written in
//! place of a letter, [`ALIEN`] for a letter with no Latin equivalent, or
//! [`BOUNDARY`] between words. Invisible characters vanish. Runs of one
//! letter collapse into one byte that remembers the run's length, letters
//! spelled out with separators ("f.u.c.k") are joined into one word, and
//! `l` folds into `i` (so that `1`, `!`, `|`, `I` and `l` all read alike).
//! Each view byte keeps the byte range of the original text it stands for.

use crate::text::is_invisible;

/// Separates words in the view.
pub(super) const BOUNDARY: u8 = b' ';
/// A `*` written inside a word in place of a letter ("f*ck").
pub(super) const WILD: u8 = b'*';
/// A letter with no Latin equivalent: part of a word, never of a pattern.
pub(super) const ALIEN: u8 = b'#';

/// What one character of the original is, for the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A letter (`ch` is its lower-case ASCII form).
    Letter,
    /// A digit: leetspeak inside words, a boundary elsewhere.
    Digit,
    /// `@ $ ! | + (`: leetspeak inside words, a boundary elsewhere.
    Symbol,
    /// `*`: a wildcard inside a word, a separator between spelled-out letters.
    Star,
    /// A letter of another script.
    Alien,
    /// White space and punctuation: may separate spelled-out letters.
    Sep,
    /// A line break, emoji or other symbol: always ends a word.
    Break,
}

#[derive(Clone, Copy, Debug)]
struct Unit {
    kind: Kind,
    ch: u8,
    start: u32,
    end: u32,
}

/// The longest run of separators allowed between spelled-out letters
/// ("f . u" has three).
const MAX_GAP: usize = 3;
/// The fewest spelled-out letters that are joined into a word.
const MIN_SPELLED: usize = 3;
/// The longest run of `*` read as one wildcard inside a word.
const MAX_STARS: usize = 2;

/// The view of one text, with the scratch space used to build it. Reused
/// between messages (one per thread), so that building it allocates nothing
/// once the buffers have grown.
#[derive(Debug, Default)]
pub(super) struct View {
    units: Vec<Unit>,
    tokens: Vec<(usize, usize)>,
    /// The normalised bytes.
    pub(super) bytes: Vec<u8>,
    /// How many times each byte was repeated in a row (saturating).
    pub(super) runs: Vec<u8>,
    /// The original byte range each view byte stands for.
    pub(super) spans: Vec<(u32, u32)>,
}

impl View {
    /// An empty view (no allocation).
    pub(super) const fn new() -> Self {
        Self {
            units: Vec::new(),
            tokens: Vec::new(),
            bytes: Vec::new(),
            runs: Vec::new(),
            spans: Vec::new(),
        }
    }

    /// Rebuilds the view for `text`. Texts longer than `u32::MAX` bytes are
    /// cut there (a channel message holds at most 4 KB).
    pub(super) fn build(&mut self, text: &str) {
        self.units.clear();
        self.tokens.clear();
        self.bytes.clear();
        self.runs.clear();
        self.spans.clear();
        self.bytes.reserve(text.len() + 1);
        self.runs.reserve(text.len() + 1);
        self.spans.reserve(text.len() + 1);
        if text.is_ascii() && text.len() < u32::MAX as usize {
            // The fast path: every byte is its own unit, read from a table.
            let source = Ascii(text.as_bytes());
            self.tokenize(&source);
            self.emit_words(&source);
        } else {
            self.classify(text);
            let units = std::mem::take(&mut self.units);
            self.tokenize(units.as_slice());
            self.emit_words(units.as_slice());
            self.units = units;
        }
    }

    /// Pass 1: one unit per character (none for invisible ones).
    fn classify(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let limit = bytes.len().min(u32::MAX as usize - 4);
        self.units.reserve(limit);
        let mut at = 0;
        while at < limit {
            let byte = bytes[at];
            if byte.is_ascii() {
                let (kind, ch) = ASCII[usize::from(byte)];
                let start = at as u32;
                self.units.push(Unit {
                    kind,
                    ch,
                    start,
                    end: start + 1,
                });
                at += 1;
            } else {
                let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                let end = at + c.len_utf8();
                self.classify_wide(c, at as u32, end as u32);
                at = end;
            }
        }
    }

    fn classify_wide(&mut self, c: char, start: u32, end: u32) {
        let mut push = |kind, ch| {
            self.units.push(Unit {
                kind,
                ch,
                start,
                end,
            })
        };
        if is_invisible(c) {
            return;
        }
        if is_pictographic(c) {
            return push(Kind::Break, 0);
        }
        if c == 'ß' || c == 'ẞ' {
            push(Kind::Letter, b's');
            return push(Kind::Letter, b's');
        }
        match decancer::cure_char(c, decancer::Options::default()) {
            decancer::Translation::Character(cured) if cured.is_ascii() => {
                let (kind, ch) = ascii_kind(cured as u8);
                // A non-ASCII character that cures to punctuation is a separator at most.
                let kind = if matches!(kind, Kind::Symbol | Kind::Star) {
                    Kind::Sep
                } else {
                    kind
                };
                push(kind, ch);
            }
            decancer::Translation::String(cured)
                if cured.bytes().all(|b| b.is_ascii_alphabetic()) =>
            {
                for b in cured.bytes() {
                    push(Kind::Letter, fold(b.to_ascii_lowercase()));
                }
            }
            decancer::Translation::None => {}
            _ if c.is_alphabetic() => push(Kind::Alien, ALIEN),
            _ if c.is_whitespace() => push(Kind::Sep, 0),
            _ => push(Kind::Break, 0),
        }
    }

    /// Pass 2: tokens are runs of letters, digits and leet symbols.
    fn tokenize<S: Source + ?Sized>(&mut self, src: &S) {
        let mut start = None;
        for index in 0..src.count() {
            let in_token = matches!(
                src.unit(index).kind,
                Kind::Letter | Kind::Digit | Kind::Symbol | Kind::Alien
            );
            match (in_token, start) {
                (true, None) => start = Some(index),
                (false, Some(from)) => {
                    self.push_token(src, from, index);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(from) = start {
            self.push_token(src, from, src.count());
        }
    }

    /// Records a token without its trailing "!", "|" or "(": there
    /// they are punctuation, not letters ("s h i t!").
    fn push_token<S: Source + ?Sized>(&mut self, src: &S, from: usize, mut to: usize) {
        while to > from && is_weak(src.unit(to - 1)) {
            to -= 1;
        }
        if to > from {
            self.tokens.push((from, to));
        }
    }

    /// Whether a token is one spelled-out letter (or leet character).
    fn is_single<S: Source + ?Sized>(src: &S, token: (usize, usize)) -> bool {
        token.1 - token.0 == 1
            && matches!(
                src.unit(token.0).kind,
                Kind::Letter | Kind::Digit | Kind::Symbol
            )
    }

    /// The gap between two tokens: (length, only stars, only soft separators).
    fn gap<S: Source + ?Sized>(
        src: &S,
        left: (usize, usize),
        right: (usize, usize),
    ) -> (usize, bool, bool) {
        let gap = left.1..right.0;
        let stars = gap.clone().all(|i| src.unit(i).kind == Kind::Star);
        let soft = gap
            .clone()
            .all(|i| matches!(src.unit(i).kind, Kind::Star | Kind::Sep | Kind::Symbol));
        (gap.len(), stars, soft)
    }

    /// Whether the gap after token `a` is written like the gap after token `b`.
    fn same_gap<S: Source + ?Sized>(src: &S, a: (usize, usize), b: (usize, usize)) -> bool {
        let next = |t: (usize, usize)| {
            (t.1..src.count())
                .map(|i| src.unit(i))
                .take_while(|u| matches!(u.kind, Kind::Star | Kind::Sep | Kind::Symbol))
                .map(|u| u.ch)
        };
        next(a).eq(next(b))
    }

    /// Pass 3: groups tokens into words and writes the view.
    fn emit_words<S: Source + ?Sized>(&mut self, src: &S) {
        let mut t = 0;
        while t < self.tokens.len() {
            // Spelled-out letters: "f u c k", "f.u.c.k", "f*u*c*k".
            // Every separator in the run must be the same ("a n.i.c.e" is
            // "a" then "nice").
            let mut k = t;
            while k + 1 < self.tokens.len()
                && Self::is_single(src, self.tokens[k])
                && Self::is_single(src, self.tokens[k + 1])
            {
                let (len, _, soft) = Self::gap(src, self.tokens[k], self.tokens[k + 1]);
                if !soft
                    || len > MAX_GAP
                    || (k > t && !Self::same_gap(src, self.tokens[t], self.tokens[k]))
                {
                    break;
                }
                k += 1;
            }
            if k + 1 - t < MIN_SPELLED {
                // Otherwise tokens joined by a short run of stars: "sh*t".
                k = t;
                while k + 1 < self.tokens.len() {
                    let (len, stars, _) = Self::gap(src, self.tokens[k], self.tokens[k + 1]);
                    if !stars || len > MAX_STARS {
                        break;
                    }
                    k += 1;
                }
                self.emit_word(src, t, k, true);
            } else {
                self.emit_word(src, t, k, false);
            }
            self.push(BOUNDARY, 0, 0);
            t = k + 1;
        }
    }

    /// Writes tokens `first..=last` as one word; stars between tokens become
    /// wildcards when `starred`, and vanish otherwise.
    fn emit_word<S: Source + ?Sized>(&mut self, src: &S, first: usize, last: usize, starred: bool) {
        let (from, to) = (self.tokens[first].0, self.tokens[last].1);
        // Digits and symbols read as letters inside words: with two letters
        // ("k!k3"), with a symbol ("a$$"), or in a longer token ("5h17"),
        // but not in numbers ("10:01", "9.8.4") or short codes ("A55").
        let (mut letters, mut symbols) = (0, false);
        for index in from..to {
            match src.unit(index).kind {
                Kind::Letter => letters += 1,
                Kind::Symbol => symbols = true,
                _ => {}
            }
        }
        if first == last && letters == to - from {
            // The common case, a plain word: letters only, no leetspeak.
            for index in from..to {
                let unit = src.unit(index);
                self.push(unit.ch, unit.start, unit.end);
            }
            return;
        }
        let leet = letters >= 2 || (letters == 1 && (symbols || to - from >= 4));
        for t in first..=last {
            let (start, end) = self.tokens[t];
            if t > first && starred {
                let gap_start = src.unit(self.tokens[t - 1].1).start;
                let gap_end = src.unit(start - 1).end;
                self.push(WILD, gap_start, gap_end);
            }
            for index in start..end {
                let unit = src.unit(index);
                let byte = match unit.kind {
                    Kind::Letter | Kind::Alien => unit.ch,
                    Kind::Digit | Kind::Symbol if leet => leet_letter(unit.ch).unwrap_or(BOUNDARY),
                    _ => BOUNDARY,
                };
                self.push(byte, unit.start, unit.end);
            }
        }
    }

    /// Appends a view byte, collapsing repeats and double boundaries.
    #[inline(always)]
    fn push(&mut self, byte: u8, start: u32, end: u32) {
        let last = self.bytes.last().copied();
        if byte == BOUNDARY {
            if last.is_none_or(|b| b == BOUNDARY) {
                return;
            }
        } else if last == Some(byte) {
            let index = self.bytes.len() - 1;
            self.runs[index] = self.runs[index].saturating_add(1);
            self.spans[index].1 = end;
            return;
        }
        self.bytes.push(byte);
        self.runs.push(1);
        self.spans.push((start, end));
    }

    /// Drops a trailing boundary (for patterns).
    pub(super) fn trim(&mut self) {
        if self.bytes.last() == Some(&BOUNDARY) {
            self.bytes.pop();
            self.runs.pop();
            self.spans.pop();
        }
    }
}

/// Where units come from: a table lookup per byte for ASCII text, the
/// classified characters otherwise.
trait Source {
    fn count(&self) -> usize;
    fn unit(&self, index: usize) -> Unit;
}

/// ASCII text: one unit per byte.
struct Ascii<'a>(&'a [u8]);

impl Source for Ascii<'_> {
    #[inline]
    fn count(&self) -> usize {
        self.0.len()
    }

    #[inline]
    fn unit(&self, index: usize) -> Unit {
        let (kind, ch) = ASCII[usize::from(self.0[index] & 0x7F)];
        let start = index as u32;
        Unit {
            kind,
            ch,
            start,
            end: start + 1,
        }
    }
}

impl Source for [Unit] {
    #[inline]
    fn count(&self) -> usize {
        self.len()
    }

    #[inline]
    fn unit(&self, index: usize) -> Unit {
        self[index]
    }
}

/// A symbol that ends a token as punctuation.
fn is_weak(unit: Unit) -> bool {
    unit.kind == Kind::Symbol && matches!(unit.ch, b'!' | b'|' | b'(')
}

/// `l` reads as `i`: they, `1`, `!`, `|` and a capital `I` are confused on purpose.
const fn fold(letter: u8) -> u8 {
    if letter == b'l' { b'i' } else { letter }
}

/// [`ascii_kind`] of every ASCII byte.
static ASCII: [(Kind, u8); 128] = {
    let mut table = [(Kind::Break, 0u8); 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = ascii_kind(byte as u8);
        byte += 1;
    }
    table
};

const fn ascii_kind(byte: u8) -> (Kind, u8) {
    match byte {
        b'a'..=b'z' | b'A'..=b'Z' => (Kind::Letter, fold(byte.to_ascii_lowercase())),
        b'0'..=b'9' => (Kind::Digit, byte),
        b'@' | b'$' | b'!' | b'|' | b'+' | b'(' => (Kind::Symbol, byte),
        b'*' => (Kind::Star, byte),
        b'\n' | b'\r' | 0..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F => (Kind::Break, byte),
        _ => (Kind::Sep, byte),
    }
}

/// The letter a digit or symbol stands for inside a word.
fn leet_letter(byte: u8) -> Option<u8> {
    Some(match byte {
        b'0' => b'o',
        b'1' | b'!' | b'|' => b'i',
        b'3' => b'e',
        b'4' | b'@' => b'a',
        b'5' | b'$' => b's',
        b'6' | b'9' => b'g',
        b'7' | b'+' => b't',
        b'8' => b'b',
        b'(' => b'c',
        _ => return None,
    })
}

/// Emoji and pictographs: decancer reads some as letters (a smiley as `o`),
/// which would turn pictures into words.
fn is_pictographic(c: char) -> bool {
    matches!(c, '\u{2190}'..='\u{21FF}' | '\u{2300}'..='\u{23FF}' | '\u{2500}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}' | '\u{1F000}'..='\u{1F0FF}' | '\u{1F300}'..='\u{1FAFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str) -> String {
        let mut view = View::new();
        view.build(text);
        view.trim();
        String::from_utf8(view.bytes).unwrap()
    }

    #[test]
    fn table() {
        let cases = [
            ("Hello, World!", "heio worid"),
            ("f u c k", "fuck"),
            ("f . a . g", "fag"),
            ("b_l_o_w", "biow"),
            ("f*u*c*k*i*n*g", "fucking"),
            ("sh*t happens", "sh*t hapens"),
            ("fuuuuck", "fuck"),
            ("$hi7h34d!!", "shithead"),
            ("version 9.8.4 at 10:01", "version at"),
            ("a55", "a"),
            ("cocks\u{200B}ucker", "cocksucker"),
            ("ｆｕｃｋ", "fuck"),
            ("𝐟𝐮𝐜𝐤", "fuck"),
            ("сunt", "cunt"),
            ("fùçk", "fuck"),
            ("e\u{301}t\u{e9}", "ete"),
            ("straße", "strase"),
            ("ok 😀 go", "ok go"),
            ("中文 fuck", "# fuck"),
        ];
        for (input, expected) in cases {
            assert_eq!(view(input), expected, "{input:?}");
        }
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "oh f.u.c.k!";
        let mut v = View::new();
        v.build(text);
        let word = v.bytes.iter().position(|&b| b == b'f').unwrap();
        let (start, _) = v.spans[word];
        let (_, end) = v.spans[word + 3];
        assert_eq!(&text[start as usize..end as usize], "f.u.c.k");
    }
}
