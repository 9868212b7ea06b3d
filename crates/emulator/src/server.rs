//! The Chime SDK HTTP API: every request is routed and validated from the
//! botocore models, then handed to the operation. Requests must carry an
//! `Authorization` header (any SigV4 signature is accepted, none is
//! verified): a request without one is answered 403
//! MissingAuthenticationTokenException, as AWS answers an unsigned request.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::ids;
use crate::model;
use crate::ops;
use crate::shared::Shared;
use crate::validate::{self, RawRequest};

/// The API's router: one handler for everything.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// Decodes `a=b&c=d` (percent-encoding and `+` for space).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = ids::uuid();
    let query = parse_query(uri.query().unwrap_or_default());
    let signed =
        headers.contains_key("authorization") || query.iter().any(|(k, _)| k == "X-Amz-Signature");
    let result = if !signed {
        Err(ApiError {
            status: 403,
            error_type: "MissingAuthenticationTokenException",
            message: "Missing Authentication Token".into(),
        })
    } else {
        match model::route(model::models(), method.as_str(), uri.path(), &query) {
            None => Err(ApiError::unknown_operation()),
            Some((op, labels)) => {
                let raw = RawRequest {
                    labels: &labels,
                    query: &query,
                    headers: &headers,
                    body: &body,
                };
                let outcome =
                    validate::input(op, &raw).and_then(|input| ops::call(&shared, &op.name, input));
                match &outcome {
                    Ok(_) => tracing::info!(operation = %op.name, "ok"),
                    Err(e) => tracing::info!(operation = %op.name, error = %e.error_type, "failed"),
                }
                outcome.map(|body| (op.status, body))
            }
        }
    };
    let mut response = match result {
        Ok((204, _)) => StatusCode::NO_CONTENT.into_response(),
        Ok((status, body)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let body = if body.is_null() {
                serde_json::json!({})
            } else {
                body
            };
            (status, axum::Json(body)).into_response()
        }
        Err(error) => error.into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-amzn-requestid", value);
    }
    response
}
