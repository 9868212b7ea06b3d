//! Lex replies hold JSON: only the contents of JSON string values (not
//! object keys) may be redacted, and never across an escape sequence.

use std::ops::Range;

/// The byte ranges of the contents of the JSON string literals that are
/// values, not object keys. Unterminated strings are left out.
pub(super) fn string_values(b: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(q) = memchr::memchr(b'"', &b[i..]) {
        let start = i + q + 1;
        let mut j = start;
        let mut close = None;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 2,
                b'"' => {
                    close = Some(j);
                    break;
                }
                _ => j += 1,
            }
        }
        let Some(end) = close else { break };
        let next = b[end + 1..].iter().find(|c| !c.is_ascii_whitespace());
        if next != Some(&b':') {
            out.push(start..end);
        }
        i = end + 1;
    }
    out
}

/// Whether `span` lies inside one string value and holds no escape or quote.
pub(super) fn editable(b: &[u8], values: &[Range<usize>], span: &Range<usize>) -> bool {
    let inside = values
        .iter()
        .any(|v| v.start <= span.start && span.end <= v.end);
    inside && !b[span.clone()].iter().any(|&c| c == b'\\' || c == b'"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_not_keys() {
        let json = br#"{"Messages":[{"Content":"mail a@b.co","Type":"Plain\"Text"}],"n":1}"#;
        let values: Vec<&[u8]> = string_values(json).into_iter().map(|r| &json[r]).collect();
        assert_eq!(values, vec![&b"mail a@b.co"[..], br#"Plain\"Text"#]);
    }
}
