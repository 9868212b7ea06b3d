//! Paging of list operations: `MaxResults` and `NextToken`.

use super::input::Input;
use crate::error::ApiError;

/// One page of `items`: `MaxResults` (default and at most 50) from the
/// offset in `NextToken`, and the token of the next page.
pub fn page<T>(items: Vec<T>, input: &Input) -> Result<(Vec<T>, Option<String>), ApiError> {
    let max = input.int("MaxResults").unwrap_or(50).clamp(1, 50) as usize;
    let start = match input.str("NextToken") {
        None | Some("") => 0,
        Some(token) => token
            .strip_prefix("cfe1-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(|| ApiError::bad_request("NextToken is not a token this service issued"))?,
    };
    let end = (start + max).min(items.len());
    let next = (end < items.len()).then(|| format!("cfe1-{end}"));
    let page = items.into_iter().skip(start).take(end - start).collect();
    Ok((page, next))
}
