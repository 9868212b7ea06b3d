//! chime-sdk-identity, AppInstanceUsers: DescribeAppInstanceUser,
//! ListAppInstanceUsers, DeleteAppInstanceUser (CreateAppInstanceUser is in
//! `identity.rs`). Developer APIs: no bearer; what does not exist is a
//! BadRequestException (none models NotFoundException).

use std::sync::Arc;

use serde_json::{Value, json};

use super::app_instances::app_instance;
use super::input::Input;
use super::paging::page;
use crate::error::ApiError;
use crate::shared::Shared;
use crate::state::{State, User};
use crate::wire::compact;

fn user<'s>(state: &'s State, arn: &str) -> Result<&'s User, ApiError> {
    state
        .users
        .get(arn)
        .ok_or_else(|| ApiError::bad_request("AppInstanceUserArn: the user does not exist"))
}

pub(super) fn describe(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let user = user(&state, input.req("AppInstanceUserArn"))?;
    Ok(compact(json!({"AppInstanceUser": {
        "AppInstanceUserArn": user.arn,
        "Name": user.name,
        "Metadata": user.metadata,
        "CreatedTimestamp": user.created,
        "LastUpdatedTimestamp": user.created,
    }})))
}

/// ListAppInstanceUsers: the users of one app instance, oldest first.
pub(super) fn list(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let arn = input.req("AppInstanceArn");
    app_instance(&state, arn)?;
    let mut users: Vec<&User> = state
        .users
        .values()
        .filter(|u| u.app_instance_arn == arn)
        .collect();
    users.sort_by(|a, b| a.created.total_cmp(&b.created).then(a.arn.cmp(&b.arn)));
    let summaries: Vec<Value> = users
        .into_iter()
        .map(|u| json!({"AppInstanceUserArn": u.arn, "Name": u.name, "Metadata": u.metadata}))
        .collect();
    let (summaries, next) = page(summaries, input)?;
    Ok(compact(json!({
        "AppInstanceArn": arn,
        "AppInstanceUsers": summaries,
        "NextToken": next,
    })))
}

/// DeleteAppInstanceUser: the user leaves its admin role and every channel
/// (member and moderator), and its bans are cleaned up, as AWS says of
/// CreateChannelBan; the messages it sent stay.
pub(super) fn delete(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let arn = input.req("AppInstanceUserArn");
    {
        let mut state = shared.state();
        user(&state, arn)?;
        state.users.remove(arn);
        for instance in state.app_instances.values_mut() {
            instance.admins.remove(arn);
        }
        for channel in state.channels.values_mut() {
            channel.members.remove(arn);
            channel.moderators.remove(arn);
            channel.hidden.remove(arn);
            channel.bans.remove(arn);
        }
    }
    shared.changed();
    Ok(Value::Null)
}
