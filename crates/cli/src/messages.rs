//! `chimeflow messages …`: send, read and follow channel messages. The
//! clap arguments are in [`args`].

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::error::ProvideErrorMetadata;
use aws_sdk_chimesdkmessaging::operation::send_channel_message::SendChannelMessageOutput;
use aws_sdk_chimesdkmessaging::types::{
    ChannelMessagePersistenceType, ChannelMessageStatus, ChannelMessageType, MessageAttributeValue,
    SortOrder as SdkSortOrder,
};
use serde_json::Value;

use crate::aws::{self, failure};
use crate::aws_options::AwsArgs;
use crate::failure::Failure;
use crate::output;
use crate::shapes::{self, Obj};
use crate::watch_progress::WatchProgress;

// The doc comments in `args` are the command's --help text, written for the
// terminal (`NAME=ARN[,order=N]`), not for rustdoc's link syntax.
#[allow(rustdoc::broken_intra_doc_links)]
mod args;

pub use args::MessagesArgs;
use args::{MessageType, MessagesCommand, Persistence, SendFields, SortOrder, WatchArgs};

pub fn run(args: &MessagesArgs) -> Result<ExitCode, Failure> {
    aws::block_on(async {
        let client = aws::client(&args.aws.target()).await?;
        let bearer = args.aws.bearer()?;
        match &args.command {
            MessagesCommand::Watch(watch_args) => {
                watch(&client, bearer, &args.aws, watch_args).await
            }
            command => {
                let response = call(&client, bearer, command).await?;
                output::print(&response, args.aws.output)?;
                Ok(ExitCode::SUCCESS)
            }
        }
    })?
}

async fn call(client: &Client, bearer: &str, command: &MessagesCommand) -> Result<Value, Failure> {
    Ok(match command {
        MessagesCommand::Send(a) => sent_json(&send(client, bearer, &a.fields).await?),
        MessagesCommand::Get(a) => {
            let out = client
                .get_channel_message()
                .channel_arn(&a.channel)
                .message_id(&a.message_id)
                .set_sub_channel_id(a.sub_channel_id.clone())
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            Obj::new()
                .str("ChannelArn", Some(&a.channel))
                .val(
                    "ChannelMessage",
                    out.channel_message().map(shapes::channel_message),
                )
                .build()
        }
        MessagesCommand::Status(a) => {
            let out = client
                .get_channel_message_status()
                .channel_arn(&a.channel)
                .message_id(&a.message_id)
                .set_sub_channel_id(a.sub_channel_id.clone())
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            Obj::new()
                .val("Status", out.status().map(shapes::status))
                .build()
        }
        MessagesCommand::List(a) => {
            let pages = a
                .page
                .collect(
                    |max_results, next_token| {
                        client
                            .list_channel_messages()
                            .channel_arn(&a.channel)
                            .set_sort_order(a.sort_order.map(|o| match o {
                                SortOrder::Ascending => SdkSortOrder::Ascending,
                                SortOrder::Descending => SdkSortOrder::Descending,
                            }))
                            .set_sub_channel_id(a.sub_channel_id.clone())
                            .set_max_results(max_results)
                            .set_next_token(next_token)
                            .chime_bearer(bearer)
                            .send()
                    },
                    |out| out.next_token(),
                )
                .await?;
            Obj::new()
                .str("ChannelArn", pages.first(|out| out.channel_arn()))
                .val(
                    "ChannelMessages",
                    Some(pages.items(
                        |out| out.channel_messages(),
                        shapes::channel_message_summary,
                    )),
                )
                .str("NextToken", pages.next_token.as_deref())
                .str("SubChannelId", a.sub_channel_id.as_deref())
                .build()
        }
        MessagesCommand::Update(a) => {
            let edit = Edit {
                channel: &a.channel,
                message_id: &a.message_id,
                content: &a.content,
                metadata: a.metadata.as_deref(),
                sub_channel_id: a.sub_channel_id.as_deref(),
                content_type: a.content_type.as_deref(),
            };
            update(client, bearer, &edit).await?.0
        }
        MessagesCommand::Watch(_) => unreachable!("watch prints as it goes"),
    })
}

async fn send(
    client: &Client,
    bearer: &str,
    fields: &SendFields,
) -> Result<SendChannelMessageOutput, Failure> {
    client
        .send_channel_message()
        .channel_arn(&fields.channel)
        .content(&fields.content)
        .r#type(match fields.message_type {
            MessageType::Standard => ChannelMessageType::Standard,
            MessageType::Control => ChannelMessageType::Control,
        })
        .persistence(match fields.persistence {
            Persistence::Persistent => ChannelMessagePersistenceType::Persistent,
            Persistence::NonPersistent => ChannelMessagePersistenceType::NonPersistent,
        })
        .set_metadata(fields.metadata.clone())
        .set_message_attributes(attributes(fields))
        .set_sub_channel_id(fields.sub_channel_id.clone())
        .set_content_type(fields.content_type.clone())
        .set_client_request_token(fields.client_request_token.clone())
        .chime_bearer(bearer)
        .send()
        .await
        .map_err(failure)
}

/// What UpdateChannelMessage takes.
struct Edit<'a> {
    channel: &'a str,
    message_id: &'a str,
    content: &'a str,
    metadata: Option<&'a str>,
    sub_channel_id: Option<&'a str>,
    content_type: Option<&'a str>,
}

/// Edits a message; the response as JSON, and the status it gives.
async fn update(
    client: &Client,
    bearer: &str,
    edit: &Edit<'_>,
) -> Result<(Value, Option<ChannelMessageStatus>), Failure> {
    let out = client
        .update_channel_message()
        .channel_arn(edit.channel)
        .message_id(edit.message_id)
        .content(edit.content)
        .set_metadata(edit.metadata.map(str::to_owned))
        .set_sub_channel_id(edit.sub_channel_id.map(str::to_owned))
        .set_content_type(edit.content_type.map(str::to_owned))
        .chime_bearer(bearer)
        .send()
        .await
        .map_err(failure)?;
    let json = Obj::new()
        .str("ChannelArn", out.channel_arn())
        .str("MessageId", out.message_id())
        .val("Status", out.status().map(shapes::status))
        .str("SubChannelId", out.sub_channel_id())
        .build();
    Ok((json, out.status().and_then(|s| s.value()).cloned()))
}

fn attributes(fields: &SendFields) -> Option<HashMap<String, MessageAttributeValue>> {
    if fields.attributes.is_empty() {
        return None;
    }
    let mut map: HashMap<String, MessageAttributeValue> = HashMap::new();
    for (key, values) in fields.attributes.iter().flat_map(|list| &list.0) {
        let mut all = map
            .remove(key)
            .map(|v| v.string_values().to_vec())
            .unwrap_or_default();
        all.extend(values.iter().cloned());
        map.insert(
            key.clone(),
            MessageAttributeValue::builder()
                .set_string_values(Some(all))
                .build(),
        );
    }
    Some(map)
}

fn sent_json(out: &SendChannelMessageOutput) -> Value {
    Obj::new()
        .str("ChannelArn", out.channel_arn())
        .str("MessageId", out.message_id())
        .val("Status", out.status().map(shapes::status))
        .str("SubChannelId", out.sub_channel_id())
        .build()
}

fn is_final(status: Option<&ChannelMessageStatus>) -> bool {
    matches!(
        status,
        Some(
            ChannelMessageStatus::Sent
                | ChannelMessageStatus::Denied
                | ChannelMessageStatus::Failed
        )
    )
}

/// Whether a GetChannelMessageStatus error code may mean "no such message".
/// The operation models BadRequest for that; NotFound is accepted too, in
/// case the service answers with it anyway.
fn is_unknown_message(code: Option<&str>) -> bool {
    matches!(code, Some("BadRequestException" | "NotFoundException"))
}

/// Whether GetChannelMessage finds the message (NotFound: it does not).
async fn message_exists(
    client: &Client,
    bearer: &str,
    fields: &SendFields,
    message_id: &str,
) -> Result<bool, Failure> {
    let answer = client
        .get_channel_message()
        .channel_arn(&fields.channel)
        .message_id(message_id)
        .set_sub_channel_id(fields.sub_channel_id.clone())
        .chime_bearer(bearer)
        .send()
        .await;
    match answer {
        Ok(_) => Ok(true),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_not_found_exception()) =>
        {
            Ok(false)
        }
        Err(error) => Err(failure(error)),
    }
}

/// The line `watch` ends with when a PENDING message vanished. The service
/// keeps no status for denied messages ("we don't store them once the
/// processor denies them"), so DENIED is inferred, never reported by it:
/// the message was PENDING, then GetChannelMessageStatus no longer knows it
/// and GetChannelMessage answers NotFound. (A moderator deleting the message
/// while it was pending would look the same.)
fn inferred_denied() -> Value {
    serde_json::json!({"Status": {
        "Value": "DENIED",
        "Detail": "inferred: the message was PENDING and is no longer stored; the service keeps no status for denied messages",
    }})
}

/// The first poll waits this long; each next one twice as long, up to
/// [`MAX_POLL`]: quick against the emulator, gentle against AWS.
const FIRST_POLL: Duration = Duration::from_millis(20);
const MAX_POLL: Duration = Duration::from_secs(1);

async fn watch(
    client: &Client,
    bearer: &str,
    aws_args: &AwsArgs,
    args: &WatchArgs,
) -> Result<ExitCode, Failure> {
    let format = aws_args.output;
    let started = Instant::now();
    let (posted, message_id, mut status) = match &args.edit {
        None => {
            let sent = send(client, bearer, &args.fields).await?;
            let status = sent.status().and_then(|s| s.value()).cloned();
            (
                sent_json(&sent),
                sent.message_id().map(str::to_owned),
                status,
            )
        }
        Some(id) => {
            let fields = &args.fields;
            let edit = Edit {
                channel: &fields.channel,
                message_id: id,
                content: &fields.content,
                metadata: fields.metadata.as_deref(),
                sub_channel_id: fields.sub_channel_id.as_deref(),
                content_type: fields.content_type.as_deref(),
            };
            let (json, status) = update(client, bearer, &edit).await?;
            (json, Some(id.clone()), status)
        }
    };
    let progress = WatchProgress::detect();
    progress.print(|| output::print_line(&posted, format))?;
    let Some(message_id) = message_id else {
        return Err(Failure::Runtime(
            "the service answered without a MessageId".into(),
        ));
    };
    let mut pause = FIRST_POLL;
    let name = |status: &Option<ChannelMessageStatus>| {
        status
            .as_ref()
            .map_or("(no status)", |s| s.as_str())
            .to_owned()
    };
    while !is_final(status.as_ref()) {
        progress.waiting(&name(&status));
        let left = args.timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Failure::Runtime(format!(
                "timed out after {:?}: message {message_id} is still {}",
                args.timeout,
                status.as_ref().map_or("without a status", |s| s.as_str())
            )));
        }
        // The poll interval, not a synchronisation: the service has no
        // status stream for the sender outside a websocket.
        tokio::time::sleep(pause.min(left)).await;
        pause = (pause * 2).min(MAX_POLL);
        let answer = client
            .get_channel_message_status()
            .channel_arn(&args.fields.channel)
            .message_id(&message_id)
            .set_sub_channel_id(args.fields.sub_channel_id.clone())
            .chime_bearer(bearer)
            .send()
            .await;
        let out = match answer {
            Ok(out) => out,
            Err(error)
                if status == Some(ChannelMessageStatus::Pending)
                    && is_unknown_message(error.code())
                    && !message_exists(client, bearer, &args.fields, &message_id).await? =>
            {
                if progress.is_live() {
                    progress.changed(&name(&status), "DENIED (inferred)");
                }
                progress.print(|| output::print_line(&inferred_denied(), format))?;
                return Ok(ExitCode::SUCCESS);
            }
            Err(error) => return Err(failure(error)),
        };
        let now = out.status().and_then(|s| s.value()).cloned();
        if now != status {
            if progress.is_live() {
                progress.changed(&name(&status), &name(&now));
            } else {
                output::print_line(
                    &Obj::new()
                        .val("Status", out.status().map(shapes::status))
                        .build(),
                    format,
                )?;
            }
            status = now;
        }
    }
    progress.finish();
    if status == Some(ChannelMessageStatus::Sent) {
        let out = client
            .get_channel_message()
            .channel_arn(&args.fields.channel)
            .message_id(&message_id)
            .set_sub_channel_id(args.fields.sub_channel_id.clone())
            .chime_bearer(bearer)
            .send()
            .await;
        match out {
            Ok(out) => output::print_line(
                &Obj::new()
                    .str("ChannelArn", Some(&args.fields.channel))
                    .val(
                        "ChannelMessage",
                        out.channel_message().map(shapes::channel_message),
                    )
                    .build(),
                format,
            )?,
            // A NON_PERSISTENT message is delivered, not stored.
            Err(error)
                if args.fields.persistence == Persistence::NonPersistent
                    && error
                        .as_service_error()
                        .is_some_and(|e| e.is_not_found_exception()) => {}
            Err(error) => return Err(failure(error)),
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::args::parse_attributes;
    use super::*;

    #[test]
    fn repeated_attribute_keys_merge() {
        let fields = SendFields {
            channel: "c".into(),
            content: "x".into(),
            message_type: MessageType::Standard,
            persistence: Persistence::Persistent,
            metadata: None,
            attributes: vec![
                parse_attributes("a=1,b=2").unwrap(),
                parse_attributes("a=3").unwrap(),
            ],
            sub_channel_id: None,
            content_type: None,
            client_request_token: None,
        };
        let map = attributes(&fields).unwrap();
        assert_eq!(map["a"].string_values(), ["1", "3"]);
        assert_eq!(map["b"].string_values(), ["2"]);
    }

    #[test]
    fn final_statuses() {
        assert!(is_final(Some(&ChannelMessageStatus::Sent)));
        assert!(is_final(Some(&ChannelMessageStatus::Denied)));
        assert!(is_final(Some(&ChannelMessageStatus::Failed)));
        assert!(!is_final(Some(&ChannelMessageStatus::Pending)));
        assert!(!is_final(None));
    }
}
