//! The `[events]` section: moderation events sent to Amazon EventBridge.
//!
//! After the callback, the processor can tell the rest of a system what it
//! decided (a review queue for denied messages, a dashboard of what rules in
//! observe mode would do) with one EventBridge `PutEvents` call. Without the
//! section, and without `CHIMEFLOW_EVENT_BUS`, nothing is sent and no client
//! is built.

use std::time::Duration;

use chimeflow_core::Decision;
use serde::Deserialize;

/// The environment variable naming the event bus (a name or an ARN): it
/// overrides `[events] bus`, and turns events on with the defaults when the
/// configuration has no `[events]` section (the SAM template sets it).
pub const EVENT_BUS_ENV: &str = "CHIMEFLOW_EVENT_BUS";

/// The `[events]` section, as written:
///
/// ```toml
/// [events]
/// bus = "default"                  # a name or an ARN; CHIMEFLOW_EVENT_BUS overrides it
/// source = "chimeflow"
/// detail_type = "Chimeflow Moderation"
/// outcomes = ["DENY", "UPDATE"]    # which decisions send an event
/// observed = true                  # one event per observed rule's action too
/// include_content = false          # the message content only when true
/// budget = "1s"                    # the longest spent sending, never past the deadline
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventsSettings {
    /// The event bus: a name (`default`) or an event bus ARN.
    pub bus: String,
    /// Each event's `source` (rules match on it; `aws.` is reserved to AWS).
    pub source: String,
    /// Each event's `detail-type` (at most 128 characters).
    pub detail_type: String,
    /// The decisions that send an event.
    pub outcomes: Vec<Decision>,
    /// Whether each observed rule's would-be action sends an event too.
    pub observed: bool,
    /// Whether the message content (as received) goes into the event.
    /// Off unless asked for: an event bus is read by more than moderators.
    pub include_content: bool,
    /// The longest the invocation spends sending, after the callback.
    #[serde(with = "chimeflow_core::duration_str")]
    pub budget: Duration,
}

impl Default for EventsSettings {
    fn default() -> Self {
        Self {
            bus: "default".into(),
            source: "chimeflow".into(),
            detail_type: "Chimeflow Moderation".into(),
            outcomes: vec![Decision::Deny, Decision::Update],
            observed: true,
            include_content: false,
            budget: Duration::from_secs(1),
        }
    }
}

impl EventsSettings {
    /// Checks the values the types let through; on a problem, the key (as
    /// under `[events]`) and what is wrong (never the value).
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        check_bus(&self.bus).map_err(|problem| ("bus", problem))?;
        if self.source.trim().is_empty() || self.source.len() > 256 {
            return Err(("source", "must be 1 to 256 characters".into()));
        }
        if self.source.starts_with("aws.") {
            return Err((
                "source",
                "must not start with \"aws.\" (reserved for AWS services' events)".into(),
            ));
        }
        if self.detail_type.trim().is_empty() || self.detail_type.chars().count() > 128 {
            return Err(("detail_type", "must be 1 to 128 characters".into()));
        }
        if self.budget < Duration::from_millis(1) || self.budget > Duration::from_secs(30) {
            return Err(("budget", "must be between \"1ms\" and \"30s\"".into()));
        }
        Ok(())
    }

    /// Whether a decision sends an event.
    pub fn sends(&self, decision: Decision) -> bool {
        self.outcomes.contains(&decision)
    }

    /// What the processor sends, settled against `CHIMEFLOW_EVENT_BUS`:
    /// `section` is the configuration's `[events]` (if any). `None`: no
    /// events, no client.
    pub fn resolve_env(section: Option<&Self>) -> Result<Option<Self>, String> {
        Self::resolve(section, std::env::var(EVENT_BUS_ENV).ok().as_deref())
    }

    /// [`EventsSettings::resolve_env`] with the variable's value given (for
    /// tests). An empty value counts as unset.
    pub fn resolve(section: Option<&Self>, bus: Option<&str>) -> Result<Option<Self>, String> {
        let bus = bus.map(str::trim).filter(|b| !b.is_empty());
        let mut settings = match (section, bus) {
            (None, None) => return Ok(None),
            (Some(section), _) => section.clone(),
            (None, Some(_)) => Self::default(),
        };
        if let Some(bus) = bus {
            check_bus(bus).map_err(|problem| format!("{EVENT_BUS_ENV} {problem}"))?;
            settings.bus = bus.to_owned();
        }
        Ok(Some(settings))
    }
}

/// An event bus name or ARN as PutEvents' `EventBusName` takes it: 1 to
/// 1600 characters, `(arn:aws…:events:REGION:ACCOUNT:event-bus/)?NAME`
/// with NAME of letters, digits, `.`, `-` and `_`.
fn check_bus(bus: &str) -> Result<(), String> {
    const PROBLEM: &str = "must be an event bus name (letters, digits, . - _) or an event bus ARN";
    if bus.is_empty() || bus.len() > 1600 {
        return Err(PROBLEM.into());
    }
    let name = match bus.strip_prefix("arn:") {
        None => bus,
        Some(rest) => {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            let [partition, service, region, account, resource] = parts[..] else {
                return Err(PROBLEM.into());
            };
            let region_ok = region.split('-').count() >= 3
                && region
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !partition.starts_with("aws")
                || service != "events"
                || !region_ok
                || account.len() != 12
                || !account.chars().all(|c| c.is_ascii_digit())
            {
                return Err(PROBLEM.into());
            }
            resource.strip_prefix("event-bus/").ok_or(PROBLEM)?
        }
    };
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if name.is_empty() || !name.chars().all(valid) {
        return Err(PROBLEM.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bus_names_and_arns() {
        for good in [
            "default",
            "moderation.events_1-a",
            "arn:aws:events:us-east-1:111122223333:event-bus/moderation",
            "arn:aws-us-gov:events:us-gov-west-1:111122223333:event-bus/default",
        ] {
            assert_eq!(check_bus(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "has space",
            "a/b",
            "arn:aws:sqs:us-east-1:111122223333:queue",
            "arn:aws:events:us-east-1:1111:event-bus/x",
            "arn:aws:events:us-east-1:111122223333:rule/x",
            "arn:aws:events:us-east-1:111122223333:event-bus/",
        ] {
            assert!(check_bus(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_variable_turns_events_on_and_overrides_the_bus() {
        assert_eq!(EventsSettings::resolve(None, None), Ok(None));
        assert_eq!(EventsSettings::resolve(None, Some("  ")), Ok(None));
        let on = EventsSettings::resolve(None, Some("reviews"))
            .unwrap()
            .unwrap();
        assert_eq!(
            on,
            EventsSettings {
                bus: "reviews".into(),
                ..EventsSettings::default()
            }
        );
        let section = EventsSettings {
            include_content: true,
            ..EventsSettings::default()
        };
        let both = EventsSettings::resolve(Some(&section), Some("other"))
            .unwrap()
            .unwrap();
        assert_eq!((both.bus.as_str(), both.include_content), ("other", true));
        assert_eq!(
            EventsSettings::resolve(Some(&section), None).unwrap(),
            Some(section)
        );
        assert!(EventsSettings::resolve(None, Some("not a bus")).is_err());
    }
}
