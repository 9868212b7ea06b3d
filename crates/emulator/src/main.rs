//! `chimeflow-emulator`: runs the local Chime SDK Messaging channel-flow
//! service and its Lambda Runtime API until Ctrl-C or SIGTERM. Prints one
//! JSON line, `{"Endpoint","RuntimeApi","Region"}`, once both listen.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use chimeflow_emulator::{Emulator, EmulatorConfig};
use clap::Parser;

/// A local Amazon Chime SDK Messaging service with channel flows.
#[derive(Parser)]
#[command(name = "chimeflow-emulator", version)]
struct Args {
    /// Port of the Chime SDK API on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Port of the Lambda Runtime API on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    runtime_api_port: u16,
    /// Load the state from this JSON file and keep it written.
    #[arg(long, value_name = "FILE")]
    snapshot: Option<PathBuf>,
    /// How long no processor may be there (none polling, none busy) before
    /// waiting invocations get the flow's FallbackAction (also the
    /// invocation deadline).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    processor_timeout_ms: u64,
    /// Delays of Lambda's async retries after a function error, in ms.
    #[arg(long, value_name = "MS,MS", value_delimiter = ',', default_values_t = [60_000u64, 120_000])]
    retry_delays_ms: Vec<u64>,
    /// Deliver every invocation twice (tests processor idempotency).
    #[arg(long)]
    duplicate_delivery: bool,
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called, before the future is first polled, so a signal sent right after
/// the JSON line is not lost.
#[cfg(unix)]
fn stopped() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let term = signal(SignalKind::terminate());
    let interrupt = signal(SignalKind::interrupt());
    async move {
        match (term, interrupt) {
            (Ok(mut term), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = term.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn stopped() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "chimeflow_emulator=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("chimeflow-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let config = EmulatorConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], args.port)),
            runtime_api_bind: SocketAddr::from(([127, 0, 0, 1], args.runtime_api_port)),
            processor_timeout: Duration::from_millis(args.processor_timeout_ms),
            retry_delays: args
                .retry_delays_ms
                .iter()
                .map(|ms| Duration::from_millis(*ms))
                .collect(),
            duplicate_delivery: args.duplicate_delivery,
            snapshot: args.snapshot,
            ..EmulatorConfig::default()
        };
        let emulator = match Emulator::start(config).await {
            Ok(emulator) => emulator,
            Err(e) => {
                eprintln!("chimeflow-emulator: {e}");
                return ExitCode::from(2);
            }
        };
        let stop = stopped();
        println!(
            "{}",
            serde_json::json!({
                "Endpoint": emulator.endpoint(),
                "RuntimeApi": emulator.runtime_api(),
                "Region": emulator.region(),
            })
        );
        stop.await;
        emulator.shutdown().await;
        ExitCode::SUCCESS
    })
}
