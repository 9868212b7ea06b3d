//! Every sample event in events/ parses, round-trips, and answers with a
//! callback that passes validate().

use std::path::PathBuf;

use chimeflow_core::ProcessorEvent;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("events/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_documented_fixtures_exist() {
    let names: Vec<String> = fixtures().into_iter().map(|(name, _)| name).collect();
    for expected in [
        "minimal.json",
        "plain.json",
        "edit.json",
        "non-persistent.json",
        "attributes-subchannel.json",
        "lex-reply.json",
        "with-pii.json",
        "with-profanity.json",
        "odd-shapes.json",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "events/{expected} is missing"
        );
    }
}

#[test]
fn every_fixture_round_trips() {
    for (name, bytes) in fixtures() {
        let parsed = ProcessorEvent::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let written = serde_json::to_vec(&parsed).unwrap();
        let reparsed = ProcessorEvent::from_slice(&written).unwrap();
        assert_eq!(parsed, reparsed, "{name}");
        // Nothing is lost: the re-serialised JSON equals the file's JSON.
        let original: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let round: serde_json::Value = serde_json::from_slice(&written).unwrap();
        assert_eq!(original, round, "{name}");
    }
}

#[test]
fn unknown_fields_and_enum_values_survive() {
    let json = br#"{"EventType": "SOMETHING_NEW", "CallbackId": "0123456789abcdef0123456789abcdef",
        "Future": [1, 2], "ChannelMessage": {"MessageId": "m", "Persistence": "EPHEMERAL",
        "Type": "HOLOGRAM", "Sender": {"Arn": "a", "Extra": true}, "Status": {"Value": "PENDING"}}}"#;
    let event = ProcessorEvent::from_slice(json).unwrap();
    let original: serde_json::Value = serde_json::from_slice(json).unwrap();
    assert_eq!(serde_json::to_value(&event).unwrap(), original);
    assert_eq!(event.event_type.unwrap().as_str(), "SOMETHING_NEW");
}

#[test]
fn edits_are_recognised() {
    for (name, bytes) in fixtures() {
        let event = ProcessorEvent::from_slice(&bytes).unwrap();
        assert_eq!(
            event.channel_message.is_edit(),
            name == "edit.json",
            "{name}"
        );
    }
}

#[test]
fn every_fixture_answers_within_the_limits() {
    let processor = chimeflow_rules::load_default().unwrap().into_processor();
    for (name, bytes) in fixtures() {
        let event = ProcessorEvent::from_slice(&bytes).unwrap();
        let outcome = processor.process(&event).unwrap();
        assert_eq!(outcome.callback.validate(), Ok(()), "{name}");
        assert_eq!(outcome.no_callback, None, "{name}");
    }
}

#[test]
fn odd_shapes_are_set_aside_and_the_message_still_moderated() {
    let processor = chimeflow_rules::load_default().unwrap().into_processor();
    let bytes = fixtures()
        .into_iter()
        .find(|(name, _)| name == "odd-shapes.json")
        .unwrap()
        .1;
    let event = ProcessorEvent::from_slice(&bytes).unwrap();
    let outcome = processor.process(&event).unwrap();
    // The email is redacted: the message went through the rules.
    assert_eq!(outcome.decision.as_str(), "UPDATE");
    let body = &outcome.callback.channel_message;
    assert!(!body.content.as_deref().unwrap().contains("@example.com"));
    // What did not fit its shape is not echoed, and the notes say so.
    assert_eq!(body.sub_channel_id, None);
    assert_eq!(body.content_type, None);
    // (The tag rule adds its own attribute; the received list is not echoed.)
    let attributes = body.message_attributes.clone().unwrap_or_default();
    assert!(!attributes.contains_key("topic") && !attributes.contains_key("Name"));
    assert!(body.metadata.as_deref().unwrap().contains("ios-5.2"));
    for field in ["Target", "MessageAttributes", "SubChannelId", "ContentType"] {
        assert!(
            outcome
                .notes
                .iter()
                .any(|n| n.starts_with(&format!("ChannelMessage.{field}: set aside"))),
            "{field}: {:?}",
            outcome.notes
        );
    }
    // Epoch-number timestamps, equal: a new message, not an edit.
    assert!(!event.channel_message.is_edit());
}
