//! Eight ASCII bytes at a time in a `u64` ("SIMD within a register"): how
//! many letters a word starts with, their folded form, and whether two in a
//! row repeat. Short words are the common case of chat text; handling one
//! in a few integer operations instead of a loop per letter keeps branches
//! predictable (the loop's exit is what costs, not its body).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = ONES * 0x80;

/// The eight bytes at `at`, the first in the lowest byte; `None` near the end.
#[inline]
pub(super) fn load(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of each byte that is zero (exact: no false positives).
#[inline]
fn zero_bytes(word: u64) -> u64 {
    let low = ONES * 0x7F;
    !(((word & low) + low) | word) & HIGHS
}

/// How many of the first bytes of `word` are ASCII letters (0 to 8).
/// Exact whatever the bytes after the first non-letter hold.
#[inline]
pub(super) fn leading_letters(word: u64) -> usize {
    let lower = word | (ONES * 0x20);
    // Letters and other ASCII bytes never carry into the next byte here; a
    // byte >= 0x80 may, but only into bytes after it.
    let from_a = lower.wrapping_add(ONES * (0x80 - u64::from(b'a')));
    let past_z = lower.wrapping_add(ONES * (0x80 - u64::from(b'z') - 1));
    let letters = from_a & !past_z & HIGHS;
    ((!letters & HIGHS).trailing_zeros() / 8) as usize
}

/// Letters lower-cased and `l` folded into `i`, as the view writes them
/// (bytes that are not letters come out as garbage).
#[inline]
pub(super) fn fold(word: u64) -> u64 {
    let lower = word | (ONES * 0x20);
    let is_l = zero_bytes(lower ^ (ONES * u64::from(b'l')));
    lower - (is_l >> 7) * u64::from(b'l' - b'i')
}

/// Whether two of the first `len` bytes (2 to 8) in a row are equal.
#[inline]
pub(super) fn has_repeat(word: u64, len: usize) -> bool {
    let pairs = zero_bytes(word ^ (word >> 8));
    let first = (len - 1) * 8;
    let mask = if first >= 64 {
        u64::MAX
    } else {
        (1u64 << first) - 1
    };
    pairs & mask != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scalar_fold(byte: u8) -> u8 {
        match byte.to_ascii_lowercase() {
            b'l' => b'i',
            other => other,
        }
    }

    proptest! {
        #[test]
        fn matches_the_byte_by_byte_answers(bytes in proptest::collection::vec(any::<u8>(), 8)) {
            let word = load(&bytes, 0).unwrap();
            let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
            prop_assert_eq!(leading_letters(word), letters);
            let folded = fold(word).to_le_bytes();
            for index in 0..letters {
                prop_assert_eq!(folded[index], scalar_fold(bytes[index]));
            }
            for len in 2..=8 {
                let repeat = bytes[..len].windows(2).any(|w| w[0] == w[1]);
                prop_assert_eq!(has_repeat(word, len), repeat);
            }
        }
    }

    #[test]
    fn words() {
        let word = load(b"Hello, w", 0).unwrap();
        assert_eq!(leading_letters(word), 5);
        assert_eq!(&fold(word).to_le_bytes()[..5], b"heiio");
        assert!(has_repeat(fold(word), 5));
        assert!(!has_repeat(load(b"abcdefgh", 0).unwrap(), 8));
        assert_eq!(load(b"short", 0), None);
    }
}
