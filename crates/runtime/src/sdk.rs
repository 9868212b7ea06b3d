//! ChannelFlowCallback through aws-sdk-chimesdkmessaging.

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::config::http::HttpResponse;
use aws_sdk_chimesdkmessaging::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_chimesdkmessaging::operation::channel_flow_callback::ChannelFlowCallbackError;
use aws_sdk_chimesdkmessaging::types::{
    ChannelMessageCallback, MessageAttributeValue, PushNotificationConfiguration,
    PushNotificationType,
};
use aws_smithy_runtime_api::client::http::http_client_fn;
use chimeflow_core::CallbackRequest;

use crate::{Callback, CallbackFailure};

/// The production callback: one SDK client, built at cold start, with the
/// SDK's own retries off (the delivery loop retries, throttling included,
/// within the invocation's deadline).
#[derive(Clone, Debug)]
pub struct SdkCallback {
    client: Client,
}

impl SdkCallback {
    /// A client from the Lambda environment: region, credentials, and
    /// `AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING` / `AWS_ENDPOINT_URL` when set and
    /// not empty.
    /// The HTTPS connection to the endpoint is opened during init (see
    /// the `warm` module), so the first callback does not pay the handshake.
    pub async fn from_env() -> Self {
        let connector = crate::warm::build_connector();
        let for_sdk = connector.clone();
        let load = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::disabled())
            .http_client(http_client_fn(move |_, _| for_sdk.clone()))
            .load();
        let (config, warmed) = tokio::join!(load, crate::warm::warm(&connector));
        match warmed {
            Ok(Some(status)) => {
                tracing::info!(status, "callback endpoint connection opened during init")
            }
            Ok(None) => tracing::info!("no endpoint to warm (AWS_REGION unset)"),
            Err(error) => {
                tracing::warn!(error = %error, "could not open the endpoint connection during init")
            }
        }
        // The override is set on the client config explicitly, empty values
        // filtered: set there, it takes precedence over the SDK's own
        // environment lookup, which would take an empty variable as the URL.
        let mut client_config = aws_sdk_chimesdkmessaging::config::Builder::from(&config);
        client_config.set_endpoint_url(crate::warm::configured_endpoint());
        Self::new(Client::from_conf(client_config.build()))
    }

    /// A callback sending through `client`.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl Callback for SdkCallback {
    async fn send(&self, request: &CallbackRequest) -> Result<(), CallbackFailure> {
        let message = to_sdk_message(request).map_err(|_| CallbackFailure::Other {
            status: None,
            code: "InvalidRequest".into(),
        })?;
        // CallbackId is always set: left unset, the SDK would invent one.
        self.client
            .channel_flow_callback()
            .callback_id(&request.callback_id)
            .set_channel_arn(request.channel_arn.clone())
            .delete_resource(request.delete_resource)
            .channel_message(message)
            .send()
            .await
            .map(|_| ())
            .map_err(classify)
    }

    async fn ban(
        &self,
        channel_arn: &str,
        member_arn: &str,
        bearer_arn: &str,
    ) -> Result<(), CallbackFailure> {
        self.client
            .create_channel_ban()
            .channel_arn(channel_arn)
            .member_arn(member_arn)
            .chime_bearer(bearer_arn)
            .send()
            .await
            .map(|_| ())
            .map_err(classify_other)
    }
}

fn to_sdk_message(
    request: &CallbackRequest,
) -> Result<ChannelMessageCallback, aws_sdk_chimesdkmessaging::error::BuildError> {
    let message = &request.channel_message;
    let attributes = message.message_attributes.as_ref().map(|attributes| {
        attributes
            .iter()
            .map(|(key, value)| {
                let value = MessageAttributeValue::builder()
                    .set_string_values(Some(value.string_values.clone()))
                    .build();
                (key.clone(), value)
            })
            .collect()
    });
    let push = message.push_notification.as_ref().map(|push| {
        PushNotificationConfiguration::builder()
            .set_title(push.title.clone())
            .set_body(push.body.clone())
            .set_type(
                push.notification_type
                    .as_ref()
                    .map(|t| PushNotificationType::from(t.as_str())),
            )
            .build()
    });
    ChannelMessageCallback::builder()
        .message_id(&message.message_id)
        .set_content(message.content.clone())
        .set_metadata(message.metadata.clone())
        .set_push_notification(push)
        .set_message_attributes(attributes)
        .set_sub_channel_id(message.sub_channel_id.clone())
        .set_content_type(message.content_type.clone())
        .build()
}

/// Maps the SDK error of a call other than the callback to its status and
/// code (never the service's message).
fn classify_other<E: ProvideErrorMetadata>(error: SdkError<E, HttpResponse>) -> CallbackFailure {
    match error {
        SdkError::TimeoutError(_) => CallbackFailure::Timeout,
        SdkError::DispatchFailure(_) => CallbackFailure::Connection,
        SdkError::ServiceError(service) => CallbackFailure::Other {
            status: Some(service.raw().status().as_u16()),
            code: service.err().code().unwrap_or("Unknown").to_owned(),
        },
        other => CallbackFailure::Other {
            status: other.raw_response().map(|r| r.status().as_u16()),
            code: "Unreadable".into(),
        },
    }
}

/// Maps an SDK error to what the delivery loop needs to know.
fn classify(error: SdkError<ChannelFlowCallbackError, HttpResponse>) -> CallbackFailure {
    match error {
        SdkError::TimeoutError(_) => CallbackFailure::Timeout,
        SdkError::DispatchFailure(failure) if failure.is_timeout() => CallbackFailure::Timeout,
        SdkError::DispatchFailure(_) => CallbackFailure::Connection,
        SdkError::ResponseError(response) => match response.raw().status().as_u16() {
            status if status >= 500 => CallbackFailure::Server { status },
            status => CallbackFailure::Other {
                status: Some(status),
                code: "UnreadableResponse".into(),
            },
        },
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            let error = service.into_err();
            match &error {
                ChannelFlowCallbackError::ThrottledClientException(_) => CallbackFailure::Throttled,
                ChannelFlowCallbackError::ServiceFailureException(_)
                | ChannelFlowCallbackError::ServiceUnavailableException(_) => {
                    CallbackFailure::Server { status }
                }
                ChannelFlowCallbackError::BadRequestException(_) => CallbackFailure::BadRequest,
                ChannelFlowCallbackError::ConflictException(_) => CallbackFailure::Conflict,
                ChannelFlowCallbackError::ForbiddenException(_) => CallbackFailure::Forbidden,
                _ if status == 429 => CallbackFailure::Throttled,
                _ if status >= 500 => CallbackFailure::Server { status },
                _ => CallbackFailure::Other {
                    status: Some(status),
                    code: error.code().unwrap_or("Unknown").to_owned(),
                },
            }
        }
        _ => CallbackFailure::Other {
            status: None,
            code: "RequestNotSent".into(),
        },
    }
}
