//! MAC_ADDRESS: six pairs of hex digits joined by `:` or `-`
//! (`00:1A:2B:3C:4D:5E`), or three groups of four joined by `.`
//! (`001a.2b3c.4d5e`), standing alone.

use super::Entity;
use super::scan::Candidate;

fn hex_run(b: &[u8], at: usize, len: usize) -> bool {
    b.get(at..at + len)
        .is_some_and(|s| s.iter().all(u8::is_ascii_hexdigit))
}

fn glued(c: Option<&u8>, sep: u8) -> bool {
    c.is_some_and(|&c| c.is_ascii_alphanumeric() || c == sep)
}

/// The end of a MAC address starting at `start` with groups of `width`
/// hex digits joined by `sep`.
fn parse(b: &[u8], start: usize, sep: u8, width: usize, groups: usize) -> Option<usize> {
    let mut i = start;
    for g in 0..groups {
        if g > 0 {
            if b.get(i) != Some(&sep) {
                return None;
            }
            i += 1;
        }
        if !hex_run(b, i, width) {
            return None;
        }
        i += width;
    }
    let trailing = b.get(i).is_some_and(|&c| c.is_ascii_alphanumeric())
        || b.get(i) == Some(&sep) && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit);
    (!trailing).then_some(i)
}

/// Finds MAC addresses around each `:`, `-` and `.`.
pub(super) fn find(b: &[u8], out: &mut Vec<Candidate>) {
    let mut after = 0;
    for at in memchr::memchr3_iter(b':', b'-', b'.', b) {
        if at < after {
            continue;
        }
        let sep = b[at];
        let (width, groups) = if sep == b'.' { (4, 3) } else { (2, 6) };
        let Some(start) = at.checked_sub(width) else {
            continue;
        };
        if glued(start.checked_sub(1).map(|p| &b[p]), sep) {
            continue;
        }
        if let Some(end) = parse(b, start, sep, width, groups) {
            let digits = b[start..end].iter().filter(|c| c.is_ascii_digit()).count();
            // Twelve letters a-f and no digit is a word game, not an address.
            if digits > 0 {
                out.push(Candidate::new(start, end, Entity::MacAddress));
                after = end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn macs(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(text.as_bytes(), &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("mac 00:1A:2B:3C:4D:5E.", &["00:1A:2B:3C:4D:5E"]),
            ("00-1a-2b-3c-4d-5e", &["00-1a-2b-3c-4d-5e"]),
            ("001a.2b3c.4d5e", &["001a.2b3c.4d5e"]),
            ("00:1A:2B:3C:4D", &[]),
            ("00:1A:2B:3C:4D:5E:6F", &[]),
            ("00:1A-2B:3C:4D:5E", &[]),
            ("well-known re-use", &[]),
            ("at 10:30:45", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&macs(text), expected, "{text:?}");
        }
    }
}
