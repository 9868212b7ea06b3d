//! CREDIT_DEBIT_NUMBER: 12-19 digits, contiguous or grouped with spaces or
//! dashes, a known issuer range for that length, and the Luhn check.

use super::Entity;
use super::scan::{
    Candidate, Run, collect_digits, continues_left, is_word, luhn, prefix, single_gap,
};

/// Whether an issuer issues numbers of this length with these leading digits.
pub(super) fn issuer_ok(d: &[u8]) -> bool {
    let n = d.len();
    let (p1, p2, p3, p4, p6) = (
        prefix(d, 1),
        prefix(d, 2),
        prefix(d, 3),
        prefix(d, 4),
        prefix(d, 6),
    );
    let visa = p1 == 4 && matches!(n, 13 | 16 | 19);
    let mastercard = ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && n == 16;
    let amex = matches!(p2, 34 | 37) && n == 15;
    let diners = ((300..=305).contains(&p3) || p4 == 3095 || matches!(p2, 36 | 38 | 39))
        && (14..=19).contains(&n);
    let discover =
        (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622_126..=622_925).contains(&p6))
            && (16..=19).contains(&n);
    // JCB proper is 3528-3589; the rest of 35 is JCB-branded or co-branded.
    let jcb = p2 == 35 && (16..=19).contains(&n);
    let unionpay = matches!(p2, 62 | 81) && (16..=19).contains(&n);
    let mir = (2200..=2204).contains(&p4) && (16..=19).contains(&n);
    let rupay = (matches!(p2, 60 | 65 | 81 | 82) || matches!(p3, 353 | 356 | 508)) && n == 16;
    let troy = p4 == 9792 && n == 16;
    // Maestro and the debit schemes that share its ranges (50, 56-69).
    let maestro = (p2 == 50 || (56..=69).contains(&p2)) && (12..=19).contains(&n);
    visa || mastercard
        || amex
        || diners
        || discover
        || jcb
        || unionpay
        || mir
        || rupay
        || troy
        || maestro
}

/// Whether the window is card-shaped (an issuer's range and length), and
/// if so whether it passes Luhn.
fn check(b: &[u8], start: usize, end: usize) -> Option<bool> {
    let mut digits = [0u8; 19];
    match collect_digits(b, start, end, &mut digits) {
        Some(n) if (12..=19).contains(&n) && issuer_ok(&digits[..n]) => Some(luhn(&digits[..n])),
        _ => None,
    }
}

/// Whether the window ending at `end` stops there.
fn ends_here(b: &[u8], end: usize, sep: Option<u8>) -> bool {
    match b.get(end) {
        None => true,
        Some(&c) if is_word(c) => false,
        // More digits joined by something else than a space: a longer number.
        Some(&c) => {
            let next_digit = b.get(end + 1).is_some_and(u8::is_ascii_digit);
            !(next_digit
                && (matches!(c, b'-' | b'.' | b',' | b'/' | b':') || (Some(c) == sep && c != b' ')))
        }
    }
}

/// Two letters at a word start right before `s`: a country code (IBAN-shaped).
fn iban_head(b: &[u8], s: usize) -> bool {
    s >= 2
        && b[s - 1].is_ascii_alphabetic()
        && b[s - 2].is_ascii_alphabetic()
        && (s == 2 || !is_word(b[s - 3]))
}

/// Finds card numbers among the digit runs.
pub(super) fn find(b: &[u8], runs: &[Run], out: &mut Vec<Candidate>) {
    let mut i = 0;
    // Whether the chain of space/dash-joined runs we are in is IBAN-shaped.
    let mut head_after_letter = false;
    while i < runs.len() {
        let run = runs[i];
        // Joined to the run before by a space or dash, unless that run ends
        // a word such as "visa19" (but "DE89", IBAN-shaped, joins).
        let joined = i > 0 && matches!(single_gap(b, runs[i - 1], run), Some(b' ' | b'-')) && {
            let prev = runs[i - 1].start;
            !(prev > 0 && b[prev - 1].is_ascii_alphabetic()) || iban_head(b, prev)
        };
        if !joined {
            head_after_letter = iban_head(b, run.start);
        }
        match match_at(b, runs, i, joined, head_after_letter) {
            Some(j) => {
                out.push(Candidate::new(
                    run.start,
                    runs[j].end,
                    Entity::CreditDebitNumber,
                ));
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

fn match_at(
    b: &[u8],
    runs: &[Run],
    i: usize,
    joined: bool,
    head_after_letter: bool,
) -> Option<usize> {
    let first = runs[i];
    let start = first.start;
    if joined {
        // Inside a chain of groups only a whole contiguous run may be a card
        // (after a quantity, say), and not in an IBAN-shaped chain.
        if b[start - 1] != b' ' || head_after_letter || first.len() < 12 {
            return None;
        }
    } else if head_after_letter
        || continues_left(b, start, b".,/:")
        || start > 0 && matches!(b[start - 1], b'+' | b'$')
    {
        return None;
    }
    // One contiguous run.
    if first.len() >= 12 {
        let ok = first.len() <= 19
            && ends_here(b, first.end, None)
            && check(b, start, first.end) == Some(true);
        return ok.then_some(i);
    }
    // Grouped: a 4-digit first group, middle groups of 4-6, a last group of 1-6,
    // one separator throughout.
    if first.len() != 4 || i + 1 >= runs.len() {
        return None;
    }
    let sep = single_gap(b, first, runs[i + 1]).filter(|s| matches!(s, b' ' | b'-'))?;
    let mut ends = [0usize; 6];
    let mut count = 0;
    let mut total = first.len();
    let mut j = i;
    while j + 1 < runs.len()
        && count < ends.len()
        && single_gap(b, runs[j], runs[j + 1]) == Some(sep)
    {
        if j > i && !(4..=6).contains(&runs[j].len()) {
            break;
        }
        let next = runs[j + 1];
        if next.len() > 6 || total + next.len() > 19 {
            break;
        }
        total += next.len();
        j += 1;
        if total >= 12 {
            ends[count] = j;
            count += 1;
        }
    }
    // The longest card-shaped window decides: a card-shaped number that
    // fails Luhn is a wrong number, not a shorter card plus digits.
    let j = ends[..count].iter().rev().copied().find(|&j| {
        ends_here(b, runs[j].end, Some(sep)) && check(b, start, runs[j].end).is_some()
    })?;
    (check(b, start, runs[j].end) == Some(true)).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::super::scan::digit_runs;
    use super::*;

    fn cards(text: &str) -> Vec<&str> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        find(b, &digit_runs(b), &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("pay 4111 1111 1111 1111 now", &["4111 1111 1111 1111"]),
            ("4111-1111-1111-1111", &["4111-1111-1111-1111"]),
            ("4111111111111111", &["4111111111111111"]),
            ("amex 3782 822463 10005", &["3782 822463 10005"]),
            ("mc 2221000000000009.", &["2221000000000009"]),
            ("qty 2 2221000000000009", &["2221000000000009"]),
            (
                "visa19 4111 1111 1111 1111 003",
                &["4111 1111 1111 1111 003"],
            ),
            ("4111 1111 1111 1111 004", &[]),
            ("6588 0255 3292 9160", &[]),
            ("5320 0666 2992 8810", &[]),
            ("4111 1111 1111 1111 2024", &["4111 1111 1111 1111"]),
            ("4111 1111 1111 1111 12/25", &["4111 1111 1111 1111"]),
            ("maestro 6759 6498 2643 8453", &["6759 6498 2643 8453"]),
            // Luhn-invalid, unknown issuer, too long, glued to letters.
            ("4111 1111 1111 1112", &[]),
            ("1234 5678 9012 3452", &[]),
            ("41111111111111111111", &[]),
            ("x4111111111111111", &[]),
            ("4111111111111111.50", &[]),
            ("DE89 3704 0044 0532 0130 00", &[]),
            ("+4111111111111111", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&cards(text), expected, "{text:?}");
        }
    }

    #[test]
    fn visa19_luhn() {
        // 4111 1111 1111 1111 003 is not Luhn-valid; find one that is.
        let mut digits = [4u8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0];
        for last in 0..10 {
            digits[18] = last;
            if luhn(&digits) {
                break;
            }
        }
        let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        assert_eq!(cards(&text), vec![text.as_str()]);
    }
}
