//! Errors: [`ApiError`] is what the HTTP API answers (status, the code in
//! `x-amzn-errortype`, `{"Code","Message"}` in the body); [`EmulatorError`]
//! is what the Rust API returns. Neither ever carries message content.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A service error, answered as the service answers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The error shape name, e.g. `BadRequestException` (`x-amzn-errortype`).
    pub error_type: &'static str,
    /// A short explanation naming members, never their values.
    pub message: String,
}

impl ApiError {
    fn new(status: u16, error_type: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            error_type,
            message: message.into(),
        }
    }

    /// 400 `BadRequestException`: the input breaks a constraint or the state forbids it.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequestException", message)
    }

    /// 403 `ForbiddenException`: the bearer may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, "ForbiddenException", message)
    }

    /// 404 `NotFoundException`: a resource in the request does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "NotFoundException", message)
    }

    /// 409 `ConflictException`: the resource's state conflicts with the request.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(409, "ConflictException", message)
    }

    /// 429 `ThrottledClientException`: the client exceeded its rate (the SDK
    /// does not retry it by default).
    pub fn throttled() -> Self {
        Self::new(429, "ThrottledClientException", "Rate exceeded")
    }

    /// 500 `ServiceFailureException`: the service failed (the SDK retries it).
    pub fn service_failure() -> Self {
        Self::new(500, "ServiceFailureException", "Service failure")
    }

    /// 503 `ServiceUnavailableException`: the service is unavailable (the SDK retries it).
    pub fn service_unavailable() -> Self {
        Self::new(503, "ServiceUnavailableException", "Service unavailable")
    }

    /// 501: a modelled operation the emulator does not implement.
    pub fn not_implemented(operation: &str) -> Self {
        Self::new(
            501,
            "NotImplementedException",
            format!("the chimeflow emulator does not implement {operation}"),
        )
    }

    /// 404 `UnknownOperationException`: no modelled operation has this method and path.
    pub fn unknown_operation() -> Self {
        Self::new(
            404,
            "UnknownOperationException",
            "no Chime SDK operation matches this method and path",
        )
    }

    /// The body `Code`: the shape name without `Exception` (`BadRequest`), as
    /// the service's ErrorCode enum spells it.
    pub fn code(&self) -> &str {
        self.error_type
            .strip_suffix("Exception")
            .unwrap_or(self.error_type)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error_type, self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::json!({"Code": self.code(), "Message": self.message});
        let mut response = (status, axum::Json(body)).into_response();
        response.headers_mut().insert(
            "x-amzn-errortype",
            HeaderValue::from_static(self.error_type),
        );
        response
    }
}

/// An error from the emulator's Rust API.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// A listener could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The snapshot file could not be read, parsed or written.
    #[error("snapshot {path}: {reason}")]
    Snapshot {
        /// The file.
        path: std::path::PathBuf,
        /// Why (I/O or JSON error; never message content).
        reason: String,
    },
    /// A setup call failed as the identity API would have answered it.
    #[error(transparent)]
    Api(#[from] ApiError),
}
