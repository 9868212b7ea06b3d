//! What the Comprehend-backed rules add to a message's latency when
//! Comprehend answers in 20 ms: all three rules on (language, toxicity,
//! comprehend-pii), their calls made at once, against a local stand-in.
//! Goal: p99 added latency within 25 ms (the calls concurrent, not one
//! after another, which would be 60 ms).
//!
//! cargo bench -p chimeflow-facts --bench comprehend_latency [-- MESSAGES]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chimeflow_core::ProcessorEvent;
use chimeflow_e2e::{ComprehendReply, ComprehendStub};
use chimeflow_facts::{Comprehend, MemoryStore, Stage};
use chimeflow_host::{Config, ConfigSource};

const CONFIG: &str = r#"
[[rules]]
type = "pii"

[[rules]]
type = "language"

[[rules]]
type = "toxicity"

[[rules]]
type = "comprehend-pii"
"#;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn main() {
    let messages: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(500);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let service = Duration::from_millis(20);
    let stub = runtime.block_on(ComprehendStub::start(Vec::new()));
    for operation in [
        "DetectDominantLanguage",
        "DetectToxicContent",
        "DetectPiiEntities",
    ] {
        stub.set_default(operation, ComprehendReply::default_answer().after(service));
    }
    let source = ConfigSource {
        name: "bench.toml".into(),
        text: CONFIG.into(),
    };
    let processor = Config::parse(&source, &chimeflow_rules::registry())
        .unwrap()
        .into_processor();
    let stage = Stage::new(Arc::new(MemoryStore::new())).with_services(
        Arc::new(Comprehend::local(&stub.endpoint(), "us-east-1")),
        Duration::from_secs(5),
    );
    let event = |n: usize| {
        ProcessorEvent::from_slice(
            serde_json::json!({
                "CallbackId": format!("{n:0>32}"),
                "ChannelMessage": {
                    "MessageId": format!("m{n}"),
                    "ChannelArn": "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c",
                    "Content": format!("message {n}: shall we meet at the usual place later today, around five?"),
                    "Sender": {"Arn": "arn:aws:chime:us-east-1:111122223333:app-instance/a/user/u"},
                }
            })
            .to_string()
            .as_bytes(),
        )
        .unwrap()
    };
    // Warm the connections first.
    for n in 0..20 {
        let event = event(n);
        let requests = processor.requests(&event).unwrap();
        runtime.block_on(stage.gather(&requests, &event.channel_message, None));
    }
    let mut added = Vec::with_capacity(messages);
    let mut calls = 0;
    for n in 20..20 + messages {
        let event = event(n);
        let started = Instant::now();
        let requests = processor.requests(&event).unwrap();
        let gathered = runtime.block_on(stage.gather(&requests, &event.channel_message, None));
        let outcome = processor.process_with(&event, &gathered.facts).unwrap();
        let elapsed = started.elapsed();
        assert!(gathered.service_calls.iter().all(|c| c.failure.is_none()));
        calls += gathered.service_calls.len();
        std::hint::black_box(outcome);
        added.push(elapsed.saturating_sub(service));
    }
    added.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "messages: {messages}, Comprehend calls per message: {:.2}, stand-in answering in {} ms",
        calls as f64 / messages as f64,
        service.as_millis()
    );
    println!(
        "latency added beyond one 20 ms answer: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (goal: within 25 ms of the message's time at p99 overall: p99 total {:.2} ms)",
        ms(percentile(&added, 0.5)),
        ms(percentile(&added, 0.99)),
        ms(*added.last().unwrap()),
        ms(percentile(&added, 0.99) + service)
    );
    println!("max calls in flight at once: {}", stub.max_in_flight());
}
