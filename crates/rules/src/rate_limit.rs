//! The `rate-limit` rule: at most so many messages per sender, sender and
//! channel, or channel within a sliding window.

use std::time::Duration;

use chimeflow_core::{
    FactRequests, Findings, LogEntry, LogId, LogKind, Message, OptionError, Rule, RuleConfig,
    Subject, Verdict, duration_str,
};
use serde::Deserialize;

use crate::stateful::{OnStoreError, StatefulAction, distinct};

macro_rules! doc_text {
    () => {
        r#"rate-limit: at most max_messages per window, per sender, sender and channel, or channel.

What it does
  Counts the messages sent within the sliding window `per` before this one
  (this one included) and fires when there are more than `max_messages`:
  denies (reason "rate-limit") or, with action = "tag", lets the message
  through with a finding "rate-limit" for a later `tag` rule. Every
  message counts, denied ones too: a sender who keeps sending while
  limited stays limited. A message delivered again, or edited, counts once.
  scope:
    "sender"          one sender across all channels (the default)
    "sender-channel"  one sender in one channel
    "channel"         everyone in one channel (one record per channel: a
                      busy channel is a hot key, see docs/stateful-rules.md)
  The counts live in the store ([store] in the configuration): DynamoDB
  shared by every processor instance, or memory for one process.

Options
  max_messages   = 10         messages allowed within `per` (at least 1)
  per            = "10s"      the window: "500ms".."1d" ("10s", "1m", "1h")
  scope          = "sender"   "sender", "sender-channel" or "channel"
  action         = "deny"     "deny" or "tag"
  on_store_error = "open"     the store unavailable within the budget:
                              "open" (the rule does not fire) or "closed"
                              (deny, reason "store-unavailable")

Example
  [[rules]]
  type = "rate-limit"
  max_messages = 5
  per = "10s"
  scope = "sender-channel"

Limitations
  A message without a sender (or channel, for the channel scopes) is not
  counted. Counts are judged as of the message's CreatedTimestamp.
"#
    };
}

/// Whose messages are counted together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// One sender, all channels.
    #[default]
    Sender,
    /// One sender in one channel.
    SenderChannel,
    /// Everyone in one channel.
    Channel,
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Messages allowed within `per`.
    pub max_messages: u32,
    /// The sliding window.
    #[serde(with = "duration_str")]
    pub per: Duration,
    /// Whose messages are counted together.
    pub scope: Scope,
    /// Deny or tag.
    pub action: StatefulAction,
    /// What to do without facts.
    pub on_store_error: OnStoreError,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            max_messages: 10,
            per: Duration::from_secs(10),
            scope: Scope::Sender,
            action: StatefulAction::Deny,
            on_store_error: OnStoreError::Open,
        }
    }
}

/// The shortest and longest windows the stateful rules take.
pub(crate) const WINDOWS: (Duration, Duration) =
    (Duration::from_millis(500), Duration::from_secs(86_400));

/// Checks a window option against [`WINDOWS`].
pub(crate) fn check_window(key: &'static str, window: Duration) -> Result<(), OptionError> {
    if window < WINDOWS.0 || window > WINDOWS.1 {
        return Err(OptionError::new(
            key,
            "must be between \"500ms\" and \"1d\"",
        ));
    }
    Ok(())
}

impl RuleConfig for RateLimitConfig {
    const TYPE: &'static str = "rate-limit";
    const SUMMARY: &'static str =
        "At most max_messages per window, per sender, sender and channel, or channel (stateful).";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if self.max_messages == 0 {
            return Err(OptionError::new("max_messages", "must be at least 1"));
        }
        check_window("per", self.per)?;
        Ok(Box::new(RateLimit { config: self }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct RateLimit {
    config: RateLimitConfig,
}

impl RateLimit {
    /// The log this message counts in, when it has what the scope needs.
    fn log(&self, message: &Message<'_>) -> Option<LogId> {
        let subject = match self.config.scope {
            Scope::Sender => Subject::Sender(message.sender_arn()?.to_owned()),
            Scope::SenderChannel => {
                message.channel_arn()?;
                Subject::Sender(message.sender_arn()?.to_owned())
            }
            Scope::Channel => Subject::Channel(message.channel_arn()?.to_owned()),
        };
        Some(LogId::new(subject, LogKind::Messages, self.config.per))
    }
}

impl Rule for RateLimit {
    fn id(&self) -> &str {
        RateLimitConfig::TYPE
    }

    fn is_stateful(&self) -> bool {
        true
    }

    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        if let Some(log) = self.log(message) {
            requests.append(log, None);
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
        let channel = match self.config.scope {
            Scope::SenderChannel => message.channel_arn().map(LogEntry::channel_tag),
            _ => None,
        };
        let sent = distinct(
            entries
                .filter(|entry| channel.as_ref().is_none_or(|tag| entry.channel == *tag))
                .map(|entry| entry.message_id.as_str()),
        );
        if sent > self.config.max_messages as usize {
            self.config.action.fire("rate-limit", findings)
        } else {
            Verdict::Continue
        }
    }
}
