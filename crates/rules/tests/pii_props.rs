//! Bad input for the `pii` rule: no panic, valid UTF-8, within the 4 KB
//! content limit once the processor's size fallback has run.

use chimeflow_core::{
    ChannelMessage, Findings, Message, Rule, RuleConfig, limits::CONTENT_MAX_BYTES,
};
use chimeflow_rules::pii::{Entity, PiiConfig, RedactStyle};
use proptest::prelude::*;

fn rules() -> Vec<Box<dyn Rule>> {
    let all = Entity::ALL.to_vec();
    [
        RedactStyle::Token,
        RedactStyle::Mask,
        RedactStyle::Last4,
        RedactStyle::Hash,
    ]
    .into_iter()
    .map(|style| {
        PiiConfig {
            entities: all.clone(),
            style,
            hash_key: Some("property test key, 16+ bytes".into()),
            ..PiiConfig::default()
        }
        .build()
        .unwrap()
    })
    .collect()
}

/// Runs every rule on `content` and checks the invariants.
fn check(content: &str) {
    for rule in rules() {
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(content.into()),
            ..Default::default()
        };
        let mut message = Message::new(&received);
        let mut findings = Findings::new();
        let _ = rule.check(&mut message, &mut findings);
        for f in findings.as_slice() {
            assert!(
                f.start <= f.end && f.end <= content.len(),
                "span out of bounds"
            );
            assert!(content.is_char_boundary(f.start) && content.is_char_boundary(f.end));
        }
        // Spans are sorted and disjoint.
        for w in findings.as_slice().windows(2) {
            assert!(w[0].end <= w[1].start, "overlapping findings");
        }
        let out = message.compact_content();
        assert!(std::str::from_utf8(out.as_bytes()).is_ok());
        if content.len() <= CONTENT_MAX_BYTES {
            assert!(out.len() <= CONTENT_MAX_BYTES, "{} bytes", out.len());
        }
    }
}

#[test]
fn pathological_inputs() {
    let card = "4111 1111 1111 1111 ";
    let cases = [
        "7".repeat(4096),
        "@".repeat(4096),
        ":".repeat(4096),
        ".".repeat(4096),
        "A".repeat(4096),
        "AKIA".repeat(1024),
        "1.".repeat(2048),
        "1 ".repeat(2048),
        "1-".repeat(2048),
        "a@".repeat(2048),
        "a@b.co ".repeat(585),
        "ff:".repeat(1365),
        "+1".repeat(2048),
        "(0)".repeat(1365),
        card.repeat(4096 / card.len()),
        "secret ".repeat(585),
        // Every separator between digit groups.
        " -./,:;()+_@#*\\'\"\t\n\u{a0}\u{2009}\u{200B}\u{2013}\u{2212}\u{3000}"
            .chars()
            .map(|c| format!("4111{c}1111{c}1111{c}1111 206{c}555{c}0100 409{c}09{c}1052 "))
            .collect(),
        // A card number inside IBAN-looking text, valid and not.
        "DE89 3704 0044 0532 0130 00 DE89 4111 1111 1111 1111 00 GB82 WEST 4111 1111 1111 1111".into(),
        "DE894111111111111111 DE00411111111111111100".into(),
        // Unicode digits: Arabic-Indic, extended, Devanagari, fullwidth, math.
        "٤١١١ ١١١١ ١١١١ ١١١١ ۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱ ४१११-१११११११११११११ ４１１１１１１１１１１１１１１１ 𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏".into(),
        "٤".repeat(2048),
        "４".repeat(1365),
        "\u{200B}".repeat(1365),
        "é1".repeat(1365),
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn growth_stays_within_the_limit() {
    // Short values that become long tokens: 4 KB of IPs and cards.
    check(&"1.1.1.1 ".repeat(512));
    check(&"4111111111111111 ".repeat(240));
    check(&"a@b.co ".repeat(585));
}

fn digitish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "0", "1", "4", "9", " ", "-", ".", "/", ":", "(", ")", "+", "@", "a", "Z", "AKIA", "DE89",
        "00", "٤", "４", "\u{200B}", "é", "x.io", "secret ", "ff",
    ]);
    prop::collection::vec(atoms, 0..400).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text(content in "\\PC{0,600}") {
        check(&content);
    }

    #[test]
    fn digit_heavy_text(content in digitish()) {
        check(&content);
    }
}
