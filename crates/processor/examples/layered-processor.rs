//! A processor built in code and served inside a `tower` layer of its own:
//! the shape for teams that want their own middleware (a timeout, a tracing
//! span, a metric) around chimeflow's handler. The layer here marks every
//! invocation result with `"Layer": "wrapped"`; the end-to-end tests run
//! this binary against a local Runtime API to prove the layer sees each
//! invocation and the callback still goes out.

use chimeflow_core::{Findings, Message, OnError, Pipeline, Processor, Rule, Verdict};
use lambda_runtime::tower::ServiceBuilder;
use serde_json::Value;

/// Denies messages that shout (all capitals, more than three letters).
struct NoShouting;

impl Rule for NoShouting {
    fn id(&self) -> &str {
        "no-shouting"
    }

    fn check(&self, message: &mut Message<'_>, _findings: &mut Findings) -> Verdict {
        let text = message.content();
        if text.len() > 3 && !text.chars().any(char::is_lowercase) {
            Verdict::deny("shouting")
        } else {
            Verdict::Continue
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    let processor = Processor::new(Pipeline::new(vec![Box::new(NoShouting)]), OnError::Deny);
    let handler = chimeflow_runtime::handler(processor).await?;
    let service = ServiceBuilder::new()
        .map_response(|mut result: Value| {
            result["Layer"] = "wrapped".into();
            result
        })
        .service(handler.into_service());
    lambda_runtime::run(service).await
}
