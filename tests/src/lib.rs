//! chimeflow-e2e: end-to-end tests, and the local servers they need.
//!
//! - [`RuntimeApi`]: the Lambda Runtime API (next, response, error,
//!   init/error, with the deadline header), so that the real `processor`
//!   binary runs unmodified with `AWS_LAMBDA_RUNTIME_API` pointing at it.
//! - [`ChimeStub`]: an HTTP server on 127.0.0.1 standing in for Chime SDK
//!   Messaging, answering each request from a script (a status and error
//!   code, a connection reset, or no answer at all) and recording it.
//! - [`ComprehendStub`]: the same for Amazon Comprehend (AWS JSON 1.1), with
//!   a script per operation, realistic default answers (DetectToxicContent,
//!   DetectPiiEntities, DetectDominantLanguage), service latency, and a
//!   count of the requests it held at once.
//! - [`EventBridgeStub`]: the same for Amazon EventBridge's PutEvents,
//!   with scripted partial failures, errors and hangs.
//! - [`ProcessorProcess`]: a processor binary run as Lambda runs it.
//! - [`LambdaRie`]: AWS's Lambda Runtime Interface Emulator, which
//!   `sam local invoke` runs a function under, started on 127.0.0.1.
//! - [`assert_valid_callbacks`]: callback requests checked against
//!   botocore's model of ChannelFlowCallback;
//!   [`assert_valid_dynamodb_requests`] and
//!   [`assert_valid_comprehend_requests`] and
//!   [`assert_valid_eventbridge_requests`] the same for DynamoDB,
//!   Comprehend and EventBridge requests.
//! - [`MotoServer`]: moto's DynamoDB-compatible server on 127.0.0.1.

mod callback_model;
mod captured;
mod chime_stub;
mod comprehend_stub;
mod dynamodb;
mod eventbridge_stub;
mod lambda_rie;
mod processor_process;
mod runtime_api;

pub use callback_model::{
    assert_valid_callbacks, assert_valid_comprehend_requests, assert_valid_dynamodb_requests,
    assert_valid_eventbridge_requests, callback_request,
};
pub use captured::Captured;
pub use chime_stub::{ChimeStub, RecordedRequest, Reply};
pub use comprehend_stub::{ComprehendReply, ComprehendStub, harmless_labels, toxic_labels};
pub use dynamodb::MotoServer;
pub use eventbridge_stub::{EventBridgeReply, EventBridgeStub};
pub use lambda_rie::{LambdaRie, RieAnswer};
pub use processor_process::ProcessorProcess;
pub use runtime_api::{InvocationResult, RuntimeApi};
