//! The callback seam: the SDK client in production, a recording one in tests.

use std::future::Future;

use chimeflow_core::CallbackRequest;

/// Why one callback attempt failed. Carries the error code and status only:
/// service messages are not kept, so nothing from a response reaches a log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackFailure {
    /// 429 ThrottledClientException.
    Throttled,
    /// 5xx: ServiceFailure, ServiceUnavailable, or any other server error.
    Server {
        /// The HTTP status.
        status: u16,
    },
    /// The connection failed or was reset.
    Connection,
    /// The attempt timed out.
    Timeout,
    /// 400 BadRequestException: the request was refused, or (after an
    /// earlier attempt that may have landed) the message is no longer
    /// pending. The service's message text is never read: AWS does not
    /// document its wording.
    BadRequest,
    /// 409 ConflictException: racing callbacks; another one won.
    Conflict,
    /// 403 ForbiddenException: no permission, or the 48-hour window passed,
    /// or (after an earlier attempt) already resolved.
    Forbidden,
    /// Anything else (401, a request the SDK could not build, ...).
    Other {
        /// The HTTP status, when there was a response.
        status: Option<u16>,
        /// The error code.
        code: String,
    },
}

impl CallbackFailure {
    /// Whether the failed attempt may still have been applied by the
    /// service: it timed out, the connection broke, or the server failed
    /// after receiving it. A later "not pending" answer is then most likely
    /// the result of that very attempt.
    pub fn may_have_landed(&self) -> bool {
        matches!(
            self,
            CallbackFailure::Server { .. } | CallbackFailure::Connection | CallbackFailure::Timeout
        )
    }

    /// Whether another attempt may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            CallbackFailure::Throttled
                | CallbackFailure::Server { .. }
                | CallbackFailure::Connection
                | CallbackFailure::Timeout
        )
    }

    /// A short name for logs and metrics.
    pub fn code(&self) -> String {
        match self {
            CallbackFailure::Throttled => "ThrottledClient".into(),
            CallbackFailure::Server { status } => format!("ServerError{status}"),
            CallbackFailure::Connection => "Connection".into(),
            CallbackFailure::Timeout => "Timeout".into(),
            CallbackFailure::BadRequest => "BadRequest".into(),
            CallbackFailure::Conflict => "Conflict".into(),
            CallbackFailure::Forbidden => "Forbidden".into(),
            CallbackFailure::Other { code, .. } => code.clone(),
        }
    }
}

/// Sends one ChannelFlowCallback request (one attempt; retries are the
/// caller's).
pub trait Callback: Send + Sync {
    /// Sends `request` once.
    fn send(
        &self,
        request: &CallbackRequest,
    ) -> impl Future<Output = Result<(), CallbackFailure>> + Send;

    /// Bans `member_arn` from `channel_arn` (`CreateChannelBan`) as the
    /// moderator `bearer_arn`: what the `strikes` rule asks for at its
    /// `ban_at`. One attempt. A callback that cannot ban (the default)
    /// answers `Unsupported`.
    fn ban(
        &self,
        channel_arn: &str,
        member_arn: &str,
        bearer_arn: &str,
    ) -> impl Future<Output = Result<(), CallbackFailure>> + Send {
        let _ = (channel_arn, member_arn, bearer_arn);
        std::future::ready(Err(CallbackFailure::Other {
            status: None,
            code: "Unsupported".into(),
        }))
    }
}
