//! Finding links: `http://`, `https://` and `ftp://` URLs, `www.` links and
//! bare domains (`example.com/path`), without the sentence punctuation
//! around them, and never the domain of an email address.

use std::ops::Range;

use memchr::{memchr_iter, memchr2, memmem};

use super::tld;

const SCHEMES: &[&str] = &["http", "https", "ftp"];

/// One link in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Link {
    /// The whole link, as it will be reported and stripped.
    pub(super) span: Range<usize>,
    /// Its host, inside `span`.
    pub(super) host: Range<usize>,
    /// A bare `name.ext` that may be a file name (`readme.md`).
    pub(super) file_like: bool,
}

/// Every link in `text`, sorted and disjoint. Allocates only when one is
/// found.
pub(super) fn find(text: &str, bare_domains: bool) -> Vec<Link> {
    let mut links = Vec::new();
    schemes(text, &mut links);
    www(text, &mut links);
    if bare_domains {
        bare(text, &mut links);
    }
    links
}

/// Whether `at` lies inside one of `links` (sorted).
fn covered(links: &[Link], at: usize) -> bool {
    let i = links.partition_point(|l| l.span.end <= at);
    links.get(i).is_some_and(|l| l.span.start <= at)
}

/// Whether `span` overlaps one of `links` (sorted).
fn overlaps(links: &[Link], span: &Range<usize>) -> bool {
    let i = links.partition_point(|l| l.span.end <= span.start);
    links.get(i).is_some_and(|l| l.span.start < span.end)
}

fn insert(links: &mut Vec<Link>, link: Link) {
    let at = links.partition_point(|l| l.span.start < link.span.start);
    links.insert(at, link);
}

/// Where a URL starting at `from` ends: at white space or a character that
/// cannot be in one, less the punctuation that closes the sentence.
fn url_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let mut end = rest
        .find(|c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>'
                        | '"'
                        | '`'
                        | '{'
                        | '}'
                        | '|'
                        | '\\'
                        | '^'
                        | '\u{3001}' // 、
                        | '\u{3002}' // 。
                        | '\u{FF0C}' // ，
                        | '\u{FF08}' // （
                        | '\u{FF09}' // ）
                        | '\u{300C}' // 「
                        | '\u{300D}' // 」
                        | '\u{201C}' // “
                        | '\u{201D}' // ”
                        | '\u{2018}' // ‘
                        | '\u{2019}' // ’
                        | '\u{00AB}' // «
                        | '\u{00BB}' // »
                )
        })
        .unwrap_or(rest.len());
    // Trailing punctuation belongs to the sentence; a closing bracket only
    // when the URL did not open it.
    let count = |b: u8| memchr::memchr_iter(b, &rest.as_bytes()[..end]).count();
    let (mut round, mut square) = (
        count(b'(') as isize - count(b')') as isize,
        count(b'[') as isize - count(b']') as isize,
    );
    while let Some(last) = rest[..end].chars().next_back() {
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '…' => true,
            ')' if round < 0 => {
                round += 1;
                true
            }
            ']' if square < 0 => {
                square += 1;
                true
            }
            _ => false,
        };
        if !trim {
            break;
        }
        end -= last.len_utf8();
    }
    from + end
}

/// `scheme://…` links.
fn schemes(text: &str, links: &mut Vec<Link>) {
    let b = text.as_bytes();
    let mut covered_to = 0;
    for sep in memmem::find_iter(b, b"://") {
        if sep < covered_to {
            continue;
        }
        let mut start = sep;
        while start > 0 && b[start - 1].is_ascii_alphabetic() {
            start -= 1;
        }
        if !SCHEMES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(&text[start..sep]))
            || text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let after = sep + 3;
        let end = url_end(text, after);
        let authority_end = text[after..end]
            .find(['/', '?', '#'])
            .map_or(end, |i| after + i);
        let host_start = text[after..authority_end]
            .rfind('@')
            .map_or(after, |i| after + i + 1);
        let host = &text[host_start..authority_end];
        let host_end = if host.starts_with('[') {
            host.find(']').map_or(authority_end, |i| host_start + i + 1)
        } else {
            host.find(':').map_or(authority_end, |i| host_start + i)
        };
        if host_end <= host_start || text[host_start..host_end].trim_matches('.').is_empty() {
            continue;
        }
        links.push(Link {
            span: start..end,
            host: host_start..host_end,
            file_like: false,
        });
        covered_to = end;
    }
}

/// `www.example.com/…` links (any case).
fn www(text: &str, links: &mut Vec<Link>) {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(offset) = memchr2(b'w', b'W', &b[i..]) {
        let start = i + offset;
        i = start + 1;
        if b.len() < start + 4 || !b[start..start + 4].eq_ignore_ascii_case(b"www.") {
            continue;
        }
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '/' | '@' | '-' | '_'))
            || covered(links, start)
        {
            continue;
        }
        let end = url_end(text, start);
        if end <= start + 4 {
            continue;
        }
        let host_end = text[start..end]
            .find(['/', '?', '#', ':'])
            .map_or(end, |k| start + k);
        let host = text[start + 4..host_end].trim_end_matches('.');
        if labels_ok(host) < 2 {
            continue;
        }
        // A URL inside this one (in its query) is part of it.
        let first = links.partition_point(|l| l.span.start < start);
        let last = links.partition_point(|l| l.span.start < end);
        let end = links.drain(first..last).fold(end, |e, l| e.max(l.span.end));
        links.insert(
            first,
            Link {
                span: start..end,
                host: start..start + 4 + host.len(),
                file_like: false,
            },
        );
        i = end.max(i);
    }
}

/// Scripts written without spaces: a run of them next to ASCII letters is
/// sentence text, not part of a domain label (`访问example.com`).
fn is_spaceless(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}'
            | '\u{AC00}'..='\u{D7AF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF00}'..='\u{FFEF}'
            | '\u{20000}'..='\u{3FFFF}')
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '.'
}

/// Whether a domain run may hold both `a` and, next to it, `b`.
fn joins(a: char, b: char) -> bool {
    !((a.is_ascii_alphanumeric() && is_spaceless(b))
        || (is_spaceless(a) && b.is_ascii_alphanumeric()))
}

/// How many labels `host` has when it is shaped like a domain (labels of
/// 1-63 bytes, no leading or trailing hyphen, at most 253 bytes), else 0.
fn labels_ok(host: &str) -> usize {
    if host.is_empty() || host.len() > 253 {
        return 0;
    }
    let mut count = 0;
    for label in host.split('.') {
        if label.is_empty()
            || label.len() > 63
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return 0;
        }
        count += 1;
    }
    count
}

/// Bare domains: `label.tld`, optionally with a port and a path.
fn bare(text: &str, links: &mut Vec<Link>) {
    let b = text.as_bytes();
    let mut cursor = 0;
    for dot in memchr_iter(b'.', b) {
        if dot < cursor || covered(links, dot) {
            continue;
        }
        // The run of domain characters around the dot.
        let mut start = dot;
        let mut next = '.';
        for (at, c) in text[..dot].char_indices().rev() {
            if !is_domain_char(c) || !joins(c, next) {
                break;
            }
            start = at;
            next = c;
        }
        let mut end = dot + 1;
        let mut prev = '.';
        for c in text[dot + 1..].chars() {
            if !is_domain_char(c) || !joins(prev, c) {
                break;
            }
            end += c.len_utf8();
            prev = c;
        }
        cursor = end;
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        // An email's domain or local part; a path or identifier fragment.
        if before.is_some_and(|c| matches!(c, '@' | '/' | '\\' | '_'))
            || after.is_some_and(|c| matches!(c, '@' | '_'))
        {
            continue;
        }
        let run = &text[start..end];
        let trimmed = run.trim_start_matches(['.', '-']);
        let host_start = start + (run.len() - trimmed.len());
        let host = trimmed.trim_end_matches(['.', '-']);
        let host_end = host_start + host.len();
        let labels = labels_ok(host);
        if labels < 2 {
            continue;
        }
        let tld = host.rsplit('.').next().unwrap_or("");
        // "end.Today": a sentence missing its space, not a domain.
        let title_case = tld.starts_with(|c: char| c.is_ascii_uppercase())
            && tld.bytes().skip(1).any(|c| c.is_ascii_lowercase());
        if !tld::is_tld(tld) || title_case {
            continue;
        }
        let mut link_end = host_end;
        let rest = &b[host_end..];
        if rest.first() == Some(&b':') {
            let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let next = rest.get(1 + digits);
            if (1..=5).contains(&digits) && next.is_none_or(|c| !c.is_ascii_alphanumeric()) {
                link_end += 1 + digits;
            }
        }
        if b.get(link_end) == Some(&b'/') {
            link_end = url_end(text, link_end);
        }
        let span = host_start..link_end;
        if overlaps(links, &span) {
            continue;
        }
        cursor = cursor.max(link_end);
        insert(
            links,
            Link {
                span,
                host: host_start..host_end,
                file_like: labels == 2 && link_end == host_end && tld::is_file_like(tld),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, &str)> {
        find(text, true)
            .into_iter()
            .filter(|l| !l.file_like)
            .map(|l| (&text[l.span], &text[l.host]))
            .collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("see https://x.com/a.", &[("https://x.com/a", "x.com")]),
            ("(https://x.com)", &[("https://x.com", "x.com")]),
            (
                "(https://en.wikipedia.org/wiki/Foo_(bar))",
                &[(
                    "https://en.wikipedia.org/wiki/Foo_(bar)",
                    "en.wikipedia.org",
                )],
            ),
            (
                "HTTP://user:pw@Example.COM:8080/p?q=1#f, ok",
                &[("HTTP://user:pw@Example.COM:8080/p?q=1#f", "Example.COM")],
            ),
            (
                "ftp://files.example.org",
                &[("ftp://files.example.org", "files.example.org")],
            ),
            ("http://[::1]:80/x", &[("http://[::1]:80/x", "[::1]")]),
            (
                "go to www.Example.org, now",
                &[("www.Example.org", "www.Example.org")],
            ),
            ("visit example.com.", &[("example.com", "example.com")]),
            (
                "example.co.uk/path?a=b!",
                &[("example.co.uk/path?a=b", "example.co.uk")],
            ),
            (
                "host example.io:8443/x",
                &[("example.io:8443/x", "example.io")],
            ),
            (
                "bücher.de and xn--bcher-kva.de",
                &[
                    ("bücher.de", "bücher.de"),
                    ("xn--bcher-kva.de", "xn--bcher-kva.de"),
                ],
            ),
            ("访问example.com。谢谢", &[("example.com", "example.com")]),
            ("中国.cn", &[("中国.cn", "中国.cn")]),
            // Not links.
            ("mail user@example.com now", &[]),
            ("first.last@example.co.uk", &[]),
            ("image.png v1.2.3 e.g. 3.14 a.m.", &[]),
            ("the end.Today we go", &[]),
            ("javascript://x mailto:a@b.com", &[]),
            ("http:// www. .com", &[]),
            ("path/to/file.com_x", &[]),
            // Defanged ("hxxps") links are not links.
            ("hxxps://x.com", &[]),
            (
                "www.a.com/?r=https://b.com",
                &[("www.a.com/?r=https://b.com", "www.a.com")],
            ),
            ("www.x.https://y", &[("www.x.https://y", "www.x.https")]),
        ];
        for (text, expected) in cases {
            assert_eq!(&links(text), expected, "{text:?}");
        }
    }

    #[test]
    fn file_names_are_flagged() {
        let found = find("see readme.md and main.rs, not docs.rs/serde", true);
        let flags: Vec<bool> = found.iter().map(|l| l.file_like).collect();
        assert_eq!(flags, [true, true, false]);
    }

    #[test]
    fn bare_domains_can_be_off() {
        assert!(find("example.com", false).is_empty());
        assert_eq!(find("www.example.com", false).len(), 1);
    }

    #[test]
    fn a_url_inside_a_url_is_one_link() {
        let text = "https://a.com/?u=http://b.com/x www.c.com";
        let spans: Vec<&str> = find(text, true)
            .iter()
            .map(|l| &text[l.span.clone()])
            .collect();
        assert_eq!(spans, ["https://a.com/?u=http://b.com/x", "www.c.com"]);
    }
}
