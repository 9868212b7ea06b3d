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
//! A custom rule crate registers its rule types in the registry first, or
//! builds its own [`Processor`] and calls
//! [`main_with_processor`]. To wrap the handler in `tower` layers of your
//! own, build it with [`handler`] and serve
//! [`Handler::into_service`] with `lambda_runtime::run`.
//!
//! The runtime depends on the rule host (`chimeflow-host`: the registry and
//! the configuration loader), not on the built-in rules, so a processor with
//! only custom rules does not link them.
//!
//! Environment:
//! - `CHIMEFLOW_CONFIG`: a configuration file instead of the embedded one.
//! - `CHIMEFLOW_ON_ERROR`: `deny` or `pass`, overriding the configuration.
//! - `CHIMEFLOW_DRY_RUN=1`: log the callback (content replaced by sizes) and
//!   return it as the invocation result instead of sending it.
//! - `CHIMEFLOW_STORE_TABLE`: the DynamoDB table of stateful rules (see
//!   `[store]` in the configuration and `chimeflow-facts`).
//! - `CHIMEFLOW_EVENT_BUS`: the EventBridge bus of moderation events (see
//!   `[events]`); set, it turns them on with the defaults.
//! - `AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING`, `AWS_ENDPOINT_URL_DYNAMODB`,
//!   `AWS_ENDPOINT_URL_COMPREHEND`, `AWS_ENDPOINT_URL_EVENTBRIDGE`: the
//!   SDK's endpoint overrides.
//! - `RUST_LOG` / `AWS_LAMBDA_LOG_LEVEL`: log level (default `info`).
//!
//! The guide: [the processor](https://github.com/chimeflow/chimeflow/blob/main/docs/processor.md) (callbacks, retries, every
//! failure case, logs and metrics) and [deploying](https://github.com/chimeflow/chimeflow/blob/main/docs/deploying.md).

mod callback;
mod delivery;
mod events;
mod handler;
mod init_error;
mod logging;
mod metrics;
mod sdk;
mod service;
mod settings;
mod warm;

pub use callback::{Callback, CallbackFailure};
pub use delivery::{Delivery, RetryPolicy, deliver};
pub use events::Events;
pub use handler::{Handler, InvocationError};
pub use sdk::SdkCallback;
pub use service::HandlerService;
pub use settings::Settings;

use std::process::ExitCode;

use std::sync::Arc;

use chimeflow_core::Processor;
use chimeflow_facts::{MemoryStore, Stage, Store};
use chimeflow_host::{
    ComprehendSettings, Config, ConfigSource, EventsSettings, Registry, ResolvedStore,
    StoreSettings,
};

/// The settings a configuration gives the runtime beside its rules.
type Sections = (StoreSettings, ComprehendSettings, Option<EventsSettings>);

/// Runs the processor Lambda with the rule types of `registry`: loads the
/// configuration (`$CHIMEFLOW_CONFIG`, else `default_config`, which a custom
/// processor embeds with `include_str!`), refusing to start, through the
/// Runtime API's init error, when it is bad; builds the SDK client once; and
/// serves invocations.
pub fn main_with_config(registry: Registry, default_config: ConfigSource) -> ExitCode {
    block_on(async move {
        let (processor, store) = match ConfigSource::resolve_or(None, default_config)
            .and_then(|source| Config::parse(&source, &registry))
        {
            Ok(config) => {
                let settings = (
                    config.store.clone(),
                    config.comprehend.clone(),
                    config.events.clone(),
                );
                (config.into_processor(), settings)
            }
            Err(error) => {
                return fail_init("Chimeflow.BadConfiguration", error.to_string()).await;
            }
        };
        serve(processor, store).await
    })
}

/// Runs the processor Lambda with a processor built in code (rules of your
/// own, no configuration file): the environment's settings apply as with
/// [`main_with_config`] (`CHIMEFLOW_ON_ERROR`, `CHIMEFLOW_DRY_RUN`, the endpoint).
/// Stateful rules keep their state as `CHIMEFLOW_STORE_TABLE` says (see
/// [`handler_with_store`]).
pub fn main_with_processor(processor: Processor) -> ExitCode {
    block_on(serve(
        processor,
        (
            StoreSettings::default(),
            ComprehendSettings::default(),
            None,
        ),
    ))
}

/// The handler `main_with_config` serves, for `processor` with the environment's
/// settings: calling back through the SDK client (built and warmed here),
/// or a dry run with `CHIMEFLOW_DRY_RUN=1`. Serve it yourself with
/// `lambda_runtime::run(handler.into_service())`, inside layers of your own.
/// A bad environment is an error, to report as the Runtime API's init error.
pub async fn handler(processor: Processor) -> Result<Handler<SdkCallback>, lambda_runtime::Error> {
    handler_with_store(processor, StoreSettings::default()).await
}

/// [`handler`], with the `[store]` settings of a configuration: the facts
/// stage over DynamoDB (`type = "dynamodb"`, or `CHIMEFLOW_STORE_TABLE`
/// set) or memory. Stateful rules with memory they did not ask for by name
/// are an error: on Lambda every instance would count on its own.
pub async fn handler_with_store(
    processor: Processor,
    store: StoreSettings,
) -> Result<Handler<SdkCallback>, lambda_runtime::Error> {
    handler_with_settings(processor, store, ComprehendSettings::default()).await
}

/// [`handler_with_store`], with the `[comprehend]` settings too: the
/// Comprehend-backed rules (toxicity, comprehend-pii, language) ask
/// Amazon Comprehend (`AWS_ENDPOINT_URL_COMPREHEND` overrides its
/// endpoint), each call within the budget. Moderation events go to
/// EventBridge when `CHIMEFLOW_EVENT_BUS` is set (with the defaults of
/// `[events]`); [`handler_with_events`] takes a configuration's section.
pub async fn handler_with_settings(
    processor: Processor,
    store: StoreSettings,
    comprehend: ComprehendSettings,
) -> Result<Handler<SdkCallback>, lambda_runtime::Error> {
    handler_with_events(processor, store, comprehend, None).await
}

/// [`handler_with_settings`], with the configuration's `[events]` section
/// (if any), settled against `CHIMEFLOW_EVENT_BUS`: with neither, no events
/// and no EventBridge client.
pub async fn handler_with_events(
    processor: Processor,
    store: StoreSettings,
    comprehend: ComprehendSettings,
    events: Option<EventsSettings>,
) -> Result<Handler<SdkCallback>, lambda_runtime::Error> {
    let settings = Settings::from_env()?;
    let events = EventsSettings::resolve_env(events.as_ref())?;
    let stage = stage_for(&processor, &store).await?.with_services(
        Arc::new(chimeflow_facts::Comprehend::from_env().await),
        comprehend.budget,
    );
    let processor = match settings.on_error {
        Some(on_error) => processor.with_on_error(on_error),
        None => processor,
    };
    tracing::info!(
        rules = %processor.pipeline().rule_ids().collect::<Vec<_>>().join(","),
        on_error = processor.on_error().as_str(),
        dry_run = settings.dry_run,
        "processor ready"
    );
    let handler = if settings.dry_run {
        Handler::dry_run(processor, settings)
    } else {
        Handler::new(processor, SdkCallback::from_env().await, settings)
    };
    let handler = handler.with_stage(stage);
    match events {
        // A dry run sends nothing: no client either.
        Some(events) if !handler.is_dry_run() => {
            tracing::info!(
                bus = %events.bus,
                outcomes = %events.outcomes.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(","),
                observed = events.observed,
                include_content = events.include_content,
                budget_ms = events.budget.as_millis() as u64,
                "moderation events ready"
            );
            Ok(handler.with_events(Events::from_env(events).await))
        }
        _ => Ok(handler),
    }
}

/// The facts stage `store` describes, for `processor`.
async fn stage_for(processor: &Processor, store: &StoreSettings) -> Result<Stage, String> {
    let backend: Arc<dyn Store> = match store.resolve_env()? {
        ResolvedStore::Dynamodb { table } => {
            Arc::new(chimeflow_facts::DynamoStore::from_env(table).await)
        }
        ResolvedStore::Memory { explicit } => {
            if is_stateful(processor) {
                if !explicit {
                    return Err(format!(
                        "stateful rules need a shared store: set {} (the SAM template's StatefulRules=true does) or [store] type = \"dynamodb\" with a table; [store] type = \"memory\" counts per instance",
                        chimeflow_host::STORE_TABLE_ENV
                    ));
                }
                tracing::warn!(
                    "stateful rules with the memory store: each instance counts on its own"
                );
            }
            Arc::new(MemoryStore::new())
        }
    };
    tracing::info!(
        store = backend.kind(),
        budget_ms = store.budget.as_millis() as u64,
        "facts stage ready"
    );
    Ok(Stage::new(backend).with_budget(store.budget))
}

/// Whether any rule of `processor` keeps state in the store
/// ([`chimeflow_core::Rule::uses_store`]): then it needs a shared one.
pub fn is_stateful(processor: &Processor) -> bool {
    processor.pipeline().uses_store()
}

/// Logging, the panic hook and a current-thread runtime around `serve`.
fn block_on(
    serve: impl std::future::Future<Output = Result<(), lambda_runtime::Error>>,
) -> ExitCode {
    logging::init();
    chimeflow_core::install_quiet_panic_hook(|location| {
        tracing::error!(location, "a rule panicked (payload withheld)");
    });
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
        match serve.await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!(error = %error, "processor stopped");
                ExitCode::FAILURE
            }
        }
    })
}

async fn serve(
    processor: Processor,
    (store, comprehend, events): Sections,
) -> Result<(), lambda_runtime::Error> {
    let handler = match handler_with_events(processor, store, comprehend, events).await {
        Ok(handler) => handler,
        Err(error) => return fail_init("Chimeflow.BadEnvironment", error.to_string()).await,
    };
    lambda_runtime::run(handler.into_service()).await
}

async fn fail_init(error_type: &str, message: String) -> Result<(), lambda_runtime::Error> {
    tracing::error!(error_type, error = %message, "refusing to start");
    init_error::report(error_type, &message).await;
    Err(message.into())
}
