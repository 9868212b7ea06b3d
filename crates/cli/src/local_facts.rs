//! The facts stage of a local run (`chimeflow process`, `chimeflow
//! replay`): stateful rules keep their state in memory, in event order, and
//! Comprehend-backed rules ask a local endpoint when one is given.

use chimeflow_core::{Processor, ProcessorEvent};

use crate::failure::Failure;

/// The facts stage of a run: an in-memory store every event of the run
/// shares, driven on a current-thread runtime.
pub(crate) struct LocalFacts {
    runtime: tokio::runtime::Runtime,
    stage: chimeflow_facts::Stage,
}

impl LocalFacts {
    pub(crate) fn new(
        budget: std::time::Duration,
        comprehend: Option<(&str, std::time::Duration)>,
    ) -> Result<Self, Failure> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure::Runtime(format!("cannot start the async runtime: {e}")))?;
        let store = std::sync::Arc::new(chimeflow_facts::MemoryStore::new());
        let mut stage = chimeflow_facts::Stage::new(store).with_budget(budget);
        if let Some((endpoint, budget)) = comprehend {
            let comprehend = chimeflow_facts::Comprehend::local(endpoint, "us-east-1");
            stage = stage.with_services(std::sync::Arc::new(comprehend), budget);
        }
        Ok(Self { runtime, stage })
    }

    /// Gathers what the rules ask for, runs them, records what they ask
    /// to keep: the processor's order, in memory.
    pub(crate) fn outcome(
        &self,
        processor: &Processor,
        event: &ProcessorEvent,
    ) -> Result<chimeflow_core::Outcome, String> {
        let requests = processor.requests(event).map_err(|e| e.to_string())?;
        if requests.is_empty() {
            return processor.process(event).map_err(|e| e.to_string());
        }
        self.runtime.block_on(async {
            let gathered = self
                .stage
                .gather(&requests, &event.channel_message, None)
                .await;
            let outcome = processor
                .process_with(event, &gathered.facts)
                .map_err(|e| e.to_string())?;
            self.stage.record(&gathered, &outcome.effects, None).await;
            Ok(outcome)
        })
    }
}
