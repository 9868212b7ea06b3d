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

mod ascii;

use ascii::is_cut;

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
    /// For each token, whether it is letters only.
    plain: Vec<bool>,
    /// The normalised bytes.
    pub(super) bytes: Vec<u8>,
    /// How many times each byte was repeated in a row (saturating).
    pub(super) runs: Vec<u8>,
    /// Each word of the view (a run of bytes between boundaries) with the
    /// original byte range it stands for, in order. Matches are whole
    /// words, so this is all the mapping back needs.
    words: Vec<WordSpan>,
    /// The word being written: its first view byte and original start.
    open: (u32, u32),
    /// The original end of the last view byte written.
    last_end: u32,
}

/// A word of the view and the original bytes it stands for.
#[derive(Clone, Copy, Debug)]
struct WordSpan {
    /// Its first byte in the view.
    view: u32,
    /// Its first byte in the original text.
    start: u32,
    /// One past its last byte in the original text.
    end: u32,
}

impl View {
    /// An empty view (no allocation).
    pub(super) const fn new() -> Self {
        Self {
            units: Vec::new(),
            tokens: Vec::new(),
            plain: Vec::new(),
            bytes: Vec::new(),
            runs: Vec::new(),
            words: Vec::new(),
            open: (0, 0),
            last_end: 0,
        }
    }

    /// Where each word of the view starts, in order.
    pub(super) fn word_starts(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().map(|word| word.view as usize)
    }

    /// The original byte range of the view word that holds view byte `at`.
    pub(super) fn original_span(&self, at: usize) -> (usize, usize) {
        let index = self
            .words
            .partition_point(|word| word.view as usize <= at)
            .saturating_sub(1);
        self.words
            .get(index)
            .map_or((0, 0), |word| (word.start as usize, word.end as usize))
    }

    /// Rebuilds the view for `text`. Texts longer than `u32::MAX` bytes are
    /// cut there (a channel message holds at most 4 KB).
    ///
    /// ASCII stretches take a fast path (a table lookup per byte); only the
    /// stretches around other characters are classified character by
    /// character. The text is split between two words of two or more ASCII
    /// letters each, separated by one white-space byte: no rule of the view
    /// joins tokens across such a gap, so the parts can be read alone.
    pub(super) fn build(&mut self, text: &str) {
        self.bytes.clear();
        self.runs.clear();
        self.words.clear();
        self.bytes.reserve(text.len() + 1);
        self.runs.reserve(text.len() + 1);
        let mut len = text.len().min(u32::MAX as usize - 4);
        while !text.is_char_boundary(len) {
            len -= 1;
        }
        let bytes = &text.as_bytes()[..len];
        let mut at = if bytes.is_ascii() {
            self.build_ascii(bytes, 0, len);
            len
        } else {
            0
        };
        while at < len {
            let Some(wide) = bytes[at..].iter().position(|b| !b.is_ascii()) else {
                self.build_ascii(bytes, at, len);
                break;
            };
            let wide = at + wide;
            let from = (at + 1..wide)
                .rev()
                .find(|&p| is_cut(bytes, p))
                .unwrap_or(at);
            if from > at {
                self.build_ascii(bytes, at, from);
            }
            let to = (wide + 1..len).find(|&p| is_cut(bytes, p)).unwrap_or(len);
            self.build_classified(text, from, to);
            at = to;
        }
        if self.bytes.last().is_some_and(|&b| b != BOUNDARY) {
            self.close_word();
        }
    }

    /// Writes the view of `text[from..to]`, character by character.
    fn build_classified(&mut self, text: &str, from: usize, to: usize) {
        self.units.clear();
        self.tokens.clear();
        self.plain.clear();
        self.classify(text, from, to);
        let units = std::mem::take(&mut self.units);
        self.tokenize(units.as_slice());
        self.emit_words(units.as_slice());
        self.units = units;
    }

    /// Pass 1: one unit per character of `text[from..to]` (none for
    /// invisible ones).
    fn classify(&mut self, text: &str, from: usize, to: usize) {
        let bytes = text.as_bytes();
        self.units.reserve(to - from);
        let mut at = from;
        while at < to {
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
        // Spanish opening marks: decancer reads them as the letters they
        // look like ("¡puta!" would become "iputa").
        if c == '¡' || c == '¿' {
            return push(Kind::Sep, 0);
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
        let count = src.count();
        let mut index = 0;
        while index < count {
            if !is_in_token(src.unit(index).kind) {
                index += 1;
                continue;
            }
            let from = index;
            let mut letters = true;
            while index < count {
                let kind = src.unit(index).kind;
                if !is_in_token(kind) {
                    break;
                }
                letters &= kind == Kind::Letter;
                index += 1;
            }
            self.push_token(src, from, index, letters);
        }
    }

    /// Records a token without its trailing "!", "|" or "(": there
    /// they are punctuation, not letters ("s h i t!").
    fn push_token<S: Source + ?Sized>(
        &mut self,
        src: &S,
        from: usize,
        mut to: usize,
        letters: bool,
    ) {
        while to > from && is_weak(src.unit(to - 1)) {
            to -= 1;
        }
        if to > from {
            self.tokens.push((from, to));
            self.plain.push(letters);
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
            // The common case, a plain word: two or more letters, not joined
            // to the next token by a star. It is a word of its own.
            let (from, to) = self.tokens[t];
            if self.plain[t] && to - from >= 2 && !Self::stars_join_next(src, to) {
                src.write_plain(self, from, to);
                self.push_trailing_stars(src, (from, to));
                self.push(BOUNDARY, 0, 0);
                t += 1;
                continue;
            }
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
                self.push_trailing_stars(src, self.tokens[k]);
            } else {
                self.emit_word(src, t, k, false);
            }
            self.push(BOUNDARY, 0, 0);
            t = k + 1;
        }
    }

    /// Whether the unit at `to` starts a short run of stars that joins the
    /// token before it to the next one ("sh*t").
    fn stars_join_next<S: Source + ?Sized>(src: &S, to: usize) -> bool {
        let stars = (to..src.count())
            .take_while(|&i| src.unit(i).kind == Kind::Star)
            .count();
        (1..=MAX_STARS).contains(&stars)
            && to + stars < src.count()
            && is_in_token(src.unit(to + stars).kind)
    }

    /// A word whose last letter is starred ("put*", "mierd*", common where
    /// words end in a vowel): a short run of stars right after a token of
    /// three or more letters, ending the word, becomes a wildcard.
    fn push_trailing_stars<S: Source + ?Sized>(&mut self, src: &S, token: (usize, usize)) {
        let (from, to) = token;
        if to - from < 3 || src.unit(to - 1).kind != Kind::Letter {
            return;
        }
        let stars = (to..src.count())
            .take_while(|&i| src.unit(i).kind == Kind::Star)
            .count();
        if !(1..=MAX_STARS).contains(&stars) || Self::stars_join_next(src, to) {
            return;
        }
        self.push(WILD, src.unit(to).start, src.unit(to + stars - 1).end);
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
            self.close_word();
        } else if last == Some(byte) {
            let index = self.bytes.len() - 1;
            self.runs[index] = self.runs[index].saturating_add(1);
            self.last_end = end;
            return;
        } else {
            if last.is_none_or(|b| b == BOUNDARY) {
                self.open = (self.bytes.len() as u32, start);
            }
            self.last_end = end;
        }
        self.bytes.push(byte);
        self.runs.push(1);
    }

    /// Records the word that ends with the last view byte.
    fn close_word(&mut self) {
        self.words.push(WordSpan {
            view: self.open.0,
            start: self.open.1,
            end: self.last_end,
        });
    }

    /// Drops a trailing boundary (for patterns).
    pub(super) fn trim(&mut self) {
        if self.bytes.last() == Some(&BOUNDARY) {
            self.bytes.pop();
            self.runs.pop();
        }
    }
}

/// Where units come from: a table lookup per byte for ASCII text, the
/// classified characters otherwise.
trait Source {
    fn count(&self) -> usize;
    fn unit(&self, index: usize) -> Unit;

    /// Writes units `from..to`, letters only, as a word of `view` (which
    /// ends with a boundary or is empty).
    fn write_plain(&self, view: &mut View, from: usize, to: usize) {
        for index in from..to {
            let unit = self.unit(index);
            view.push(unit.ch, unit.start, unit.end);
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

/// Whether a character of this kind belongs to a token.
#[inline]
fn is_in_token(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Letter | Kind::Digit | Kind::Symbol | Kind::Alien
    )
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
            ("¿qué? ¡puta!", "que puta"),
            ("mierd** all", "mierd* ai"),
            ("put*, mierd", "put* mierd"),
            ("put*, mierd** all", "put* mierd* ai"),
            ("mierd*", "mierd*"),
            ("x put** y", "x put* y"),
            ("a* bc* note***", "a bc note"),
            ("łajza sıçmak ŞİŞ", "iajza sicmak sis"),
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
        let (start, end) = v.original_span(word + 2);
        assert_eq!(&text[start..end], "f.u.c.k");
        assert_eq!(v.original_span(0), (0, 2));
    }

    /// The view built the slow way: every character classified, no
    /// splitting, no fast paths.
    fn reference(text: &str) -> View {
        let mut view = View::new();
        view.build_classified(text, 0, text.len());
        if view.bytes.last().is_some_and(|&b| b != BOUNDARY) {
            view.close_word();
        }
        view
    }

    fn same(a: &View, b: &View) -> bool {
        let words = |v: &View| -> Vec<(u32, u32, u32)> {
            v.words.iter().map(|w| (w.view, w.start, w.end)).collect()
        };
        a.bytes == b.bytes && a.runs == b.runs && words(a) == words(b)
    }

    #[test]
    fn split_and_fast_paths_match_the_reference() {
        for text in [
            "hello there ｃｕｎｔ is here",
            "f u c k ｆ u c k",
            "ab ｃd sh*t ab cd",
            "ok f.u.c.k ok ｘｘ ok",
            "aa bb\ncc dd\u{200B}ee ff",
            "why so ｓｈｉｔ, you 5h17 and a b c d",
        ] {
            let mut fast = View::new();
            fast.build(text);
            assert!(same(&fast, &reference(text)), "{text:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// ASCII stretches, splits between words and the plain-word path
        /// give exactly the view of classifying every character.
        #[test]
        fn fast_view_equals_reference(
            text in "([a-zA-Z]{1,7}|[ .,!*_\\-]{1,3}|[0-9@$|(+]|ｃ|ｕ|ѕ|с|é|\u{200B}|\u{301}|😀|\n| ){0,40}"
        ) {
            let mut fast = View::new();
            fast.build(&text);
            proptest::prop_assert!(same(&fast, &reference(&text)), "{:?}", text);
        }
    }
}
