#![allow(missing_docs)]
//! Throwaway: masks each stdin line with the default profanity rule.
use chimeflow_core::{ChannelMessage, Findings, Message, RuleConfig};
use chimeflow_rules::profanity::ProfanityConfig;
use std::io::BufRead;
fn main() {
    let config = ProfanityConfig {
        min_severity: chimeflow_rules::profanity::Severity::Mild,
        ..Default::default()
    };
    let rule = config.build().unwrap();
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let text: String = serde_json::from_str(&line).unwrap();
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(text),
            ..Default::default()
        };
        let mut message = Message::new(&received);
        let mut findings = Findings::new();
        rule.check(&mut message, &mut findings);
        let f: Vec<_> = findings
            .as_slice()
            .iter()
            .map(|f| format!("{}:{}:{}", f.start, f.end, f.category))
            .collect();
        println!(
            "{}\t{}",
            serde_json::to_string(message.content()).unwrap(),
            f.join(",")
        );
    }
}
