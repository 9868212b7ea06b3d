//! The ChannelFlowCallback request.

use serde::{Deserialize, Serialize};

use crate::{MessageAttributes, PushNotificationType};

/// A ChannelFlowCallback request: the JSON body AWS expects, plus the
/// `ChannelArn` that goes into the URL path (`POST /channels/{channelArn}?operation=channel-flow-callback`).
/// Serialised, it is exactly the request botocore would build from these
/// parameters; [`CallbackRequest::body`] gives the HTTP body alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallbackRequest {
    /// The channel (URL path, not body). Required to send; absent when the
    /// event did not carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_arn: Option<String>,
    /// The CallbackId from the event, always (the SDK would otherwise invent one).
    pub callback_id: String,
    /// True to deny the message.
    pub delete_resource: bool,
    /// The processed message.
    pub channel_message: ChannelMessageCallback,
}

impl CallbackRequest {
    /// Whether the request has no `ChannelArn` and so cannot be sent.
    pub fn lacks_channel(&self) -> bool {
        self.channel_arn.is_none()
    }
}

/// `ChannelMessageCallback`: the message fields a processor may set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChannelMessageCallback {
    /// The message id (required).
    pub message_id: String,
    /// New or echoed content (at least 1 character; an edit at most 4 KB or
    /// no longer than received, an echo whatever its size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// New or echoed metadata (at most 1024 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
    /// A push notification to send with the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_notification: Option<PushNotification>,
    /// New or echoed attributes (an edit at most 1 KB in total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_attributes: Option<MessageAttributes>,
    /// The elastic channel's sub-channel, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_channel_id: Option<String>,
    /// The content type, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
}

/// `PushNotificationConfiguration`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PushNotification {
    /// 1-50 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 1-150 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// DEFAULT or VOIP.
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub notification_type: Option<PushNotificationType>,
}

/// The HTTP body: the request without `ChannelArn`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallbackBody<'a> {
    callback_id: &'a str,
    delete_resource: bool,
    channel_message: &'a ChannelMessageCallback,
}

impl CallbackRequest {
    /// The JSON body to POST (everything but `ChannelArn`).
    ///
    /// ```
    /// use chimeflow_core::{CallbackRequest, ChannelMessageCallback};
    ///
    /// let request = CallbackRequest {
    ///     channel_arn: Some("arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c".into()),
    ///     callback_id: "0123456789abcdef0123456789abcdef".into(),
    ///     delete_resource: true,
    ///     channel_message: ChannelMessageCallback { message_id: "m1".into(), ..Default::default() },
    /// };
    /// let body = serde_json::to_value(request.body()).unwrap();
    /// assert_eq!(body["DeleteResource"], true);
    /// assert!(body.get("ChannelArn").is_none(), "the ARN goes into the URL path");
    /// ```
    pub fn body(&self) -> CallbackBody<'_> {
        CallbackBody {
            callback_id: &self.callback_id,
            delete_resource: self.delete_resource,
            channel_message: &self.channel_message,
        }
    }
}
