//! The `duplicate` rule: the same content from the same sender, again and
//! again, in one channel or across channels.

use std::time::Duration;

use chimeflow_core::{
    FactRequests, Findings, LogEntry, LogId, LogKind, Message, OptionError, Rule, RuleConfig,
    Subject, Verdict, duration_str,
};
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::rate_limit::check_window;
use crate::stateful::{OnStoreError, StatefulAction, distinct};

macro_rules! doc_text {
    () => {
        r#"duplicate: the same content from one sender more than max_repeats times within a window.

What it does
  Compares each message with the sender's earlier messages within
  `window`, after the profanity rule's normalisation (case, look-alike
  letters, diacritics, leetspeak, repeated letters, spacing and
  punctuation all fold; numbers of two or more digits still count), and
  fires when the same content was sent more than `max_repeats` times
  before: with max_repeats = 2, the fourth identical message is the first
  to fire. Denies (reason "duplicate") or, with action = "tag", adds a
  finding "duplicate". In one channel, or across every channel with
  across_channels = true (one spammer, many channels).

  The store never holds content: it keeps an HMAC-SHA256 of the
  normalised content under a secret key (16 hex digits of it), from
  `hash_key`, or the environment variable named by `hash_key_env`. Every
  processor instance must use the same key; the SAM template makes one.

Options
  max_repeats     = 2                     repeats allowed within the window
  window          = "1m"                  "500ms".."1d"
  across_channels = false                 count repeats in any channel
  action          = "deny"                "deny" or "tag"
  on_store_error  = "open"                "open" (do not fire) or "closed"
  hash_key_env    = "CHIMEFLOW_HASH_KEY"  environment variable holding the key
  hash_key        = (none)                the key itself (prefer hash_key_env)
  A key of at least 16 bytes is required: the rule refuses to start
  without one.

Example
  [[rules]]
  type = "duplicate"
  max_repeats = 2
  window = "5m"
  across_channels = true
  # For a try-out only; deployed, leave the key to CHIMEFLOW_HASH_KEY.
  hash_key = "not-a-secret-try-out-key"

Limitations
  Attachments are not compared (content only). Messages that differ only
  in a one-digit number ("in 3 min", "in 4 min") compare equal.
"#
    };
}

/// The shortest key accepted: a short key can be guessed, and with it the
/// hashes of short messages reversed.
pub const MIN_KEY_BYTES: usize = 16;

/// The default environment variable holding the key.
pub const HASH_KEY_ENV: &str = "CHIMEFLOW_HASH_KEY";

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DuplicateConfig {
    /// Repeats allowed within the window.
    pub max_repeats: u32,
    /// The sliding window.
    #[serde(with = "duration_str")]
    pub window: Duration,
    /// Count repeats in any channel.
    pub across_channels: bool,
    /// Deny or tag.
    pub action: StatefulAction,
    /// What to do without facts.
    pub on_store_error: OnStoreError,
    /// Environment variable holding the key.
    pub hash_key_env: String,
    /// The key itself.
    pub hash_key: Option<String>,
}

impl std::fmt::Debug for DuplicateConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DuplicateConfig")
            .field("max_repeats", &self.max_repeats)
            .field("window", &self.window)
            .field("across_channels", &self.across_channels)
            .field("action", &self.action)
            .field("on_store_error", &self.on_store_error)
            .field("hash_key_env", &self.hash_key_env)
            .finish_non_exhaustive()
    }
}

impl Default for DuplicateConfig {
    fn default() -> Self {
        Self {
            max_repeats: 2,
            window: Duration::from_secs(60),
            across_channels: false,
            action: StatefulAction::Deny,
            on_store_error: OnStoreError::Open,
            hash_key_env: HASH_KEY_ENV.into(),
            hash_key: None,
        }
    }
}

impl RuleConfig for DuplicateConfig {
    const TYPE: &'static str = "duplicate";
    const SUMMARY: &'static str = "The same content from one sender too often within a window, per channel or across (stateful).";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        check_window("window", self.window)?;
        let key = match &self.hash_key {
            Some(key) => key.clone(),
            None => std::env::var(&self.hash_key_env).unwrap_or_default(),
        };
        if key.is_empty() || key.len() < MIN_KEY_BYTES {
            return Err(OptionError::new(
                if self.hash_key.is_some() {
                    "hash_key"
                } else {
                    "hash_key_env"
                },
                if key.is_empty() {
                    format!(
                        "no key for the content hash: set the environment variable {} (a secret of at least {MIN_KEY_BYTES} bytes, the same for every processor instance) or hash_key",
                        self.hash_key_env
                    )
                } else {
                    format!("the key must be at least {MIN_KEY_BYTES} bytes")
                },
            ));
        }
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes())
            .map_err(|_| OptionError::new("hash_key", "unusable key"))?;
        Ok(Box::new(Duplicate { config: self, mac }))
    }
}

/// The built rule.
pub struct Duplicate {
    config: DuplicateConfig,
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Duplicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Duplicate")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Duplicate {
    fn log(&self, message: &Message<'_>) -> Option<LogId> {
        let sender = Subject::Sender(message.sender_arn()?.to_owned());
        Some(LogId::new(sender, LogKind::Messages, self.config.window))
    }

    /// 16 hex digits of the keyed hash of the comparison key.
    fn content_tag(&self, content: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(&crate::profanity::comparison_key(content));
        let digest = mac.finalize().into_bytes();
        digest[..8]
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

impl Rule for Duplicate {
    fn id(&self) -> &str {
        DuplicateConfig::TYPE
    }

    fn is_stateful(&self) -> bool {
        true
    }

    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        if let Some(log) = self.log(message) {
            requests.append(log, Some(self.content_tag(message.content())));
        }
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        let Some(log) = self.log(message) else {
            return Verdict::Continue;
        };
        let entries = match message.facts().log(&log) {
            Ok(entries) => entries,
            Err(why) => return self.config.on_store_error.verdict(why),
        };
        // This message's own entry holds the tag `gather` computed from the
        // content as received; computed again only if it is missing.
        let entries: Vec<&LogEntry> = entries.collect();
        let own = entries
            .iter()
            .find(|entry| entry.message_id == message.message_id() && !entry.content.is_empty());
        let tag = match own {
            Some(entry) => entry.content.clone(),
            None => self.content_tag(message.received().content.as_deref().unwrap_or("")),
        };
        let channel = (!self.config.across_channels)
            .then(|| message.channel_arn().map(LogEntry::channel_tag))
            .flatten();
        let sent = distinct(
            entries
                .into_iter()
                .filter(|entry| entry.content == tag)
                .filter(|entry| channel.as_ref().is_none_or(|c| entry.channel == *c))
                .map(|entry| entry.message_id.as_str()),
        );
        if sent > self.config.max_repeats as usize + 1 {
            self.config.action.fire("duplicate", findings)
        } else {
            Verdict::Continue
        }
    }
}
