//! The `pii` rule: finds personal data, validated so that look-alikes pass,
//! and redacts, tags or denies it.
//!
//! One file per entity finds and validates candidates; this file holds the
//! configuration, resolves overlaps and acts. Detection runs a few cheap
//! passes (digit runs, `@`, `:`, `A`) and validates only what they turn up,
//! so a message with nothing in it costs a scan and no allocation.

mod aws;
mod card;
mod email;
mod fold;
mod iban;
mod ip;
mod lex;
mod mac;
mod phone;
mod redact;
mod scan;
mod ssn;
mod url;

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use regex::RegexSet;
use serde::Deserialize;

pub use redact::RedactStyle;
use scan::Candidate;

macro_rules! doc_text {
    () => {
        r#"pii: find personal data (emails, phones, cards, SSNs, IBANs, IPs, keys) and redact, tag or deny.

What it does
  Finds these entities, named as Amazon Comprehend names them, each
  validated so that look-alikes pass untouched:
    EMAIL                 local@domain.tld (practical RFC 5322 subset)
    PHONE                 +CC / 00CC international, E.164, NANP with the
                          usual punctuation, national numbers with a trunk 0;
                          a bare run of digits only after "call", "phone"…
    CREDIT_DEBIT_NUMBER   12-19 digits, contiguous or grouped by spaces or
                          dashes; issuer range for the length; Luhn
    SSN                   AAA-GG-SSSS, AAA GG SSSS (bare 9 digits only after
                          "SSN"…); not area 000/666/900-999, group 00,
                          serial 0000, nor published sample numbers
    INTERNATIONAL_BANK_ACCOUNT_NUMBER  country, registered length, mod-97;
                          contiguous or in groups
    IP_ADDRESS            IPv4 that parses (not 999.1.1.1, not v1.2.3.4),
                          IPv6 that parses
    AWS_ACCESS_KEY        AKIA/ASIA… + 16 characters
    AWS_SECRET_KEY        40 base64 characters near "secret" or an access key
    MAC_ADDRESS           00:1A:2B:3C:4D:5E, 00-1a-…, 001a.2b3c.4d5e
    URL                   http(s)/ftp/ws(s) and www. links (off by default)
  Where matches overlap the longest wins. Each match is reported as a
  finding (category = entity name, span; never the value). Then, by
  action: "redact" replaces it, "tag" leaves the text and lists the
  categories found in a message attribute, "deny" denies the message
  (reason "pii") when any match has that action.
  Digits of other scripts (Arabic-Indic, Devanagari, fullwidth, …),
  fullwidth letters and punctuation, Unicode spaces and dashes are read as
  their ASCII counterparts, and invisible characters (zero-width space,
  soft hyphen, …) are skipped, so "٤١١١ ١١١١ ١١١١ ١١١١" is a card; the
  redaction covers the characters as written.

Options
  entities       = all but URL    which entities to find
  action         = "redact"       "redact", "tag" or "deny"
  style          = "token"        how "redact" writes a value:
                                  "token"  [EMAIL]
                                  "mask"   letters and digits -> mask_char
                                  "last4"  cards and phones keep their last
                                           4 digits (others: token)
                                  "hash"   [EMAIL:3f9a1c2b], HMAC-SHA256 of
                                           the normalised value: equal values
                                           give equal tokens across messages
  mask_char      = "*"
  hash_key_env   = "CHIMEFLOW_PII_HASH_KEY"  environment variable holding the
                                  hash key (at least 16 bytes), read at start
  hash_key       = (none)         the key itself (prefer hash_key_env)
  hash_length    = 8              hex digits of the hash shown (4-64)
  overrides      = {}             per entity: { action = …, style = … }
  allow          = []             values never redacted, compared in normal
                                  form (digits only for numbers, any case
                                  for emails): "support@example.com"
  allow_patterns = []             regexes; a value matching any is kept
                                  (matched against the value as written)
  tag_attribute  = "pii"          the message attribute "tag" fills
  lex            = "values"       Lex replies (JSON): "values" acts inside
                                  JSON string values only, "skip" ignores
                                  them
  unicode        = true           read other scripts' digits as above

Example
  [[rules]]
  type = "pii"
  entities = ["EMAIL", "PHONE", "CREDIT_DEBIT_NUMBER", "SSN", "AWS_SECRET_KEY"]
  style = "last4"
  allow = ["support@example.com"]
  allow_patterns = ['@example\.com$']
  [rules.overrides.SSN]
  action = "deny"
  [rules.overrides.EMAIL]
  style = "mask"

Limitations
  Patterns and checksums, no language model: names, street addresses and
  dates of birth are not found. A phone number needs punctuation, a "+"
  or a trunk 0, or a phone word before it; an SSN without dashes needs
  "SSN" before it. Numbers in unassigned ranges that have the right shape
  (a NANP exchange starting with 0 or 1) are still redacted: better safe.
  In Lex replies escaped characters (\u0040) are not decoded, and a value
  next to an escape is left alone. Redaction tokens may make a message
  longer; past 4 KB the processor shortens them (see the limits fallback).
"#
    };
}

/// The entities the rule can find, named as Amazon Comprehend names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Entity {
    /// An IBAN.
    InternationalBankAccountNumber,
    /// A payment card number.
    CreditDebitNumber,
    /// A US Social Security number.
    Ssn,
    /// A phone number.
    Phone,
    /// An email address.
    Email,
    /// A URL (off by default).
    Url,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// A MAC address.
    MacAddress,
    /// An AWS access key id.
    AwsAccessKey,
    /// An AWS secret access key.
    AwsSecretKey,
}

impl Entity {
    /// Every entity, in overlap priority order (first wins a tie).
    pub const ALL: [Entity; 10] = [
        Entity::InternationalBankAccountNumber,
        Entity::CreditDebitNumber,
        Entity::Ssn,
        Entity::Phone,
        Entity::Email,
        Entity::Url,
        Entity::IpAddress,
        Entity::MacAddress,
        Entity::AwsAccessKey,
        Entity::AwsSecretKey,
    ];

    /// The Comprehend entity name, used as the finding category.
    pub fn name(self) -> &'static str {
        match self {
            Entity::InternationalBankAccountNumber => "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
            Entity::CreditDebitNumber => "CREDIT_DEBIT_NUMBER",
            Entity::Ssn => "SSN",
            Entity::Phone => "PHONE",
            Entity::Email => "EMAIL",
            Entity::Url => "URL",
            Entity::IpAddress => "IP_ADDRESS",
            Entity::MacAddress => "MAC_ADDRESS",
            Entity::AwsAccessKey => "AWS_ACCESS_KEY",
            Entity::AwsSecretKey => "AWS_SECRET_KEY",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What to do with what was found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PiiAction {
    /// Replace it in the content.
    #[default]
    Redact,
    /// Keep the content; list the categories in a message attribute.
    Tag,
    /// Deny the message.
    Deny,
}

/// How Lex replies (JSON content) are treated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LexMode {
    /// Act only inside JSON string values.
    #[default]
    Values,
    /// Leave Lex replies alone.
    Skip,
}

/// Per-entity settings that replace the rule-wide ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntityOverride {
    /// The action for this entity.
    pub action: Option<PiiAction>,
    /// The redaction style for this entity.
    pub style: Option<RedactStyle>,
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PiiConfig {
    /// Which entities to find.
    pub entities: Vec<Entity>,
    /// What to do with them.
    pub action: PiiAction,
    /// How redactions are written.
    pub style: RedactStyle,
    /// The mask character.
    pub mask_char: char,
    /// The environment variable holding the hash key.
    pub hash_key_env: String,
    /// The hash key itself.
    pub hash_key: Option<String>,
    /// Hex digits of the hash shown.
    pub hash_length: usize,
    /// Per-entity action and style.
    pub overrides: BTreeMap<Entity, EntityOverride>,
    /// Values never redacted.
    pub allow: Vec<String>,
    /// Patterns of values never redacted.
    pub allow_patterns: Vec<String>,
    /// The attribute `tag` fills.
    pub tag_attribute: String,
    /// How Lex replies are treated.
    pub lex: LexMode,
    /// Read other scripts' digits and fullwidth forms as ASCII.
    pub unicode: bool,
}

/// The environment variable read for the hash key by default.
pub const HASH_KEY_ENV: &str = "CHIMEFLOW_PII_HASH_KEY";

impl Default for PiiConfig {
    fn default() -> Self {
        Self {
            entities: Entity::ALL
                .into_iter()
                .filter(|&e| e != Entity::Url)
                .collect(),
            action: PiiAction::Redact,
            style: RedactStyle::Token,
            mask_char: '*',
            hash_key_env: HASH_KEY_ENV.into(),
            hash_key: None,
            hash_length: 8,
            overrides: BTreeMap::new(),
            allow: Vec::new(),
            allow_patterns: Vec::new(),
            tag_attribute: "pii".into(),
            lex: LexMode::Values,
            unicode: true,
        }
    }
}

impl RuleConfig for PiiConfig {
    const TYPE: &'static str = "pii";
    const SUMMARY: &'static str = "Find validated personal data (email, phone, card, SSN, IBAN, IP, AWS keys, MAC) and redact, tag or deny.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if self.entities.is_empty() {
            return Err(OptionError::new("entities", "list at least one entity"));
        }
        if !(4..=64).contains(&self.hash_length) {
            return Err(OptionError::new("hash_length", "must be between 4 and 64"));
        }
        if self.mask_char.is_control() || matches!(self.mask_char, '"' | '\\') {
            return Err(OptionError::new(
                "mask_char",
                "must be a printable character other than '\"' and '\\'",
            ));
        }
        if !(1..=64).contains(&self.tag_attribute.len()) {
            return Err(OptionError::new("tag_attribute", "must be 1 to 64 bytes"));
        }
        let mut enabled = [false; 10];
        for entity in &self.entities {
            enabled[entity.index()] = true;
        }
        let mut plans = [Plan {
            action: self.action,
            style: self.style,
        }; 10];
        for (entity, o) in &self.overrides {
            let plan = &mut plans[entity.index()];
            plan.action = o.action.unwrap_or(plan.action);
            plan.style = o.style.unwrap_or(plan.style);
        }
        let hashing = Entity::ALL.iter().any(|e| {
            enabled[e.index()]
                && plans[e.index()].action == PiiAction::Redact
                && plans[e.index()].style == RedactStyle::Hash
        });
        let hasher = if hashing {
            let key = match &self.hash_key {
                Some(key) => key.clone(),
                None => std::env::var(&self.hash_key_env).unwrap_or_default(),
            };
            if key.len() < 16 {
                let key_name = if self.hash_key.is_some() {
                    "hash_key"
                } else {
                    "hash_key_env"
                };
                return Err(OptionError::new(
                    key_name,
                    format!(
                        "style \"hash\" needs a key of at least 16 bytes (set hash_key or ${})",
                        self.hash_key_env
                    ),
                ));
            }
            Some(redact::Hasher::new(key.as_bytes(), self.hash_length))
        } else {
            None
        };
        let mut allow: [HashSet<String>; 10] = Default::default();
        for value in &self.allow {
            for entity in Entity::ALL {
                let normal = redact::normalize(entity, value.trim());
                if !normal.is_empty() {
                    allow[entity.index()].insert(normal);
                }
            }
        }
        let allow_patterns = if self.allow_patterns.is_empty() {
            None
        } else {
            Some(RegexSet::new(&self.allow_patterns).map_err(|e| {
                OptionError::new("allow_patterns", format!("not a valid pattern: {e}"))
            })?)
        };
        Ok(Box::new(Pii {
            enabled,
            plans,
            mask_char: self.mask_char,
            hasher,
            allow,
            allow_patterns,
            tag_attribute: self.tag_attribute,
            lex: self.lex,
            unicode: self.unicode,
        }))
    }
}

#[derive(Clone, Copy, Debug)]
struct Plan {
    action: PiiAction,
    style: RedactStyle,
}

/// The built rule.
#[derive(Debug)]
pub struct Pii {
    enabled: [bool; 10],
    plans: [Plan; 10],
    mask_char: char,
    hasher: Option<redact::Hasher>,
    allow: [HashSet<String>; 10],
    allow_patterns: Option<RegexSet>,
    tag_attribute: String,
    lex: LexMode,
    unicode: bool,
}

/// Finds every candidate of the enabled entities in `text`, unresolved.
fn detect(text: &str, on: &[bool; 10]) -> Vec<Candidate> {
    let b = text.as_bytes();
    let is_on = |e: Entity| on[e.index()];
    let mut out = Vec::new();
    let numeric = [
        Entity::InternationalBankAccountNumber,
        Entity::CreditDebitNumber,
        Entity::Ssn,
        Entity::Phone,
        Entity::IpAddress,
    ];
    if numeric.into_iter().any(is_on) {
        let runs = scan::digit_runs(b);
        if !runs.is_empty() {
            if is_on(Entity::InternationalBankAccountNumber) {
                iban::find(b, &runs, &mut out);
            }
            if is_on(Entity::CreditDebitNumber) {
                card::find(b, &runs, &mut out);
            }
            if is_on(Entity::Ssn) {
                ssn::find(b, &runs, &mut out);
            }
            if is_on(Entity::Phone) {
                phone::find(b, &runs, &mut out);
            }
            if is_on(Entity::IpAddress) {
                ip::find_v4(b, &runs, &mut out);
            }
            // Numbers inside an IBAN-shaped string (valid or not) are its pieces.
            let shaped = iban::shaped(b, &runs);
            if !shaped.is_empty() {
                out.retain(|c| {
                    c.entity == Entity::InternationalBankAccountNumber
                        || !shaped.iter().any(|r| r.start <= c.start && c.end <= r.end)
                });
            }
        }
    }
    if is_on(Entity::IpAddress) {
        ip::find_v6(b, &mut out);
    }
    if is_on(Entity::Email) {
        email::find(text, &mut out);
    }
    if is_on(Entity::MacAddress) {
        mac::find(b, &mut out);
    }
    if is_on(Entity::AwsAccessKey) || is_on(Entity::AwsSecretKey) {
        let mut keys = Vec::new();
        aws::find_access(b, &mut keys);
        if is_on(Entity::AwsSecretKey) {
            let access = keys.clone();
            aws::find_secret(b, &access, &mut keys);
        }
        out.extend(keys.into_iter().filter(|c| is_on(c.entity)));
    }
    if is_on(Entity::Url) {
        url::find(text, &mut out);
    }
    out
}

/// Keeps non-overlapping candidates, longest first (ties by entity
/// priority), sorted by start.
fn resolve(candidates: &mut Vec<Candidate>) {
    if candidates.len() < 2 {
        return;
    }
    candidates.sort_unstable_by(|a, b| {
        b.len()
            .cmp(&a.len())
            .then(a.entity.cmp(&b.entity))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for c in candidates.drain(..) {
        let pos = kept.partition_point(|k| k.start < c.start);
        let clear_before = pos == 0 || kept[pos - 1].end <= c.start;
        let clear_after = pos == kept.len() || c.end <= kept[pos].start;
        if clear_before && clear_after {
            kept.insert(pos, c);
        }
    }
    *candidates = kept;
}

/// One match, ready to act on.
struct Hit {
    entity: Entity,
    /// The span in the content as received by this rule.
    span: Range<usize>,
    /// The span in the scanned (folded) text.
    scanned: Range<usize>,
}

impl Pii {
    fn allowed(&self, entity: Entity, value: &str) -> bool {
        let set = &self.allow[entity.index()];
        (!set.is_empty() && set.contains(&redact::normalize(entity, value)))
            || self
                .allow_patterns
                .as_ref()
                .is_some_and(|p| p.is_match(value))
    }

    fn plan(&self, entity: Entity) -> Plan {
        self.plans[entity.index()]
    }
}

impl Rule for Pii {
    fn id(&self) -> &str {
        PiiConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        let is_lex = message.is_lex();
        if is_lex && self.lex == LexMode::Skip {
            return Verdict::Continue;
        }
        let content = message.content();
        let folded = if self.unicode {
            fold::fold(content)
        } else {
            None
        };
        let scanned = folded.as_ref().map_or(content, |f| f.text());
        let mut candidates = detect(scanned, &self.enabled);
        if candidates.is_empty() {
            return Verdict::Continue;
        }
        resolve(&mut candidates);
        let lex_values = if is_lex {
            lex::string_values(content.as_bytes())
        } else {
            Vec::new()
        };
        let hits: Vec<Hit> = candidates
            .iter()
            .filter_map(|c| {
                let span = match &folded {
                    Some(f) => {
                        let (s, e) = f.original(content, c.start, c.end);
                        s..e
                    }
                    None => c.start..c.end,
                };
                let allowed = self.allowed(c.entity, &scanned[c.start..c.end]);
                let lex_blocked = is_lex
                    && self.plan(c.entity).action == PiiAction::Redact
                    && !lex::editable(content.as_bytes(), &lex_values, &span);
                (!allowed && !lex_blocked).then_some(Hit {
                    entity: c.entity,
                    span,
                    scanned: c.start..c.end,
                })
            })
            .collect();
        if hits.is_empty() {
            return Verdict::Continue;
        }
        for hit in &hits {
            findings.report(hit.entity.name(), hit.span.clone());
        }
        if hits
            .iter()
            .any(|h| self.plan(h.entity).action == PiiAction::Deny)
        {
            return Verdict::deny("pii");
        }
        let edits: Vec<(Range<usize>, String)> = hits
            .iter()
            .filter(|h| self.plan(h.entity).action == PiiAction::Redact)
            .map(|h| {
                let replacement = redact::render(
                    h.entity,
                    self.plan(h.entity).style,
                    &content[h.span.clone()],
                    &scanned[h.scanned.clone()],
                    self.mask_char,
                    self.hasher.as_ref(),
                );
                (h.span.clone(), replacement)
            })
            .collect();
        let mut tags: Vec<&'static str> = hits
            .iter()
            .filter(|h| self.plan(h.entity).action == PiiAction::Tag)
            .map(|h| h.entity.name())
            .collect();
        if !edits.is_empty() {
            message.replace_content(edits);
        }
        if !tags.is_empty() {
            tags.sort_unstable();
            tags.dedup();
            let value = message
                .attributes_mut()
                .entry(self.tag_attribute.clone())
                .or_default();
            for tag in tags {
                if !value.string_values.iter().any(|v| v == tag) {
                    value.string_values.push(tag.to_owned());
                }
            }
        }
        Verdict::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_core::ChannelMessage;

    struct Run {
        verdict: Verdict,
        content: String,
        categories: Vec<String>,
        spans: Vec<(usize, usize)>,
        attributes: Option<Vec<String>>,
    }

    fn run_with(config: PiiConfig, content: &str, content_type: Option<&str>) -> Run {
        let rule = config.build().unwrap();
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(content.into()),
            content_type: content_type.map(Into::into),
            ..Default::default()
        };
        let mut message = Message::new(&received);
        let mut findings = Findings::new();
        let verdict = rule.check(&mut message, &mut findings);
        Run {
            verdict,
            content: message.content().to_owned(),
            categories: findings
                .as_slice()
                .iter()
                .map(|f| f.category.to_string())
                .collect(),
            spans: findings
                .as_slice()
                .iter()
                .map(|f| (f.start, f.end))
                .collect(),
            attributes: message
                .attributes()
                .get("pii")
                .map(|v| v.string_values.clone()),
        }
    }

    fn run(config: PiiConfig, content: &str) -> Run {
        run_with(config, content, None)
    }

    fn redacted(content: &str) -> String {
        run(PiiConfig::default(), content).content
    }

    #[test]
    fn redaction_table() {
        let cases = [
            ("mail jane@example.com now", "mail [EMAIL] now"),
            ("card 4111 1111 1111 1111.", "card [CREDIT_DEBIT_NUMBER]."),
            ("ssn 409-09-1052", "ssn [SSN]"),
            ("call (206) 555-0100", "call [PHONE]"),
            ("+44 20 7946 0958", "[PHONE]"),
            (
                "DE89 3704 0044 0532 0130 00",
                "[INTERNATIONAL_BANK_ACCOUNT_NUMBER]",
            ),
            (
                "from 10.1.2.3 and fe80::1",
                "from [IP_ADDRESS] and [IP_ADDRESS]",
            ),
            ("key AKIAIOSFODNN7EXAMPLE", "key [AWS_ACCESS_KEY]"),
            (
                "secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "secret: [AWS_SECRET_KEY]",
            ),
            ("nic 00:1A:2B:3C:4D:5E", "nic [MAC_ADDRESS]"),
            // Unicode digits and fullwidth forms.
            ("بطاقة ٤١١١ ١١١١ ١١١١ ١١١١", "بطاقة [CREDIT_DEBIT_NUMBER]"),
            ("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "[EMAIL]"),
            (
                "4111\u{200B}1111\u{200B}1111\u{200B}1111",
                "[CREDIT_DEBIT_NUMBER]",
            ),
            // Look-alikes pass.
            (
                "v1.2.3 on 2023-05-09 for $31,956.34, order 415025354",
                "v1.2.3 on 2023-05-09 for $31,956.34, order 415025354",
            ),
            (
                "999.1.1.1 and 4111 1111 1111 1112",
                "999.1.1.1 and 4111 1111 1111 1112",
            ),
            ("IE74 FBIW 5600 4176 5121 14", "IE74 FBIW 5600 4176 5121 14"),
            ("NL23 KITY 0992 6305 70", "NL23 KITY 0992 6305 70"),
            ("DE12 call 020 7946 0958", "DE12 call [PHONE]"),
            ("see https://example.com", "see https://example.com"),
        ];
        for (input, expected) in cases {
            assert_eq!(redacted(input), expected, "{input:?}");
        }
    }

    #[test]
    fn findings_point_at_the_original_and_hold_no_value() {
        let r = run(PiiConfig::default(), "a ٤١١١١١١١١١١١١١١١ b@c.de");
        assert_eq!(r.categories, vec!["CREDIT_DEBIT_NUMBER", "EMAIL"]);
        let text = "a ٤١١١١١١١١١١١١١١١ b@c.de";
        assert_eq!(&text[r.spans[0].0..r.spans[0].1], "٤١١١١١١١١١١١١١١١");
        assert_eq!(&text[r.spans[1].0..r.spans[1].1], "b@c.de");
    }

    #[test]
    fn overlaps_keep_the_longest() {
        // A card-looking number inside an email, an IPv4 inside an IPv6.
        assert_eq!(redacted("x.4111111111111111@example.com"), "[EMAIL]");
        assert_eq!(redacted("::ffff:192.0.2.128"), "[IP_ADDRESS]");
        let url = PiiConfig {
            entities: Entity::ALL.to_vec(),
            ..PiiConfig::default()
        };
        assert_eq!(run(url, "https://10.0.0.1/a?m=a@b.co").content, "[URL]");
    }

    #[test]
    fn styles_and_overrides() {
        let text = "card 4111-1111-1111-1111, mail a@b.co";
        let style = |style| PiiConfig {
            style,
            ..PiiConfig::default()
        };
        assert_eq!(
            run(style(RedactStyle::Mask), text).content,
            "card ****-****-****-****, mail *@*.**"
        );
        assert_eq!(
            run(style(RedactStyle::Last4), text).content,
            "card ****-****-****-1111, mail [EMAIL]"
        );
        let hashed = PiiConfig {
            style: RedactStyle::Hash,
            hash_key: Some("a key of sixteen bytes".into()),
            ..PiiConfig::default()
        };
        let a = run(hashed.clone(), "a@b.co").content;
        assert_eq!(a, run(hashed.clone(), "A@B.CO").content);
        assert!(
            a.starts_with("[EMAIL:") && a.len() == "[EMAIL:12345678]".len(),
            "{a}"
        );
        let mut overrides = BTreeMap::new();
        overrides.insert(
            Entity::Email,
            EntityOverride {
                action: Some(PiiAction::Tag),
                style: None,
            },
        );
        let r = run(
            PiiConfig {
                overrides: overrides.clone(),
                ..PiiConfig::default()
            },
            text,
        );
        assert_eq!(r.content, "card [CREDIT_DEBIT_NUMBER], mail a@b.co");
        assert_eq!(r.attributes, Some(vec!["EMAIL".to_owned()]));
        overrides.insert(
            Entity::CreditDebitNumber,
            EntityOverride {
                action: Some(PiiAction::Deny),
                style: None,
            },
        );
        let r = run(
            PiiConfig {
                overrides,
                ..PiiConfig::default()
            },
            text,
        );
        assert_eq!(r.verdict, Verdict::deny("pii"));
        assert_eq!(r.categories.len(), 2);
    }

    #[test]
    fn allow_list() {
        let config = PiiConfig {
            allow: vec!["support@example.com".into(), "4111 1111 1111 1111".into()],
            allow_patterns: vec![r"@corp\.example$".into()],
            ..PiiConfig::default()
        };
        let r = run(
            config,
            "Support@Example.com, 4111-1111-1111-1111, x@corp.example, y@home.example",
        );
        assert_eq!(
            r.content,
            "Support@Example.com, 4111-1111-1111-1111, x@corp.example, [EMAIL]"
        );
        assert_eq!(r.categories, vec!["EMAIL"]);
    }

    #[test]
    fn lex_replies_are_edited_inside_string_values_only() {
        let lex = Some(chimeflow_core::LEX_CONTENT_TYPE);
        let json = r#"{"Messages":[{"Content":"mail a@b.co or call 206-555-0100","ContentType":"PlainText"}]}"#;
        let r = run_with(PiiConfig::default(), json, lex);
        assert_eq!(
            r.content,
            r#"{"Messages":[{"Content":"mail [EMAIL] or call [PHONE]","ContentType":"PlainText"}]}"#
        );
        let skip = PiiConfig {
            lex: LexMode::Skip,
            ..PiiConfig::default()
        };
        assert_eq!(run_with(skip, json, lex).content, json);
    }

    #[test]
    fn nothing_found_changes_nothing() {
        let r = run(
            PiiConfig::default(),
            "hello, nothing to see at 10:30 on 12/05",
        );
        assert_eq!(r.verdict, Verdict::Continue);
        assert!(r.categories.is_empty());
    }

    #[test]
    fn bad_options_fail_at_build() {
        let err = |config: PiiConfig| config.build().err().and_then(|e| e.key);
        assert_eq!(
            err(PiiConfig {
                entities: vec![],
                ..PiiConfig::default()
            }),
            Some("entities".into())
        );
        assert_eq!(
            err(PiiConfig {
                style: RedactStyle::Hash,
                hash_key: Some("short".into()),
                ..PiiConfig::default()
            }),
            Some("hash_key".into())
        );
        assert_eq!(
            err(PiiConfig {
                style: RedactStyle::Hash,
                hash_key_env: "CHIMEFLOW_PII_TEST_UNSET_VARIABLE".into(),
                ..PiiConfig::default()
            }),
            Some("hash_key_env".into())
        );
        assert_eq!(
            err(PiiConfig {
                allow_patterns: vec!["(".into()],
                ..PiiConfig::default()
            }),
            Some("allow_patterns".into())
        );
        assert_eq!(
            err(PiiConfig {
                hash_length: 2,
                ..PiiConfig::default()
            }),
            Some("hash_length".into())
        );
    }

    #[test]
    fn config_parses_from_toml() {
        let config: PiiConfig = toml::from_str(
            r#"
            entities = ["EMAIL", "PHONE"]
            style = "last4"
            [overrides.PHONE]
            action = "deny"
            "#,
        )
        .unwrap();
        assert_eq!(config.entities, vec![Entity::Email, Entity::Phone]);
        assert_eq!(
            config.overrides[&Entity::Phone].action,
            Some(PiiAction::Deny)
        );
        assert!(toml::from_str::<PiiConfig>("entities = [\"NAME\"]").is_err());
        assert!(toml::from_str::<PiiConfig>("colour = 1").is_err());
        assert!(toml::from_str::<PiiConfig>("[overrides.NAME]\naction = \"deny\"").is_err());
    }
}
