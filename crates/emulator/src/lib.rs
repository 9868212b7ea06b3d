//! chimeflow-emulator: a local Amazon Chime SDK Messaging service with
//! channel flows, and the Lambda Runtime API their processors poll, so the
//! whole channel-flow loop runs on 127.0.0.1 with no AWS account.
//!
//! The API speaks the real rest-json protocol of chime-sdk-messaging
//! (2021-05-15) and the three chime-sdk-identity (2021-04-20) calls a setup
//! needs, routed and validated from the botocore models vendored in
//! `model/`: unmodified SDKs work with only an endpoint override. State is
//! in memory, optionally snapshotted to a JSON file. Message content never
//! reaches logs or errors.
//!
//! ```no_run
//! # async fn demo() -> Result<(), chimeflow_emulator::EmulatorError> {
//! use chimeflow_emulator::{Emulator, EmulatorConfig};
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! let app = emulator.create_app_instance("demo");
//! let alice = emulator.create_app_instance_user(&app, "alice", "Alice")?;
//! // AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING = emulator.endpoint()
//! // AWS_LAMBDA_RUNTIME_API = emulator.runtime_api()
//! emulator.shutdown().await;
//! # let _ = alice; Ok(()) }
//! ```
//!
//! The guide's [local loop and emulator](https://github.com/chimeflow/chimeflow/blob/main/docs/local.md) lists the operations,
//! what is validated, and the emulator's deliberate differences from AWS.

// The modules form layers; each imports only from layers below it
// (tests/import_layers.rs fails on an import cycle):
//   bottom   config, error, ids, state, model, invocations (the queue types)
//   core     shared (config + state + queue), validate, wire (JSON shapes)
//   engine   flow (events, queueing, fallback, retries), snapshot
//   ops      ops/input, ops/access, ops/paging < one file per API area
//            < ops/mod.rs (dispatch)
//   servers  server (Chime API), runtime_api (Lambda Runtime API)
//   top      emulator (start/stop, the public handle), test_util

mod config;
mod emulator;
mod error;
mod flow;
mod ids;
mod invocations;
pub mod model;
mod ops;
mod runtime_api;
mod server;
mod shared;
mod snapshot;
mod state;
#[cfg(feature = "test-util")]
pub mod test_util;
mod validate;
mod wire;

pub use config::EmulatorConfig;
pub use emulator::{Emulator, RunningEmulator};
pub use error::{ApiError, EmulatorError};
pub use invocations::InvocationStats;
