//! Any JSON value in any optional field of an event never turns a clean
//! message into a DENY: a field of an undocumented shape is set aside, the
//! message is still moderated, and the callback stays valid. The same bytes
//! go through `ProcessorEvent::from_slice`, which the CLI and the Lambda
//! both use.

use chimeflow_core::{Decision, ProcessorEvent};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Every optional field of the event, top level and ChannelMessage.
const TOP_FIELDS: &[&str] = &["EventType"];
const MESSAGE_FIELDS: &[&str] = &[
    "Metadata",
    "Type",
    "CreatedTimestamp",
    "LastEditedTimestamp",
    "LastUpdatedTimestamp",
    "Sender",
    "Persistence",
    "MessageAttributes",
    "SubChannelId",
    "ContentType",
    "Target",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[A-Za-z]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn clean_event() -> Value {
    json!({
        "EventType": "CHANNEL_MESSAGE_EVENT",
        "CallbackId": "0123456789abcdef0123456789abcdef",
        "ChannelMessage": {
            "MessageId": "clean-1",
            "ChannelArn": "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c",
            "Content": "Morning all! The release notes are up on the wiki.",
            "Type": "STANDARD",
            "Persistence": "PERSISTENT",
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_optional_field_value_turns_a_clean_message_into_a_deny(
        top in prop::sample::select(TOP_FIELDS),
        field in prop::sample::select(MESSAGE_FIELDS),
        top_value in prop::option::of(json_value()),
        value in json_value(),
    ) {
        let processor = chimeflow_rules::load_default().unwrap().into_processor();
        let mut event = clean_event();
        event["ChannelMessage"][field] = value;
        if let Some(top_value) = top_value {
            event[top] = top_value;
        }
        let bytes = serde_json::to_vec(&event).unwrap();
        let parsed = ProcessorEvent::from_slice(&bytes).expect("the essentials are intact");
        let outcome = processor.process(&parsed).expect("the identity is intact");
        prop_assert_ne!(outcome.decision, Decision::Deny, "{:?}", outcome.reason);
        prop_assert_eq!(outcome.callback.validate(), Ok(()));
        prop_assert_eq!(
            outcome.callback.channel_message.content.as_deref(),
            Some("Morning all! The release notes are up on the wiki.")
        );
        chimeflow_test::invariants::assert_processed(&processor, &parsed);
    }
}
