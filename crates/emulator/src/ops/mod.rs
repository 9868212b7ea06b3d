//! The implemented operations, one file per area, and the dispatch from an
//! operation name to its implementation. What the operations share sits in
//! files below them (`input`, `access`, `paging`, and `crate::wire`), never
//! here: an operation file imports nothing from this dispatcher.

mod access;
mod app_instance_users;
mod app_instances;
mod bans;
mod callback;
mod channels;
mod flows;
pub mod identity;
mod input;
mod messages;
mod paging;
mod tags;

use std::sync::Arc;

use serde_json::{Map, Value};

use self::input::Input;
use crate::error::ApiError;
use crate::shared::Shared;

/// Runs operation `name` with a validated input; the JSON body to answer,
/// or an error the operation models (see [`modelled`]).
pub fn call(
    shared: &Arc<Shared>,
    name: &str,
    input: Map<String, Value>,
) -> Result<Value, ApiError> {
    run(shared, name, input).map_err(|error| modelled(name, error))
}

fn run(shared: &Arc<Shared>, name: &str, input: Map<String, Value>) -> Result<Value, ApiError> {
    let input = Input::new(name, input);
    match name {
        "CreateAppInstance" => identity::create_app_instance_op(shared, &input),
        "CreateAppInstanceUser" => identity::create_app_instance_user_op(shared, &input),
        "CreateAppInstanceAdmin" => identity::create_app_instance_admin_op(shared, &input),
        "DescribeAppInstance" => app_instances::describe(shared, &input),
        "ListAppInstances" => app_instances::list(shared, &input),
        "DeleteAppInstance" => app_instances::delete(shared, &input),
        "ListAppInstanceAdmins" => app_instances::list_admins(shared, &input),
        "DeleteAppInstanceAdmin" => app_instances::delete_admin(shared, &input),
        "DescribeAppInstanceUser" => app_instance_users::describe(shared, &input),
        "ListAppInstanceUsers" => app_instance_users::list(shared, &input),
        "DeleteAppInstanceUser" => app_instance_users::delete(shared, &input),
        "CreateChannelFlow" => flows::create(shared, &input),
        "DescribeChannelFlow" => flows::describe(shared, &input),
        "UpdateChannelFlow" => flows::update(shared, &input),
        "DeleteChannelFlow" => flows::delete(shared, &input),
        "ListChannelFlows" => flows::list(shared, &input),
        "AssociateChannelFlow" => flows::associate(shared, &input),
        "DisassociateChannelFlow" => flows::disassociate(shared, &input),
        "ListChannelsAssociatedWithChannelFlow" => flows::list_channels(shared, &input),
        "CreateChannel" => channels::create(shared, &input),
        "DescribeChannel" => channels::describe(shared, &input),
        "ListChannels" => channels::list(shared, &input),
        "DeleteChannel" => channels::delete(shared, &input),
        "CreateChannelMembership" => channels::create_membership(shared, &input),
        "ListChannelMemberships" => channels::list_memberships(shared, &input),
        "DeleteChannelMembership" => channels::delete_membership(shared, &input),
        "CreateChannelBan" => bans::create(shared, &input),
        "DeleteChannelBan" => bans::delete(shared, &input),
        "ListChannelBans" => bans::list(shared, &input),
        "DescribeChannelBan" => bans::describe(shared, &input),
        "SendChannelMessage" => messages::send(shared, &input),
        "UpdateChannelMessage" => messages::update(shared, &input),
        "GetChannelMessage" => messages::get(shared, &input),
        "ListChannelMessages" => messages::list(shared, &input),
        "RedactChannelMessage" => messages::redact(shared, &input),
        "DeleteChannelMessage" => messages::delete(shared, &input),
        "GetChannelMessageStatus" => messages::status_op(shared, &input),
        "ChannelFlowCallback" => callback::callback(shared, &input),
        "TagResource" => tags::tag(shared, &input),
        "UntagResource" => tags::untag(shared, &input),
        "ListTagsForResource" => tags::list(shared, &input),
        other => Err(ApiError::not_implemented(other)),
    }
}

/// `error` as operation `name` may answer it. SDKs know only the errors an
/// operation models (the Rust SDK turns any other code into an unhandled
/// error), and most operations model no NotFoundException: for those, a
/// resource that does not exist is a BadRequestException with the same
/// message. The model's documentation of BadRequestException ("the input
/// parameters don't match the service's restrictions") covers an ARN naming
/// nothing; ForbiddenException would claim a missing permission instead.
/// (The few operations without BadRequest get Forbidden, else
/// ServiceFailure.) The emulator's own 501 for an unimplemented operation
/// passes unchanged.
pub fn modelled(name: &str, error: ApiError) -> ApiError {
    if error.status == 501 {
        return error;
    }
    let Some(op) = crate::model::models().operation(name) else {
        return error;
    };
    let models = |error_type: &str| op.errors.iter().any(|e| e == error_type);
    if models(error.error_type) {
        error
    } else if models("BadRequestException") {
        ApiError::bad_request(error.message)
    } else if models("ForbiddenException") {
        ApiError::forbidden(error.message)
    } else {
        ApiError::service_failure()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `errors` of operation `name`, read from the vendored model text
    /// itself (not through `crate::model`, which `modelled` uses).
    fn model_errors(name: &str) -> Vec<String> {
        for text in [
            include_str!("../../model/chime-sdk-messaging-2021-05-15.json"),
            include_str!("../../model/chime-sdk-identity-2021-04-20.json"),
        ] {
            let model: Value = serde_json::from_str(text).unwrap();
            if let Some(op) = model["operations"].get(name) {
                return op["errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["shape"].as_str().unwrap().to_owned())
                    .collect();
            }
        }
        panic!("{name} is not a modelled operation");
    }

    /// Every error kind an operation can produce: each `ApiError`
    /// constructor the operations use.
    fn every_error() -> Vec<ApiError> {
        vec![
            ApiError::bad_request("m"),
            ApiError::forbidden("m"),
            ApiError::not_found("m"),
            ApiError::conflict("m"),
            ApiError::throttled(),
            ApiError::service_failure(),
            ApiError::service_unavailable(),
        ]
    }

    /// Every operation of both models: whichever the emulator implements
    /// (and any it implements later) passes its errors through `modelled`.
    fn every_operation() -> Vec<String> {
        let mut names = Vec::new();
        for text in [
            include_str!("../../model/chime-sdk-messaging-2021-05-15.json"),
            include_str!("../../model/chime-sdk-identity-2021-04-20.json"),
        ] {
            let model: Value = serde_json::from_str(text).unwrap();
            names.extend(model["operations"].as_object().unwrap().keys().cloned());
        }
        names
    }

    #[test]
    fn every_error_of_every_operation_is_one_it_models() {
        let names = every_operation();
        assert!(names.len() > 50, "{names:?}");
        for name in &names {
            let name = name.as_str();
            let allowed = model_errors(name);
            for error in every_error() {
                let answered = modelled(name, error.clone());
                assert!(
                    allowed.iter().any(|e| e == answered.error_type),
                    "{name} answers {} for {}, not in {allowed:?}",
                    answered.error_type,
                    error.error_type
                );
                if allowed.iter().any(|e| e == error.error_type) {
                    assert_eq!(answered, error, "{name}: a modelled error passes unchanged");
                } else if allowed.iter().any(|e| e == "BadRequestException") {
                    assert_eq!(answered.error_type, "BadRequestException");
                    assert_eq!(answered.message, error.message, "the explanation is kept");
                }
            }
        }
    }

    #[test]
    fn not_found_stays_where_it_is_modelled() {
        let error = modelled("GetChannelMessage", ApiError::not_found("gone"));
        assert_eq!(error.error_type, "NotFoundException");
        let error = modelled("DescribeChannelFlow", ApiError::not_found("gone"));
        assert_eq!(error.error_type, "BadRequestException");
        assert_eq!(error.status, 400);
    }
}
