//! The service interface: one question, one answer (Amazon Comprehend in
//! production, a stand-in in tests).

use std::fmt;

use chimeflow_core::{ServiceAnswer, ServiceRequest};
use futures_util::future::BoxFuture;

use crate::store::StoreError;

/// Answers [`ServiceRequest`]s. Object-safe: the stage holds any as
/// `Arc<dyn Services>`. Failures use the store's error kinds (throttled
/// or failed), so one failure policy covers both.
pub trait Services: Send + Sync + fmt::Debug {
    /// Asks one question. Offsets in the answer are byte offsets into the
    /// request's text.
    fn ask<'a>(
        &'a self,
        request: &'a ServiceRequest,
    ) -> BoxFuture<'a, Result<ServiceAnswer, StoreError>>;

    /// A short name for logs: `comprehend`.
    fn kind(&self) -> &'static str;
}
