//! Criterion benchmarks of whole pipelines and of each rule alone, on chat
//! messages of ~200 B and 4 KB, clean and "dirty" (disguised swear words,
//! an email, a phone number, a card, a link):
//!
//! - `pipeline/default`: the embedded rules/chimeflow.toml (deny-empty,
//!   length, profanity, pii, tag) through `Processor::process`, which also
//!   builds and validates the callback request: what the Lambda runs;
//! - `rule/<id>`: each rule of the default pipeline, and the operator rules
//!   `keyword` (40 words), `regex` (4 patterns) and `links`, alone on the
//!   same message.
//!
//! `cargo bench -p chimeflow-rules --bench pipeline`

#![allow(missing_docs)]

use std::hint::black_box;

use chimeflow_core::{ChannelMessage, Findings, Message, ProcessorEvent, Rule};
use chimeflow_host::{Config, ConfigSource};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const CLEAN: &[&str] = &[
    "I pushed the fix for the login page, please review when you get a chance.",
    "The new dashboard looks great, thanks Rachel! Can we move the standup to 10:30?",
    "Reminder: retro starts in 10 minutes; who has the keys to the meeting room?",
    "We shipped version 9.8.4 this morning, the class assessment passed in Essex.",
    "Sorry, running five minutes late, the cocktail party at Scunthorpe ran over.",
];

const DIRTY: &[&str] = &[
    "this fucking build broke again, mail jane.doe@example.com about the sh*t",
    "he is such a w4nker, call him on +44 20 7946 0958 or see https://bad.example.net/x",
    "card 4111 1111 1111 1111 for the order, total bullshiiiit",
];

/// Sentences joined until the message has about `size` bytes; every
/// `dirty_every`-th sentence is a dirty one (0: none).
fn text(size: usize, dirty_every: usize) -> String {
    let mut text = String::new();
    let mut clean = CLEAN.iter().cycle();
    let mut dirty = DIRTY.iter().cycle();
    for n in 1.. {
        let next = if dirty_every > 0 && n % dirty_every == 0 {
            dirty.next()
        } else {
            clean.next()
        };
        let next = next.copied().unwrap_or("");
        if !text.is_empty() && text.len() + 1 + next.len() > size {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(next);
    }
    text
}

fn event(content: &str) -> ProcessorEvent {
    let json = serde_json::json!({
        "EventType": "CHANNEL_MESSAGE_EVENT",
        "CallbackId": "6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c",
        "ChannelMessage": {
            "MessageId": "bench-1",
            "ChannelArn": "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/b",
            "Content": content,
            "Metadata": "{\"client\":\"web\"}",
            "Type": "STANDARD",
            "Persistence": "PERSISTENT",
        }
    });
    ProcessorEvent::from_slice(json.to_string().as_bytes()).expect("a valid event")
}

/// The operator rules, configured as a team would.
const OPERATOR_RULES: &str = r#"
[[rules]]
type = "keyword"
action = "mask"
whole_words = true
words = ["project falcon", "falcon", "codename", "roadmap leak", "acquisition", "layoffs",
  "merger", "nda", "confidential", "internal only", "do not share", "salary", "bonus",
  "password", "passwd", "secret sauce", "q3 numbers", "q4 numbers", "earnings", "guidance",
  "insider", "embargo", "pre-release", "beta key", "license key", "serial number", "vpn",
  "jump host", "bastion", "root login", "admin panel", "staging url", "prod db", "dump",
  "exfil", "torrent", "crack", "keygen", "warez", "pirated"]

[[rules]]
type = "regex"
action = "redact"
patterns = ['\bTICKET-\d{4,6}\b', '\b(?:ghp|gho)_[A-Za-z0-9]{36}\b', '\bsk_live_[A-Za-z0-9]{24}\b', '\b[A-Z]{2}\d{6}[A-Z]\b']

[[rules]]
type = "links"
policy = "deny-listed"
deny_domains = ["bad.example.net", "tracker.example.org"]
action = "strip"
bare_domains = true
"#;

fn rules(text: &str) -> Vec<Box<dyn Rule>> {
    let source = ConfigSource {
        name: "<bench>".into(),
        text: text.into(),
    };
    Config::parse(&source, &chimeflow_rules::registry())
        .expect("the bench configuration builds")
        .into_processor()
        .into_rules()
}

fn run_rule(rule: &dyn Rule, received: &ChannelMessage) -> usize {
    let mut message = Message::new(received);
    let mut findings = Findings::new();
    rule.check(&mut message, &mut findings);
    findings.len() + message.content().len()
}

fn messages() -> Vec<(&'static str, ProcessorEvent)> {
    vec![
        ("200B-clean", event(&text(200, 0))),
        ("200B-dirty", event(&text(200, 2))),
        ("4KB-clean", event(&text(4000, 0))),
        ("4KB-dirty", event(&text(4000, 4))),
    ]
}

fn default_pipeline(c: &mut Criterion) {
    let processor = chimeflow_rules::load_default()
        .expect("the embedded configuration builds")
        .into_processor();
    let mut group = c.benchmark_group("pipeline/default");
    for (name, event) in messages() {
        let bytes = event.channel_message.content.as_deref().map_or(0, str::len);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &event, |b, event| {
            b.iter(|| processor.process(black_box(event)).expect("processed"))
        });
    }
    group.finish();
}

fn each_rule(c: &mut Criterion) {
    let default_text = chimeflow_rules::default_config().text;
    let mut all = rules(&default_text);
    all.extend(rules(OPERATOR_RULES));
    let cases = messages();
    for rule in &all {
        let mut group = c.benchmark_group(format!("rule/{}", rule.id()));
        for (name, event) in cases.iter().filter(|(n, _)| n.starts_with("4KB")) {
            let received = &event.channel_message;
            let bytes = received.content.as_deref().map_or(0, str::len);
            group.throughput(Throughput::Bytes(bytes as u64));
            group.bench_with_input(BenchmarkId::from_parameter(name), received, |b, m| {
                b.iter(|| run_rule(rule.as_ref(), black_box(m)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, default_pipeline, each_rule);
criterion_main!(benches);
