//! Channels: CreateChannel (the creator becomes a member and moderator),
//! DescribeChannel (with ChannelFlowArn), ListChannels, DeleteChannel;
//! memberships: CreateChannelMembership (refused for a banned user, see
//! `bans`), ListChannelMemberships, DeleteChannelMembership.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Value, json};

use super::access::{bearer, channel, is_admin, is_moderator, require_member};
use super::input::Input;
use super::paging::page;
use crate::error::ApiError;
use crate::ids;
use crate::shared::Shared;
use crate::state::{Channel, State};
use crate::wire::compact;
use crate::wire::user_identity;

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
                hidden: BTreeSet::new(),
                messages: Vec::new(),
                bans: BTreeMap::new(),
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
    require_reader(&state, channel, &user.arn, &user.app_instance_arn)?;
    Ok(compact(json!({"Channel": {
        "Name": channel.name,
        "ChannelArn": channel.arn,
        "Mode": channel.mode,
        "Privacy": channel.privacy,
        "Metadata": channel.metadata,
        "CreatedBy": user_identity(&state, &channel.created_by),
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
        if channel.bans.contains_key(member) {
            return Err(ApiError::forbidden(
                "MemberArn is banned from the channel (DeleteChannelBan lifts the ban)",
            ));
        }
        let answer = json!({"ChannelArn": channel_arn, "Member": user_identity(&state, member)});
        let hidden = input.str("Type") == Some("HIDDEN");
        if let Some(channel) = state.channels.get_mut(channel_arn) {
            channel.members.insert(member.to_owned());
            if hidden {
                channel.hidden.insert(member.to_owned());
            } else {
                channel.hidden.remove(member);
            }
        }
        answer
    };
    shared.changed();
    Ok(compact(answer))
}

/// Who may read a channel's details and members: anyone of its app instance
/// for a PUBLIC channel; members, moderators and admins for a PRIVATE one.
fn require_reader(
    state: &State,
    channel: &Channel,
    user: &str,
    user_app_instance: &str,
) -> Result<(), ApiError> {
    if channel.privacy == "PRIVATE" {
        require_member(state, channel, user)
    } else if user_app_instance != channel.app_instance_arn {
        Err(ApiError::forbidden(
            "the bearer belongs to another app instance",
        ))
    } else {
        Ok(())
    }
}

/// ListChannels: the PUBLIC channels of an app instance, or with
/// `Privacy=PRIVATE` (AppInstanceAdmins only) the private ones.
pub(super) fn list(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let user = bearer(&state, input)?;
    let app_instance = input.req("AppInstanceArn");
    if !state.app_instances.contains_key(app_instance) {
        return Err(ApiError::not_found("the app instance does not exist"));
    }
    if user.app_instance_arn != app_instance {
        return Err(ApiError::forbidden(
            "the bearer belongs to another app instance",
        ));
    }
    let privacy = input.str("Privacy").unwrap_or("PUBLIC");
    if privacy == "PRIVATE" && !is_admin(&state, app_instance, &user.arn) {
        return Err(ApiError::forbidden(
            "only an AppInstanceAdmin can list private channels",
        ));
    }
    let channels: Vec<Value> = state
        .channels
        .values()
        .filter(|c| c.app_instance_arn == app_instance && c.privacy == privacy)
        .map(|c| {
            json!({"Name": c.name, "ChannelArn": c.arn, "Mode": c.mode, "Privacy": c.privacy,
                   "Metadata": c.metadata, "LastMessageTimestamp": c.last_message})
        })
        .collect();
    let (channels, next) = page(channels, input)?;
    Ok(compact(json!({"Channels": channels, "NextToken": next})))
}

/// DeleteChannel: AppInstanceAdmins and moderators; the channel goes with
/// its memberships, messages and tags (an associated flow stays).
pub(super) fn delete(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    {
        let mut state = shared.state();
        let user = bearer(&state, input)?.arn.clone();
        let channel = channel(&state, channel_arn)?;
        if !is_moderator(&state, channel, &user) {
            return Err(ApiError::forbidden(
                "only an AppInstanceAdmin or a channel moderator can delete a channel",
            ));
        }
        state.channels.remove(channel_arn);
        state.tags.remove(channel_arn);
        state.callbacks.retain(|_, t| t.channel_arn != channel_arn);
    }
    shared.changed();
    Ok(Value::Null)
}

/// ListChannelMemberships: the DEFAULT members (the default), or the HIDDEN ones.
pub(super) fn list_memberships(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let user = bearer(&state, input)?;
    let channel_arn = input.req("ChannelArn");
    let channel = channel(&state, channel_arn)?;
    require_reader(&state, channel, &user.arn, &user.app_instance_arn)?;
    let hidden = input.str("Type") == Some("HIDDEN");
    let members: Vec<Value> = channel
        .members
        .iter()
        .filter(|m| channel.hidden.contains(*m) == hidden)
        .map(|m| json!({"Member": user_identity(&state, m)}))
        .collect();
    let (members, next) = page(members, input)?;
    Ok(compact(json!({
        "ChannelArn": channel_arn,
        "ChannelMemberships": members,
        "NextToken": next,
    })))
}

/// DeleteChannelMembership: moderators and admins remove anyone, members
/// themselves, and, in an UNRESTRICTED channel, other members.
pub(super) fn delete_membership(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    let member = input.req("MemberArn");
    {
        let mut state = shared.state();
        let user = bearer(&state, input)?.arn.clone();
        let channel = channel(&state, channel_arn)?;
        let allowed = is_moderator(&state, channel, &user)
            || user == member
            || (channel.mode == "UNRESTRICTED" && channel.members.contains(&user));
        if !allowed {
            return Err(ApiError::forbidden(
                "only moderators and admins remove members from a restricted channel; members from an unrestricted one",
            ));
        }
        if !channel.members.contains(member) {
            return Err(ApiError::not_found(
                "MemberArn is not a member of the channel",
            ));
        }
        if let Some(channel) = state.channels.get_mut(channel_arn) {
            channel.members.remove(member);
            channel.hidden.remove(member);
        }
    }
    shared.changed();
    Ok(Value::Null)
}
