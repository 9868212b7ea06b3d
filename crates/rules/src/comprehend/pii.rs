//! The `comprehend-pii` rule: Amazon Comprehend's DetectPiiEntities, for
//! what patterns cannot find (names, addresses, ...).

use chimeflow_core::{
    FactRequests, Findings, Message, OptionError, Rule, RuleConfig, ServiceAnswer, ServiceKind,
    ServiceRequest, Unavailable, Verdict,
};
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::{SERVICE_UNAVAILABLE, answer};
use crate::stateful::OnStoreError;

macro_rules! doc_text {
    () => {
        r#"comprehend-pii: names, addresses and other personal data patterns cannot find, by Amazon Comprehend.

What it does
  Asks Comprehend's DetectPiiEntities about the message, as the rules
  before it left it: place it after `pii`, whose redactions are then
  never sent, and it finds what patterns cannot (NAME, ADDRESS, AGE,
  DATE_TIME, PASSPORT_NUMBER, DRIVER_ID, USERNAME, PASSWORD, ...). Each
  entity of a type in `entities` with a score of at least `min_score` is
  a finding (category: Comprehend's type, as `pii` uses) and is redacted:
    "token"  [NAME]
    "mask"   letters and digits -> mask_char
    "hash"   [NAME:3f9a1c2b], HMAC-SHA256 under the pii rule's key
             (CHIMEFLOW_PII_HASH_KEY): equal values, equal tokens
  Spans are merged with the findings of `pii` in the outcome (both in the
  text as received). action = "tag" reports without redacting; "deny"
  denies (reason "pii").

  The call is made while the store is read, within [comprehend] budget;
  without an answer in time the rule does not redact ("open", the
  default) or denies (reason "service-unavailable"). Comprehend bills
  100-character units, at least 3 a request.

Options
  entities         = ["NAME", "ADDRESS"]  Comprehend entity types
  min_score        = 0.8      lowest confidence acted on
  language         = "en"     "en" or "es" (what Comprehend supports)
  action           = "redact" "redact", "tag" or "deny"
  style            = "token"  "token", "mask" or "hash"
  mask_char        = "*"
  hash_key_env     = "CHIMEFLOW_PII_HASH_KEY"
  hash_length      = 8        hex digits shown (4-64)
  min_chars        = 3        shorter messages are not sent
  on_service_error = "open"   "open" or "closed"

Example
  [[rules]]
  type = "comprehend-pii"
  entities = ["NAME", "ADDRESS", "PASSPORT_NUMBER"]
  min_score = 0.9

Limitations
  Content only. Lex replies are not sent.
"#
    };
}

/// What to do with an entity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ComprehendPiiAction {
    /// Replace it (the default).
    #[default]
    Redact,
    /// Report it only.
    Tag,
    /// Deny the message.
    Deny,
}

/// How a redaction is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ComprehendPiiStyle {
    /// `[NAME]`.
    #[default]
    Token,
    /// Letters and digits masked.
    Mask,
    /// `[NAME:3f9a1c2b]`.
    Hash,
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComprehendPiiConfig {
    /// Entity types acted on.
    pub entities: Vec<String>,
    /// Lowest confidence acted on.
    pub min_score: f32,
    /// The text's language.
    pub language: String,
    /// Redact, tag or deny.
    pub action: ComprehendPiiAction,
    /// How a redaction is written.
    pub style: ComprehendPiiStyle,
    /// The mask character.
    pub mask_char: char,
    /// The environment variable holding the hash key.
    pub hash_key_env: String,
    /// Hex digits of the hash shown.
    pub hash_length: usize,
    /// Shorter messages are not sent.
    pub min_chars: usize,
    /// Without an answer.
    pub on_service_error: OnStoreError,
}

impl Default for ComprehendPiiConfig {
    fn default() -> Self {
        Self {
            entities: vec!["NAME".into(), "ADDRESS".into()],
            min_score: 0.8,
            language: "en".into(),
            action: ComprehendPiiAction::Redact,
            style: ComprehendPiiStyle::Token,
            mask_char: '*',
            hash_key_env: crate::pii::HASH_KEY_ENV.into(),
            hash_length: 8,
            min_chars: 3,
            on_service_error: OnStoreError::Open,
        }
    }
}

impl RuleConfig for ComprehendPiiConfig {
    const TYPE: &'static str = "comprehend-pii";
    const SUMMARY: &'static str = "Names, addresses and other personal data found by Amazon Comprehend (DetectPiiEntities), redacted.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if self.entities.is_empty() {
            return Err(OptionError::new(
                "entities",
                "name at least one entity type",
            ));
        }
        if !matches!(self.language.as_str(), "en" | "es") {
            return Err(OptionError::new(
                "language",
                "DetectPiiEntities supports \"en\" and \"es\"",
            ));
        }
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(OptionError::new("min_score", "must be between 0 and 1"));
        }
        let mac = match self.style {
            ComprehendPiiStyle::Hash => {
                if !(4..=64).contains(&self.hash_length) {
                    return Err(OptionError::new("hash_length", "must be 4-64"));
                }
                let key = std::env::var(&self.hash_key_env).unwrap_or_default();
                if key.len() < 16 {
                    return Err(OptionError::new(
                        "hash_key_env",
                        format!(
                            "style = \"hash\" needs a key of at least 16 bytes in {}",
                            self.hash_key_env
                        ),
                    ));
                }
                Some(
                    <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes())
                        .map_err(|_| OptionError::new("hash_key_env", "unusable key"))?,
                )
            }
            _ => None,
        };
        Ok(Box::new(ComprehendPii { config: self, mac }))
    }
}

/// The built rule.
pub struct ComprehendPii {
    config: ComprehendPiiConfig,
    mac: Option<Hmac<Sha256>>,
}

impl std::fmt::Debug for ComprehendPii {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ComprehendPii")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl ComprehendPii {
    fn redaction(&self, kind: &str, value: &str) -> String {
        match (self.config.style, &self.mac) {
            (ComprehendPiiStyle::Mask, _) => value
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() {
                        self.config.mask_char
                    } else {
                        c
                    }
                })
                .collect(),
            (ComprehendPiiStyle::Hash, Some(mac)) => {
                let mut mac = mac.clone();
                mac.update(kind.as_bytes());
                mac.update(b"\0");
                mac.update(value.to_lowercase().as_bytes());
                let hex: String = mac
                    .finalize()
                    .into_bytes()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                format!("[{kind}:{}]", &hex[..self.config.hash_length])
            }
            _ => format!("[{kind}]"),
        }
    }
}

impl Rule for ComprehendPii {
    fn id(&self) -> &str {
        ComprehendPiiConfig::TYPE
    }

    fn is_stateful(&self) -> bool {
        true
    }

    /// It asks Comprehend; it keeps nothing in the store.
    fn uses_store(&self) -> bool {
        false
    }

    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        let text = message.content();
        if message.is_lex() || text.chars().count() < self.config.min_chars {
            return;
        }
        requests.ask(ServiceRequest::PiiEntities {
            text: text.to_owned(),
            language: self.config.language.clone(),
        });
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        let entities = match answer(message, ServiceKind::PiiEntities) {
            Ok((_, ServiceAnswer::PiiEntities(entities))) => entities.clone(),
            Ok(_) | Err(Unavailable::NotAsked) => return Verdict::Continue,
            Err(_) if self.config.on_service_error == OnStoreError::Closed => {
                return Verdict::deny(SERVICE_UNAVAILABLE);
            }
            Err(_) => return Verdict::Continue,
        };
        let text = message.content();
        let mut chosen: Vec<_> = entities
            .into_iter()
            .filter(|e| e.score >= self.config.min_score)
            .filter(|e| self.config.entities.contains(&e.kind))
            .filter(|e| {
                e.end <= text.len()
                    && text.is_char_boundary(e.start)
                    && text.is_char_boundary(e.end)
            })
            .collect();
        chosen.sort_by_key(|e| (e.start, e.end));
        // Overlapping entities: the first wins.
        let mut last_end = 0;
        chosen.retain(|e| {
            let keep = e.start >= last_end;
            if keep {
                last_end = e.end;
            }
            keep
        });
        if chosen.is_empty() {
            return Verdict::Continue;
        }
        for entity in &chosen {
            findings.report(entity.kind.clone(), entity.start..entity.end);
        }
        match self.config.action {
            ComprehendPiiAction::Tag => Verdict::Continue,
            ComprehendPiiAction::Deny => Verdict::deny("pii"),
            ComprehendPiiAction::Redact => {
                let edits: Vec<_> = chosen
                    .iter()
                    .map(|e| {
                        (
                            e.start..e.end,
                            self.redaction(&e.kind, &text[e.start..e.end]),
                        )
                    })
                    .collect();
                message.replace_content(edits);
                Verdict::Continue
            }
        }
    }
}
