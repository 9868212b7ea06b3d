//! The arguments of `chimeflow messages …`.

use clap::{Args, Subcommand};

use crate::aws_options::{AwsArgs, long_help};
use crate::duration::parse_duration;
use crate::paging::PageArgs;

/// Messages: send, edit, read, list; follow one through the channel flow.
///
/// Every call is made as the AppInstanceUser given by --bearer (or
/// CHIMEFLOW_BEARER), who must be a member of the channel.
#[derive(Debug, Args)]
#[command(after_long_help = long_help("Examples:
  chimeflow messages watch --bearer $USER --channel $CHANNEL --content \"mail jane@example.com\"
  chimeflow messages send --bearer $USER --channel $CHANNEL --content hello
  chimeflow messages status --bearer $USER --channel $CHANNEL --message-id $ID
  chimeflow messages get --bearer $USER --channel $CHANNEL --message-id $ID
  chimeflow messages update --bearer $USER --channel $CHANNEL --message-id $ID --content fixed
  chimeflow messages list --bearer $USER --channel $CHANNEL --output table"))]
pub struct MessagesArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(subcommand)]
    pub command: MessagesCommand,
}

#[derive(Debug, Subcommand)]
pub enum MessagesCommand {
    Send(SendArgs),
    /// Read one message as stored (GetChannelMessage).
    ///
    /// On a channel with a flow, this is the content the processor sent back.
    Get(MessageArg),
    /// A message's status (GetChannelMessageStatus): PENDING while the
    /// processor works on it, then SENT or FAILED.
    ///
    /// Only the sender may ask. The service keeps no status for a message
    /// the processor denied (it is not stored): that is answered
    /// BadRequestException. `messages watch` infers DENIED from it.
    Status(MessageArg),
    List(ListMessagesArgs),
    Update(UpdateArgs),
    Watch(WatchArgs),
}

/// Edit a message (UpdateChannelMessage); prints its MessageId and Status.
///
/// On a channel with a flow the edit goes through the processor too: the
/// status is PENDING until it calls back. Only the sender may edit.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages update --bearer $USER --channel $CHANNEL --message-id $ID --content 'new text'\n  \
    chimeflow messages watch --bearer $USER --channel $CHANNEL --edit $ID --content 'hi, mail me'")]
pub struct UpdateArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The message's id.
    #[arg(long, value_name = "ID")]
    pub message_id: String,

    /// The new content.
    #[arg(long, value_name = "TEXT")]
    pub content: String,

    /// The new metadata.
    #[arg(long, value_name = "TEXT")]
    pub metadata: Option<String>,

    /// The sub-channel, for elastic channels.
    #[arg(long, value_name = "ID")]
    pub sub_channel_id: Option<String>,

    /// The content type, e.g. application/json.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,
}

/// A message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MessageType {
    /// A chat message: channel flows process it.
    Standard,
    /// A control message: channel flows never see it.
    Control,
}

/// Whether a message is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Persistence {
    /// Stored; readable later with `messages get` and `messages list`.
    Persistent,
    /// Delivered to connected members only.
    NonPersistent,
}

/// What SendChannelMessage takes.
#[derive(Debug, Args)]
pub struct SendFields {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The message content.
    #[arg(long, value_name = "TEXT")]
    pub content: String,

    /// The message type.
    #[arg(long = "type", value_enum, default_value_t = MessageType::Standard, value_name = "TYPE")]
    pub message_type: MessageType,

    /// Whether the message is stored.
    #[arg(long, value_enum, default_value_t = Persistence::Persistent, value_name = "PERSISTENCE")]
    pub persistence: Persistence,

    /// The message metadata (at most 1024 characters).
    #[arg(long, value_name = "TEXT")]
    pub metadata: Option<String>,

    /// Message attributes: KEY=VALUE[,VALUE…][,KEY=VALUE…] (repeatable). An
    /// item without `=` is one more value of the key before it.
    #[arg(long = "attribute", value_name = "KEY=VALUE,…", value_parser = parse_attributes)]
    pub attributes: Vec<AttributeList>,

    /// The sub-channel, for elastic channels.
    #[arg(long, value_name = "ID")]
    pub sub_channel_id: Option<String>,

    /// The content type, e.g. application/json.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,

    /// The idempotency token [default: a random one].
    #[arg(long, value_name = "TOKEN")]
    pub client_request_token: Option<String>,
}

/// Send a message (SendChannelMessage); prints its MessageId and Status.
///
/// On a channel with a flow, the status is PENDING until the processor calls
/// back; `messages status` or `messages watch` follow it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages send --bearer $USER --channel $CHANNEL --content hello\n  \
    chimeflow messages send --bearer $USER --channel $CHANNEL --content hi \\\n      \
    --attribute lang=en,tags=a,b\n  \
    chimeflow messages send --bearer $USER --channel $CHANNEL --content '{\"op\":\"typing\"}' \\\n      \
    --type CONTROL --persistence NON_PERSISTENT")]
pub struct SendArgs {
    #[command(flatten)]
    pub fields: SendFields,
}

/// One message.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages get --bearer $USER --channel $CHANNEL --message-id $ID\n  \
    chimeflow messages status --bearer $USER --channel $CHANNEL --message-id $ID")]
pub struct MessageArg {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The message's id.
    #[arg(long, value_name = "ID")]
    pub message_id: String,

    /// The sub-channel, for elastic channels.
    #[arg(long, value_name = "ID")]
    pub sub_channel_id: Option<String>,
}

/// List a channel's messages (ListChannelMessages), newest first by default.
///
/// Every page is fetched and printed as one response, unless --max-results
/// asks for one page.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages list --bearer $USER --channel $CHANNEL\n  \
    chimeflow messages list --bearer $USER --channel $CHANNEL --sort-order ASCENDING --max-results 5")]
pub struct ListMessagesArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The order of the messages.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort_order: Option<SortOrder>,

    /// The sub-channel, for elastic channels.
    #[arg(long, value_name = "ID")]
    pub sub_channel_id: Option<String>,

    #[command(flatten)]
    pub page: PageArgs,
}

/// A sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SortOrder {
    /// Oldest first.
    Ascending,
    /// Newest first.
    Descending,
}

/// Send a message (or edit one) and follow it through the channel flow until it is final.
///
/// Prints one JSON line per step: the SendChannelMessage response (or the
/// UpdateChannelMessage one, with --edit; status PENDING on a channel with a
/// flow), then each GetChannelMessageStatus
/// response whose status differs from the one before, until the status is
/// final (SENT, DENIED or FAILED); then, when SENT, the message as stored
/// (GetChannelMessage), with the content the processor sent back. Failed
/// messages are not shown to others, so nothing follows them.
///
/// DENIED is inferred: the service does not store denied messages, nor
/// their status. When a PENDING message's status call fails (BadRequest)
/// and GetChannelMessage answers NotFound, the last line is
/// {"Status":{"Value":"DENIED","Detail":"inferred: …"}}. A denied edit
/// leaves the last sent version, so an --edit the processor denies ends
/// SENT with the previous content.
///
/// On a terminal (standard output and error both), the status lines give
/// way to a spinner showing the status and the time waited, and one line
/// per change ("PENDING → SENT after 0.42 s"); the first and last JSON
/// lines stay. Piped or captured, the output is JSON lines only.
///
/// Exit status: 0 when the message reached a final status (whichever it is:
/// read the last line), 1 when --timeout passed first or a call failed.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages watch --bearer $USER --channel $CHANNEL --content \"mail jane@example.com\"\n  \
    chimeflow messages watch --bearer $USER --channel $CHANNEL --content '   ' --timeout 5s")]
pub struct WatchArgs {
    #[command(flatten)]
    pub fields: SendFields,

    /// Edit this message (UpdateChannelMessage) instead of sending a new one:
    /// --content (and --metadata, --content-type) replace its own.
    #[arg(long, value_name = "MESSAGE_ID", conflicts_with_all = ["attributes", "message_type", "persistence", "client_request_token"])]
    pub edit: Option<String>,

    /// How long to wait for a final status: 30, 30s, 500ms, 2m.
    #[arg(long, value_parser = parse_duration, default_value = "30s", value_name = "DURATION")]
    pub timeout: std::time::Duration,
}

/// Message attributes from one `--attribute` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeList(pub Vec<(String, Vec<String>)>);

/// Parses KEY=VALUE[,VALUE…][,KEY=VALUE…].
pub fn parse_attributes(text: &str) -> Result<AttributeList, String> {
    let mut attributes: Vec<(String, Vec<String>)> = Vec::new();
    for part in text.split(',') {
        match part.split_once('=') {
            Some((key, value)) => {
                let key = key.trim();
                if key.is_empty() {
                    return Err(format!("an attribute needs a key: {part:?}"));
                }
                attributes.push((key.to_owned(), vec![value.to_owned()]));
            }
            None => match attributes.last_mut() {
                Some((_, values)) => values.push(part.to_owned()),
                None => return Err("expected KEY=VALUE[,VALUE…][,KEY=VALUE…]".into()),
            },
        }
    }
    Ok(AttributeList(attributes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes() {
        assert_eq!(
            parse_attributes("lang=en,tags=a,b").unwrap().0,
            vec![
                ("lang".into(), vec!["en".into()]),
                ("tags".into(), vec!["a".into(), "b".into()])
            ]
        );
        assert_eq!(
            parse_attributes("k=v=w").unwrap().0,
            vec![("k".into(), vec!["v=w".into()])]
        );
        assert!(parse_attributes("novalue").is_err());
        assert!(parse_attributes("=x").is_err());
    }
}
