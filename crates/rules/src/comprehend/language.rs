//! The `language` rule: Amazon Comprehend's DetectDominantLanguage.

use chimeflow_core::{
    FactRequests, Findings, Message, OptionError, Rule, RuleConfig, ServiceAnswer, ServiceKind,
    ServiceRequest, Unavailable, Verdict,
};
use serde::Deserialize;

use super::{SERVICE_UNAVAILABLE, answer};
use crate::stateful::OnStoreError;

macro_rules! doc_text {
    () => {
        r#"language: the message's language, by Amazon Comprehend, for the outcome and for other rules.

What it does
  Asks Comprehend's DetectDominantLanguage about the message and, when
  the most likely language scores at least `min_score`, sets it as the
  message's language: it is in the outcome ("Language"), a later `tag`
  rule writes it into Metadata, and every rule can select on it with
  `when = { language = ["en", "es"] }` (a rule whose language condition
  cannot be known, because the call failed or was not made, does not
  apply). It never changes or denies a message, unless `allow` is set:
  then a message in another language (once known) is denied (reason
  "language").

  The call is made while the store is read, within [comprehend] budget;
  without an answer the language stays unknown ("open") or the message is
  denied ("closed", reason "service-unavailable"). Comprehend bills
  100-character units, at least 3 a request.

Options
  min_score        = 0.5     lowest score taken as the language
  min_chars        = 20      shorter messages are not sent (Comprehend
                             needs 20 characters to detect a language)
  allow            = []      languages allowed; empty: any
  on_service_error = "open"  "open" or "closed"

Example
  [[rules]]
  type = "language"
  allow = ["en", "es"]

Limitations
  One language a message. Lex replies are not sent.
"#
    };
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LanguageConfig {
    /// Lowest score taken as the language.
    pub min_score: f32,
    /// Shorter messages are not sent.
    pub min_chars: usize,
    /// Languages allowed; empty: any.
    pub allow: Vec<String>,
    /// Without an answer.
    pub on_service_error: OnStoreError,
}

impl Default for LanguageConfig {
    fn default() -> Self {
        Self {
            min_score: 0.5,
            min_chars: 20,
            allow: Vec::new(),
            on_service_error: OnStoreError::Open,
        }
    }
}

impl RuleConfig for LanguageConfig {
    const TYPE: &'static str = "language";
    const SUMMARY: &'static str = "The message's language by Amazon Comprehend (DetectDominantLanguage): in the outcome, for `when`.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(OptionError::new("min_score", "must be between 0 and 1"));
        }
        Ok(Box::new(Language { config: self }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct Language {
    config: LanguageConfig,
}

impl Rule for Language {
    fn id(&self) -> &str {
        LanguageConfig::TYPE
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
        requests.ask(ServiceRequest::DominantLanguage {
            text: text.to_owned(),
        });
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        let top = match answer(message, ServiceKind::DominantLanguage) {
            Ok((_, ServiceAnswer::DominantLanguage(languages))) => languages
                .first()
                .filter(|l| l.score >= self.config.min_score)
                .map(|l| l.code.clone()),
            Ok(_) | Err(Unavailable::NotAsked) => return Verdict::Continue,
            Err(_) if self.config.on_service_error == OnStoreError::Closed => {
                return Verdict::deny(SERVICE_UNAVAILABLE);
            }
            Err(_) => return Verdict::Continue,
        };
        let Some(code) = top else {
            return Verdict::Continue;
        };
        message.set_language(code.clone());
        if !self.config.allow.is_empty() && !self.config.allow.contains(&code) {
            findings.report("language", 0..0);
            return Verdict::deny("language");
        }
        Verdict::Continue
    }
}
