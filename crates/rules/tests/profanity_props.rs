//! Bad input for the `profanity` rule: it never panics, keeps valid UTF-8,
//! never splits a grapheme when masking, and keeps a message that fits in
//! 4096 bytes within 4096 bytes.

use std::sync::LazyLock;

use chimeflow_core::{ChannelMessage, Findings, Message, Rule, RuleConfig, Verdict};
use chimeflow_rules::profanity::{MaskStyle, ProfanityConfig};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

const LIMIT: usize = 4096;

/// The rule in each same-length masking style, built once.
static RULES: LazyLock<Vec<Box<dyn Rule>>> = LazyLock::new(|| {
    [
        MaskStyle::Asterisks,
        MaskStyle::FirstLetter,
        MaskStyle::Grawlix,
    ]
    .into_iter()
    .map(|mask_style| {
        ProfanityConfig {
            mask_style,
            ..Default::default()
        }
        .build()
        .unwrap()
    })
    .collect()
});

/// Runs every masking style on `text` and checks the invariants.
fn check(text: &str) {
    for rule in RULES.iter() {
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(text.to_owned()),
            ..Default::default()
        };
        let mut message = Message::new(&received);
        let mut findings = Findings::new();
        assert_eq!(rule.check(&mut message, &mut findings), Verdict::Continue);
        let out = message.content();
        // `out` is a &str, so valid UTF-8 by construction; check the edits.
        if text.len() <= LIMIT {
            assert!(
                out.len() <= LIMIT,
                "grew past the limit: {} bytes",
                out.len()
            );
        }
        let boundaries: Vec<usize> = text
            .grapheme_indices(true)
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for finding in findings.as_slice() {
            assert!(finding.start < finding.end && finding.end <= text.len());
            assert!(
                boundaries.binary_search(&finding.start).is_ok(),
                "span starts inside a grapheme"
            );
            assert!(
                boundaries.binary_search(&finding.end).is_ok(),
                "span ends inside a grapheme"
            );
        }
    }
}

/// Text from every Unicode plane, right-to-left scripts, emoji ZWJ
/// sequences, invisible characters, and disguised swear words.
fn pieces() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-zA-Z0-9 .*_@$!-]{1,12}",
        Just("f u c k".to_owned()),
        Just("sh*t".to_owned()),
        Just("ｃｕｎｔ".to_owned()),
        Just("𝐟𝐮𝐜𝐤".to_owned()),
        Just("f\u{200D}uck".to_owned()),
        Just("fu\u{301}ck".to_owned()),
        Just("שלום עולם".to_owned()),
        Just("مرحبا بالعالم".to_owned()),
        Just("\u{202E}kcuf\u{202C}".to_owned()),
        Just("👨\u{200D}👩\u{200D}👧\u{200D}👦".to_owned()),
        Just("🏳\u{FE0F}\u{200D}🌈".to_owned()),
        Just("🇫🇷".to_owned()),
        Just("\u{200B}\u{200C}\u{200D}\u{FEFF}\u{00AD}".to_owned()),
        Just("e\u{301}\u{302}\u{303}".to_owned()),
        prop::char::range('\u{10000}', '\u{10FFFF}').prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(pieces(), 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_is_safe(text in text()) {
        check(&text);
    }

    #[test]
    fn any_string_is_safe(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn swear_words_inside_graphemes_are_masked_whole(mark in prop::char::range('\u{300}', '\u{36F}'), at in 0usize..4) {
        let mut text: Vec<char> = "fuck".chars().collect();
        text.insert(at + 1, mark);
        let text: String = text.into_iter().collect();
        check(&format!("oh {text} off"));
    }
}

#[test]
fn edge_cases() {
    let one_letter = "a".repeat(LIMIT);
    let zero_width = "\u{200B}".repeat(LIMIT / 3);
    let spaced = "f ".repeat(LIMIT / 2);
    let swears = "fuck ".repeat(LIMIT / 5);
    let every_plane: String = (0..=16u32)
        .filter_map(|plane| char::from_u32(plane * 0x10000 + 0x41))
        .collect();
    let planes_fu: String = (0..=16u32)
        .filter_map(|plane| char::from_u32(plane * 0x10000 + 0x100))
        .chain("fuck".chars())
        .collect();
    for text in [
        "",
        one_letter.as_str(),
        zero_width.as_str(),
        spaced.as_str(),
        swears.as_str(),
        every_plane.as_str(),
        planes_fu.as_str(),
        "\u{202E}fuck\u{202C} עברית",
        "👩\u{200D}💻fuck👩\u{200D}💻",
        "fuck\u{200D}👍",
    ] {
        check(text);
    }
}

#[test]
fn a_zwj_joined_swear_word_is_masked_as_whole_graphemes() {
    let rule = ProfanityConfig::default().build().unwrap();
    let received = ChannelMessage {
        message_id: "m".into(),
        content: Some("fuck\u{200D}👍 ok".into()),
        ..Default::default()
    };
    let mut message = Message::new(&received);
    rule.check(&mut message, &mut Findings::new());
    // The ZWJ glues the thumbs-up to the k: the grapheme is masked whole.
    assert!(
        message.content().starts_with("****"),
        "{:?}",
        message.content()
    );
    assert!(message.content().ends_with(" ok"));
}

#[test]
fn the_default_rule_passes_the_conformance_checks() {
    chimeflow_test::assert_conformance(ProfanityConfig::default().build().unwrap());
    let deny = ProfanityConfig {
        action: chimeflow_rules::profanity::ProfanityAction::Deny,
        ..Default::default()
    };
    chimeflow_test::assert_conformance(deny.build().unwrap());
}

#[test]
fn the_documented_example_builds() {
    let doc = <ProfanityConfig as RuleConfig>::DOC;
    let example = doc
        .split_once("\nExample\n")
        .unwrap()
        .1
        .split("\nLimitations")
        .next()
        .unwrap();
    let text: String = example
        .lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let source = chimeflow_host::ConfigSource {
        name: "example".into(),
        text,
    };
    let config = chimeflow_host::Config::parse(&source, &chimeflow_rules::registry())
        .unwrap_or_else(|e| panic!("{e}"));
    chimeflow_test::assert_conformance(config.into_processor().into_rules().remove(0));
}
