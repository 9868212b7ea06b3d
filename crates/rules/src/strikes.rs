//! The `strikes` rule: repeat offenders, escalating from a tag to a timeout
//! to a channel ban.

use std::time::Duration;

use chimeflow_core::{
    Effect, FactRequests, Findings, LogId, LogKind, Message, OptionError, Rule, RuleConfig,
    Subject, Verdict, duration_str, limits,
};
use serde::Deserialize;

use crate::rate_limit::check_window;
use crate::stateful::{OnStoreError, distinct};

macro_rules! doc_text {
    () => {
        r#"strikes: count findings against the sender, then tag, time out, or ban.

What it does
  A message in which a rule before this one found something named in
  `rules` (rule ids) or `categories` is a strike against its sender.
  Strikes count within `window` (older ones decay), and escalate:
  - from `tag_at` strikes: a finding "strike" (for a later `tag` rule);
  - from `timeout_at`: the message is denied (reason "timeout") and so is
    every message of the sender for `timeout` after it (a timeout);
  - from `ban_at` (off unless set, with `ban_bearer`): the sender is also
    banned from the channel through CreateChannelBan, made as
    `ban_bearer`, a moderator (an AppInstanceUser or AppInstanceBot ARN
    that moderates the channel; the processor needs chime:CreateChannelBan).
  Place it after the rules whose findings count. A rule that denies ends
  the run, so strikes never sees its findings: count rules that mask or
  tag (profanity's default action masks). A message delivered
  again counts once. While timed out, a sender's messages are denied
  before any strike is counted.

Options
  rules          = ["profanity"]  rule ids whose findings are strikes
  categories     = []             finding categories that are strikes
  window         = "1h"           how long a strike counts ("500ms".."1d")
  tag_at         = 1              strikes from which to tag (0 = never)
  timeout_at     = 3              strikes from which to time out (0 = never)
  timeout        = "10m"          how long a timeout lasts ("500ms".."1d")
  ban_at         = 0              strikes from which to ban (0 = never)
  ban_bearer     = (none)         the moderator ARN bans are made as
  on_store_error = "open"         "open" (count nothing, time out no one)
                                  or "closed" (deny, "store-unavailable")

Example
  [[rules]]
  type = "strikes"
  rules = ["profanity", "pii"]
  window = "1h"
  timeout_at = 3
  timeout = "10m"
  ban_at = 5
  ban_bearer = "arn:aws:chime:us-east-1:111122223333:app-instance/abc/bot/moderator"

Limitations
  A message without a sender is never a strike. A ban needs the channel
  ARN in the event and a bearer that moderates the channel; one that fails
  is logged and counted, and the timeout still holds; each later strike
  at or past ban_at asks again. The timeout is one end time per sender:
  a later timeout replaces an earlier one.
"#
    };
}

/// The stored number: when the sender's timeout ends, Unix milliseconds.
pub const TIMEOUT_UNTIL: &str = "timeout_until";

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StrikesConfig {
    /// Rule ids whose findings are strikes.
    pub rules: Vec<String>,
    /// Finding categories that are strikes.
    pub categories: Vec<String>,
    /// How long a strike counts.
    #[serde(with = "duration_str")]
    pub window: Duration,
    /// Strikes from which to tag.
    pub tag_at: u32,
    /// Strikes from which to time out.
    pub timeout_at: u32,
    /// How long a timeout lasts.
    #[serde(with = "duration_str")]
    pub timeout: Duration,
    /// Strikes from which to ban.
    pub ban_at: u32,
    /// The moderator bans are made as.
    pub ban_bearer: Option<String>,
    /// What to do without facts.
    pub on_store_error: OnStoreError,
}

impl Default for StrikesConfig {
    fn default() -> Self {
        Self {
            rules: vec!["profanity".into()],
            categories: Vec::new(),
            window: Duration::from_secs(3600),
            tag_at: 1,
            timeout_at: 3,
            timeout: Duration::from_secs(600),
            ban_at: 0,
            ban_bearer: None,
            on_store_error: OnStoreError::Open,
        }
    }
}

impl RuleConfig for StrikesConfig {
    const TYPE: &'static str = "strikes";
    const SUMMARY: &'static str =
        "Findings count against the sender: tag, then a timeout, then a channel ban (stateful).";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if self.rules.is_empty() && self.categories.is_empty() {
            return Err(OptionError::new(
                "rules",
                "name at least one rule id (or a category in categories)",
            ));
        }
        check_window("window", self.window)?;
        check_window("timeout", self.timeout)?;
        match (&self.ban_bearer, self.ban_at) {
            (None, 1..) => {
                return Err(OptionError::new(
                    "ban_bearer",
                    "ban_at is set: name the moderator ARN bans are made as",
                ));
            }
            (Some(bearer), _) if !limits::is_valid_chime_arn(bearer) => {
                return Err(OptionError::new(
                    "ban_bearer",
                    "must be an AppInstanceUser or AppInstanceBot ARN",
                ));
            }
            _ => {}
        }
        Ok(Box::new(Strikes { config: self }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct Strikes {
    config: StrikesConfig,
}

impl Strikes {
    fn sender(message: &Message<'_>) -> Option<Subject> {
        Some(Subject::Sender(message.sender_arn()?.to_owned()))
    }

    fn log(&self, sender: Subject) -> LogId {
        LogId::new(sender, LogKind::Strikes, self.config.window)
    }

    /// Whether a rule before this one found something that is a strike.
    fn is_strike(&self, findings: &Findings) -> bool {
        findings.as_slice().iter().any(|finding| {
            self.config.rules.iter().any(|id| **id == *finding.rule)
                || self
                    .config
                    .categories
                    .iter()
                    .any(|c| **c == *finding.category)
        })
    }

    fn reached(at: u32, strikes: usize) -> bool {
        at > 0 && strikes >= at as usize
    }
}

impl Rule for Strikes {
    fn id(&self) -> &str {
        StrikesConfig::TYPE
    }

    fn is_stateful(&self) -> bool {
        true
    }

    fn gather(&self, message: &Message<'_>, requests: &mut FactRequests) {
        if let Some(sender) = Self::sender(message) {
            requests.read(self.log(sender.clone()));
            requests.read_number(sender.clone(), TIMEOUT_UNTIL);
            requests.keep(sender, self.config.timeout);
        }
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        let Some(sender) = Self::sender(message) else {
            return Verdict::Continue;
        };
        let facts = message.facts();
        let at_ms = facts.at_ms();
        let timeout_until = match facts.number(&sender, TIMEOUT_UNTIL) {
            Ok(until) => until,
            Err(why) => {
                // Without facts the strike is still recorded (the store may
                // be back by then), but nothing escalates.
                if self.is_strike(findings) {
                    message.add_effect(Effect::Append {
                        log: self.log(sender),
                    });
                }
                return self.config.on_store_error.verdict(why);
            }
        };
        if timeout_until.is_some_and(|until| until > at_ms as i64) {
            findings.report("timeout", 0..0);
            return Verdict::deny("timeout");
        }
        if !self.is_strike(findings) {
            return Verdict::Continue;
        }
        let log = self.log(sender.clone());
        let earlier = match facts.log(&log) {
            Ok(entries) => distinct(
                entries
                    .map(|entry| entry.message_id.as_str())
                    .filter(|id| *id != message.message_id()),
            ),
            Err(why) => return self.config.on_store_error.verdict(why),
        };
        let strikes = earlier + 1;
        message.add_effect(Effect::Append { log });
        if Self::reached(self.config.ban_at, strikes)
            && let (Some(bearer), Some(channel), Subject::Sender(member)) =
                (&self.config.ban_bearer, message.channel_arn(), &sender)
        {
            message.add_effect(Effect::Ban {
                channel_arn: channel.to_owned(),
                member_arn: member.clone(),
                bearer_arn: bearer.clone(),
            });
            findings.report("ban", 0..0);
        }
        if Self::reached(self.config.timeout_at, strikes) {
            let timeout = i64::try_from(self.config.timeout.as_millis()).unwrap_or(i64::MAX);
            message.add_effect(Effect::SetNumber {
                subject: sender,
                name: TIMEOUT_UNTIL.into(),
                value: (at_ms as i64).saturating_add(timeout),
                keep: self.config.timeout,
            });
            findings.report("timeout", 0..0);
            return Verdict::deny("timeout");
        }
        if Self::reached(self.config.tag_at, strikes) {
            findings.report("strike", 0..0);
        }
        Verdict::Continue
    }
}
