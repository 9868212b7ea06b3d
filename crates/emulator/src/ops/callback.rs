//! ChannelFlowCallback: the processor's answer. No bearer. The CallbackId
//! must be one handed to a processor for this channel and message; a
//! callback for a message already resolved is answered with the modelled
//! BadRequestException (the code seen from the service; its wording is
//! not documented, and no client should read it). No size limit beyond the
//! model's own is enforced: the model sets no maximum on Content and no
//! total for MessageAttributes, and the router validates the model. A deny (`DeleteResource: true`) drops a new message
//! (the service does not store denied messages, so not even its status is
//! kept) and drops a pending edit, leaving the last sent version; anything
//! else makes it SENT with the fields the processor sent.

use std::sync::Arc;

use serde_json::{Value, json};

use super::input::Input;
use crate::error::ApiError;
use crate::ids;
use crate::shared::Shared;

pub(super) fn callback(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let injected = shared
        .injected_callback_errors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop_front();
    if let Some(error) = injected {
        return Err(error);
    }
    let channel_arn = input.req("ChannelArn");
    let callback_id = input.req("CallbackId");
    let delete = input
        .value("DeleteResource")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let update = input.value("ChannelMessage").cloned().unwrap_or_default();
    let message_id = update["MessageId"].as_str().unwrap_or_default();
    let outcome;
    {
        let mut state = shared.state();
        if !state.channels.contains_key(channel_arn) {
            return Err(ApiError::not_found("the channel does not exist"));
        }
        let target = state
            .callbacks
            .get(callback_id)
            .filter(|t| t.channel_arn == channel_arn)
            .cloned()
            .ok_or_else(|| {
                ApiError::bad_request("CallbackId does not match a message of this channel")
            })?;
        if target.message_id != message_id {
            return Err(ApiError::bad_request(
                "ChannelMessage.MessageId is not the message of this CallbackId",
            ));
        }
        let channel = state
            .channels
            .get_mut(channel_arn)
            .ok_or_else(|| ApiError::not_found("the channel does not exist"))?;
        let position = channel.messages.iter().position(|m| {
            m.id == message_id
                && m.status == "PENDING"
                && m.callback_id.as_deref() == Some(callback_id)
        });
        let Some(position) = position else {
            return Err(ApiError::bad_request(
                "the message is not pending: it was already resolved",
            ));
        };
        let now = ids::now();
        if delete {
            let message = &mut channel.messages[position];
            if message.pending_edit.take().is_some() {
                // A denied edit: the last sent version stays, SENT, with
                // its own content and LastEditedTimestamp.
                message.mark_sent();
                message.callback_id = None;
                message.updated = now;
            } else {
                channel.messages.remove(position);
            }
            outcome = "DENIED";
        } else {
            let message = &mut channel.messages[position];
            if let Some(edit) = message.pending_edit.take() {
                edit.apply(message);
            }
            if let Some(content) = update["Content"].as_str() {
                message.content = content.to_owned();
            }
            if let Some(metadata) = update["Metadata"].as_str() {
                message.metadata = Some(metadata.to_owned());
            }
            if let Some(attributes) = update.get("MessageAttributes") {
                message.attributes = Some(attributes.clone());
            }
            if let Some(content_type) = update["ContentType"].as_str() {
                message.content_type = Some(content_type.to_owned());
            }
            if let Some(sub_channel) = update["SubChannelId"].as_str() {
                message.sub_channel_id = Some(sub_channel.to_owned());
            }
            message.mark_sent();
            message.callback_id = None;
            message.updated = now;
            outcome = "SENT";
        }
    }
    tracing::info!(message_id, outcome, "callback applied");
    shared.changed();
    Ok(json!({"ChannelArn": channel_arn, "CallbackId": callback_id}))
}
