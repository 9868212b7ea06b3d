#![allow(clippy::field_reassign_with_default)]
#![allow(missing_docs)]
use chimeflow_core::{ChannelMessage, Findings, Message, Rule, RuleConfig};
use chimeflow_rules::profanity::ProfanityConfig;
use std::hint::black_box;
const CLEAN: &[&str] = &[
    "I pushed the fix for the login page, please review when you get a chance.",
    "The new dashboard looks great, thanks Rachel! Can we move the standup to 10:30?",
    "Reminder: retro starts in 10 minutes; who has the keys to the meeting room?",
    "We shipped version 9.8.4 this morning, the class assessment passed in Essex.",
    "Sorry, running five minutes late, the cocktail party at Scunthorpe ran over.",
];

const DIRTY: &[&str] = &[
    "this fucking build broke again, what the sh*t is going on?",
    "he is such a w4nker, the d-i-c-k-h-e-a-d merged without review",
    "oh ｃｕｎｔ, I forgot the meeting, total bullshiiiit",
];

/// Sentences joined until the message has about `size` bytes; every
/// `dirty_every`-th sentence is a dirty one (0: none).
fn message(size: usize, dirty_every: usize) -> String {
    let mut text = String::new();
    let mut clean = CLEAN.iter().cycle();
    let mut dirty = DIRTY.iter().cycle();
    let mut n = 0;
    loop {
        n += 1;
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

fn run_rule(rule: &dyn Rule, received: &ChannelMessage) -> usize {
    let mut message = Message::new(received);
    let mut findings = Findings::new();
    rule.check(&mut message, &mut findings);
    findings.len() + message.content().len()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (size, every) = match args[1].as_str() {
        "200c" => (200, 0),
        "200d" => (200, 2),
        "4kc" => (4096, 0),
        _ => (4096, 4),
    };
    let n: usize = args[2].parse().unwrap();
    let mut config = ProfanityConfig::default();
    if std::env::var("TAG").is_ok() {
        config.action = chimeflow_rules::profanity::ProfanityAction::Tag;
    }
    let rule = config.build().unwrap();
    let received = ChannelMessage {
        message_id: "m".into(),
        content: Some(if std::env::var("NOSTAR").is_ok() {
            message(size, every).replace("sh*t", "shit")
        } else {
            message(size, every)
        }),
        ..Default::default()
    };
    let mut total = 0;
    for _ in 0..n {
        total += run_rule(rule.as_ref(), black_box(&received));
    }
    println!("{total}");
}
