//! The handler as a `tower::Service`, the shape `lambda_runtime::run` takes,
//! so that a processor can be wrapped in layers of its own (timeouts,
//! tracing spans, metrics) the way aws-lambda-rust-runtime users do.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use lambda_runtime::LambdaEvent;
use lambda_runtime::tower::Service;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::{Callback, Handler, InvocationError};

/// A [`Handler`] as a cloneable `tower::Service<LambdaEvent<Box<RawValue>>>`.
///
/// ```no_run
/// # async fn doc(processor: chimeflow_core::Processor) -> Result<(), lambda_runtime::Error> {
/// use lambda_runtime::tower::ServiceBuilder;
///
/// let handler = chimeflow_runtime::handler(processor).await?;
/// let service = ServiceBuilder::new()
///     // your layers here, e.g. .layer(tower::timeout::TimeoutLayer::new(...))
///     .service(handler.into_service());
/// lambda_runtime::run(service).await
/// # }
/// ```
pub struct HandlerService<C> {
    handler: Arc<Handler<C>>,
}

impl<C> Clone for HandlerService<C> {
    fn clone(&self) -> Self {
        Self {
            handler: self.handler.clone(),
        }
    }
}

impl<C: Callback + 'static> Handler<C> {
    /// This handler as a `tower::Service` for `lambda_runtime::run`.
    pub fn into_service(self) -> HandlerService<C> {
        HandlerService {
            handler: Arc::new(self),
        }
    }
}

impl<C: Callback + 'static> Service<LambdaEvent<Box<RawValue>>> for HandlerService<C> {
    type Response = Value;
    type Error = InvocationError;
    type Future = Pin<Box<dyn Future<Output = Result<Value, InvocationError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // Always ready: the handler keeps no per-call state.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, event: LambdaEvent<Box<RawValue>>) -> Self::Future {
        let handler = self.handler.clone();
        Box::pin(async move { handler.invoke(event).await })
    }
}
