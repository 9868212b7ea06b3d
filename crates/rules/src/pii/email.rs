//! EMAIL: the practical RFC 5322 subset: a dot-atom local part (letters,
//! digits and `%'+_.-`, no leading, trailing or double dot,
//! at most 64 characters), `@`, and a domain of at least two labels (letters,
//! digits, hyphens; 1-63 characters; no hyphen at either end) whose last
//! label is alphabetic (or punycode `xn--…`). Internationalised letters are
//! allowed in both parts. Quoted local parts and address literals are not.

use super::Entity;
use super::scan::Candidate;

fn local_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "%'+_.-".contains(c)
    } else {
        c.is_alphanumeric()
    }
}

fn label_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// The start of the local part that ends at `at`, if it is a valid one.
fn local_start(text: &str, at: usize) -> Option<usize> {
    let mut start = at;
    for (count, (i, c)) in text[..at].char_indices().rev().enumerate() {
        if !local_char(c) {
            break;
        }
        if count == 64 {
            return None;
        }
        start = i;
    }
    // Punctuation that opens a local part is more likely the sentence's own.
    let lead = text[start..at].find(|c: char| c.is_alphanumeric() || c == '_')?;
    let start = start + lead;
    let local = &text[start..at];
    (!local.ends_with('.') && !local.contains("..")).then_some(start)
}

/// The end of the domain that starts at `from`, if it is a valid one.
fn domain_end(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    let mut end = rest
        .find(|c: char| !(label_char(c) || c == '.'))
        .unwrap_or(rest.len());
    // A sentence's full stop, or a run of dots, is not part of the domain.
    while end > 0 && rest.as_bytes()[end - 1] == b'.' {
        end -= 1;
    }
    let domain = &rest[..end];
    if domain.len() > 253 || domain.is_empty() {
        return None;
    }
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        if label.is_empty() || label.len() > 63 || label.starts_with('-') || label.ends_with('-') {
            return None;
        }
        labels += 1;
        last = label;
    }
    let tld_ok = last.chars().count() >= 2 && last.chars().all(char::is_alphabetic)
        || last.len() > 4
            && last
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
    (labels >= 2 && tld_ok).then_some(from + end)
}

/// Finds email addresses around each `@`.
pub(super) fn find(text: &str, out: &mut Vec<Candidate>) {
    let b = text.as_bytes();
    let mut after = 0;
    for at in memchr::memchr_iter(b'@', b) {
        if at < after {
            continue;
        }
        let Some(start) = local_start(text, at) else {
            continue;
        };
        let Some(end) = domain_end(text, at + 1) else {
            continue;
        };
        out.push(Candidate::new(start, end, Entity::Email));
        after = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emails(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(text, &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "mail jane.doe+tag@example.co.uk.",
                &["jane.doe+tag@example.co.uk"],
            ),
            (
                "<a_b@sub-domain.example.org>",
                &["a_b@sub-domain.example.org"],
            ),
            ("'bob@example.com'", &["bob@example.com"]),
            ("josé@exämple.de", &["josé@exämple.de"]),
            ("x@xn--bcher-kva.xn--p1ai", &["x@xn--bcher-kva.xn--p1ai"]),
            ("a@b.co and c@d.io", &["a@b.co", "c@d.io"]),
            ("email=jane@example.com", &["jane@example.com"]),
            ("m.o'neil@example.com", &["m.o'neil@example.com"]),
            // Not addresses.
            ("@handle", &[]),
            ("foo@bar", &[]),
            ("foo@bar.c", &[]),
            ("foo@bar.c0m", &[]),
            ("foo@-bar.com", &[]),
            ("foo.@bar.com", &[]),
            ("foo..x@bar.com", &[]),
            ("foo@bar..com", &[]),
            ("user@192.168.0.1", &[]),
            ("@@@@", &[]),
            ("a@x.io4ésecret", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&emails(text), expected, "{text:?}");
        }
    }
}
