//! Channel flows: create, describe, update, delete, list, associate,
//! disassociate, and the channels associated with one. Flow APIs are
//! developer APIs (no bearer), except association, which needs an
//! AppInstanceAdmin or channel moderator as the bearer.

use std::sync::Arc;

use serde_json::{Value, json};

use super::access::{bearer, channel, is_moderator};
use super::input::Input;
use super::paging::page;
use crate::error::ApiError;
use crate::ids;
use crate::shared::Shared;
use crate::state::{Flow, State};
use crate::wire::compact;

fn flow<'s>(state: &'s State, arn: &str) -> Result<&'s Flow, ApiError> {
    state
        .flows
        .get(arn)
        .ok_or_else(|| ApiError::not_found("the channel flow does not exist"))
}

/// The service runs one processor per flow today (the API admits 1-3).
fn check_processors(processors: &Value) -> Result<(), ApiError> {
    if processors.as_array().map_or(0, Vec::len) != 1 {
        return Err(ApiError::bad_request(
            "Processors: channel flows support exactly one processor",
        ));
    }
    Ok(())
}

pub(super) fn create(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let app_instance = input.req("AppInstanceArn");
    let processors = input.value("Processors").cloned().unwrap_or_default();
    check_processors(&processors)?;
    let arn = {
        let mut state = shared.state();
        if !state.app_instances.contains_key(app_instance) {
            return Err(ApiError::not_found("the app instance does not exist"));
        }
        let token = format!("CreateChannelFlow||{}", input.req("ClientRequestToken"));
        if let Some(arn) = state.tokens.get(&token) {
            return Ok(json!({"ChannelFlowArn": arn}));
        }
        let arn = format!("{app_instance}/channel-flow/{}", ids::uuid());
        let now = ids::now();
        state.flows.insert(
            arn.clone(),
            Flow {
                arn: arn.clone(),
                app_instance_arn: app_instance.to_owned(),
                name: input.req("Name").to_owned(),
                processors,
                created: now,
                updated: now,
            },
        );
        state.tokens.insert(token, arn.clone());
        if let Some(tags) = input.value("Tags") {
            super::tags::set(&mut state, &arn, tags);
        }
        arn
    };
    shared.changed();
    Ok(json!({"ChannelFlowArn": arn}))
}

pub(super) fn describe(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let flow = flow(&state, input.req("ChannelFlowArn"))?;
    Ok(json!({"ChannelFlow": {
        "ChannelFlowArn": flow.arn,
        "Processors": flow.processors,
        "Name": flow.name,
        "CreatedTimestamp": flow.created,
        "LastUpdatedTimestamp": flow.updated,
    }}))
}

pub(super) fn update(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let processors = input.value("Processors").cloned().unwrap_or_default();
    check_processors(&processors)?;
    let arn = input.req("ChannelFlowArn");
    {
        let mut state = shared.state();
        let flow = state
            .flows
            .get_mut(arn)
            .ok_or_else(|| ApiError::not_found("the channel flow does not exist"))?;
        flow.processors = processors;
        flow.name = input.req("Name").to_owned();
        flow.updated = ids::now();
    }
    shared.changed();
    Ok(json!({"ChannelFlowArn": arn}))
}

pub(super) fn delete(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let arn = input.req("ChannelFlowArn");
    {
        let mut state = shared.state();
        flow(&state, arn)?;
        if state
            .channels
            .values()
            .any(|c| c.flow_arn.as_deref() == Some(arn))
        {
            return Err(ApiError::conflict(
                "the channel flow is associated with a channel: disassociate it first",
            ));
        }
        state.flows.remove(arn);
        state.tags.remove(arn);
    }
    shared.changed();
    Ok(Value::Null)
}

pub(super) fn list(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let app_instance = input.req("AppInstanceArn");
    if !state.app_instances.contains_key(app_instance) {
        return Err(ApiError::not_found("the app instance does not exist"));
    }
    let flows: Vec<Value> = state
        .flows
        .values()
        .filter(|f| f.app_instance_arn == app_instance)
        .map(|f| json!({"ChannelFlowArn": f.arn, "Name": f.name, "Processors": f.processors}))
        .collect();
    let (flows, next) = page(flows, input)?;
    Ok(compact(json!({"ChannelFlows": flows, "NextToken": next})))
}

pub(super) fn associate(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    let flow_arn = input.req("ChannelFlowArn");
    {
        let mut state = shared.state();
        let user = bearer(&state, input)?.arn.clone();
        let channel = channel(&state, channel_arn)?;
        let flow = flow(&state, flow_arn)?;
        if !is_moderator(&state, channel, &user) {
            return Err(ApiError::forbidden(
                "only an AppInstanceAdmin or a channel moderator can associate a channel flow",
            ));
        }
        if flow.app_instance_arn != channel.app_instance_arn {
            return Err(ApiError::bad_request(
                "the channel flow and the channel belong to different app instances",
            ));
        }
        if channel.flow_arn.is_some() {
            return Err(ApiError::conflict(
                "the channel already has a channel flow: disassociate it first",
            ));
        }
        if let Some(channel) = state.channels.get_mut(channel_arn) {
            channel.flow_arn = Some(flow_arn.to_owned());
            channel.updated = ids::now();
        }
    }
    shared.changed();
    Ok(Value::Null)
}

pub(super) fn disassociate(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    let flow_arn = input.req("ChannelFlowArn");
    {
        let mut state = shared.state();
        let user = bearer(&state, input)?.arn.clone();
        let channel = channel(&state, channel_arn)?;
        flow(&state, flow_arn)?;
        if !is_moderator(&state, channel, &user) {
            return Err(ApiError::forbidden(
                "only an AppInstanceAdmin or a channel moderator can disassociate a channel flow",
            ));
        }
        if channel.flow_arn.as_deref() != Some(flow_arn) {
            return Err(ApiError::not_found(
                "the channel flow is not associated with the channel",
            ));
        }
        if let Some(channel) = state.channels.get_mut(channel_arn) {
            channel.flow_arn = None;
            channel.updated = ids::now();
        }
    }
    shared.changed();
    Ok(Value::Null)
}

pub(super) fn list_channels(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let flow_arn = input.req("ChannelFlowArn");
    flow(&state, flow_arn)?;
    let channels: Vec<Value> = state
        .channels
        .values()
        .filter(|c| c.flow_arn.as_deref() == Some(flow_arn))
        .map(|c| {
            json!({"Name": c.name, "ChannelArn": c.arn, "Mode": c.mode,
                   "Privacy": c.privacy, "Metadata": c.metadata})
        })
        .collect();
    let (channels, next) = page(channels, input)?;
    Ok(compact(json!({"Channels": channels, "NextToken": next})))
}
