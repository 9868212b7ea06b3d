//! The callback mapping and the limit fallback, one test per rule of the
//! mapping (see the module doc of `processor.rs`).

use std::ops::Range;

use chimeflow_core::limits::CONTENT_MAX_BYTES;
use chimeflow_core::{
    ChannelMessage, Decision, Findings, Message, MessageAttributeValue, OnError, Outcome, Pipeline,
    Processor, ProcessorEvent, Rule, Verdict,
};

const ARN: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/app/channel/chan";
const CALLBACK_ID: &str = "0123456789abcdef0123456789abcdef";

/// A rule made of a closure, for tests.
struct FnRule<F>(&'static str, F);

impl<F> Rule for FnRule<F>
where
    F: Fn(&mut Message<'_>, &mut Findings) -> Verdict + Send + Sync,
{
    fn id(&self) -> &str {
        self.0
    }
    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        (self.1)(message, findings)
    }
}

fn rule<F>(id: &'static str, f: F) -> Box<dyn Rule>
where
    F: Fn(&mut Message<'_>, &mut Findings) -> Verdict + Send + Sync + 'static,
{
    Box::new(FnRule(id, f))
}

/// Replaces every occurrence of `needle` with `token`, reporting `category`.
fn replace_all(id: &'static str, needle: &'static str, token: &'static str) -> Box<dyn Rule> {
    rule(id, move |message, findings| {
        let spans: Vec<Range<usize>> = message
            .content()
            .match_indices(needle)
            .map(|(at, m)| at..at + m.len())
            .collect();
        for span in &spans {
            findings.report("WORD", span.clone());
        }
        message.replace_content(spans.into_iter().map(|s| (s, token)));
        Verdict::Continue
    })
}

fn full_event() -> ProcessorEvent {
    serde_json::from_value(serde_json::json!({
        "EventType": "CHANNEL_MESSAGE_EVENT",
        "CallbackId": CALLBACK_ID,
        "Unknown": {"kept": true},
        "ChannelMessage": {
            "MessageId": "msg-1",
            "ChannelArn": ARN,
            "Content": "hello secret world",
            "Metadata": "{\"a\":1}",
            "Type": "STANDARD",
            "Persistence": "PERSISTENT",
            "MessageAttributes": {"team": {"StringValues": ["blue"]}},
            "SubChannelId": "sub-1",
            "ContentType": "text/plain",
            "Sender": {"Arn": "arn:aws:chime:us-east-1:111122223333:app-instance/app/user/u", "Name": "U"},
            "NewField": 42
        }
    }))
    .unwrap()
}

fn process(rules: Vec<Box<dyn Rule>>, on_error: OnError, event: &ProcessorEvent) -> Outcome {
    Processor::new(Pipeline::new(rules), on_error)
        .process(event)
        .unwrap()
}

fn body(outcome: &Outcome) -> serde_json::Value {
    serde_json::to_value(&outcome.callback).unwrap()
}

#[test]
fn pass_echoes_every_field_received() {
    let outcome = process(vec![], OnError::Deny, &full_event());
    assert_eq!(outcome.decision, Decision::Pass);
    assert_eq!(
        body(&outcome),
        serde_json::json!({
            "ChannelArn": ARN,
            "CallbackId": CALLBACK_ID,
            "DeleteResource": false,
            "ChannelMessage": {
                "MessageId": "msg-1",
                "Content": "hello secret world",
                "Metadata": "{\"a\":1}",
                "MessageAttributes": {"team": {"StringValues": ["blue"]}},
                "SubChannelId": "sub-1",
                "ContentType": "text/plain"
            }
        })
    );
    assert_eq!(outcome.callback.validate(), Ok(()));
}

#[test]
fn a_rule_that_reports_but_edits_nothing_passes() {
    let outcome = process(
        vec![rule("look", |_, findings| {
            findings.report("X", 0..5);
            Verdict::Continue
        })],
        OnError::Deny,
        &full_event(),
    );
    assert_eq!(outcome.decision, Decision::Pass);
    assert_eq!(outcome.findings.len(), 1);
    assert_eq!(&*outcome.findings[0].rule, "look");
}

#[test]
fn update_sends_edits_and_echoes_the_rest() {
    let outcome = process(
        vec![replace_all("mask", "secret", "******")],
        OnError::Deny,
        &full_event(),
    );
    assert_eq!(outcome.decision, Decision::Update);
    let message = &outcome.callback.channel_message;
    assert_eq!(message.content.as_deref(), Some("hello ****** world"));
    assert_eq!(message.metadata.as_deref(), Some("{\"a\":1}"));
    assert_eq!(message.sub_channel_id.as_deref(), Some("sub-1"));
    assert_eq!(message.content_type.as_deref(), Some("text/plain"));
    assert_eq!(
        message.message_attributes.as_ref().unwrap()["team"].string_values,
        ["blue"]
    );
    assert!(!outcome.callback.delete_resource);
    assert_eq!(
        (outcome.findings[0].start, outcome.findings[0].end),
        (6, 12)
    );
}

#[test]
fn metadata_and_attribute_edits_are_updates() {
    let outcome = process(
        vec![rule("tagger", |message, _| {
            message.set_metadata("{\"a\":1,\"tag\":true}");
            message
                .attributes_mut()
                .insert("moderation".into(), MessageAttributeValue::new(["ok"]));
            Verdict::Continue
        })],
        OnError::Deny,
        &full_event(),
    );
    assert_eq!(outcome.decision, Decision::Update);
    let message = &outcome.callback.channel_message;
    assert_eq!(message.metadata.as_deref(), Some("{\"a\":1,\"tag\":true}"));
    let attributes = message.message_attributes.as_ref().unwrap();
    assert_eq!(attributes.len(), 2);
    assert_eq!(message.content.as_deref(), Some("hello secret world"));
}

#[test]
fn deny_sends_only_the_message_id_and_delete_resource() {
    let outcome = process(
        vec![
            replace_all("mask", "secret", "******"),
            rule("no", |_, _| Verdict::deny("nope")),
            rule("never", |_, _| panic!("rules after a deny must not run")),
        ],
        OnError::Deny,
        &full_event(),
    );
    assert_eq!(outcome.decision, Decision::Deny);
    let reason = outcome.reason.as_ref().unwrap();
    assert_eq!(
        (reason.rule.as_str(), reason.reason.as_str()),
        ("no", "nope")
    );
    assert_eq!(
        body(&outcome),
        serde_json::json!({
            "ChannelArn": ARN,
            "CallbackId": CALLBACK_ID,
            "DeleteResource": true,
            "ChannelMessage": {"MessageId": "msg-1", "SubChannelId": "sub-1"}
        })
    );
    assert_eq!(outcome.callback.validate(), Ok(()));
}

#[test]
fn spans_point_into_the_original_after_earlier_edits() {
    let event = full_event();
    let outcome = process(
        vec![
            replace_all("grow", "hello", "[GREETING-TOKEN]"),
            replace_all("later", "world", "*****"),
        ],
        OnError::Deny,
        &event,
    );
    let original = event.channel_message.content.as_deref().unwrap();
    let later = outcome
        .findings
        .iter()
        .find(|f| &*f.rule == "later")
        .unwrap();
    assert_eq!(&original[later.span()], "world");
}

fn event_with_content(content: &str) -> ProcessorEvent {
    let mut event = full_event();
    event.channel_message.content = Some(content.into());
    event
}

#[test]
fn content_grown_past_4kb_gets_shorter_replacements() {
    // 4000 bytes with 100 short words that a rule replaces by long tokens.
    let content = "ab ".repeat(1000) + &"x".repeat(CONTENT_MAX_BYTES - 3000);
    assert_eq!(content.len(), CONTENT_MAX_BYTES);
    let outcome = process(
        vec![replace_all("grow", "ab", "[REDACTED]")],
        OnError::Deny,
        &event_with_content(&content),
    );
    assert_eq!(outcome.decision, Decision::Update);
    let sent = outcome.callback.channel_message.content.as_deref().unwrap();
    assert!(sent.len() <= CONTENT_MAX_BYTES);
    assert!(
        !sent.contains("ab"),
        "the replaced words must stay replaced"
    );
    assert!(sent.starts_with("** ** "), "{}", &sent[..10]);
    assert_eq!(outcome.notes.len(), 1, "{:?}", outcome.notes);
    assert_eq!(outcome.callback.validate(), Ok(()));
}

#[test]
fn a_whole_content_rewrite_past_4kb_is_compacted() {
    let content = "y".repeat(CONTENT_MAX_BYTES);
    let outcome = process(
        vec![rule("append", |message, _| {
            let footer = format!("{} [moderated]", message.content());
            message.set_content(footer);
            Verdict::Continue
        })],
        OnError::Deny,
        &event_with_content(&content),
    );
    // set_content replaces the whole text: compaction falls back to one
    // '*' per original character, which fits, and hides nothing it should not.
    assert!(outcome.callback.validate().is_ok());
    assert!(
        outcome
            .callback
            .channel_message
            .content
            .as_deref()
            .unwrap()
            .len()
            <= CONTENT_MAX_BYTES
    );
}

/// Texts Chime accepts that are over 4 KB in UTF-8 (its limit's unit is
/// not stated): CJK, emoji and mixed scripts of 1-8 KB.
fn large_texts() -> Vec<String> {
    vec![
        "日本語のメッセージです。".repeat(170), // 2,040 characters, 6,120 bytes
        "😀🎉👍🏽".repeat(280),                   // 4.5 KB of emoji, astral and modifiers
        "Hello, 世界! Привет, мир! مرحبا 🌍 ".repeat(60),
        "a".repeat(1024),
        "漢".repeat(2730), // 8,190 bytes
    ]
}

#[test]
fn unchanged_content_of_any_size_is_echoed_not_denied() {
    for content in large_texts().into_iter().chain(["z".repeat(1 << 20)]) {
        let outcome = process(vec![], OnError::Deny, &event_with_content(&content));
        assert_eq!(outcome.decision, Decision::Pass, "{} bytes", content.len());
        assert_eq!(
            outcome.callback.channel_message.content.as_deref(),
            Some(content.as_str())
        );
        assert!(outcome.notes.is_empty(), "{:?}", outcome.notes);
        assert_eq!(outcome.callback.validate(), Ok(()));
    }
}

#[test]
fn an_edit_of_large_content_may_be_as_long_as_received() {
    for content in large_texts() {
        let content = format!("ab {content}");
        let outcome = process(
            vec![replace_all("mask", "ab", "**")],
            OnError::Deny,
            &event_with_content(&content),
        );
        assert_eq!(
            outcome.decision,
            Decision::Update,
            "{} bytes",
            content.len()
        );
        let sent = outcome.callback.channel_message.content.as_deref().unwrap();
        assert_eq!(sent, format!("**{}", &content[2..]));
        assert!(outcome.notes.is_empty(), "{:?}", outcome.notes);
    }
}

#[test]
fn a_growing_edit_of_large_content_is_compacted_to_its_received_length() {
    for content in large_texts() {
        let content = format!("ab {content} ab");
        let outcome = process(
            vec![replace_all("grow", "ab", "[REDACTED]")],
            OnError::Deny,
            &event_with_content(&content),
        );
        let sent = outcome.callback.channel_message.content.as_deref().unwrap();
        if content.len() + 16 <= CONTENT_MAX_BYTES {
            assert!(sent.contains("[REDACTED]"));
            continue;
        }
        assert_eq!(
            outcome.decision,
            Decision::Update,
            "{} bytes",
            content.len()
        );
        assert!(sent.starts_with("** ") && sent.ends_with(" **"));
        assert!(sent.len() <= content.len());
        let units = |s: &str| s.encode_utf16().count();
        assert!(units(sent) <= units(&content));
        assert_eq!(outcome.notes.len(), 1, "{:?}", outcome.notes);
    }
}

#[test]
fn an_edit_never_grows_astral_text_in_utf16_units() {
    // "😀" is 4 bytes and 2 UTF-16 units; "abcd" is 4 bytes and 4 units: not
    // longer in bytes, longer in units. Over 4 KB that must be compacted.
    let content = "😀".repeat(1100); // 4,400 bytes, 2,200 units
    let outcome = process(
        vec![rule("spell", |message, _| {
            let spans: Vec<Range<usize>> = (0..message.content().len())
                .step_by(4)
                .map(|at| at..at + 4)
                .collect();
            message.replace_content(spans.into_iter().map(|s| (s, "abcd")));
            Verdict::Continue
        })],
        OnError::Deny,
        &event_with_content(&content),
    );
    let sent = outcome.callback.channel_message.content.as_deref().unwrap();
    assert!(sent.encode_utf16().count() <= 2200, "{}", sent.len());
    assert_eq!(sent, "*".repeat(1100));
}

#[test]
fn a_received_field_the_model_refuses_is_set_aside_not_denied() {
    let mut event = full_event();
    event.channel_message.metadata = Some("m".repeat(2000));
    let outcome = process(vec![], OnError::Deny, &event);
    assert_eq!(outcome.decision, Decision::Pass);
    assert_eq!(outcome.callback.channel_message.metadata, None);
    assert!(
        outcome.notes[0].starts_with("ChannelMessage.Metadata: set aside"),
        "{:?}",
        outcome.notes
    );
    assert_eq!(outcome.callback.validate(), Ok(()));
}

#[test]
fn content_emptied_by_a_rule_is_denied() {
    let outcome = process(
        vec![rule("strip", |message, _| {
            message.set_content("");
            Verdict::Continue
        })],
        OnError::Deny,
        &full_event(),
    );
    assert_eq!(outcome.decision, Decision::Deny);
}

#[test]
fn metadata_edit_over_1024_is_dropped() {
    let outcome = process(
        vec![rule("big", |message, _| {
            message.set_metadata("m".repeat(2000));
            Verdict::Continue
        })],
        OnError::Deny,
        &full_event(),
    );
    assert_eq!(outcome.decision, Decision::Pass);
    assert_eq!(
        outcome.callback.channel_message.metadata.as_deref(),
        Some("{\"a\":1}")
    );
    assert!(outcome.notes[0].contains("Metadata"));
}

#[test]
fn attribute_edit_over_1kb_is_dropped() {
    let outcome = process(
        vec![rule("big", |message, _| {
            for i in 0..5 {
                message.attributes_mut().insert(
                    format!("k{i}"),
                    MessageAttributeValue::new(["v".repeat(300)]),
                );
            }
            Verdict::Continue
        })],
        OnError::Deny,
        &full_event(),
    );
    assert_eq!(outcome.decision, Decision::Pass);
    assert_eq!(
        outcome
            .callback
            .channel_message
            .message_attributes
            .as_ref()
            .unwrap()
            .len(),
        1
    );
    assert!(outcome.callback.validate().is_ok());
}

#[test]
fn a_panicking_rule_gets_the_error_policy() {
    let panicking = || {
        vec![
            replace_all("mask", "secret", "******"),
            rule("boom", |_, _| panic!("rule bug")),
        ]
    };
    let denied = process(panicking(), OnError::Deny, &full_event());
    assert_eq!(denied.decision, Decision::Deny);
    let reason = denied.reason.as_ref().unwrap();
    assert_eq!(
        (reason.rule.as_str(), reason.reason.as_str()),
        ("boom", "error")
    );

    let passed = process(panicking(), OnError::Pass, &full_event());
    assert_eq!(
        passed.decision,
        Decision::Pass,
        "edits made before the panic are dropped"
    );
    assert_eq!(
        passed.callback.channel_message.content.as_deref(),
        Some("hello secret world")
    );
}

#[test]
fn empty_received_content_is_not_echoed() {
    let outcome = process(vec![], OnError::Deny, &event_with_content(""));
    assert_eq!(outcome.decision, Decision::Pass);
    assert_eq!(outcome.callback.channel_message.content, None);
    assert!(outcome.callback.validate().is_ok());
}

#[test]
fn a_minimal_event_passes_with_only_its_message_id() {
    let event = ProcessorEvent {
        event_type: None,
        callback_id: CALLBACK_ID.into(),
        channel_message: ChannelMessage {
            message_id: "m".into(),
            ..Default::default()
        },
        extra: Default::default(),
    };
    let outcome = process(vec![], OnError::Deny, &event);
    assert_eq!(
        body(&outcome),
        serde_json::json!({"CallbackId": CALLBACK_ID, "DeleteResource": false, "ChannelMessage": {"MessageId": "m"}})
    );
}

#[test]
fn broken_identities_are_event_errors() {
    let processor = Processor::new(Pipeline::new(vec![]), OnError::Deny);
    let mut short = full_event();
    short.callback_id = "short".into();
    assert_eq!(processor.process(&short).unwrap_err().field, "CallbackId");
    let mut bad_id = full_event();
    bad_id.channel_message.message_id = "has space".into();
    assert_eq!(
        processor.process(&bad_id).unwrap_err().field,
        "ChannelMessage.MessageId"
    );
    let mut bad_arn = full_event();
    bad_arn.channel_message.channel_arn = Some("not-an-arn".into());
    assert_eq!(
        processor.process(&bad_arn).unwrap_err().field,
        "ChannelMessage.ChannelArn"
    );
}

/// Found by the `pipeline` fuzz target: an empty (or otherwise malformed)
/// SubChannelId was echoed into every callback, a deny included, so the
/// processor produced a request that `validate()` (and the service) refuse.
#[test]
fn a_malformed_sub_channel_id_is_set_aside_and_the_message_still_answered() {
    // Only CallbackId, MessageId and ChannelArn are essential: a
    // SubChannelId the model refuses is not echoed, in a PASS or a DENY.
    let processor = Processor::new(Pipeline::new(vec![]), OnError::Deny);
    let refuse = Processor::new(
        Pipeline::new(vec![rule("refuse", |_, _| Verdict::deny("no"))]),
        OnError::Deny,
    );
    for bad in ["", "has space", "ü", &"a".repeat(129)] {
        let mut event = full_event();
        event.channel_message.sub_channel_id = Some(bad.to_owned());
        let outcome = processor.process(&event).unwrap();
        assert_eq!(outcome.decision, Decision::Pass, "{bad:?}");
        assert_eq!(outcome.callback.channel_message.sub_channel_id, None);
        assert!(
            outcome
                .notes
                .iter()
                .any(|n| n.starts_with("ChannelMessage.SubChannelId: set aside")),
            "{:?}",
            outcome.notes
        );
        assert_eq!(outcome.callback.validate(), Ok(()));
        let denied = refuse.process(&event).unwrap();
        assert_eq!(denied.callback.channel_message.sub_channel_id, None);
        assert_eq!(denied.callback.validate(), Ok(()));
    }
    let mut event = full_event();
    event.channel_message.sub_channel_id = Some("a".repeat(128));
    let outcome = processor.process(&event).unwrap();
    assert_eq!(outcome.callback.validate(), Ok(()));
}

/// A CallbackId of 16 astral characters is 32 UTF-16 units (the identity
/// check used to accept it) but 16 characters (validate refuses it): the
/// two now count the same way, so it is an event error, never a callback
/// that breaks the limits.
#[test]
fn callback_id_length_is_counted_as_validate_counts_it() {
    let processor = Processor::new(Pipeline::new(vec![]), OnError::Deny);
    let mut event = full_event();
    event.callback_id = "😀".repeat(16);
    assert_eq!(processor.process(&event).unwrap_err().field, "CallbackId");
    event.callback_id = "😀".repeat(32);
    let outcome = processor.process(&event).unwrap();
    assert_eq!(outcome.callback.validate(), Ok(()));
    event.callback_id = "😀".repeat(33);
    assert_eq!(processor.process(&event).unwrap_err().field, "CallbackId");
}

#[test]
fn observed_rules_are_recorded_and_change_nothing() {
    use chimeflow_core::{Observed, ObservedAction};
    let event = full_event();
    let observe = |rule: Box<dyn Rule>| -> Box<dyn Rule> { Box::new(Observed::new(rule)) };
    let rules = vec![
        // Enforced: "secret" becomes "[x]" (bytes 6..12 of the original).
        replace_all("mask", "secret", "[x]"),
        // Observed after it: it sees the masked text; its span maps back.
        observe(replace_all("would-mask", "world", "[w]")),
        observe(rule("would-deny", |_, _| Verdict::deny("nope"))),
        observe(rule("would-panic", |_, _| panic!("observed rule bug"))),
        observe(rule("would-tag", |message, findings| {
            findings.report("HELLO", 0..message.content().find(' ').unwrap());
            Verdict::Continue
        })),
        observe(rule("would-do-nothing", |_, _| Verdict::Continue)),
    ];
    let outcome = process(rules, OnError::Deny, &event);
    assert_eq!(outcome.decision, Decision::Update);
    assert_eq!(
        outcome.callback.channel_message.content.as_deref(),
        Some("hello [x] world"),
        "only the enforcing rule's edit is sent"
    );
    assert_eq!(
        outcome.findings.len(),
        1,
        "observed findings are kept apart"
    );
    let seen: Vec<_> = outcome
        .observed
        .iter()
        .map(|o| (o.rule.as_str(), o.action, o.reason.as_deref()))
        .collect();
    assert_eq!(
        seen,
        [
            ("would-mask", ObservedAction::Update, None),
            ("would-deny", ObservedAction::Deny, Some("nope")),
            ("would-panic", ObservedAction::Error, None),
            ("would-tag", ObservedAction::Tag, None),
        ]
    );
    assert_eq!(
        outcome.observed[0].findings[0].span(),
        13..18,
        "\"world\" in the original"
    );
    assert_eq!(&*outcome.observed[0].findings[0].rule, "would-mask");
    assert_eq!(outcome.observed[3].findings[0].span(), 0..5);
    // The Outcome's JSON carries them under "Observed".
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(json["Observed"][1]["Action"], "DENY");
    assert_eq!(json["Observed"][1]["Reason"], "nope");
}

#[test]
fn observations_survive_an_enforced_deny() {
    use chimeflow_core::Observed;
    let rules: Vec<Box<dyn Rule>> = vec![
        Box::new(Observed::new(replace_all("would-mask", "secret", "[x]"))),
        rule("deny", |_, _| Verdict::deny("enforced")),
    ];
    let outcome = process(rules, OnError::Deny, &full_event());
    assert_eq!(outcome.decision, Decision::Deny);
    assert_eq!(outcome.observed.len(), 1);
    assert_eq!(outcome.observed[0].rule, "would-mask");
}
