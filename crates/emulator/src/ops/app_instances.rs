//! chime-sdk-identity, the AppInstance itself and its admins:
//! DescribeAppInstance, ListAppInstances, DeleteAppInstance (with everything
//! in it), ListAppInstanceAdmins, DeleteAppInstanceAdmin. Developer APIs: no
//! bearer. Like the create calls (`identity.rs`), none models
//! NotFoundException: what does not exist is a BadRequestException.

use std::sync::Arc;

use serde_json::{Value, json};

use super::input::Input;
use super::paging::page;
use crate::error::ApiError;
use crate::shared::Shared;
use crate::state::{AppInstance, State};
use crate::wire::compact;
use crate::wire::user_identity;

/// The app instance `arn`, or BadRequest naming the member.
pub(super) fn app_instance<'s>(state: &'s State, arn: &str) -> Result<&'s AppInstance, ApiError> {
    state
        .app_instances
        .get(arn)
        .ok_or_else(|| ApiError::bad_request("AppInstanceArn: the app instance does not exist"))
}

pub(super) fn describe(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let instance = app_instance(&state, input.req("AppInstanceArn"))?;
    Ok(compact(json!({"AppInstance": {
        "AppInstanceArn": instance.arn,
        "Name": instance.name,
        "Metadata": instance.metadata,
        "CreatedTimestamp": instance.created,
        "LastUpdatedTimestamp": instance.created,
    }})))
}

/// ListAppInstances: every app instance of the account, oldest first.
pub(super) fn list(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let mut instances: Vec<&AppInstance> = state.app_instances.values().collect();
    instances.sort_by(|a, b| a.created.total_cmp(&b.created).then(a.arn.cmp(&b.arn)));
    let summaries: Vec<Value> = instances
        .into_iter()
        .map(|a| json!({"AppInstanceArn": a.arn, "Name": a.name, "Metadata": a.metadata}))
        .collect();
    let (summaries, next) = page(summaries, input)?;
    Ok(compact(
        json!({"AppInstances": summaries, "NextToken": next}),
    ))
}

/// DeleteAppInstance: the app instance goes with everything in it: its
/// users, channel flows, channels (memberships, messages, pending
/// callbacks) and their tags.
pub(super) fn delete(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let arn = input.req("AppInstanceArn");
    {
        let mut state = shared.state();
        app_instance(&state, arn)?;
        state.app_instances.remove(arn);
        state.users.retain(|_, u| u.app_instance_arn != arn);
        state.flows.retain(|_, f| f.app_instance_arn != arn);
        state.channels.retain(|_, c| c.app_instance_arn != arn);
        let State {
            app_instances,
            flows,
            channels,
            tags,
            callbacks,
            ..
        } = &mut *state;
        tags.retain(|resource, _| {
            app_instances.contains_key(resource)
                || flows.contains_key(resource)
                || channels.contains_key(resource)
        });
        callbacks.retain(|_, target| channels.contains_key(&target.channel_arn));
    }
    shared.changed();
    Ok(Value::Null)
}

/// ListAppInstanceAdmins: `{"Admin": {"Arn","Name"}}` per admin.
pub(super) fn list_admins(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let arn = input.req("AppInstanceArn");
    let instance = app_instance(&state, arn)?;
    let admins: Vec<Value> = instance
        .admins
        .iter()
        .map(|user| json!({"Admin": user_identity(&state, user)}))
        .collect();
    let (admins, next) = page(admins, input)?;
    Ok(compact(json!({
        "AppInstanceArn": arn,
        "AppInstanceAdmins": admins,
        "NextToken": next,
    })))
}

/// DeleteAppInstanceAdmin: the user stays, without the admin's rights.
pub(super) fn delete_admin(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let arn = input.req("AppInstanceArn");
    let admin = input.req("AppInstanceAdminArn");
    {
        let mut state = shared.state();
        app_instance(&state, arn)?;
        let removed = state
            .app_instances
            .get_mut(arn)
            .is_some_and(|instance| instance.admins.remove(admin));
        if !removed {
            return Err(ApiError::bad_request(
                "AppInstanceAdminArn: not an AppInstanceAdmin of this app instance",
            ));
        }
    }
    shared.changed();
    Ok(Value::Null)
}
