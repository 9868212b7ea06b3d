//! PHONE: international numbers (`+CC …`, `00 CC …`, E.164) with a valid
//! country calling code and length; NANP numbers with the usual punctuation
//! (`(206) 555-0100`, `206-555-0100`, `206.555.0100`, `1-206-555-0100`);
//! national numbers with a trunk 0 (`020 7946 0958`, `06 12 34 56 78`).
//! A bare run of digits is a phone only after a word such as "call" or
//! "phone": dates, prices, versions and order numbers are not phones.

use super::Entity;
use super::scan::{
    Candidate, Run, before, context_before, continues_left, continues_right, gap, single_gap,
};

/// Words that make a bare run of 10-12 digits a phone number.
const CONTEXT: &[&[u8]] = &[
    b"phone",
    b"tel",
    b"call",
    b"cell",
    b"mobile",
    b"fax",
    b"sms",
    b"text me",
    b"whatsapp",
    b"contact",
    b"reach me",
    b"mob",
    b"dial",
    b"ring",
];

/// ITU-T E.164 country calling codes (assigned), by length.
const CC1: &[u16] = &[1, 7];
const CC2: &[u16] = &[
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];
const CC3: &[(u16, u16)] = &[
    (211, 213),
    (216, 216),
    (218, 218),
    (220, 258),
    (260, 269),
    (290, 291),
    (297, 299),
    (350, 359),
    (370, 383),
    (385, 387),
    (389, 389),
    (420, 421),
    (423, 423),
    (500, 509),
    (590, 599),
    (670, 670),
    (672, 683),
    (685, 692),
    (800, 800),
    (808, 808),
    (850, 850),
    (852, 853),
    (855, 856),
    (870, 870),
    (878, 878),
    (880, 883),
    (886, 886),
    (888, 888),
    (960, 968),
    (970, 977),
    (979, 979),
    (992, 996),
    (998, 998),
];

/// The length of the country calling code that `d` starts with.
fn country_code_len(d: &[u8]) -> Option<usize> {
    let p = |n: usize| {
        d.iter()
            .take(n)
            .fold(0u16, |acc, &x| acc * 10 + u16::from(x))
    };
    if d.is_empty() {
        return None;
    }
    if CC1.contains(&p(1)) {
        return Some(1);
    }
    if d.len() >= 2 && CC2.contains(&p(2)) {
        return Some(2);
    }
    let three = p(3);
    (d.len() >= 3 && CC3.iter().any(|&(lo, hi)| (lo..=hi).contains(&three))).then_some(3)
}

/// A NANP area code: 2-9 first, not an N11 service code.
fn area_ok(d: &[u8]) -> bool {
    d.len() >= 3 && d[0] >= 2 && !(d[1] == 1 && d[2] == 1)
}

fn intl_valid(d: &[u8]) -> bool {
    match country_code_len(d) {
        Some(_) if d[0] == 1 => d.len() == 11 && area_ok(&d[1..]),
        Some(cc) => (8..=15).contains(&d.len()) && d.len() - cc >= 6,
        None => false,
    }
}

fn digits(b: &[u8]) -> impl Iterator<Item = u8> + '_ {
    b.iter().map(|c| c - b'0')
}

/// Finds phone numbers among the digit runs.
pub(super) fn find(b: &[u8], runs: &[Run], out: &mut Vec<Candidate>) {
    let mut i = 0;
    while i < runs.len() {
        match match_at(b, runs, i) {
            Some((start, end, j)) => {
                out.push(Candidate::new(start, end, Entity::Phone));
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

fn match_at(b: &[u8], runs: &[Run], i: usize) -> Option<(usize, usize, usize)> {
    let run = runs[i];
    if before(b, run.start) == Some(b'+') {
        return international(b, runs, i, run.start - 1, 0);
    }
    if b[run.start..run.end].starts_with(b"00") {
        return international(b, runs, i, run.start, 2);
    }
    nanp(b, runs, i)
        .or_else(|| trunk(b, runs, i))
        .or_else(|| bare(b, run).then_some((run.start, run.end, i)))
}

/// Separators between the groups of an international number.
fn intl_gap(g: &[u8]) -> bool {
    matches!(
        g,
        b" " | b"-" | b"." | b" (" | b"(" | b") " | b")" | b")-" | b" - " | b"/"
    )
}

/// `+CC …` (or `00CC …` with `skip` = 2): the longest run of groups that
/// makes a valid number.
fn international(
    b: &[u8],
    runs: &[Run],
    i: usize,
    start: usize,
    skip: usize,
) -> Option<(usize, usize, usize)> {
    if before(b, start).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'+') {
        return None;
    }
    // "00…" inside a longer grouped number is not a dialling prefix.
    if skip > 0 && continues_left(b, start, b"-./,: ") {
        return None;
    }
    let mut d = [0u8; 15];
    let mut n = 0;
    let mut best = None;
    let mut j = i;
    loop {
        let run = runs[j];
        let group = &b[run.start + if j == i { skip } else { 0 }..run.end];
        let trunk_zero = j > i
            && group == b"0"
            && before(b, run.start) == Some(b'(')
            && b.get(run.end) == Some(&b')');
        if !trunk_zero {
            if n + group.len() > d.len() {
                break;
            }
            for (slot, digit) in d[n..].iter_mut().zip(digits(group)) {
                *slot = digit;
            }
            n += group.len();
        }
        // "00" numbers need groups: a bare 00… run is something else.
        let grouped_enough = skip == 0 || j > i;
        if grouped_enough && intl_valid(&d[..n]) && !continues_right(b, run.end, b"-./") {
            best = Some((start, run.end, j));
        }
        if j + 1 >= runs.len() || !intl_gap(gap(b, run, runs[j + 1])) {
            break;
        }
        j += 1;
    }
    best
}

/// NANP without the `+`: `[1-](AAA) EEE-SSSS`, `AAA-EEE-SSSS`, `AAA.EEE.SSSS`, `AAA EEE SSSS`.
fn nanp(b: &[u8], runs: &[Run], i: usize) -> Option<(usize, usize, usize)> {
    let mut k = i;
    let lead_one = runs[i].len() == 1 && b[runs[i].start] == b'1';
    if lead_one {
        let next = runs.get(i + 1)?;
        if !matches!(gap(b, runs[i], *next), b" " | b"-" | b"." | b" (" | b"(") {
            return None;
        }
        k += 1;
    }
    let (area, exchange, subscriber) = (*runs.get(k)?, *runs.get(k + 1)?, *runs.get(k + 2)?);
    if area.len() != 3 || exchange.len() != 3 || subscriber.len() != 4 {
        return None;
    }
    let g1 = gap(b, area, exchange);
    // "(206) 555-0100"; a number wrapped whole in brackets is not that.
    let paren = before(b, area.start) == Some(b'(') && g1.first() == Some(&b')');
    let g2 = single_gap(b, exchange, subscriber).filter(|s| matches!(s, b' ' | b'-' | b'.'))?;
    let g1_ok = if paren {
        matches!(g1, b")" | b") " | b")-" | b").")
    } else {
        g1 == [g2]
    };
    let start = if lead_one {
        runs[i].start
    } else if paren {
        area.start - 1
    } else {
        area.start
    };
    let ok = g1_ok
        && area_ok(&[
            b[area.start] - b'0',
            b[area.start + 1] - b'0',
            b[area.start + 2] - b'0',
        ])
        && !continues_left(b, start, &[b'-', b'.', b'/', b',', b':', g2])
        && !matches!(before(b, start), Some(b'$' | b'+'))
        && !continues_right(b, subscriber.end, &[b'-', b'.', b'/', b',', b':', g2]);
    ok.then_some((start, subscriber.end, k + 2))
}

/// National numbers with a trunk 0: `020 7946 0958`, `(030) 5122431`,
/// `06 12 34 56 78`, `0151-12345678`: 10-12 digits in 2-6 groups.
fn trunk(b: &[u8], runs: &[Run], i: usize) -> Option<(usize, usize, usize)> {
    let first = runs[i];
    if !(2..=5).contains(&first.len()) || b[first.start] != b'0' || b[first.start + 1] == b'0' {
        return None;
    }
    let next = *runs.get(i + 1)?;
    let first_gap = gap(b, first, next);
    let paren = before(b, first.start) == Some(b'(') && first_gap.first() == Some(&b')');
    let start = if paren { first.start - 1 } else { first.start };
    if continues_left(b, start, b"-./,: ") || matches!(before(b, start), Some(b'$' | b'+')) {
        return None;
    }
    let sep = if paren {
        match first_gap {
            b")" | b") " => b' ',
            b")-" => b'-',
            _ => return None,
        }
    } else {
        match first_gap {
            [s @ (b' ' | b'-' | b'.' | b'/')] => *s,
            _ => return None,
        }
    };
    let mut total = first.len();
    let mut j = i;
    while j + 1 < runs.len() && j - i < 5 {
        let g = gap(b, runs[j], runs[j + 1]);
        let joined = if j == i { g == first_gap } else { g == [sep] };
        if !joined || !(2..=8).contains(&runs[j + 1].len()) {
            break;
        }
        total += runs[j + 1].len();
        j += 1;
    }
    let ok = j > i
        && (10..=12).contains(&total)
        && !continues_right(b, runs[j].end, &[b'-', b'.', b'/', b',', b':', sep]);
    ok.then_some((start, runs[j].end, j))
}

/// A bare run of digits after a phone word: 10 digits NANP, 11 starting
/// with 1, or 10-12 starting with a trunk 0.
fn bare(b: &[u8], run: Run) -> bool {
    let d = &b[run.start..run.end];
    let d0 = |k: usize| d[k] - b'0';
    let shaped = match d.len() {
        10 if d[0] != b'0' => area_ok(&[d0(0), d0(1), d0(2)]),
        11 if d[0] == b'1' => area_ok(&[d0(1), d0(2), d0(3)]),
        10..=12 => d[0] == b'0' && d[1] != b'0',
        _ => false,
    };
    shaped
        && !continues_left(b, run.start, b"-./,:")
        && !continues_right(b, run.end, b"-./,:")
        && !matches!(before(b, run.start), Some(b'$' | b'+'))
        && context_before(b, run.start, 32, CONTEXT)
}

#[cfg(test)]
mod tests {
    use super::super::scan::digit_runs;
    use super::*;

    fn phones(text: &str) -> Vec<&str> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        find(b, &digit_runs(b), &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("call (206) 555-0100 now", &["(206) 555-0100"]),
            ("206-555-0100", &["206-555-0100"]),
            ("206.555.0100.", &["206.555.0100"]),
            ("206 555 0100", &["206 555 0100"]),
            ("1-800-555-0199", &["1-800-555-0199"]),
            ("+1 (206) 555-0100", &["+1 (206) 555-0100"]),
            ("+12065550100", &["+12065550100"]),
            ("+44 20 7946 0958", &["+44 20 7946 0958"]),
            ("+44 (0)20 7946 0958", &["+44 (0)20 7946 0958"]),
            ("+49 30 5122431", &["+49 30 5122431"]),
            ("0044 20 7946 0958", &["0044 20 7946 0958"]),
            ("+33 6 12 34 56 78", &["+33 6 12 34 56 78"]),
            ("020 7946 0958", &["020 7946 0958"]),
            ("06 12 34 56 78", &["06 12 34 56 78"]),
            ("(030) 5122431", &["(030) 5122431"]),
            ("(206.555.0100)", &["206.555.0100"]),
            ("(020 7946 0958)", &["020 7946 0958"]),
            ("call me at 2065550100", &["2065550100"]),
            // Not phones.
            ("order 2065550100", &[]),
            ("01-08-1992", &[]),
            ("2023-05-09", &[]),
            ("31,956.34", &[]),
            ("v7.82.5", &[]),
            ("order 415025354", &[]),
            ("106-555-0100", &[]),
            ("211-555-0100", &[]),
            ("206-555-0100-12", &[]),
            ("$206.555.0100", &[]),
            ("+99 1234 5678", &[]),
            ("+1 106 555 0100", &[]),
            ("1+12065550100", &[]),
            ("192.168.1.1", &[]),
            ("5320 0666 2992 8810", &[]),
            ("PT42 2376 8401 0037 1756 1611 9", &[]),
            ("12 206 555 0100", &[]),
            ("206 555 0100 7", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&phones(text), expected, "{text:?}");
        }
    }
}
