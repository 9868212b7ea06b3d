//! How to run the emulator.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Emulator settings. `Default` gives ephemeral ports on 127.0.0.1,
/// us-east-1, account 111122223333, a 10 s processor timeout, Lambda's
/// async retry delays (1 and 2 minutes), single delivery, no snapshot.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Where the Chime SDK API listens (port 0: any free port).
    pub bind: SocketAddr,
    /// Where the Lambda Runtime API listens (port 0: any free port).
    pub runtime_api_bind: SocketAddr,
    /// The region in ARNs.
    pub region: String,
    /// The account in ARNs.
    pub account_id: String,
    /// How long no processor may be there (none polling, none holding an
    /// invocation) before the invocations never picked up get the flow's
    /// FallbackAction; also each invocation's deadline (the function
    /// timeout) once picked up.
    pub processor_timeout: Duration,
    /// Delays before Lambda's async retries of a failed invocation; one
    /// retry per entry (Lambda: two, about 1 and 2 minutes).
    pub retry_delays: Vec<Duration>,
    /// Deliver every first invocation twice, as Lambda's at-least-once
    /// delivery may, to test a processor's idempotency.
    pub duplicate_delivery: bool,
    /// A JSON file to load the state from at start and keep written.
    pub snapshot: Option<PathBuf>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            runtime_api_bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            region: "us-east-1".into(),
            account_id: "111122223333".into(),
            processor_timeout: Duration::from_secs(10),
            retry_delays: vec![Duration::from_secs(60), Duration::from_secs(120)],
            duplicate_delivery: false,
            snapshot: None,
        }
    }
}
