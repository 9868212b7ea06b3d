//! IP_ADDRESS: IPv4 dotted quads that parse (each part 0-255, no leading
//! zeros, not part of a longer dotted number, not a version such as v1.2.3.4)
//! and IPv6 addresses that parse (`std::net::Ipv6Addr`), including `::`
//! compression and an embedded IPv4 tail.

use std::net::Ipv6Addr;

use super::Entity;
use super::scan::{Candidate, Run, before, context_before, is_word};

/// Words after which a dotted quad is a version, not an address.
const VERSION_WORDS: &[&[u8]] = &[
    b"version ",
    b"ver ",
    b"ver. ",
    b"release ",
    b"build ",
    b"firmware ",
];

fn octet(b: &[u8], run: Run) -> bool {
    let d = &b[run.start..run.end];
    match d.len() {
        1 => true,
        2 | 3 => {
            d[0] != b'0'
                && d.iter()
                    .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'))
                    <= 255
        }
        _ => false,
    }
}

/// Finds IPv4 addresses among the digit runs.
pub(super) fn find_v4(b: &[u8], runs: &[Run], out: &mut Vec<Candidate>) {
    let mut i = 0;
    while i + 3 < runs.len() {
        let quad = &runs[i..i + 4];
        let dotted = quad
            .windows(2)
            .all(|w| w[0].end + 1 == w[1].start && b[w[0].end] == b'.');
        let start = quad[0].start;
        let end = quad[3].end;
        let standalone = !before(b, start).is_some_and(|c| is_word(c) || c == b'.')
            && !b.get(end).is_some_and(|&c| {
                is_word(c) || c == b'.' && b.get(end + 1).is_some_and(u8::is_ascii_digit)
            });
        if dotted
            && standalone
            && quad.iter().all(|&r| octet(b, r))
            && !context_before(b, start, 10, VERSION_WORDS)
        {
            out.push(Candidate::new(start, end, Entity::IpAddress));
            i += 4;
        } else {
            i += 1;
        }
    }
}

fn ipv6_char(c: u8) -> bool {
    c.is_ascii_hexdigit() || c == b':' || c == b'.'
}

/// Finds IPv6 addresses around each `:`.
pub(super) fn find_v6(b: &[u8], out: &mut Vec<Candidate>) {
    let mut after = 0;
    for colon in memchr::memchr_iter(b':', b) {
        if colon < after {
            continue;
        }
        // The token of hex digits, colons and dots around this colon (45
        // characters at most: the longest IPv6 text form).
        let mut start = colon;
        while start > 0 && ipv6_char(b[start - 1]) && colon - start < 45 {
            start -= 1;
        }
        let mut end = colon + 1;
        while end < b.len() && ipv6_char(b[end]) && end - start < 46 {
            end += 1;
        }
        after = end;
        // Sentence punctuation after the address.
        while end > colon + 1 && b[end - 1] == b'.' {
            end -= 1;
        }
        while start < colon && b[start] == b'.' {
            start += 1;
        }
        let token = &b[start..end];
        let glued = before(b, start).is_some_and(|c| is_word(c) || c == b':')
            || b.get(end).is_some_and(|&c| is_word(c) || c == b':');
        if glued || end - start < 3 || token.iter().filter(|&&c| c == b':').count() < 2 {
            continue;
        }
        // A word made of a-f letters around `::` (`dead::beef`) is code, not an
        // address: ask for a digit or the full eight groups.
        let groups = token
            .split(|&c| c == b':')
            .filter(|g| !g.is_empty())
            .count();
        if !token.iter().any(u8::is_ascii_digit) && groups < 8 {
            continue;
        }
        // The token is ASCII by construction.
        let parsed = std::str::from_utf8(token)
            .ok()
            .and_then(|t| t.parse::<Ipv6Addr>().ok());
        if parsed.is_some_and(|ip| !ip.is_unspecified()) {
            out.push(Candidate::new(start, end, Entity::IpAddress));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan::digit_runs;
    use super::*;

    fn ips(text: &str) -> Vec<&str> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        find_v4(b, &digit_runs(b), &mut out);
        find_v6(b, &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("host 192.168.1.10.", &["192.168.1.10"]),
            (
                "0.0.0.0 and 255.255.255.255",
                &["0.0.0.0", "255.255.255.255"],
            ),
            ("10.0.0.1:8080", &["10.0.0.1"]),
            ("fe80::1ff:fe23:4567:890a", &["fe80::1ff:fe23:4567:890a"]),
            ("at 2001:db8::8a2e:370:7334.", &["2001:db8::8a2e:370:7334"]),
            ("::ffff:192.0.2.128", &["192.0.2.128", "::ffff:192.0.2.128"]),
            (
                "40e2:a20a:1bd7:ce73:4227:de22:3023:580c",
                &["40e2:a20a:1bd7:ce73:4227:de22:3023:580c"],
            ),
            // Not addresses.
            ("999.1.1.1", &[]),
            ("1.2.3.4.5", &[]),
            ("v1.2.3.4", &[]),
            ("version 1.2.3.4", &[]),
            ("01.02.03.04", &[]),
            ("at 10:30:45", &[]),
            ("std::fmt::Debug", &[]),
            ("dead::beef", &[]),
            ("::", &[]),
            ("00:1A:2B:3C:4D:5E", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&ips(text), expected, "{text:?}");
        }
    }
}
