//! Shared scanning pieces: candidates, digit runs, boundaries, context words.

use super::Entity;

/// A validated match, as byte offsets into the scanned text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub entity: Entity,
}

impl Candidate {
    pub(super) fn new(start: usize, end: usize, entity: Entity) -> Self {
        Self { start, end, entity }
    }

    pub(super) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// A maximal run of ASCII digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Run {
    pub start: usize,
    pub end: usize,
}

impl Run {
    pub(super) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// Every maximal run of ASCII digits. Allocates nothing when there is none.
pub(super) fn digit_runs(b: &[u8]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while let Some(offset) = b[i..].iter().position(u8::is_ascii_digit) {
        let start = i + offset;
        let len = b[start..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(b.len() - start);
        runs.push(Run {
            start,
            end: start + len,
        });
        i = start + len;
    }
    runs
}

/// The bytes between two runs.
pub(super) fn gap(b: &[u8], left: Run, right: Run) -> &[u8] {
    &b[left.end..right.start]
}

/// The single separator byte between two runs, if the gap is exactly one byte.
pub(super) fn single_gap(b: &[u8], left: Run, right: Run) -> Option<u8> {
    match gap(b, left, right) {
        [sep] => Some(*sep),
        _ => None,
    }
}

/// Letters and digits glue a number to a word: such a number is not standalone.
pub(super) fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// The byte before `i`.
pub(super) fn before(b: &[u8], i: usize) -> Option<u8> {
    i.checked_sub(1).map(|j| b[j])
}

/// Whether the number ending at `end` is followed by more of itself: a
/// letter or digit, or one of `joiners` followed by a digit.
pub(super) fn continues_right(b: &[u8], end: usize, joiners: &[u8]) -> bool {
    match b.get(end) {
        None => false,
        Some(&c) if is_word(c) => true,
        Some(c) => joiners.contains(c) && b.get(end + 1).is_some_and(u8::is_ascii_digit),
    }
}

/// Whether the number starting at `start` is the tail of something longer:
/// glued to a letter or digit, or one of `joiners` preceded by a digit.
pub(super) fn continues_left(b: &[u8], start: usize, joiners: &[u8]) -> bool {
    match before(b, start) {
        None => false,
        Some(c) if is_word(c) => true,
        Some(c) => joiners.contains(&c) && start >= 2 && b[start - 2].is_ascii_digit(),
    }
}

/// Copies the digits of `text[start..end]` into `out`, returning how many
/// there are (None if more than `out` holds).
pub(super) fn collect_digits<const N: usize>(
    b: &[u8],
    start: usize,
    end: usize,
    out: &mut [u8; N],
) -> Option<usize> {
    let mut n = 0;
    for &c in &b[start..end] {
        if c.is_ascii_digit() {
            *out.get_mut(n)? = c - b'0';
            n += 1;
        }
    }
    Some(n)
}

/// Whether one of `words` (lowercase ASCII) occurs, case-insensitively, in
/// the `window` bytes before `at`. Used to gate bare numbers that are only
/// PII in context (a 9-digit SSN, a 10-digit phone).
pub(super) fn context_before(b: &[u8], at: usize, window: usize, words: &[&[u8]]) -> bool {
    let from = at.saturating_sub(window);
    let mut buf = [0u8; 64];
    let slice = &b[from..at];
    let len = slice.len().min(buf.len());
    let slice = &slice[slice.len() - len..];
    for (dst, src) in buf.iter_mut().zip(slice) {
        *dst = src.to_ascii_lowercase();
    }
    let hay = &buf[..len];
    words.iter().any(|w| memchr::memmem::find(hay, w).is_some())
}

/// The Luhn check.
pub(super) fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let d = u32::from(d);
        sum += if i % 2 == 1 {
            let x = d * 2;
            if x > 9 { x - 9 } else { x }
        } else {
            d
        };
    }
    sum.is_multiple_of(10)
}

/// The number formed by the first `n` digits.
pub(super) fn prefix(digits: &[u8], n: usize) -> u32 {
    digits
        .iter()
        .take(n)
        .fold(0, |acc, &d| acc * 10 + u32::from(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_luhn() {
        let runs = digit_runs(b"a12 b3456c");
        assert_eq!(
            runs,
            vec![Run { start: 1, end: 3 }, Run { start: 5, end: 9 }]
        );
        assert!(digit_runs(b"no digits").is_empty());
        assert!(luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
        assert!(!luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]));
    }

    #[test]
    fn context() {
        assert!(context_before(b"my SSN: 123456789", 8, 32, &[b"ssn"]));
        assert!(!context_before(b"order 123456789", 6, 32, &[b"ssn"]));
    }
}
