//! AWS_ACCESS_KEY: `AKIA`/`ASIA`/`ABIA`/`ACCA` and 16 more upper-case
//! letters or digits, standing alone. AWS_SECRET_KEY: 40 characters of
//! `A-Za-z0-9/+` with upper case, lower case and a digit or symbol, only
//! near the word "secret" or an access key (a 40-character token alone is
//! too often something else).

use memchr::memmem;

use super::Entity;
use super::scan::Candidate;

const ACCESS_PREFIXES: &[&[u8; 4]] = &[b"AKIA", b"ASIA", b"ABIA", b"ACCA"];

/// How far after a context word or an access key a secret key may be.
const SECRET_REACH: usize = 160;

fn key_char(c: u8) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn secret_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'/' || c == b'+'
}

/// Finds access keys.
pub(super) fn find_access(b: &[u8], out: &mut Vec<Candidate>) {
    for start in memchr::memchr_iter(b'A', b) {
        let Some(key) = b.get(start..start + 20) else {
            break;
        };
        let standalone = (start == 0 || !b[start - 1].is_ascii_alphanumeric())
            && !b.get(start + 20).is_some_and(u8::is_ascii_alphanumeric);
        if standalone
            && ACCESS_PREFIXES.iter().any(|p| key.starts_with(*p))
            && key[4..].iter().all(|&c| key_char(c))
        {
            out.push(Candidate::new(start, start + 20, Entity::AwsAccessKey));
        }
    }
}

/// Finds secret keys near "secret" or after an access key found in `access`.
pub(super) fn find_secret(b: &[u8], access: &[Candidate], out: &mut Vec<Candidate>) {
    let mut anchors: Vec<usize> = Vec::new();
    for word in [&b"ecret"[..], b"ECRET"] {
        anchors.extend(memmem::find_iter(b, word));
    }
    anchors.extend(
        access
            .iter()
            .filter(|c| c.entity == Entity::AwsAccessKey)
            .map(|c| c.end),
    );
    if anchors.is_empty() {
        return;
    }
    anchors.sort_unstable();
    let mut after = 0;
    for anchor in anchors {
        let mut i = anchor.max(after);
        let stop = (anchor + SECRET_REACH).min(b.len());
        while i < stop {
            if !secret_char(b[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && secret_char(b[i]) {
                i += 1;
            }
            let token = &b[start..i];
            let glued = start > 0 && b[start - 1] == b'=' || b.get(i) == Some(&b'=');
            if token.len() == 40
                && !glued
                && token.iter().any(u8::is_ascii_uppercase)
                && token.iter().any(u8::is_ascii_lowercase)
                && token
                    .iter()
                    .any(|c| c.is_ascii_digit() || *c == b'/' || *c == b'+')
            {
                out.push(Candidate::new(start, i, Entity::AwsSecretKey));
            }
        }
        after = i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(&str, Entity)> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        find_access(b, &mut out);
        let access = out.clone();
        find_secret(b, &access, &mut out);
        out.iter()
            .map(|c| (&text[c.start..c.end], c.entity))
            .collect()
    }

    #[test]
    fn table() {
        const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let access = "AKIAIOSFODNN7EXAMPLE";
        assert_eq!(
            keys("key AKIAIOSFODNN7EXAMPLE."),
            vec![(access, Entity::AwsAccessKey)]
        );
        assert_eq!(keys("XAKIAIOSFODNN7EXAMPLE"), vec![]);
        assert_eq!(keys("AKIAIOSFODNN7EXAMPLEX"), vec![]);
        assert_eq!(keys("AKIAiosfodnn7example"), vec![]);
        assert_eq!(
            keys(&format!("aws_secret_access_key = {SECRET}")),
            vec![(SECRET, Entity::AwsSecretKey)]
        );
        assert_eq!(
            keys(&format!("{access} / {SECRET}")),
            vec![
                (access, Entity::AwsAccessKey),
                (SECRET, Entity::AwsSecretKey)
            ]
        );
        // No context, or not key-shaped.
        assert_eq!(keys(&format!("token {SECRET}")), vec![]);
        assert_eq!(
            keys("secret da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            vec![]
        );
    }
}
