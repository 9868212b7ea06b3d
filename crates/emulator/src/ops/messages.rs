//! Channel messages: send, update, get, list, redact, delete, and status.
//! On a channel with a flow, a STANDARD send or update is PENDING until the
//! processor calls back; CONTROL messages bypass the flow. Messages that are
//! not SENT are visible only to their sender, as on the service.

use std::sync::Arc;

use serde_json::{Value, json};

use super::access::{bearer, channel, is_moderator, require_member, require_reader};
use super::input::Input;
use super::paging::page;
use crate::error::ApiError;
use crate::flow;
use crate::ids;
use crate::invocations::Job;
use crate::shared::Shared;
use crate::state::{CallbackTarget, Edit, Message, State};
use crate::wire::compact;
use crate::wire::user_identity;

/// The send-time size limits, which the service model lacks and the
/// SendChannelMessage API reference states
/// (<https://docs.aws.amazon.com/chime-sdk/latest/APIReference/API_messaging-chime_SendChannelMessage.html>):
/// CONTROL messages "are limited to 30 bytes and do not contain metadata";
/// STANDARD messages "can be up to 4KB in size", with no unit. The emulator
/// reads the 4 KB in the most permissive way, 4096 UTF-16 code units (how
/// Java counts a string), so that it never refuses a message Chime may
/// accept: a processor must cope with everything Chime lets through.
/// The callback has no such limit here: its model has none.
fn check_size(kind: &str, content: Option<&str>, metadata: Option<&str>) -> Result<(), ApiError> {
    let bytes = content.map_or(0, str::len);
    let units = content.map_or(0, |c| c.encode_utf16().count());
    if kind == "CONTROL" {
        if bytes > 30 {
            return Err(ApiError::bad_request(
                "Content: CONTROL messages hold at most 30 bytes",
            ));
        }
        if metadata.is_some() {
            return Err(ApiError::bad_request(
                "Metadata: CONTROL messages carry no metadata",
            ));
        }
    } else if units > 4096 {
        return Err(ApiError::bad_request(
            "Content: STANDARD messages can be up to 4KB in size (SendChannelMessage); \
             the emulator counts 4096 UTF-16 code units",
        ));
    }
    Ok(())
}

/// If the channel has a flow and the message is STANDARD: marks it PENDING
/// with a fresh CallbackId and returns the invocation to start.
fn route_through_flow(state: &mut State, channel_arn: &str, message_id: &str) -> Option<Job> {
    let channel = state.channels.get(channel_arn)?;
    let flow = state.flows.get(channel.flow_arn.as_deref()?)?;
    let (function_arn, fallback) = flow.first_processor()?;
    let message = channel.messages.iter().find(|m| m.id == message_id)?;
    if message.message_type != "STANDARD" {
        return None;
    }
    let callback_id = ids::uuid();
    let event = flow::event(state, channel_arn, message, &callback_id);
    state.callbacks.insert(
        callback_id.clone(),
        CallbackTarget {
            channel_arn: channel_arn.to_owned(),
            message_id: message_id.to_owned(),
        },
    );
    let message = state.message_mut(channel_arn, message_id)?;
    message.status = "PENDING".into();
    message.detail = None;
    message.callback_id = Some(callback_id.clone());
    Some(Job {
        request_id: String::new(),
        callback_id,
        channel_arn: channel_arn.to_owned(),
        message_id: message_id.to_owned(),
        function_arn,
        fallback,
        event,
        attempt: 0,
        ..Job::default()
    })
}

fn status(message: &Message) -> Value {
    compact(json!({"Value": message.status, "Detail": message.detail}))
}

pub(super) fn send(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    let kind = input.req("Type");
    check_size(kind, input.str("Content"), input.str("Metadata"))?;
    let (answer, job) = {
        let mut state = shared.state();
        let sender = bearer(&state, input)?.arn.clone();
        let channel = channel(&state, channel_arn)?;
        require_member(&state, channel, &sender)?;
        let token = format!(
            "SendChannelMessage|{sender}|{}",
            input.req("ClientRequestToken")
        );
        if let Some(id) = state.tokens.get(&token).cloned()
            && let Some(message) = state.message_mut(channel_arn, &id)
        {
            let answer =
                json!({"ChannelArn": channel_arn, "MessageId": id, "Status": status(message)});
            return Ok(answer);
        }
        let now = ids::now();
        let id = ids::random_hex(64);
        let message = Message {
            id: id.clone(),
            content: input.req("Content").to_owned(),
            metadata: input.str("Metadata").map(str::to_owned),
            message_type: kind.to_owned(),
            persistence: input.req("Persistence").to_owned(),
            sender,
            created: now,
            updated: now,
            edited: None,
            redacted: false,
            status: "SENT".into(),
            detail: None,
            attributes: input.value("MessageAttributes").cloned(),
            sub_channel_id: input.str("SubChannelId").map(str::to_owned),
            content_type: input.str("ContentType").map(str::to_owned),
            target: input.value("Target").cloned(),
            callback_id: None,
            pending_edit: None,
            published: false,
        };
        if let Some(channel) = state.channels.get_mut(channel_arn) {
            channel.messages.push(message);
            channel.last_message = Some(now);
        }
        state.tokens.insert(token, id.clone());
        let job = route_through_flow(&mut state, channel_arn, &id);
        if job.is_none()
            && let Some(message) = state.message_mut(channel_arn, &id)
        {
            message.mark_sent();
        }
        let stored = state.message_mut(channel_arn, &id).map(|m| status(m));
        let answer = compact(json!({
            "ChannelArn": channel_arn,
            "MessageId": id,
            "Status": stored,
            "SubChannelId": input.str("SubChannelId"),
        }));
        (answer, job)
    };
    shared.changed();
    if let Some(job) = job {
        flow::start(shared, job);
    }
    Ok(answer)
}

pub(super) fn update(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    let message_id = input.req("MessageId");
    let (answer, job) = {
        let mut state = shared.state();
        let user = bearer(&state, input)?.arn.clone();
        let channel = channel(&state, channel_arn)?;
        require_member(&state, channel, &user)?;
        let has_flow = channel.flow_arn.is_some();
        let message = state
            .message_mut(channel_arn, message_id)
            .ok_or_else(|| ApiError::not_found("the message does not exist"))?;
        if message.sender != user {
            return Err(ApiError::forbidden("only the sender can update a message"));
        }
        if message.redacted {
            return Err(ApiError::bad_request(
                "a redacted message cannot be updated",
            ));
        }
        if message.status == "PENDING" {
            return Err(ApiError::conflict("the message is still being processed"));
        }
        check_size(
            &message.message_type,
            input.str("Content"),
            input.str("Metadata").or(message.metadata.as_deref()),
        )?;
        let now = ids::now();
        message.updated = now;
        if let Some(content_type) = input.str("ContentType") {
            message.content_type = Some(content_type.to_owned());
        }
        // LastEditedTimestamp changes only when the edit is applied: at
        // once without a flow, when the processor passes it with one.
        let edit = Edit {
            content: input.str("Content").map(str::to_owned),
            metadata: input.str("Metadata").map(str::to_owned),
            at: Some(now),
        };
        let job = if has_flow && message.message_type == "STANDARD" {
            message.pending_edit = Some(edit);
            route_through_flow(&mut state, channel_arn, message_id)
        } else {
            edit.apply(message);
            message.mark_sent();
            None
        };
        let stored = state
            .message_mut(channel_arn, message_id)
            .map(|m| status(m));
        let answer = compact(json!({
            "ChannelArn": channel_arn,
            "MessageId": message_id,
            "Status": stored,
            "SubChannelId": input.str("SubChannelId"),
        }));
        (answer, job)
    };
    shared.changed();
    if let Some(job) = job {
        flow::start(shared, job);
    }
    Ok(answer)
}

fn full(state: &State, channel_arn: &str, m: &Message) -> Value {
    compact(json!({
        "ChannelArn": channel_arn,
        "MessageId": m.id,
        "Content": m.content,
        "Metadata": m.metadata,
        "Type": m.message_type,
        "CreatedTimestamp": m.created,
        "LastEditedTimestamp": m.edited,
        "LastUpdatedTimestamp": m.updated,
        "Sender": user_identity(state, &m.sender),
        "Redacted": m.redacted,
        "Persistence": m.persistence,
        "Status": status(m),
        "MessageAttributes": m.attributes,
        "SubChannelId": m.sub_channel_id,
        "ContentType": m.content_type,
        "Target": m.target,
    }))
}

pub(super) fn get(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let user = bearer(&state, input)?;
    let channel_arn = input.req("ChannelArn");
    let channel = channel(&state, channel_arn)?;
    require_reader(&state, channel, user)?;
    let message = channel
        .messages
        .iter()
        .find(|m| m.id == input.req("MessageId") && m.visible_to(&user.arn))
        .ok_or_else(|| ApiError::not_found("the message does not exist"))?;
    Ok(json!({"ChannelMessage": full(&state, channel_arn, message)}))
}

pub(super) fn list(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let user = bearer(&state, input)?;
    let channel_arn = input.req("ChannelArn");
    let channel = channel(&state, channel_arn)?;
    require_reader(&state, channel, user)?;
    let not_before = input.number("NotBefore").unwrap_or(f64::MIN);
    let not_after = input.number("NotAfter").unwrap_or(f64::MAX);
    let mut messages: Vec<&Message> = channel
        .messages
        .iter()
        .filter(|m| m.persistence == "PERSISTENT" && m.visible_to(&user.arn))
        .filter(|m| m.created >= not_before && m.created <= not_after)
        .filter(|m| {
            input
                .str("SubChannelId")
                .is_none_or(|s| m.sub_channel_id.as_deref() == Some(s))
        })
        .collect();
    if input.str("SortOrder") != Some("ASCENDING") {
        messages.reverse();
    }
    let summaries: Vec<Value> = messages
        .into_iter()
        .map(|m| {
            let mut value = full(&state, channel_arn, m);
            if let Some(object) = value.as_object_mut() {
                for key in ["ChannelArn", "Persistence", "SubChannelId"] {
                    object.remove(key);
                }
            }
            value
        })
        .collect();
    let (summaries, next) = page(summaries, input)?;
    Ok(compact(json!({
        "ChannelArn": channel_arn,
        "ChannelMessages": summaries,
        "NextToken": next,
        "SubChannelId": input.str("SubChannelId"),
    })))
}

pub(super) fn redact(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    let message_id = input.req("MessageId");
    {
        let mut state = shared.state();
        let user = bearer(&state, input)?.arn.clone();
        let channel = channel(&state, channel_arn)?;
        let moderator = is_moderator(&state, channel, &user);
        let message = state
            .message_mut(channel_arn, message_id)
            .ok_or_else(|| ApiError::not_found("the message does not exist"))?;
        if message.sender != user && !moderator {
            return Err(ApiError::forbidden(
                "only the sender, a moderator or an admin can redact a message",
            ));
        }
        if message.status == "PENDING" {
            return Err(ApiError::conflict("the message is still being processed"));
        }
        message.content = String::new();
        message.metadata = None;
        message.attributes = None;
        message.redacted = true;
        message.updated = ids::now();
    }
    shared.changed();
    Ok(compact(
        json!({"ChannelArn": channel_arn, "MessageId": message_id, "SubChannelId": input.str("SubChannelId")}),
    ))
}

pub(super) fn delete(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let channel_arn = input.req("ChannelArn");
    let message_id = input.req("MessageId");
    {
        let mut state = shared.state();
        let user = bearer(&state, input)?.arn.clone();
        let channel = channel(&state, channel_arn)?;
        if !is_moderator(&state, channel, &user) {
            return Err(ApiError::forbidden(
                "only a moderator or an admin can delete a message",
            ));
        }
        if !channel.messages.iter().any(|m| m.id == message_id) {
            return Err(ApiError::not_found("the message does not exist"));
        }
        if let Some(channel) = state.channels.get_mut(channel_arn) {
            channel.messages.retain(|m| m.id != message_id);
        }
    }
    shared.changed();
    Ok(Value::Null)
}

pub(super) fn status_op(shared: &Arc<Shared>, input: &Input) -> Result<Value, ApiError> {
    let state = shared.state();
    let user = bearer(&state, input)?;
    let channel = channel(&state, input.req("ChannelArn"))?;
    let message_id = input.req("MessageId");
    // "This API does not return statuses for denied messages, because we
    // don't store them once the processor denies them": a denied message is
    // an unknown one. The operation models no NotFoundException, and
    // Forbidden would claim the sender lacks a right it has, so an unknown
    // message id is a BadRequestException, the error for a request naming
    // something the service cannot act on.
    let message = channel
        .messages
        .iter()
        .find(|m| m.id == message_id)
        .ok_or_else(|| ApiError::bad_request("the message does not exist"))?;
    let (sender, status) = (message.sender.as_str(), self::status(message));
    if sender != user.arn {
        return Err(ApiError::forbidden(
            "only the sender can get a message's status",
        ));
    }
    Ok(json!({"Status": status}))
}
