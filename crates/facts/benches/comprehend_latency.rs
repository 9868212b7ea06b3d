//! What the Comprehend-backed rules add to a message's latency when
//! Comprehend answers in 20 ms: all three rules on (language, toxicity,
//! comprehend-pii), their calls made at once, against a local stand-in.
//! Goal: p99 added latency within 25 ms (the calls concurrent, not one
//! after another, which would be 60 ms).
//!
//! cargo bench -p chimeflow-facts --bench comprehend_latency [-- MESSAGES [SERVICE_MS]]

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
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let messages = numbers.first().map_or(500, |&n| n as usize);
    // A second number sets the stand-in's answer time (ms): 0 shows what
    // the HTTP exchanges themselves cost.
    let service = Duration::from_millis(numbers.get(1).copied().unwrap_or(20));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
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
    stub.take_held();
    // Per message: the whole time, the longest time the stand-in really
    // held one of its calls (its timer wakes late by up to ~2 ms on a
    // VM), and what is left: what chimeflow itself adds.
    let mut totals = Vec::with_capacity(messages);
    let mut held = Vec::with_capacity(messages);
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
        let longest = stub.take_held().into_iter().max().unwrap_or_default();
        totals.push(elapsed);
        held.push(longest);
        added.push(elapsed.saturating_sub(longest));
    }
    for series in [&mut totals, &mut held, &mut added] {
        series.sort();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let line = |name: &str, series: &[Duration]| {
        println!(
            "{name:<44} p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
            ms(percentile(series, 0.5)),
            ms(percentile(series, 0.99)),
            ms(*series.last().unwrap())
        )
    };
    println!(
        "messages: {messages}, Comprehend calls per message: {:.2}, stand-in asked to answer in {} ms",
        calls as f64 / messages as f64,
        service.as_millis()
    );
    line("time per message", &totals);
    line("stand-in's longest call, as it held it", &held);
    line("added by chimeflow (time - longest call)", &added);
    println!(
        "with a service answering in exactly {} ms: p99 {:.2} ms per message (goal: within 25 ms)",
        service.as_millis(),
        ms(service + percentile(&added, 0.99))
    );
    println!("max calls in flight at once: {}", stub.max_in_flight());
}
