//! Who may do what: the bearer of a request, the channel it names, and the
//! membership, moderator and admin checks the operations share.

use super::input::Input;
use crate::error::ApiError;
use crate::state::{Channel, State, User};

/// The AppInstanceUser in `x-amz-chime-bearer`; Forbidden when it is not one.
pub fn bearer<'s>(state: &'s State, input: &Input) -> Result<&'s User, ApiError> {
    state.users.get(input.req("ChimeBearer")).ok_or_else(|| {
        ApiError::forbidden("the x-amz-chime-bearer is not an existing AppInstanceUser")
    })
}

/// The channel `arn`; NotFound when there is none.
pub fn channel<'s>(state: &'s State, arn: &str) -> Result<&'s Channel, ApiError> {
    state
        .channels
        .get(arn)
        .ok_or_else(|| ApiError::not_found("the channel does not exist"))
}

/// Whether `user` is an AppInstanceAdmin of `app_instance`.
pub fn is_admin(state: &State, app_instance: &str, user: &str) -> bool {
    state
        .app_instances
        .get(app_instance)
        .is_some_and(|a| a.admins.contains(user))
}

/// Whether `user` moderates `channel` or administers its app instance.
pub fn is_moderator(state: &State, channel: &Channel, user: &str) -> bool {
    channel.moderators.contains(user) || is_admin(state, &channel.app_instance_arn, user)
}

/// Members, moderators and admins may read and write a channel; a user
/// banned from it may not, whatever its role.
pub fn require_member(state: &State, channel: &Channel, user: &str) -> Result<(), ApiError> {
    if channel.bans.contains_key(user) {
        Err(ApiError::forbidden("the bearer is banned from the channel"))
    } else if channel.members.contains(user) || is_moderator(state, channel, user) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "the bearer is not a member of the channel",
        ))
    }
}

/// Who may read a channel's messages: on a PUBLIC channel any user of its
/// app instance (the model: for public channels "you don't need to be a
/// member to list messages"), on a PRIVATE one members, moderators and
/// admins.
pub fn require_reader(state: &State, channel: &Channel, user: &User) -> Result<(), ApiError> {
    if channel.privacy == "PUBLIC" {
        if user.app_instance_arn == channel.app_instance_arn {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "the bearer belongs to another app instance",
            ))
        }
    } else {
        require_member(state, channel, &user.arn)
    }
}
