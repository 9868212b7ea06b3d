//! Channel bans: CreateChannelBan (the member leaves the channel and cannot
//! come back until unbanned), DeleteChannelBan, ListChannelBans,
//! DescribeChannelBan. Only moderators and AppInstanceAdmins see or change
//! a channel's bans (a moderator can "add and remove user bans for the
//! channel", CreateChannelModerator's reference says).

use std::sync::Arc;

use serde_json::{Value, json};

use super::access::{bearer, channel, is_moderator};
use super::input::Input;
use super::paging::page;
use crate::error::ApiError;
use crate::ids;
use crate::shared::Shared;
use crate::state::{Ban, Channel, State};
use crate::wire::{compact, user_identity};

/// The channel of `input` if its bearer moderates it or administers its
/// app instance; Forbidden otherwise.
fn moderated<'s>(state: &'s State, input: &Input) -> Result<(&'s Channel, String), ApiError> {
    let user = bearer(state, input)?.arn.clone();
    let channel = channel(state, input.req("ChannelArn"))?;
    if !is_moderator(state, channel, &user) {
        return Err(ApiError::forbidden(
            "only a channel moderator or an AppInstanceAdmin can see or change bans",
        ));
    }
    Ok((channel, user))
}

/// CreateChannelBan: bans a user of the channel's app instance, member or
/// not; a member is removed from the channel (moderator role included).
/// A second ban of the same user is a ConflictException.
pub(super) fn create(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    let member = input.req("MemberArn");
    let answer = {
        let mut state = shared.state();
        let (channel, user) = moderated(&state, input)?;
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
            return Err(ApiError::conflict("MemberArn is already banned"));
        }
        let answer = json!({"ChannelArn": channel_arn, "Member": user_identity(&state, member)});
        if let Some(channel) = state.channels.get_mut(channel_arn) {
            channel.members.remove(member);
            channel.moderators.remove(member);
            channel.hidden.remove(member);
            let ban = Ban {
                created: ids::now(),
                created_by: user,
            };
            channel.bans.insert(member.to_owned(), ban);
        }
        answer
    };
    shared.changed();
    Ok(compact(answer))
}

/// DeleteChannelBan: lifts a ban; the user is not a member again until
/// CreateChannelMembership adds it.
pub(super) fn delete(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let member = input.req("MemberArn");
    {
        let mut state = shared.state();
        let (channel, _) = moderated(&state, input)?;
        if !channel.bans.contains_key(member) {
            return Err(ApiError::not_found("MemberArn is not banned"));
        }
        if let Some(channel) = state.channels.get_mut(input.req("ChannelArn")) {
            channel.bans.remove(member);
        }
    }
    shared.changed();
    Ok(Value::Null)
}

/// ListChannelBans: the banned users, by ARN, paged.
pub(super) fn list(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let (channel, _) = moderated(&state, input)?;
    let bans: Vec<Value> = channel
        .bans
        .keys()
        .map(|member| json!({"Member": user_identity(&state, member)}))
        .collect();
    let (bans, next) = page(bans, input)?;
    Ok(compact(json!({
        "ChannelArn": channel.arn,
        "ChannelBans": bans,
        "NextToken": next,
    })))
}

/// DescribeChannelBan: one ban; NotFound when the user is not banned.
pub(super) fn describe(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let (channel, _) = moderated(&state, input)?;
    let member = input.req("MemberArn");
    let ban = channel
        .bans
        .get(member)
        .ok_or_else(|| ApiError::not_found("MemberArn is not banned from the channel"))?;
    Ok(compact(json!({"ChannelBan": {
        "Member": user_identity(&state, member),
        "ChannelArn": channel.arn,
        "CreatedTimestamp": ban.created,
        "CreatedBy": user_identity(&state, &ban.created_by),
    }})))
}
