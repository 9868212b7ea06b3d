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
    let processor = chimeflow_rules::Config::embedded()
        .unwrap()
        .into_processor();
    for (name, bytes) in fixtures() {
        let event = ProcessorEvent::from_slice(&bytes).unwrap();
        let outcome = processor.process(&event).unwrap();
        let result = outcome.callback.validate();
        if name == "minimal.json" {
            // The minimal event carries no ChannelArn: only that is missing.
            let fields: Vec<_> = result.unwrap_err().0.into_iter().map(|v| v.field).collect();
            assert_eq!(fields, ["ChannelArn"]);
        } else {
            assert_eq!(result, Ok(()), "{name}");
        }
    }
}
