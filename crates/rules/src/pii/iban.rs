//! INTERNATIONAL_BANK_ACCOUNT_NUMBER: a country code, two check digits, the
//! BBAN; exactly the registered length for that country; the mod-97 check.
//! Contiguous or grouped with single spaces.

use std::ops::Range;

use super::Entity;
use super::scan::{Candidate, Run, is_word};

/// IBAN lengths by country (SWIFT IBAN registry).
const LENGTHS: &[(&[u8; 2], u8)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

fn length_for(country: [u8; 2]) -> Option<usize> {
    LENGTHS
        .iter()
        .find(|(cc, _)| **cc == country)
        .map(|&(_, len)| usize::from(len))
}

fn value(c: u8) -> u32 {
    if c.is_ascii_digit() {
        u32::from(c - b'0')
    } else {
        u32::from(c.to_ascii_uppercase() - b'A') + 10
    }
}

/// The mod-97 check over an IBAN's characters (no spaces).
pub(super) fn mod97_ok(chars: &[u8]) -> bool {
    let mut rem = 0u32;
    for &c in chars[4..].iter().chain(&chars[..4]) {
        let v = value(c);
        rem = if v < 10 {
            (rem * 10 + v) % 97
        } else {
            (rem * 100 + v) % 97
        };
    }
    rem == 1
}

/// Finds IBANs: each starts at a digit run right after two letters.
pub(super) fn find(b: &[u8], runs: &[Run], out: &mut Vec<Candidate>) {
    let mut after = 0;
    for run in runs {
        if run.start < after || run.start < 2 {
            continue;
        }
        let start = run.start - 2;
        if !(b[start].is_ascii_alphabetic() && b[start + 1].is_ascii_alphabetic())
            || start > 0 && is_word(b[start - 1])
        {
            continue;
        }
        let country = [
            b[start].to_ascii_uppercase(),
            b[start + 1].to_ascii_uppercase(),
        ];
        let Some(len) = length_for(country) else {
            continue;
        };
        if let Some(end) = parse(b, start, len) {
            out.push(Candidate::new(
                start,
                end,
                Entity::InternationalBankAccountNumber,
            ));
            after = end;
        }
    }
}

/// Spans of IBAN-shaped text, valid or not: a known country code, two
/// digits, then letters and digits, contiguous or in groups of four. Numbers
/// inside one are pieces of an account number, not cards or phones.
pub(super) fn shaped(b: &[u8], runs: &[Run]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for run in runs {
        let s = run.start;
        if s < 2
            || run.len() < 2
            || !(b[s - 2].is_ascii_alphabetic() && b[s - 1].is_ascii_alphabetic())
        {
            continue;
        }
        if s > 2 && is_word(b[s - 3])
            || length_for([b[s - 2].to_ascii_uppercase(), b[s - 1].to_ascii_uppercase()]).is_none()
        {
            continue;
        }
        let start = s - 2;
        let (mut i, mut n, mut group) = (start, 0, 0);
        while i < b.len() && n < 34 {
            if b[i].is_ascii_alphanumeric() {
                n += 1;
                group += 1;
                i += 1;
            } else if b[i] == b' '
                && group == 4
                && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
            {
                group = 0;
                i += 1;
            } else {
                break;
            }
        }
        if n >= 12 {
            out.push(start..i);
        }
    }
    out
}

/// Reads `len` IBAN characters from `start`, single spaces allowed between
/// groups; returns the end if they form a valid IBAN that stops there.
fn parse(b: &[u8], start: usize, len: usize) -> Option<usize> {
    let mut chars = [0u8; 34];
    let mut n = 0;
    let mut i = start;
    while n < len {
        match *b.get(i)? {
            c if c.is_ascii_alphanumeric() => {
                // The check digits must be digits.
                if (n == 2 || n == 3) && !c.is_ascii_digit() {
                    return None;
                }
                chars[n] = c;
                n += 1;
                i += 1;
            }
            b' ' if n >= 4
                && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
                && b[i - 1] != b' ' =>
            {
                i += 1
            }
            _ => return None,
        }
    }
    if b.get(i).is_some_and(|&c| is_word(c)) {
        return None;
    }
    mod97_ok(&chars[..n]).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::super::scan::digit_runs;
    use super::*;

    fn ibans(text: &str) -> Vec<&str> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        find(b, &digit_runs(b), &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "iban DE89 3704 0044 0532 0130 00.",
                &["DE89 3704 0044 0532 0130 00"],
            ),
            ("DE89370400440532013000", &["DE89370400440532013000"]),
            (
                "GB82 WEST 1234 5698 7654 32",
                &["GB82 WEST 1234 5698 7654 32"],
            ),
            ("gb82west12345698765432", &["gb82west12345698765432"]),
            ("NO9386011117947", &["NO9386011117947"]),
            // Bad check digits, wrong length, unknown country, glued.
            ("DE88 3704 0044 0532 0130 00", &[]),
            ("DE89 3704 0044 0532 0130 0", &[]),
            ("DE89370400440532013000 1", &["DE89370400440532013000"]),
            ("DE893704004405320130001", &[]),
            ("ZZ89370400440532013000", &[]),
            ("XDE89370400440532013000", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&ibans(text), expected, "{text:?}");
        }
    }
}
