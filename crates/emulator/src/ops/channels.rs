//! Channels: CreateChannel (the creator becomes a member and moderator),
//! DescribeChannel (with ChannelFlowArn), CreateChannelMembership.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};

use super::{Input, bearer, channel, compact, identity, is_moderator, require_member};
use crate::error::ApiError;
use crate::ids;
use crate::shared::Shared;
use crate::state::Channel;

fn arns(input: &Input, name: &str) -> Vec<String> {
    input
        .value(name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

pub(super) fn create(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let app_instance = input.req("AppInstanceArn");
    let arn = {
        let mut state = shared.state();
        let creator = bearer(&state, input)?.clone();
        if !state.app_instances.contains_key(app_instance) {
            return Err(ApiError::not_found("the app instance does not exist"));
        }
        if creator.app_instance_arn != app_instance {
            return Err(ApiError::forbidden(
                "the bearer belongs to another app instance",
            ));
        }
        let token = format!(
            "CreateChannel|{}|{}",
            creator.arn,
            input.req("ClientRequestToken")
        );
        if let Some(arn) = state.tokens.get(&token) {
            return Ok(json!({"ChannelArn": arn}));
        }
        let members = arns(input, "MemberArns");
        let moderators = arns(input, "ModeratorArns");
        for user in members.iter().chain(&moderators) {
            if state
                .users
                .get(user)
                .is_none_or(|u| u.app_instance_arn != app_instance)
            {
                return Err(ApiError::bad_request(
                    "MemberArns/ModeratorArns: not an AppInstanceUser of this app instance",
                ));
            }
        }
        let id = input
            .str("ChannelId")
            .map(str::to_owned)
            .unwrap_or_else(|| ids::random_hex(32));
        let arn = format!("{app_instance}/channel/{id}");
        if state.channels.contains_key(&arn) {
            return Err(ApiError::conflict("a channel with this ChannelId exists"));
        }
        let mut all_members: BTreeSet<String> = members.into_iter().collect();
        all_members.insert(creator.arn.clone());
        all_members.extend(moderators.iter().cloned());
        let mut all_moderators: BTreeSet<String> = moderators.into_iter().collect();
        all_moderators.insert(creator.arn.clone());
        let now = ids::now();
        state.channels.insert(
            arn.clone(),
            Channel {
                arn: arn.clone(),
                app_instance_arn: app_instance.to_owned(),
                name: input.req("Name").to_owned(),
                mode: input.str("Mode").unwrap_or("UNRESTRICTED").to_owned(),
                privacy: input.str("Privacy").unwrap_or("PUBLIC").to_owned(),
                metadata: input.str("Metadata").map(str::to_owned),
                created_by: creator.arn.clone(),
                created: now,
                updated: now,
                last_message: None,
                flow_arn: None,
                members: all_members,
                moderators: all_moderators,
                messages: Vec::new(),
            },
        );
        state.tokens.insert(token, arn.clone());
        if let Some(tags) = input.value("Tags") {
            super::tags::set(&mut state, &arn, tags);
        }
        arn
    };
    shared.changed();
    Ok(json!({"ChannelArn": arn}))
}

pub(super) fn describe(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let user = bearer(&state, input)?;
    let channel = channel(&state, input.req("ChannelArn"))?;
    if channel.privacy == "PRIVATE" {
        require_member(&state, channel, &user.arn)?;
    } else if user.app_instance_arn != channel.app_instance_arn {
        return Err(ApiError::forbidden(
            "the bearer belongs to another app instance",
        ));
    }
    Ok(compact(json!({"Channel": {
        "Name": channel.name,
        "ChannelArn": channel.arn,
        "Mode": channel.mode,
        "Privacy": channel.privacy,
        "Metadata": channel.metadata,
        "CreatedBy": identity(&state, &channel.created_by),
        "CreatedTimestamp": channel.created,
        "LastMessageTimestamp": channel.last_message,
        "LastUpdatedTimestamp": channel.updated,
        "ChannelFlowArn": channel.flow_arn,
    }})))
}

pub(super) fn create_membership(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    let member = input.req("MemberArn");
    let answer = {
        let mut state = shared.state();
        let user = bearer(&state, input)?.arn.clone();
        let channel = channel(&state, channel_arn)?;
        let allowed = is_moderator(&state, channel, &user)
            || (channel.mode == "UNRESTRICTED" && channel.members.contains(&user));
        if !allowed {
            return Err(ApiError::forbidden(
                "only moderators and admins add members to a restricted channel; members to an unrestricted one",
            ));
        }
        if state
            .users
            .get(member)
            .is_none_or(|u| u.app_instance_arn != channel.app_instance_arn)
        {
            return Err(ApiError::not_found(
                "MemberArn is not an AppInstanceUser of the channel's app instance",
            ));
        }
        let answer = json!({"ChannelArn": channel_arn, "Member": identity(&state, member)});
        if let Some(channel) = state.channels.get_mut(channel_arn) {
            channel.members.insert(member.to_owned());
        }
        answer
    };
    shared.changed();
    Ok(compact(answer))
}
