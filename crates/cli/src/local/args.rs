//! The arguments of `chimeflow local`.

use std::path::PathBuf;

use clap::Args;

use crate::duration::parse_duration;

/// Run the channel-flow loop on this machine: the emulator and the processor.
///
/// Starts the local Chime SDK Messaging emulator, creates an AppInstance, an
/// admin, a user, a channel (the user a member) and a channel flow whose
/// processor Lambda (FallbackAction ABORT) is the processor binary, runs
/// that binary as a child process against the emulator's Lambda Runtime API,
/// and associates the flow with the channel. Then every message sent to the
/// channel goes through your rules, as on AWS.
///
/// Standard output gets one JSON line once everything is ready:
///
///   {"Endpoint", "RuntimeApi", "Region", "AppInstanceArn", "AdminArn",
///    "UserArn", "ChannelArn", "ChannelFlowArn", "FunctionArn", "Store"}
///
/// ("Store" is {"Type": "memory"} or {"Type": "dynamodb", "Endpoint", "Table"}.)
///
/// and standard error a ready-to-paste `chimeflow messages watch` command.
///
/// The processor gets AWS_LAMBDA_RUNTIME_API, AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING,
/// AWS_REGION, placeholder credentials (none of your AWS profiles) and, with
/// --config, CHIMEFLOW_CONFIG. Stateful rules (rate-limit, duplicate,
/// strikes) keep their state as --store says: CHIMEFLOW_STORE=memory (the
/// processor's own memory), or dynamodb with CHIMEFLOW_STORE_TABLE and
/// AWS_ENDPOINT_URL_DYNAMODB; CHIMEFLOW_HASH_KEY is set to a local key
/// unless you set one. Its log lines go to standard error, with the
/// emulator's warnings (a FallbackAction applied, retries used up); RUST_LOG sets
/// both levels.
///
/// Runs until interrupted (Ctrl-C or SIGTERM), then stops the processor and
/// the emulator and exits 0. If the processor exits on its own (a bad
/// configuration, a crash), chimeflow says so with its exit status, stops
/// the emulator and exits 1: a loop without its processor would only leave
/// messages PENDING.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    cargo build -p chimeflow-processor --bin processor && chimeflow local\n  \
    chimeflow local --port 0 --config my-rules.toml\n  \
    chimeflow local --processor ./target/debug/my-processor --duplicate-delivery\n  \
    chimeflow local --config stateful.toml --store dynamodb\n  \
    chimeflow local --store dynamodb --dynamodb-endpoint http://127.0.0.1:8000")]
pub struct LocalArgs {
    /// The emulator's API port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 7700, value_name = "PORT")]
    pub port: u16,

    /// The emulator's Lambda Runtime API port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0, value_name = "PORT")]
    pub runtime_api_port: u16,

    /// The processor program, with arguments separated by spaces [default:
    /// the `processor` binary next to this one, as cargo builds it].
    #[arg(long, value_name = "CMD")]
    pub processor: Option<String>,

    /// The processor's configuration (sets CHIMEFLOW_CONFIG for it)
    /// [default: its embedded configuration].
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Deliver every message to the processor twice, as Chime may.
    #[arg(long)]
    pub duplicate_delivery: bool,

    /// The region of the emulated service and its ARNs.
    #[arg(long, default_value = "us-east-1", value_name = "REGION")]
    pub region: String,

    /// The account id in the emulated ARNs.
    #[arg(long, default_value = "111122223333", value_name = "ID")]
    pub account_id: String,

    /// How long no processor may be there (none polling, none busy)
    /// before waiting invocations get the flow's FallbackAction; also each
    /// invocation's deadline (the function timeout).
    #[arg(long, value_parser = parse_duration, default_value = "30s", value_name = "DURATION")]
    pub processor_timeout: std::time::Duration,

    /// The delays of Lambda's async retries after a function error or a
    /// deadline passed, one retry each (`none`: no retry).
    #[arg(long, value_name = "DURATION,…", default_value = "60s,120s", value_parser = parse_delays)]
    pub retry_delays: Delays,

    /// Load the emulator's state from this file at start and keep it written
    /// there (each run still sets up its own AppInstance, channel and flow).
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,

    /// Where stateful rules keep their state: `memory` (the processor's own,
    /// gone when it stops) or `dynamodb` (a DynamoDB-compatible server: the
    /// one --dynamodb-endpoint names, else moto's server started on a free
    /// port, from $CHIMEFLOW_MOTO_SERVER or `moto_server` on PATH; install
    /// it with `pip install 'moto[server]'`).
    #[arg(long, value_enum, default_value_t = StoreChoice::Memory, value_name = "STORE")]
    pub store: StoreChoice,

    /// With --store dynamodb: a DynamoDB-compatible server to use instead of
    /// starting one (DynamoDB Local, moto, dynalite).
    #[arg(long, value_name = "URL")]
    pub dynamodb_endpoint: Option<String>,

    /// With --store dynamodb: the table, created when missing.
    #[arg(long, default_value = "chimeflow-local", value_name = "NAME")]
    pub dynamodb_table: String,

    /// Where the Comprehend-backed rules (toxicity, comprehend-pii,
    /// language) ask: `aws` for Amazon Comprehend itself, with your AWS
    /// credentials and region (profiles, SSO, the environment) while the
    /// chat stays local, or the URL of a stand-in. Without it those rules
    /// have no answer and apply their on_service_error.
    #[arg(long, value_name = "aws|URL")]
    pub comprehend: Option<String>,
}

/// Where `chimeflow local`'s processor keeps stateful rules' state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StoreChoice {
    /// The processor's own memory.
    Memory,
    /// A DynamoDB-compatible server.
    Dynamodb,
}

/// Retry delays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delays(pub Vec<std::time::Duration>);

/// Parses `60s,120s`, or `none`.
pub fn parse_delays(text: &str) -> Result<Delays, String> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(Delays(Vec::new()));
    }
    text.split(',')
        .map(parse_duration)
        .collect::<Result<Vec<_>, _>>()
        .map(Delays)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays() {
        use std::time::Duration;
        assert_eq!(
            parse_delays("60s,2m").unwrap().0,
            [Duration::from_secs(60), Duration::from_secs(120)]
        );
        assert!(parse_delays("none").unwrap().0.is_empty());
        assert!(parse_delays("soon").is_err());
    }
}
