//! URL (off by default): `http://`, `https://`, `ftp://`, `ws://`, `wss://`,
//! `sftp://` and `www.` links, up to white space, without the sentence
//! punctuation that follows them.

use memchr::memmem;

use super::Entity;
use super::scan::Candidate;

const SCHEMES: &[&str] = &["http", "https", "ftp", "ftps", "sftp", "ws", "wss"];

fn url_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let mut end = rest
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '{' | '}' | '|' | '\\' | '^')
        })
        .unwrap_or(rest.len());
    // Trailing punctuation belongs to the sentence; a closing bracket only
    // when the URL did not open it.
    while let Some(last) = rest[..end].chars().next_back() {
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' => true,
            ')' => rest[..end].matches('(').count() < rest[..end].matches(')').count(),
            ']' => rest[..end].matches('[').count() < rest[..end].matches(']').count(),
            _ => false,
        };
        if !trim {
            break;
        }
        end -= last.len_utf8();
    }
    from + end
}

/// Finds URLs.
pub(super) fn find(text: &str, out: &mut Vec<Candidate>) {
    let b = text.as_bytes();
    let mut found: Vec<Candidate> = Vec::new();
    for sep in memmem::find_iter(b, b"://") {
        let mut start = sep;
        while start > 0 && b[start - 1].is_ascii_alphabetic() {
            start -= 1;
        }
        let scheme = &text[start..sep];
        if !SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
            continue;
        }
        let end = url_end(text, sep + 3);
        if end > sep + 3 {
            found.push(Candidate::new(start, end, Entity::Url));
        }
    }
    for start in memmem::find_iter(b, b"www.") {
        if start > 0
            && (b[start - 1].is_ascii_alphanumeric() || matches!(b[start - 1], b'/' | b'.' | b'@'))
        {
            continue;
        }
        let end = url_end(text, start);
        if end > start + 4
            && text[start + 4..end].contains('.')
            && !found.iter().any(|c| c.start <= start && start < c.end)
        {
            found.push(Candidate::new(start, end, Entity::Url));
        }
    }
    out.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(text, &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "see https://example.com/a?b=c.",
                &["https://example.com/a?b=c"],
            ),
            (
                "(https://en.wikipedia.org/wiki/Foo_(bar))",
                &["https://en.wikipedia.org/wiki/Foo_(bar)"],
            ),
            ("go to www.example.org, now", &["www.example.org"]),
            ("HTTP://X.IO", &["HTTP://X.IO"]),
            ("javascript://x", &[]),
            ("www.", &[]),
            ("http://", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&urls(text), expected, "{text:?}");
        }
    }
}
