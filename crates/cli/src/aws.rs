//! The AWS clients: Chime SDK Messaging (`flows`, `channels`, `messages`)
//! and Chime SDK Identity (`app-instances`, `users`, `admins`), with
//! endpoint, region, profile and credentials resolved the usual AWS way;
//! and SDK errors turned into one line and an exit code.

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::meta::credentials::CredentialsProviderChain;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_chimesdkidentity::Client as IdentityClient;
use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::config::http::HttpResponse;
use aws_sdk_chimesdkmessaging::config::{Credentials, Region, SharedCredentialsProvider};
use aws_sdk_chimesdkmessaging::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::failure::Failure;

/// The placeholder credentials used against a local endpoint when none are
/// configured: the emulator does not check signatures.
const LOCAL_KEY: &str = "chimeflow-local";

/// Runs `future` to completion on a single-threaded runtime.
pub fn block_on<T>(future: impl std::future::Future<Output = T>) -> Result<T, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Runtime(format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(future))
}

/// A Chime SDK Messaging client for the endpoint, region and profile of
/// `target`, else of the environment and profile files
/// (`AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING`, `AWS_ENDPOINT_URL`, `AWS_REGION`,
/// `AWS_PROFILE`, `~/.aws/config`, …).
///
/// Against a loopback endpoint (`localhost`, `127.0.0.0/8`, `[::1]`), the
/// credentials come from the environment or the profile when there are any,
/// else placeholders: the local emulator does not check signatures, and
/// the instance-metadata lookups of the full chain would only add delay.
pub async fn client(target: &Target<'_>) -> Result<Client, Failure> {
    let loaded = load(target, "AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING").await?;
    let mut builder = aws_sdk_chimesdkmessaging::config::Builder::from(&loaded.config);
    if let Some(url) = loaded.env_endpoint {
        builder.set_endpoint_url(Some(url));
    }
    if let Some(credentials) = loaded.local_credentials {
        builder.set_credentials_provider(Some(credentials));
    }
    Ok(Client::from_conf(builder.build()))
}

/// A Chime SDK Identity client (`app-instances`, `users`, `admins`),
/// resolved as [`client`] resolves the messaging one, with
/// `AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY` as its service's endpoint variable.
pub async fn identity_client(target: &Target<'_>) -> Result<IdentityClient, Failure> {
    let loaded = load(target, "AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY").await?;
    let mut builder = aws_sdk_chimesdkidentity::config::Builder::from(&loaded.config);
    if let Some(url) = loaded.env_endpoint {
        builder.set_endpoint_url(Some(url));
    }
    if let Some(credentials) = loaded.local_credentials {
        builder.set_credentials_provider(Some(credentials));
    }
    Ok(IdentityClient::from_conf(builder.build()))
}

/// Where and as whom calls go, from the global options (unset: from the
/// environment and profile files).
pub struct Target<'a> {
    /// `--endpoint-url`.
    pub endpoint_url: Option<&'a str>,
    /// `--region`.
    pub region: Option<&'a str>,
    /// `--profile`.
    pub profile: Option<&'a str>,
}

/// The shared configuration of one service's client, and what its
/// builder must override.
struct Loaded {
    config: SdkConfig,
    /// The endpoint from the environment (`--endpoint-url` not given).
    env_endpoint: Option<String>,
    /// Local credentials, when the endpoint is a loopback one.
    local_credentials: Option<SharedCredentialsProvider>,
}

/// Loads the configuration for a service whose own endpoint variable is
/// `service_endpoint_variable` (e.g. `AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING`).
async fn load(target: &Target<'_>, service_endpoint_variable: &str) -> Result<Loaded, Failure> {
    // A hung endpoint must not hang the command: each call, retries
    // included, gets a minute (connect attempts the SDK's 3.1 s).
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        TimeoutConfig::builder()
            .operation_timeout(std::time::Duration::from_secs(60))
            .build(),
    );
    if let Some(profile) = target.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = target.region {
        loader = loader.region(Region::new(region.to_owned()));
    }
    if let Some(url) = target.endpoint_url {
        check_endpoint(url)?;
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(Failure::Usage(
            "no AWS region: pass --region, set AWS_REGION, or set `region` in the profile".into(),
        ));
    }
    // The endpoint: --endpoint-url, else the environment (empty variables
    // count as unset), else the profile's `endpoint_url`.
    let env_endpoint = match target.endpoint_url {
        Some(_) => None,
        None => env_endpoint(service_endpoint_variable),
    };
    let endpoint = target
        .endpoint_url
        .map(str::to_owned)
        .or_else(|| env_endpoint.clone())
        .or_else(|| config.endpoint_url().map(str::to_owned));
    let local_credentials = endpoint
        .as_deref()
        .is_some_and(is_loopback)
        .then(|| SharedCredentialsProvider::new(local_credentials(target.profile)));
    Ok(Loaded {
        config,
        env_endpoint,
        local_credentials,
    })
}

fn check_endpoint(url: &str) -> Result<(), Failure> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(()),
        _ => Err(Failure::Usage(format!(
            "--endpoint-url must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:7700 (got {url:?})"
        ))),
    }
}

/// The endpoint override the SDK would take from the environment: the
/// service's own variable, else `AWS_ENDPOINT_URL`; empty values count as
/// unset.
fn env_endpoint(service_variable: &str) -> Option<String> {
    [service_variable, "AWS_ENDPOINT_URL"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
}

/// Whether `url`'s host is a loopback name or address.
pub fn is_loopback(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

fn local_credentials(profile: Option<&str>) -> CredentialsProviderChain {
    let mut from_profile = ProfileFileCredentialsProvider::builder();
    if let Some(profile) = profile {
        from_profile = from_profile.profile_name(profile);
    }
    CredentialsProviderChain::first_try(
        "Environment",
        EnvironmentVariableCredentialsProvider::new(),
    )
    .or_else("Profile", from_profile.build())
    .or_else(
        "ChimeflowLocal",
        Credentials::new(LOCAL_KEY, LOCAL_KEY, None, None, "chimeflow-local"),
    )
}

/// One line for a failed call: `<ExceptionCode>: <service message>` when the
/// service answered (exit 1), else what went wrong on the way.
pub fn failure<E>(error: SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match &error {
        SdkError::ServiceError(context) => {
            let service = context.err();
            let code = service.code().map_or_else(
                || format!("HTTP {}", context.raw().status().as_u16()),
                str::to_owned,
            );
            Failure::Service {
                code,
                message: service.message().unwrap_or_default().to_owned(),
            }
        }
        SdkError::ConstructionFailure(_) => {
            Failure::Usage(format!("cannot build the request: {}", causes(&error)))
        }
        SdkError::TimeoutError(_) => Failure::Runtime("the request timed out".into()),
        SdkError::DispatchFailure(_) => {
            let causes = causes(&error);
            let hint = if causes.contains("credential") {
                " (configure credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile)"
            } else {
                ""
            };
            Failure::Runtime(format!("cannot send the request: {causes}{hint}"))
        }
        _ => Failure::Runtime(format!("cannot read the response: {}", causes(&error))),
    }
}

/// The chain of causes under `error`, joined by ": ", repeats dropped.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = error.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = cause.source();
    }
    if parts.is_empty() {
        DisplayErrorContext(error).to_string()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://127.0.0.1:7700",
            "http://localhost:1/",
            "https://LOCALHOST",
            "http://[::1]:80/x",
            "http://127.9.9.9",
            "http://user@127.0.0.1:5",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://messaging-chime.us-east-1.amazonaws.com",
            "http://10.0.0.1:7700",
            "http://localhost.example.com",
            "127.0.0.1:7700",
            "",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }

    #[test]
    fn endpoints_need_a_scheme_and_host() {
        assert!(check_endpoint("http://127.0.0.1:7700").is_ok());
        assert!(check_endpoint("https://messaging-chime.us-east-1.amazonaws.com").is_ok());
        assert!(check_endpoint("127.0.0.1:7700").is_err());
        assert!(check_endpoint("http://").is_err());
        assert!(check_endpoint("ftp://x").is_err());
    }
}
