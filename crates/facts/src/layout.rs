//! How logs are laid out in a subject's record.
//!
//! A log of window W is kept in buckets of W: the entries of the messages
//! sent in bucket `b` (= time / W) are a string set named
//! `{kind}_{W}_{b}`, e.g. `messages_10s_173264000`. The entries within W
//! before a message are all in its bucket and the one before, so a message
//! adds its entry to its bucket and reads the two. Older buckets are
//! removed: the two before those in the same call, any older left behind
//! (a sender quiet for a while) in the call after the decision. Removing
//! whole attributes keeps the call small and needs no read first.

use std::time::Duration;

use chimeflow_core::{LogKind, format_duration, parse_duration};

/// The attribute holding `kind`'s entries over `window` for bucket `bucket`.
pub(crate) fn attribute(kind: LogKind, window: Duration, bucket: u64) -> String {
    format!("{}_{}_{bucket}", kind.as_str(), format_duration(window))
}

/// The bucket of a time, for a window.
pub(crate) fn bucket(at_ms: u64, window: Duration) -> u64 {
    at_ms / window_ms(window)
}

/// The window in milliseconds (at least 1).
pub(crate) fn window_ms(window: Duration) -> u64 {
    u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// Whether `attribute` is a log bucket wholly older than one window before
/// `at_ms`: nothing in it can count again. Attributes that are not log
/// buckets are never stale (numbers, the key, the TTL).
pub(crate) fn is_stale(attribute: &str, at_ms: u64) -> bool {
    let mut parts = attribute.rsplitn(3, '_');
    let (Some(bucket), Some(window), Some(kind)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if kind != LogKind::Messages.as_str() && kind != LogKind::Strikes.as_str() {
        return false;
    }
    let (Ok(bucket), Ok(window)) = (bucket.parse::<u64>(), parse_duration(window)) else {
        return false;
    };
    bucket.saturating_add(2).saturating_mul(window_ms(window)) <= at_ms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_say_what_they_hold() {
        let window = Duration::from_secs(10);
        assert_eq!(attribute(LogKind::Messages, window, 7), "messages_10s_7");
        assert_eq!(bucket(79_999, window), 7);
    }

    #[test]
    fn only_buckets_older_than_a_window_are_stale() {
        // At 80 s (bucket 8 of 10 s): bucket 7 still holds entries within
        // 10 s; bucket 6 ends at 70 s, exactly a window before.
        assert!(!is_stale("messages_10s_8", 80_000));
        assert!(!is_stale("messages_10s_7", 80_000));
        assert!(is_stale("messages_10s_6", 80_000));
        assert!(is_stale("strikes_1h_0", 7_200_000));
        assert!(!is_stale("timeout_until", u64::MAX));
        assert!(!is_stale("expires", u64::MAX));
        assert!(!is_stale("other_10s_1", u64::MAX));
    }
}
