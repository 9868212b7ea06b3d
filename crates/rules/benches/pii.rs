//! Criterion benchmarks of the `pii` rule: messages with and without PII,
//! 200 B and 4 KB. The messages are shared with the Presidio script
//! (benches/peers/pii_messages.json) so the figures compare.

use std::hint::black_box;

use chimeflow_core::{ChannelMessage, Findings, Message, Rule, RuleConfig};
use chimeflow_rules::pii::PiiConfig;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const MESSAGES: &str = include_str!("../../../benches/peers/pii_messages.json");

fn field(json: &str, key: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value[key].as_str().unwrap().to_owned()
}

fn run(rule: &dyn Rule, received: &ChannelMessage) -> usize {
    let mut message = Message::new(received);
    let mut findings = Findings::new();
    let _ = rule.check(&mut message, &mut findings);
    findings.len() + message.content().len()
}

fn bench(c: &mut Criterion) {
    let rule = PiiConfig::default().build().unwrap();
    let mut group = c.benchmark_group("pii");
    for name in ["clean_200", "pii_200", "clean_4k", "pii_4k"] {
        let content = field(MESSAGES, name);
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(content.clone()),
            ..Default::default()
        };
        group.throughput(Throughput::Bytes(content.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| run(rule.as_ref(), black_box(&received)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
