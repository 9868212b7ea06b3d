//! The `toxicity` rule: Amazon Comprehend's DetectToxicContent.

use std::collections::BTreeMap;

use chimeflow_core::{
    FactRequests, Findings, Message, OptionError, Rule, RuleConfig, ServiceAnswer, ServiceKind,
    ServiceRequest, Unavailable, Verdict,
};
use serde::Deserialize;

use super::segments::{MAX_SEGMENTS, split};
use super::{SERVICE_UNAVAILABLE, answer};
use crate::stateful::{OnStoreError, StatefulAction};

macro_rules! doc_text {
    () => {
        r#"toxicity: insults, threats, harassment and more, by Amazon Comprehend.

What it does
  Asks Comprehend's DetectToxicContent about the message, as the rules
  before it left it (what they redacted or masked is not sent), split into
  segments of at most 1 KB on sentence or word boundaries (at most 10: a
  longer text is checked up to 10 KB, with a note). Comprehend scores each
  segment overall (toxicity) and per label: PROFANITY, HATE_SPEECH,
  INSULT, GRAPHIC, HARASSMENT_OR_ABUSE, SEXUAL, VIOLENCE_OR_THREAT. A
  segment at or over `min_toxicity`, or a label at or over its threshold
  in `thresholds`, is a finding (category TOXICITY or the label) over the
  segment; then the message is denied (reason "toxicity") or, with
  action = "tag", let through with the findings.

  Comprehend's toxicity detection supports English only: a message a
  local language check reliably reads as another language is not sent
  (the outcome says so in a note). Messages shorter than `min_chars`
  characters and Lex replies are not sent either.

  The call is made while the store is read, within [comprehend] budget;
  without an answer in time (throttled, failed, too slow) the rule does
  not fire ("open", the default) or denies (reason
  "service-unavailable"). Cost: Comprehend bills 100-character units, at
  least 3 a request.

Options
  min_toxicity     = 0.8     overall score that fires (0-1; 1.01 = never)
  thresholds       = {}      per label, e.g. { INSULT = 0.7, SEXUAL = 0.9 }
  action           = "deny"  "deny" or "tag"
  min_chars        = 3       shorter messages are not sent
  on_service_error = "open"  "open" or "closed"

Example
  [[rules]]
  type = "toxicity"
  min_toxicity = 0.85
  thresholds = { HATE_SPEECH = 0.5, VIOLENCE_OR_THREAT = 0.5 }

Limitations
  English only (Comprehend's). Metadata and attributes are not sent.
"#
    };
}

/// The labels DetectToxicContent scores.
pub const LABELS: [&str; 7] = [
    "PROFANITY",
    "HATE_SPEECH",
    "INSULT",
    "GRAPHIC",
    "HARASSMENT_OR_ABUSE",
    "SEXUAL",
    "VIOLENCE_OR_THREAT",
];

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ToxicityConfig {
    /// The overall score that fires.
    pub min_toxicity: f32,
    /// Per-label thresholds.
    pub thresholds: BTreeMap<String, f32>,
    /// Deny or tag.
    pub action: StatefulAction,
    /// Shorter messages are not sent.
    pub min_chars: usize,
    /// Without an answer.
    pub on_service_error: OnStoreError,
}

impl Default for ToxicityConfig {
    fn default() -> Self {
        Self {
            min_toxicity: 0.8,
            thresholds: BTreeMap::new(),
            action: StatefulAction::Deny,
            min_chars: 3,
            on_service_error: OnStoreError::Open,
        }
    }
}

impl RuleConfig for ToxicityConfig {
    const TYPE: &'static str = "toxicity";
    const SUMMARY: &'static str =
        "Insults, threats, harassment and more, scored by Amazon Comprehend (DetectToxicContent).";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if !(0.0..=1.01).contains(&self.min_toxicity) {
            return Err(OptionError::new("min_toxicity", "must be between 0 and 1"));
        }
        for (label, score) in &self.thresholds {
            if !LABELS.contains(&label.as_str()) {
                return Err(OptionError::new(
                    "thresholds",
                    format!(
                        "{label} is not a label (expected one of {})",
                        LABELS.join(", ")
                    ),
                ));
            }
            if !(0.0..=1.0).contains(score) {
                return Err(OptionError::new("thresholds", "scores are between 0 and 1"));
            }
        }
        Ok(Box::new(Toxicity { config: self }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct Toxicity {
    config: ToxicityConfig,
}

/// Why a message is not sent.
enum Skip {
    Short,
    Lex,
    Language(&'static str),
}

impl Toxicity {
    fn skip(&self, message: &Message<'_>) -> Option<Skip> {
        let text = message.content();
        if message.is_lex() {
            return Some(Skip::Lex);
        }
        if text.chars().count() < self.config.min_chars {
            return Some(Skip::Short);
        }
        match whatlang::detect(text) {
            Some(info) if info.is_reliable() && info.lang() != whatlang::Lang::Eng => {
                Some(Skip::Language(info.lang().code()))
            }
            _ => None,
        }
    }
}

impl Rule for Toxicity {
    fn id(&self) -> &str {
        ToxicityConfig::TYPE
    }

    fn is_stateful(&self) -> bool {
        true
    }

    /// It asks Comprehend; it keeps nothing in the store.
    fn uses_store(&self) -> bool {
        false
    }

    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        if self.skip(message).is_some() {
            return;
        }
        let (segments, _) = split(message.content());
        requests.ask(ServiceRequest::Toxicity {
            segments: segments.into_iter().map(str::to_owned).collect(),
            language: "en".into(),
        });
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        let results = match answer(message, ServiceKind::Toxicity) {
            Ok((_, ServiceAnswer::Toxicity(results))) => results.clone(),
            Ok(_) => return Verdict::Continue,
            Err(Unavailable::NotAsked) => {
                if let Some(Skip::Language(code)) = self.skip(message) {
                    message.add_note(format!(
                        "toxicity: not checked, the language reads as {code} and Comprehend's toxicity detection supports en only"
                    ));
                }
                return Verdict::Continue;
            }
            Err(_) if self.config.on_service_error == OnStoreError::Closed => {
                return Verdict::deny(SERVICE_UNAVAILABLE);
            }
            Err(_) => return Verdict::Continue,
        };
        let content = message.content().to_owned();
        let (segments, cut) = split(&content);
        if cut {
            message.add_note(format!(
                "toxicity: only the first {MAX_SEGMENTS} segments (up to 10 KB) were checked"
            ));
        }
        let mut start = 0;
        let mut found = false;
        for (segment, result) in segments.iter().zip(&results) {
            let span = start..start + segment.len();
            start = span.end;
            if result.toxicity >= self.config.min_toxicity {
                findings.report("TOXICITY", span.clone());
                found = true;
            }
            for (label, score) in &result.labels {
                if let Some((name, _)) = self
                    .config
                    .thresholds
                    .get_key_value(label.as_str())
                    .filter(|(_, threshold)| score >= threshold)
                {
                    let category = LABELS
                        .iter()
                        .find(|known| **known == name.as_str())
                        .copied()
                        .unwrap_or("TOXICITY");
                    findings.report(category, span.clone());
                    found = true;
                }
            }
        }
        match (found, self.config.action) {
            (true, StatefulAction::Deny) => Verdict::deny("toxicity"),
            _ => Verdict::Continue,
        }
    }
}
