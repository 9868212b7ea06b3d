//! What stateful rules add to a message's latency against a
//! DynamoDB-compatible server on 127.0.0.1 (moto's, as the tests run it),
//! and how many store calls a message costs. A harness of its own, not
//! criterion: the figures are a latency distribution (p50, p99) over many
//! messages, each gathered, decided and recorded as the processor does.
//!
//! cargo bench -p chimeflow-facts --bench dynamodb_latency [-- MESSAGES]

// Shared with the criterion benchmark, which also uses start_ms.
#[allow(dead_code)]
#[path = "common.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chimeflow_e2e::MotoServer;
use chimeflow_facts::{DynamoStore, ItemUpdate, Stage, Store};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn main() {
    let messages: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let server = MotoServer::start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let processor = common::processor();
    let store = DynamoStore::local(&server.endpoint(), "us-east-1", "chimeflow-bench");
    runtime.block_on(store.create_table()).unwrap();
    let store = Arc::new(store);
    // The server's own round trip, for reference: one bare UpdateItem
    // adding one element, as many times.
    let mut bare = Vec::with_capacity(messages);
    for n in 0..messages {
        let update = ItemUpdate {
            key: format!("bare#{}", n % 50),
            add: vec![("messages_10s_1".into(), format!("{n}|m{n}||"))],
            expires: Some(4_000_000_000),
            ..ItemUpdate::default()
        };
        let started = Instant::now();
        runtime.block_on(store.update(update)).unwrap();
        bare.push(started.elapsed());
    }
    bare.sort();
    let stage = Stage::new(store).with_budget(Duration::from_secs(5));
    let mut gather = Vec::with_capacity(messages);
    let mut decide = Vec::with_capacity(messages);
    let (mut calls, mut record_calls, mut failures) = (0, 0, 0);
    // Warm the connection pool and the server first.
    for n in 0..50 {
        let event = common::event(n, None);
        let requests = processor.requests(&event).unwrap();
        runtime.block_on(stage.gather(&requests, &event.channel_message, None));
    }
    for n in 50..50 + messages {
        let event = common::event(n, None);
        let started = Instant::now();
        let requests = processor.requests(&event).unwrap();
        let gathered = runtime.block_on(stage.gather(&requests, &event.channel_message, None));
        let gathered_at = Instant::now();
        let outcome = processor.process_with(&event, &gathered.facts).unwrap();
        decide.push(gathered_at.elapsed());
        gather.push(gathered_at - started);
        calls += gathered.calls;
        failures += gathered.failures.len();
        let recorded = runtime.block_on(stage.record(&gathered, &outcome.effects, None));
        record_calls += recorded.calls;
    }
    gather.sort();
    decide.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("messages: {messages}, store failures: {failures}");
    println!(
        "store calls per message: {:.3} before the decision, {:.3} after",
        calls as f64 / messages as f64,
        record_calls as f64 / messages as f64
    );
    println!(
        "gather (added before the rules): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&gather, 0.5)),
        ms(percentile(&gather, 0.99)),
        ms(*gather.last().unwrap())
    );
    println!(
        "one bare UpdateItem (the server's round trip): p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&bare, 0.5)),
        ms(percentile(&bare, 0.99))
    );
    println!(
        "rules with their facts: p50 {:.1} us, p99 {:.1} us",
        percentile(&decide, 0.5).as_secs_f64() * 1e6,
        percentile(&decide, 0.99).as_secs_f64() * 1e6
    );
}
