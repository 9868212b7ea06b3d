//! Identifiers and timestamps in the shapes the real service uses, so that
//! clients which parse or pattern-match them behave as against AWS.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

/// A random RFC 4122 version-4 UUID, lower-case and hyphenated (app instance
/// and channel-flow ids, request ids, callback ids).
pub fn uuid() -> String {
    let mut bytes: [u8; 16] = std::array::from_fn(|_| fastrand::u8(..));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `n` random lower-case hex digits (channel ids: 32; message ids: 64).
pub fn random_hex(n: usize) -> String {
    let bytes: Vec<u8> = (0..n.div_ceil(2)).map(|_| fastrand::u8(..)).collect();
    let mut text = hex(&bytes);
    text.truncate(n);
    text
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the epoch with millisecond precision, as rest-json carries
/// timestamps in bodies (`1732580353.123`).
pub fn now() -> f64 {
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    (elapsed.as_millis() as f64) / 1000.0
}

/// Milliseconds since the epoch (the Runtime API's deadline header).
pub fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
}

/// An epoch-seconds timestamp as ISO 8601 with milliseconds
/// (`2024-11-26T00:39:13.123Z`), the form used in the processor event.
pub fn iso8601(epoch_seconds: f64) -> String {
    let millis = (epoch_seconds * 1000.0).round() as i64;
    DateTime::from_millis(millis)
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

/// Parses an ISO 8601 timestamp (query strings carry them so) into epoch seconds.
pub fn parse_iso8601(text: &str) -> Option<f64> {
    let parsed = DateTime::from_str(text, Format::DateTime).ok()?;
    Some(parsed.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let id = uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_eq!(random_hex(32).len(), 32);
        assert_eq!(iso8601(1.5), "1970-01-01T00:00:01.5Z");
        assert_eq!(parse_iso8601("1970-01-01T00:00:02Z"), Some(2.0));
    }
}
