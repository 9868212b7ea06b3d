//! chime-sdk-identity: CreateAppInstance, CreateAppInstanceUser,
//! CreateAppInstanceAdmin (describe, list and delete: `app_instances.rs`,
//! `app_instance_users.rs`). The functions without `_op` are also the
//! in-process setup helpers of `RunningEmulator`. None of them models
//! NotFoundException: what does not exist is a BadRequestException.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};

use super::input::Input;
use crate::error::ApiError;
use crate::ids;
use crate::shared::Shared;
use crate::state::{AppInstance, User};

/// Creates an app instance; its ARN.
pub fn create_app_instance(shared: &Shared, name: &str, metadata: Option<String>) -> String {
    let arn = format!("{}app-instance/{}", shared.arn_prefix(), ids::uuid());
    shared.state().app_instances.insert(
        arn.clone(),
        AppInstance {
            arn: arn.clone(),
            name: name.to_owned(),
            metadata,
            created: ids::now(),
            admins: BTreeSet::new(),
        },
    );
    shared.changed();
    arn
}

/// Creates a user `user_id` in an app instance; its ARN.
pub fn create_app_instance_user(
    shared: &Shared,
    app_instance_arn: &str,
    user_id: &str,
    name: &str,
) -> Result<String, ApiError> {
    let arn = format!("{app_instance_arn}/user/{user_id}");
    {
        let mut state = shared.state();
        if !state.app_instances.contains_key(app_instance_arn) {
            return Err(ApiError::bad_request("the app instance does not exist"));
        }
        if state.users.contains_key(&arn) {
            return Err(ApiError::conflict("an AppInstanceUser with this id exists"));
        }
        state.users.insert(
            arn.clone(),
            User {
                arn: arn.clone(),
                app_instance_arn: app_instance_arn.to_owned(),
                name: name.to_owned(),
                metadata: None,
                created: ids::now(),
            },
        );
    }
    shared.changed();
    Ok(arn)
}

/// Makes a user of the app instance one of its AppInstanceAdmins.
pub fn create_app_instance_admin(
    shared: &Shared,
    app_instance_arn: &str,
    user_arn: &str,
) -> Result<(), ApiError> {
    {
        let mut state = shared.state();
        match state.users.get(user_arn) {
            None => return Err(ApiError::bad_request("the AppInstanceUser does not exist")),
            Some(user) if user.app_instance_arn != app_instance_arn => {
                return Err(ApiError::bad_request(
                    "the AppInstanceUser belongs to another app instance",
                ));
            }
            Some(_) => {}
        }
        let Some(instance) = state.app_instances.get_mut(app_instance_arn) else {
            return Err(ApiError::bad_request("the app instance does not exist"));
        };
        instance.admins.insert(user_arn.to_owned());
    }
    shared.changed();
    Ok(())
}

pub(super) fn create_app_instance_op(
    shared: &Arc<Shared>,
    input: &Input,
) -> Result<Value, ApiError> {
    let token = format!("CreateAppInstance||{}", input.req("ClientRequestToken"));
    let existing = shared.state().tokens.get(&token).cloned();
    let arn = match existing {
        Some(arn) => arn,
        None => {
            let arn = create_app_instance(
                shared,
                input.req("Name"),
                input.str("Metadata").map(str::to_owned),
            );
            let mut state = shared.state();
            state.tokens.insert(token, arn.clone());
            if let Some(tags) = input.value("Tags") {
                super::tags::set(&mut state, &arn, tags);
            }
            arn
        }
    };
    Ok(json!({"AppInstanceArn": arn}))
}

pub(super) fn create_app_instance_user_op(
    shared: &Arc<Shared>,
    input: &Input,
) -> Result<Value, ApiError> {
    let arn = create_app_instance_user(
        shared,
        input.req("AppInstanceArn"),
        input.req("AppInstanceUserId"),
        input.req("Name"),
    )?;
    if let Some(metadata) = input.str("Metadata") {
        if let Some(user) = shared.state().users.get_mut(&arn) {
            user.metadata = Some(metadata.to_owned());
        }
        shared.changed();
    }
    Ok(json!({"AppInstanceUserArn": arn}))
}

pub(super) fn create_app_instance_admin_op(
    shared: &Arc<Shared>,
    input: &Input,
) -> Result<Value, ApiError> {
    let app_instance = input.req("AppInstanceArn");
    let user = input.req("AppInstanceAdminArn");
    create_app_instance_admin(shared, app_instance, user)?;
    let state = shared.state();
    Ok(json!({
        "AppInstanceAdmin": crate::wire::user_identity(&state, user),
        "AppInstanceArn": app_instance,
    }))
}
