//! The emulated service's data: app instances, users, channel flows,
//! channels and their messages. Plain data, serialisable as the snapshot.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Everything the emulator knows; one lock guards it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct State {
    /// App instances by ARN.
    pub app_instances: BTreeMap<String, AppInstance>,
    /// App instance users by ARN.
    pub users: BTreeMap<String, User>,
    /// Channel flows by ARN.
    pub flows: BTreeMap<String, Flow>,
    /// Channels by ARN.
    pub channels: BTreeMap<String, Channel>,
    /// Tags by resource ARN, in insertion order of keys.
    pub tags: BTreeMap<String, Vec<(String, String)>>,
    /// Every CallbackId handed to a processor: which message it is for.
    /// Kept after resolution, so a late callback is told the message is not pending.
    pub callbacks: BTreeMap<String, CallbackTarget>,
    /// Idempotency: `operation|bearer|ClientRequestToken` to the ARN or
    /// message id the first request created.
    pub tokens: BTreeMap<String, String>,
}

/// An AppInstance (chime-sdk-identity).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AppInstance {
    /// Its ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// Optional metadata.
    pub metadata: Option<String>,
    /// Creation time, epoch seconds.
    pub created: f64,
    /// AppInstanceAdmins: user ARNs.
    pub admins: BTreeSet<String>,
}

/// An AppInstanceUser.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    /// Its ARN (`…/user/<id>`).
    pub arn: String,
    /// The app instance it belongs to.
    pub app_instance_arn: String,
    /// Display name.
    pub name: String,
    /// Optional metadata.
    #[serde(default)]
    pub metadata: Option<String>,
    /// Creation time, epoch seconds.
    pub created: f64,
}

/// A channel flow.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Flow {
    /// Its ARN (`…/channel-flow/<uuid>`).
    pub arn: String,
    /// The app instance it belongs to.
    pub app_instance_arn: String,
    /// Its name.
    pub name: String,
    /// The `Processors` list as given (validated against the model).
    pub processors: Value,
    /// Creation time.
    pub created: f64,
    /// Last update time.
    pub updated: f64,
}

impl Flow {
    /// The first processor by ExecutionOrder: its Lambda ARN and FallbackAction.
    pub fn first_processor(&self) -> Option<(String, String)> {
        let first = self
            .processors
            .as_array()?
            .iter()
            .min_by_key(|p| p["ExecutionOrder"].as_i64().unwrap_or(i64::MAX))?;
        Some((
            first["Configuration"]["Lambda"]["ResourceArn"]
                .as_str()?
                .to_owned(),
            first["FallbackAction"]
                .as_str()
                .unwrap_or("ABORT")
                .to_owned(),
        ))
    }
}

/// A channel.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Channel {
    /// Its ARN (`…/channel/<id>`).
    pub arn: String,
    /// The app instance it belongs to.
    pub app_instance_arn: String,
    /// Its name.
    pub name: String,
    /// UNRESTRICTED or RESTRICTED.
    pub mode: String,
    /// PUBLIC or PRIVATE.
    pub privacy: String,
    /// Optional metadata.
    pub metadata: Option<String>,
    /// The creator's user ARN.
    pub created_by: String,
    /// Creation time.
    pub created: f64,
    /// Last update time.
    pub updated: f64,
    /// When the last message was sent.
    pub last_message: Option<f64>,
    /// The associated channel flow.
    pub flow_arn: Option<String>,
    /// Member user ARNs (moderators are members too).
    pub members: BTreeSet<String>,
    /// Moderator user ARNs.
    pub moderators: BTreeSet<String>,
    /// Members added with membership Type HIDDEN (a subset of `members`):
    /// ListChannelMemberships shows them only when asked for HIDDEN.
    #[serde(default)]
    pub hidden: BTreeSet<String>,
    /// Messages in creation order. A message a processor denied is not
    /// kept (the service does not store it), not even its status.
    pub messages: Vec<Message>,
    /// Banned user ARNs (CreateChannelBan) and who banned them when: a
    /// banned user is no member, cannot be added as one, and cannot send.
    #[serde(default)]
    pub bans: BTreeMap<String, Ban>,
}

/// A channel ban.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ban {
    /// When it was created.
    pub created: f64,
    /// The moderator or AppInstanceAdmin who created it.
    pub created_by: String,
}

/// A channel message.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Message {
    /// The message id (64 hex digits).
    pub id: String,
    /// The content (empty once redacted).
    pub content: String,
    /// Metadata.
    pub metadata: Option<String>,
    /// STANDARD or CONTROL.
    pub message_type: String,
    /// PERSISTENT or NON_PERSISTENT.
    pub persistence: String,
    /// The sender's user ARN.
    pub sender: String,
    /// Creation time.
    pub created: f64,
    /// Last update time.
    pub updated: f64,
    /// Last edit time of the version stored (an edit a processor has not
    /// approved yet does not count).
    pub edited: Option<f64>,
    /// Redacted.
    pub redacted: bool,
    /// SENT, PENDING or FAILED (a denied new message is dropped; a denied
    /// edit leaves the last sent version, SENT).
    pub status: String,
    /// Status detail.
    pub detail: Option<String>,
    /// MessageAttributes, as given.
    pub attributes: Option<Value>,
    /// SubChannelId.
    pub sub_channel_id: Option<String>,
    /// ContentType.
    pub content_type: Option<String>,
    /// Target, as given.
    pub target: Option<Value>,
    /// The CallbackId of the change a processor has yet to answer.
    pub callback_id: Option<String>,
    /// An edit waiting for the processor: content and metadata to apply
    /// when it passes (CONTINUE fallback included).
    pub pending_edit: Option<Edit>,
    /// Whether the message was ever SENT: then every member keeps seeing
    /// it (its last sent version) while an edit is pending, failed or denied.
    #[serde(default)]
    pub published: bool,
}

impl Message {
    /// Marks the message SENT (and so published).
    pub fn mark_sent(&mut self) {
        self.status = "SENT".into();
        self.detail = None;
        self.published = true;
    }

    /// Whether `user` may see it: published messages, and to their sender
    /// messages still pending, failed or denied.
    pub fn visible_to(&self, user: &str) -> bool {
        self.published || self.status == "SENT" || self.sender == user
    }
}

/// An UpdateChannelMessage held while the flow processes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Edit {
    /// New content.
    pub content: Option<String>,
    /// New metadata.
    pub metadata: Option<String>,
    /// When UpdateChannelMessage was called: the message's
    /// LastEditedTimestamp once the edit is applied.
    #[serde(default)]
    pub at: Option<f64>,
}

impl Edit {
    /// Applies the edit to `message` (the processor passed it, or the
    /// CONTINUE fallback did).
    pub fn apply(self, message: &mut Message) {
        if let Some(content) = self.content {
            message.content = content;
        }
        if self.metadata.is_some() {
            message.metadata = self.metadata;
        }
        if self.at.is_some() {
            message.edited = self.at;
        }
    }
}

/// Which message a CallbackId is for.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallbackTarget {
    /// The channel.
    pub channel_arn: String,
    /// The message.
    pub message_id: String,
}

impl State {
    /// Reads a snapshot.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Writes a snapshot.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The message `id` of `channel`, mutable.
    pub fn message_mut(&mut self, channel: &str, id: &str) -> Option<&mut Message> {
        self.channels
            .get_mut(channel)?
            .messages
            .iter_mut()
            .find(|m| m.id == id)
    }
}
