//! What both benchmarks run: the default rules plus every stateful rule,
//! and events from a few senders in a few channels.

use chimeflow_core::{Processor, ProcessorEvent};
use chimeflow_host::{Config, ConfigSource};

/// The stateful rules, as a team would start with them, after the
/// default rules.
pub const STATEFUL: &str = r#"
[[rules]]
type = "mention-spam"

[[rules]]
type = "rate-limit"
max_messages = 20
per = "10s"
scope = "sender-channel"

[[rules]]
type = "duplicate"
max_repeats = 3
window = "1m"
hash_key = "benchmark-key-0123456789"

[[rules]]
type = "strikes"
rules = ["profanity", "pii"]
timeout_at = 5
"#;

/// The default configuration with the stateful rules appended.
pub fn processor() -> Processor {
    let text = format!("{}\n{STATEFUL}", chimeflow_rules::default_config().text);
    let source = ConfigSource {
        name: "bench.toml".into(),
        text,
    };
    Config::parse(&source, &chimeflow_rules::registry())
        .unwrap()
        .into_processor()
}

/// When the benchmark's messages start: two days ago, so that events
/// 50 ms apart stay in the past however many a run makes (a message from
/// the future is judged as of now, and would pile up in one bucket).
pub fn start_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
        - 2 * 86_400_000
}

/// Event `n`: one of 50 senders, one of 5 channels, chat-sized content,
/// 50 ms after event `n - 1` (each sender writes every 2.5 s) from
/// `start_ms`, or, without it, sent now.
pub fn event(n: usize, start_ms: Option<u64>) -> ProcessorEvent {
    let app = "arn:aws:chime:us-east-1:111122223333:app-instance/bench";
    ProcessorEvent::from_slice(
        serde_json::json!({
            "CallbackId": format!("{n:0>32}"),
            "ChannelMessage": {
                "MessageId": format!("m{n}"),
                "ChannelArn": format!("{app}/channel/c{}", n % 5),
                "Content": format!("message {n}: are we still meeting at the usual place later today?"),
                "Sender": {"Arn": format!("{app}/user/u{}", n % 50)},
                "CreatedTimestamp": start_ms.map(|start| (start + n as u64 * 50).to_string()),
            }
        })
        .to_string()
        .as_bytes(),
    )
    .unwrap()
}
