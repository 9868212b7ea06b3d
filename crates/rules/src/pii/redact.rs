//! What a redaction writes: a token, a mask, the last four digits, or a
//! keyed hash; and the normal form of a value for hashing and allow lists.

use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::Entity;

/// How a redacted value is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RedactStyle {
    /// `[EMAIL]`.
    #[default]
    Token,
    /// Every letter and digit replaced by the mask character; punctuation kept.
    Mask,
    /// Cards and phones: masked but for the last four digits; other entities
    /// are written as a token.
    Last4,
    /// `[EMAIL:3f9a1c2b]`: a keyed hash (HMAC-SHA256) of the normalised value,
    /// so equal values match across messages without being revealed.
    Hash,
}

/// The keyed hasher, ready to clone per value.
#[derive(Clone)]
pub(super) struct Hasher {
    mac: Hmac<Sha256>,
    hex_len: usize,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hasher")
            .field("hex_len", &self.hex_len)
            .finish_non_exhaustive()
    }
}

impl Hasher {
    pub(super) fn new(key: &[u8], hex_len: usize) -> Self {
        let mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
        Self { mac, hex_len }
    }

    fn hex(&self, entity: Entity, normal: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(entity.name().as_bytes());
        mac.update(b"\0");
        mac.update(normal.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(self.hex_len);
        for byte in digest.iter() {
            for nibble in [byte >> 4, byte & 0xF] {
                if out.len() < self.hex_len {
                    out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
                }
            }
        }
        out
    }
}

/// The normal form of a value: digits only for numbers (a NANP number
/// without its leading 1), upper-case letters and digits for IBANs and MAC
/// addresses, lower case for emails and URLs, the canonical form for IPs.
pub(super) fn normalize(entity: Entity, value: &str) -> String {
    let keep = |f: fn(&char) -> bool| value.chars().filter(f).collect::<String>();
    match entity {
        Entity::CreditDebitNumber | Entity::Ssn => keep(char::is_ascii_digit),
        Entity::Phone => {
            let digits = keep(char::is_ascii_digit);
            match digits.strip_prefix('1') {
                Some(rest) if digits.len() == 11 => rest.to_owned(),
                _ => digits,
            }
        }
        Entity::InternationalBankAccountNumber | Entity::MacAddress => {
            keep(char::is_ascii_alphanumeric).to_ascii_uppercase()
        }
        Entity::IpAddress => match value.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.to_string(),
            Err(_) => value.to_ascii_lowercase(),
        },
        Entity::Email | Entity::Url => value.to_lowercase(),
        Entity::AwsAccessKey | Entity::AwsSecretKey => value.to_owned(),
    }
}

/// What replaces `original` (the text as written) whose folded, ASCII form
/// is `folded`.
pub(super) fn render(
    entity: Entity,
    style: RedactStyle,
    original: &str,
    folded: &str,
    mask: char,
    hasher: Option<&Hasher>,
) -> String {
    match style {
        RedactStyle::Token => format!("[{}]", entity.name()),
        RedactStyle::Mask => original
            .chars()
            .map(|c| if c.is_alphanumeric() { mask } else { c })
            .collect(),
        RedactStyle::Last4 if matches!(entity, Entity::CreditDebitNumber | Entity::Phone) => {
            let total = original.chars().filter(|c| c.is_numeric()).count();
            let mut seen = 0;
            original
                .chars()
                .map(|c| {
                    if c.is_numeric() {
                        seen += 1;
                        if seen + 4 > total { c } else { mask }
                    } else if c.is_alphanumeric() {
                        mask
                    } else {
                        c
                    }
                })
                .collect()
        }
        RedactStyle::Last4 => format!("[{}]", entity.name()),
        RedactStyle::Hash => match hasher {
            Some(hasher) => format!(
                "[{}:{}]",
                entity.name(),
                hasher.hex(entity, &normalize(entity, folded))
            ),
            None => format!("[{}]", entity.name()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        let card = "4111-1111-1111-1111";
        let r = |style| render(Entity::CreditDebitNumber, style, card, card, '*', None);
        assert_eq!(r(RedactStyle::Token), "[CREDIT_DEBIT_NUMBER]");
        assert_eq!(r(RedactStyle::Mask), "****-****-****-****");
        assert_eq!(r(RedactStyle::Last4), "****-****-****-1111");
        let email = render(
            Entity::Email,
            RedactStyle::Last4,
            "a@b.co",
            "a@b.co",
            '#',
            None,
        );
        assert_eq!(email, "[EMAIL]");
    }

    #[test]
    fn hashes_match_across_forms() {
        let hasher = Hasher::new(b"0123456789abcdef", 8);
        let h = |entity, v| render(entity, RedactStyle::Hash, v, v, '*', Some(&hasher));
        let a = h(Entity::CreditDebitNumber, "4111 1111 1111 1111");
        assert_eq!(a, h(Entity::CreditDebitNumber, "4111-1111-1111-1111"));
        assert!(
            a.starts_with("[CREDIT_DEBIT_NUMBER:") && a.len() == "[CREDIT_DEBIT_NUMBER:]".len() + 8
        );
        assert_eq!(h(Entity::Email, "A@B.co"), h(Entity::Email, "a@b.CO"));
        assert_eq!(
            h(Entity::Phone, "+1 (206) 555-0100"),
            h(Entity::Phone, "206.555.0100")
        );
        assert_ne!(h(Entity::Email, "a@b.co"), h(Entity::Email, "c@b.co"));
        let other = Hasher::new(b"another key, 16+", 8);
        assert_ne!(
            a,
            render(
                Entity::CreditDebitNumber,
                RedactStyle::Hash,
                "4111111111111111",
                "4111111111111111",
                '*',
                Some(&other)
            )
        );
    }
}
