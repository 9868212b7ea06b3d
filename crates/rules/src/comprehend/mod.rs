//! The rules backed by Amazon Comprehend: `toxicity`, `comprehend-pii` and
//! `language`. Each asks its question in `gather`, with the text as the
//! rules before it left it (so what local rules redacted never leaves the
//! processor), and decides in `check` on the answer the processor got
//! within its budget, or, without one, as `on_service_error` says.

pub mod language;
pub mod pii;
mod segments;
pub mod toxicity;

use chimeflow_core::{Message, ServiceAnswer, ServiceKind, ServiceRequest, Unavailable};

/// The deny reason of a rule that fails closed without its answer.
pub const SERVICE_UNAVAILABLE: &str = "service-unavailable";

/// The answer to this rule's question about the text it now sees: the
/// service's answer when it answered about exactly this text.
fn answer<'m>(
    message: &'m Message<'_>,
    kind: ServiceKind,
) -> Result<(&'m ServiceRequest, &'m ServiceAnswer), Unavailable> {
    let (request, answer) = message.facts().service(kind)?;
    let sent = request.text();
    if sent != message.content() {
        return Err(Unavailable::Stale);
    }
    Ok((request, answer))
}
