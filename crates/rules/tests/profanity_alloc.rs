//! The profanity rule allocates nothing for a message with no match once
//! its per-thread buffers have grown (a goal of the rule, see
//! docs/PERFORMANCE.md), in ASCII and in mixed text. allocation-counter
//! replaces the global allocator of this test binary only.

use chimeflow_core::{ChannelMessage, Findings, Message, Rule, RuleConfig};
use chimeflow_rules::profanity::ProfanityConfig;

fn run(rule: &dyn Rule, received: &ChannelMessage) {
    let mut message = Message::new(received);
    let mut findings = Findings::new();
    rule.check(&mut message, &mut findings);
    assert!(findings.is_empty(), "{:?}", received.content);
    assert!(!message.content_changed());
}

#[test]
fn a_clean_message_allocates_nothing() {
    let rule = ProfanityConfig::default().build().unwrap();
    let texts = [
        "I pushed the fix for the login page, please review when you get a chance.",
        "The class assessment passed in Essex; the cocktail party at Scunthorpe ran over at 10:30!",
        "Ｆｕｌｌｗｉｄｔｈ and Cyrillic с letters, an é, a \u{200B} and 😀 in the middle of text",
        "s p e l l e d out, sh*rt and w0rds w1th d1g1ts, version 9.8.4",
    ];
    let received: Vec<ChannelMessage> = texts
        .iter()
        .map(|text| ChannelMessage {
            message_id: "m".into(),
            content: Some((*text).into()),
            ..Default::default()
        })
        .collect();
    // Let the per-thread buffers grow to the longest message.
    for received in &received {
        run(rule.as_ref(), received);
    }
    for received in &received {
        let info = allocation_counter::measure(|| run(rule.as_ref(), received));
        assert_eq!(info.count_total, 0, "{:?}", received.content);
    }
    // The counter counts: a message with a match allocates its new content.
    let dirty = ChannelMessage {
        message_id: "m".into(),
        content: Some("oh shit".into()),
        ..Default::default()
    };
    let info = allocation_counter::measure(|| {
        let mut message = Message::new(&dirty);
        rule.check(&mut message, &mut Findings::new());
        assert_eq!(message.content(), "oh ****");
    });
    assert!(info.count_total > 0);
}
