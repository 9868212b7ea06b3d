//! Paging of list operations: `MaxResults` and `NextToken`.
//!
//! A token holds the offset of the next page and a fingerprint of the
//! listing it belongs to: the operation and every input member but
//! `NextToken` and `MaxResults` (the channel, app instance, bearer,
//! filters, sort order). A token is only accepted by the listing that
//! issued it: one from ListChannelMemberships, from another channel or
//! for another bearer is a BadRequestException, as a token the service
//! did not issue for this request is.

use super::input::Input;
use crate::error::ApiError;

/// The version prefix of the tokens made here.
const PREFIX: &str = "cfe2";

/// One page of `items`: `MaxResults` (default and at most 50) from the
/// offset in `NextToken`, and the token of the next page.
pub fn page<T>(items: Vec<T>, input: &Input) -> Result<(Vec<T>, Option<String>), ApiError> {
    let max = input.int("MaxResults").unwrap_or(50).clamp(1, 50) as usize;
    let listing = fingerprint(input);
    let start = match input.str("NextToken") {
        None | Some("") => 0,
        Some(token) => offset(token, listing)
            .filter(|n| *n <= items.len())
            .ok_or_else(|| {
                ApiError::bad_request(
                    "NextToken is not a token this service issued for this request",
                )
            })?,
    };
    let end = (start + max).min(items.len());
    let next = (end < items.len()).then(|| format!("{PREFIX}-{end}-{listing:016x}"));
    let page = items.into_iter().skip(start).take(end - start).collect();
    Ok((page, next))
}

/// The offset in `token` if it was issued for the listing `listing`.
fn offset(token: &str, listing: u64) -> Option<usize> {
    let mut parts = token.split('-');
    let (Some(PREFIX), Some(offset), Some(issued_for), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let issued_for = u64::from_str_radix(issued_for, 16).ok()?;
    if issued_for != listing {
        return None;
    }
    offset.parse().ok()
}

/// The listing `input` asks for: its operation and members other than
/// `NextToken` and `MaxResults`, in name order, hashed with FNV-1a (stable
/// across runs, so a snapshot restart keeps tokens valid).
fn fingerprint(input: &Input) -> u64 {
    let mut members: Vec<(&String, &serde_json::Value)> = input
        .members()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "NextToken" | "MaxResults"))
        .collect();
    members.sort_by(|a, b| a.0.cmp(b.0));
    let mut text = input.operation().to_owned();
    for (name, value) in members {
        text.push('\n');
        text.push_str(name);
        text.push('=');
        text.push_str(&value.to_string());
    }
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value, json};

    fn input(operation: &str, members: Value, token: Option<&str>) -> Input {
        let mut members: Map<String, Value> = members.as_object().unwrap().clone();
        members.insert("MaxResults".into(), json!(2));
        if let Some(token) = token {
            members.insert("NextToken".into(), json!(token));
        }
        Input::new(operation, members)
    }

    #[test]
    fn a_token_pages_its_own_listing_only() {
        let items: Vec<u32> = (0..5).collect();
        let channel_a = json!({"ChannelArn": "a", "ChimeBearer": "u"});
        let first = input("ListChannelMessages", channel_a.clone(), None);
        let (page1, token) = page(items.clone(), &first).unwrap();
        assert_eq!(page1, [0, 1]);
        let token = token.unwrap();
        let second = input("ListChannelMessages", channel_a.clone(), Some(&token));
        let (page2, _) = page(items.clone(), &second).unwrap();
        assert_eq!(page2, [2, 3]);
        for other in [
            input("ListChannelMemberships", channel_a, Some(&token)),
            input(
                "ListChannelMessages",
                json!({"ChannelArn": "b", "ChimeBearer": "u"}),
                Some(&token),
            ),
            input(
                "ListChannelMessages",
                json!({"ChannelArn": "a", "ChimeBearer": "someone else"}),
                Some(&token),
            ),
        ] {
            let refused = page(items.clone(), &other).unwrap_err();
            assert_eq!(
                refused.error_type,
                "BadRequestException",
                "{}",
                other.operation()
            );
            assert!(!refused.message.contains(&token), "the token is not echoed");
        }
        let old_style = input(
            "ListChannelMessages",
            json!({"ChannelArn": "a"}),
            Some("cfe1-2"),
        );
        assert!(page(items, &old_style).is_err());
    }
}
