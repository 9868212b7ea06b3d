//! Structured events through whole pipelines: the embedded default
//! configuration, every built-in rule in one pipeline, and that pipeline
//! failing open. Every invariant holds.
#![no_main]

use chimeflow_fuzz::FuzzEvent;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, FuzzEvent)| {
    let (pick, generated) = input;
    let processors = chimeflow_fuzz::pipeline_processors();
    let processor = &processors[usize::from(pick) % processors.len()];
    chimeflow_fuzz::check(processor, &generated.to_event());
});
