//! chimeflow-runtime: the channel-flow processor Lambda.
//!
//! Per invocation: parse the event, run the pipeline built once at cold
//! start, validate the callback request, call ChannelFlowCallback exactly
//! once (retrying throttling, 5xx and connection failures with backoff
//! inside the invocation's deadline), log one JSON line without message
//! content, and emit CloudWatch Embedded Metric Format metrics.
//!
//! A binary is one line:
//! `chimeflow_runtime::main_with_config(chimeflow_rules::registry(), chimeflow_rules::default_config())`.
//! A custom rule crate registers its rule types in the registry first. The
//! runtime itself depends on the rule host (`chimeflow-host`) only, so a
//! processor with only custom rules does not link the built-in ones.
//!
//! Environment:
//! - `CHIMEFLOW_CONFIG`: a configuration file instead of the embedded one.
//! - `CHIMEFLOW_ON_ERROR`: `deny` or `pass`, overriding the configuration.
//! - `CHIMEFLOW_DRY_RUN=1`: log the callback (content replaced by sizes) and
//!   return it as the invocation result instead of sending it.
//! - `AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING`: the SDK's endpoint override.
//! - `RUST_LOG` / `AWS_LAMBDA_LOG_LEVEL`: log level (default `info`).

mod callback;
mod delivery;
mod handler;
mod init_error;
mod logging;
mod metrics;
mod sdk;
mod settings;
mod warm;

pub use callback::{Callback, CallbackFailure};
pub use delivery::{Delivery, RetryPolicy, deliver};
pub use handler::{Handler, InvocationError};
pub use sdk::SdkCallback;
pub use settings::Settings;

use std::process::ExitCode;

use chimeflow_host::{Config, ConfigSource, Registry};

/// Runs the processor Lambda with the rule types of `registry`: loads the
/// configuration (`$CHIMEFLOW_CONFIG`, else `default_config`, which a custom
/// processor embeds with `include_str!`), refusing to start, through the
/// Runtime API's init error, when it is bad; builds the SDK client once; and
/// serves invocations.
pub fn main_with_config(registry: Registry, default_config: ConfigSource) -> ExitCode {
    logging::init();
    quiet_panics();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(%error, "cannot start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match serve(registry, default_config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!(error = %error, "processor stopped");
                ExitCode::FAILURE
            }
        }
    })
}

/// A panicking rule is caught and answered by the error policy, but the
/// default hook would print its payload first, and panics such as a bad
/// slice quote the text. Log the location only.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        tracing::error!(
            location = location.as_deref().unwrap_or("unknown"),
            "a rule panicked (payload withheld)"
        );
    }));
}

async fn serve(
    registry: Registry,
    default_config: ConfigSource,
) -> Result<(), lambda_runtime::Error> {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(message) => return fail_init("Chimeflow.BadEnvironment", message).await,
    };
    let config = match ConfigSource::resolve_or(None, default_config)
        .and_then(|source| Config::parse(&source, &registry))
    {
        Ok(config) => config,
        Err(error) => return fail_init("Chimeflow.BadConfiguration", error.to_string()).await,
    };
    let mut processor = config.into_processor();
    if let Some(on_error) = settings.on_error {
        processor = processor.with_on_error(on_error);
    }
    tracing::info!(
        rules = %processor.pipeline().rule_ids().collect::<Vec<_>>().join(","),
        on_error = processor.on_error().as_str(),
        dry_run = settings.dry_run,
        "processor ready"
    );
    if settings.dry_run {
        let handler = Handler::new(processor, DryRun, settings);
        return run(handler).await;
    }
    let callback = SdkCallback::from_env().await;
    let handler = Handler::new(processor, callback, settings);
    run(handler).await
}

async fn run<C: Callback + 'static>(handler: Handler<C>) -> Result<(), lambda_runtime::Error> {
    let handler = std::sync::Arc::new(handler);
    lambda_runtime::run(lambda_runtime::service_fn(move |event| {
        let handler = handler.clone();
        async move { handler.invoke(event).await }
    }))
    .await
}

async fn fail_init(error_type: &str, message: String) -> Result<(), lambda_runtime::Error> {
    tracing::error!(error_type, error = %message, "refusing to start");
    init_error::report(error_type, &message).await;
    Err(message.into())
}

/// The callback used with `CHIMEFLOW_DRY_RUN`: sends nothing.
struct DryRun;

impl Callback for DryRun {
    async fn send(
        &self,
        _request: &chimeflow_core::CallbackRequest,
    ) -> Result<(), CallbackFailure> {
        Ok(())
    }
}
