//! The facts stage over the in-memory store: what stateful rules cost on
//! top of the rules themselves, with no network.
//!
//! cargo bench -p chimeflow-facts --bench stage

#[path = "common.rs"]
mod common;

use std::hint::black_box;
use std::sync::Arc;

use chimeflow_facts::{ItemUpdate, MemoryStore, Stage, Store};
use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::FutureExt;

/// One store call as the stage makes it for a message: an entry added to
/// the current bucket, two old buckets removed, the TTL set; 50 records.
fn memory_store(c: &mut Criterion) {
    let store = MemoryStore::new();
    let mut n = 0u64;
    c.bench_function("memory_store/update", |b| {
        b.iter(|| {
            n += 1;
            let bucket = n / 100;
            let update = ItemUpdate {
                key: format!(
                    "sender#arn:aws:chime:us-east-1:111122223333:app-instance/a/user/u{}",
                    n % 50
                ),
                add: vec![(
                    format!("messages_10s_{bucket}"),
                    format!(
                        "{}|m{n}|0123456789abcdef|fedcba9876543210",
                        1_700_000_000_000 + n * 50
                    ),
                )],
                remove: vec![
                    format!("messages_10s_{}", bucket.wrapping_sub(2)),
                    format!("messages_10s_{}", bucket.wrapping_sub(3)),
                ],
                set: Vec::new(),
                expires: Some(1_800_000_000),
            };
            black_box(store.update(update).now_or_never())
        })
    });
}

/// A message through the default rules alone, and through the default
/// rules with every stateful rule over the memory store (gather, decide,
/// record): the difference is what the stateful rules and the stage add.
fn pipeline(c: &mut Criterion) {
    let processor = common::processor();
    let start = common::start_ms();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let stage = Stage::new(Arc::new(MemoryStore::new()));
    let events: Vec<_> = (0..20_000).map(|n| common::event(n, Some(start))).collect();
    let mut group = c.benchmark_group("pipeline");
    let mut n = 0;
    let stateless = chimeflow_rules::load_default().unwrap().into_processor();
    group.bench_function("default_rules", |b| {
        b.iter(|| {
            n = (n + 1) % events.len();
            black_box(stateless.process(&events[n]).unwrap())
        })
    });
    let mut n = 0;
    group.bench_function("default_and_stateful_rules_memory_store", |b| {
        b.iter(|| {
            n = (n + 1) % events.len();
            let event = &events[n];
            runtime.block_on(async {
                let requests = processor.requests(event).unwrap();
                let gathered = stage.gather(&requests, &event.channel_message, None).await;
                let outcome = processor.process_with(event, &gathered.facts).unwrap();
                stage.record(&gathered, &outcome.effects, None).await;
                black_box(outcome)
            })
        })
    });
    group.finish();
}

criterion_group!(benches, memory_store, pipeline);
criterion_main!(benches);
