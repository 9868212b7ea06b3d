//! TagResource, UntagResource, ListTagsForResource, for channels, channel
//! flows and app instances.

use std::sync::Arc;

use serde_json::{Value, json};

use super::input::Input;
use crate::error::ApiError;
use crate::shared::Shared;
use crate::state::State;

fn exists(state: &State, arn: &str) -> bool {
    state.channels.contains_key(arn)
        || state.flows.contains_key(arn)
        || state.app_instances.contains_key(arn)
}

/// Adds or replaces the tags in `tags` (`[{"Key","Value"}]`) on `arn`.
pub fn set(state: &mut State, arn: &str, tags: &Value) {
    set_list(state.tags.entry(arn.to_owned()).or_default(), Some(tags));
}

pub(super) fn tag(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    {
        let mut state = shared.state();
        let arn = input.req("ResourceARN");
        if !exists(&state, arn) {
            return Err(ApiError::not_found("the resource does not exist"));
        }
        let mut merged = state.tags.get(arn).cloned().unwrap_or_default();
        set_list(&mut merged, input.value("Tags"));
        if merged.len() > 50 {
            return Err(ApiError::bad_request(
                "Tags: a resource holds at most 50 tags",
            ));
        }
        state.tags.insert(arn.to_owned(), merged);
    }
    shared.changed();
    Ok(Value::Null)
}

fn set_list(list: &mut Vec<(String, String)>, tags: Option<&Value>) {
    for tag in tags.and_then(Value::as_array).into_iter().flatten() {
        if let (Some(key), Some(value)) = (tag["Key"].as_str(), tag["Value"].as_str()) {
            list.retain(|(k, _)| k != key);
            list.push((key.to_owned(), value.to_owned()));
        }
    }
}

pub(super) fn untag(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    {
        let mut state = shared.state();
        let arn = input.req("ResourceARN");
        if !exists(&state, arn) {
            return Err(ApiError::not_found("the resource does not exist"));
        }
        let keys: Vec<&str> = input
            .value("TagKeys")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if let Some(list) = state.tags.get_mut(arn) {
            list.retain(|(k, _)| !keys.contains(&k.as_str()));
        }
    }
    shared.changed();
    Ok(Value::Null)
}

pub(super) fn list(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let arn = input.req("ResourceARN");
    if !exists(&state, arn) {
        return Err(ApiError::not_found("the resource does not exist"));
    }
    let tags: Vec<Value> = state
        .tags
        .get(arn)
        .into_iter()
        .flatten()
        .map(|(k, v)| json!({"Key": k, "Value": v}))
        .collect();
    Ok(json!({"Tags": tags}))
}
