//! Durations in configuration files: `"500ms"`, `"10s"`, `"1m"`, `"2h"`, `"1d"`.

use std::time::Duration;

/// Parses a duration written with a unit: `ms`, `s`, `m`, `h` or `d`, after
/// a whole number (`"10s"`, `"1m"`, `"50ms"`). A unit is required: a bare
/// `10` in a configuration file is ambiguous.
///
/// ```
/// use std::time::Duration;
/// use chimeflow_core::parse_duration;
///
/// assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
/// assert_eq!(parse_duration("50ms"), Ok(Duration::from_millis(50)));
/// assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
/// assert!(parse_duration("10").is_err());
/// assert!(parse_duration("-1s").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let expected = || {
        format!(
            "{text:?} is not a duration (expected e.g. \"500ms\", \"10s\", \"1m\", \"2h\", \"1d\")"
        )
    };
    let value: u64 = number.parse().map_err(|_| expected())?;
    let millis_per = match unit.trim() {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(expected()),
    };
    value
        .checked_mul(millis_per)
        .map(Duration::from_millis)
        .ok_or_else(|| format!("{text:?} is too long a duration"))
}

/// Formats a duration the way [`parse_duration`] reads it, in the largest
/// unit that divides it (`10s`, `1m`, `1500ms`).
///
/// ```
/// use std::time::Duration;
/// use chimeflow_core::format_duration;
///
/// assert_eq!(format_duration(Duration::from_secs(600)), "10m");
/// assert_eq!(format_duration(Duration::from_millis(1500)), "1500ms");
/// ```
pub fn format_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    for (unit, per) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
    ] {
        if millis >= per && millis.is_multiple_of(per) {
            return format!("{}{unit}", millis / per);
        }
    }
    format!("{millis}ms")
}

/// Serde support for durations written as strings (`per = "10s"`): use with
/// `#[serde(with = "chimeflow_core::duration_str")]`.
pub mod duration_str {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    /// Reads `"10s"` and the like (see [`parse_duration`](crate::parse_duration)).
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::parse_duration(&text).map_err(serde::de::Error::custom)
    }

    /// Writes the form [`format_duration`](crate::format_duration) gives.
    pub fn serialize<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&crate::format_duration(*duration))
    }
}
