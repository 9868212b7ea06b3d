//! SSN: AAA-GG-SSSS or AAA GG SSSS; a bare 9-digit number only after a word
//! such as "SSN". Area 000, 666 and 900-999, group 00, serial 0000 and the
//! well-known published numbers are not SSNs.

use super::Entity;
use super::scan::{
    Candidate, Run, context_before, continues_left, continues_right, prefix, single_gap,
};

/// Numbers printed in ads, wallets and pamphlets: not anyone's SSN.
const SAMPLES: &[u32] = &[
    78_051_120,
    219_099_999,
    123_456_789,
    457_555_462,
    111_111_111,
    333_333_333,
];

/// Words that make a bare 9-digit number an SSN.
const CONTEXT: &[&[u8]] = &[
    b"ssn",
    b"social security",
    b"soc sec",
    b"ss#",
    b"ss #",
    b"tax id",
    b"taxpayer",
];

/// Whether these nine digits can be an SSN.
pub(super) fn valid(d: &[u8]) -> bool {
    let (area, group, serial) = (prefix(d, 3), prefix(&d[3..], 2), prefix(&d[5..], 4));
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !SAMPLES.contains(&prefix(d, 9))
}

/// Finds SSNs among the digit runs.
pub(super) fn find(b: &[u8], runs: &[Run], out: &mut Vec<Candidate>) {
    let mut i = 0;
    while i < runs.len() {
        if let Some(end) = grouped(b, runs, i) {
            out.push(Candidate::new(runs[i].start, runs[end].end, Entity::Ssn));
            i = end + 1;
        } else {
            if bare(b, runs[i]) {
                out.push(Candidate::new(runs[i].start, runs[i].end, Entity::Ssn));
            }
            i += 1;
        }
    }
}

fn digits_of(b: &[u8], runs: &[Run]) -> [u8; 9] {
    let mut d = [0u8; 9];
    let mut n = 0;
    for run in runs {
        for &c in &b[run.start..run.end] {
            d[n] = c - b'0';
            n += 1;
        }
    }
    d
}

fn grouped(b: &[u8], runs: &[Run], i: usize) -> Option<usize> {
    let group = runs.get(i..i + 3)?;
    if group[0].len() != 3 || group[1].len() != 2 || group[2].len() != 4 {
        return None;
    }
    let sep = single_gap(b, group[0], group[1]).filter(|s| matches!(s, b'-' | b' '))?;
    if single_gap(b, group[1], group[2]) != Some(sep) {
        return None;
    }
    let joiners: &[u8] = &[b'-', b'.', b'/', b',', sep];
    if continues_left(b, group[0].start, joiners) || continues_right(b, group[2].end, joiners) {
        return None;
    }
    valid(&digits_of(b, group)).then_some(i + 2)
}

fn bare(b: &[u8], run: Run) -> bool {
    run.len() == 9
        && !continues_left(b, run.start, b"-./,")
        && !continues_right(b, run.end, b"-./,")
        && run
            .start
            .checked_sub(1)
            .is_none_or(|p| !matches!(b[p], b'+' | b'$'))
        && valid(&digits_of(b, &[run]))
        && context_before(b, run.start, 32, CONTEXT)
}

#[cfg(test)]
mod tests {
    use super::super::scan::digit_runs;
    use super::*;

    fn ssns(text: &str) -> Vec<&str> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        find(b, &digit_runs(b), &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("ssn 409-09-1052.", &["409-09-1052"]),
            ("467 15 4098 is it", &["467 15 4098"]),
            ("my SSN is 409091052", &["409091052"]),
            ("order 409091052", &[]),
            ("000-12-3456", &[]),
            ("666-12-3456", &[]),
            ("901-12-3456", &[]),
            ("409-00-1052", &[]),
            ("409-09-0000", &[]),
            ("078-05-1120", &[]),
            ("219-09-9999", &[]),
            ("123-45-6789", &[]),
            ("409-09 1052", &[]),
            ("1-409-09-1052", &[]),
            ("409-09-1052-7", &[]),
            ("a409-09-1052", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&ssns(text), expected, "{text:?}");
        }
    }
}
