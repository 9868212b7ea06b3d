//! Opening the callback endpoint's HTTPS connection during init.
//!
//! The first callback after a cold start would otherwise pay DNS, TCP and
//! the TLS handshake (reported near 900 ms at 128 MB) on the message's
//! time. The processor builds one HTTPS connector (rustls with aws-lc-rs,
//! the SDK's default provider: root certificates and the TLS configuration
//! are prepared once, here) and hands it to the SDK for every request, then
//! sends one unsigned `GET /` to the endpoint through it while aws-config
//! loads. The response is read to the end, so the connection goes back to
//! the pool the first ChannelFlowCallback takes it from. The GET carries no
//! credentials and names no API: it is not an API call and needs no
//! permission. A failure is logged and ignored; the callback then opens its
//! own connection as it would have.

use std::time::Duration;

use aws_smithy_http_client::{Connector, proxy::ProxyConfig, tls};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::byte_stream::ByteStream;

/// How long init may spend warming; it overlaps loading aws-config.
const WARM_TIMEOUT: Duration = Duration::from_secs(2);

/// Idle connections are dropped after this long. Below the usual 60 s
/// server-side idle timeout, so a frozen-then-thawed Lambda rarely picks a
/// connection the server already closed (the delivery loop retries one
/// that fails anyway).
const POOL_IDLE: Duration = Duration::from_secs(50);

/// The connector every SDK request uses: the SDK default's TLS provider,
/// proxy settings and connect timeout (3.1 s).
pub(crate) fn build_connector() -> SharedHttpConnector {
    let settings = HttpConnectorSettings::builder()
        .connect_timeout(Duration::from_millis(3100))
        .build();
    SharedHttpConnector::new(
        Connector::builder()
            .connector_settings(settings)
            .pool_idle_timeout(POOL_IDLE)
            .proxy_config(ProxyConfig::from_env())
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::AwsLc,
            ))
            .build(),
    )
}

/// The endpoint override in the environment: the first non-empty of
/// `AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING` and `AWS_ENDPOINT_URL`.
///
/// An empty value counts as unset. The SDK would otherwise take an empty
/// service-specific variable (`sam local` and env.json templates leave them
/// blank) as the endpoint and panic on the first request.
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` turns overrides off, as it
/// does for every AWS SDK.
pub(crate) fn configured_endpoint() -> Option<String> {
    endpoint_override("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING")
}

/// The same for any client: the first non-empty of `service_variable` (e.g.
/// `AWS_ENDPOINT_URL_EVENTBRIDGE`) and `AWS_ENDPOINT_URL`, unless
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.
pub(crate) fn endpoint_override(service_variable: &str) -> Option<String> {
    let ignored = std::env::var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_ok_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if ignored {
        return None;
    }
    first_non_empty([
        std::env::var(service_variable).ok(),
        std::env::var("AWS_ENDPOINT_URL").ok(),
    ])
}

fn first_non_empty(candidates: [Option<String>; 2]) -> Option<String> {
    candidates
        .into_iter()
        .flatten()
        .map(|url| url.trim().to_owned())
        .find(|url| !url.is_empty())
}

/// The endpoint the SDK will call: the override, else the regional
/// endpoint.
fn endpoint() -> Option<String> {
    configured_endpoint().or_else(|| {
        let region = std::env::var("AWS_REGION").ok().filter(|r| !r.is_empty())?;
        Some(format!("https://messaging-chime.{region}.amazonaws.com/"))
    })
}

/// Opens the connection; returns the status the endpoint answered.
pub(crate) async fn warm(connector: &SharedHttpConnector) -> Result<Option<u16>, String> {
    let Some(endpoint) = endpoint() else {
        return Ok(None);
    };
    let exchange = async {
        let request = HttpRequest::get(endpoint.as_str()).map_err(|e| e.to_string())?;
        let response = connector.call(request).await.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        // Read to the end: an HTTP/1.1 connection is pooled only then.
        ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| e.to_string())?;
        Ok(Some(status))
    };
    tokio::time::timeout(WARM_TIMEOUT, exchange)
        .await
        .unwrap_or_else(|_| Err("timed out".into()))
}

#[cfg(test)]
mod tests {
    use super::first_non_empty;

    #[test]
    fn an_empty_override_counts_as_unset() {
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            first_non_empty([some(""), some("http://g")]),
            some("http://g")
        );
        assert_eq!(first_non_empty([some(" "), None]), None);
        assert_eq!(
            first_non_empty([some("http://s"), some("http://g")]),
            some("http://s")
        );
        assert_eq!(first_non_empty([None, None]), None);
    }
}
