//! The `keyword`, `regex` and `links` rules: configured from TOML (bad
//! options name the file, line and key), and bad input never breaks them
//! (no panic, valid UTF-8, within the 4 KB content limit once the
//! processor's size fallback has run).

use chimeflow_core::{
    ChannelMessage, Findings, Message, Rule, RuleConfig, limits::CONTENT_MAX_BYTES,
};
use chimeflow_host::{Config, ConfigError, ConfigSource};
use chimeflow_rules::keyword::{KeywordConfig, MatchAction};
use chimeflow_rules::links::{LinksAction, LinksConfig, LinksMode};
use chimeflow_rules::regex_rule::RegexConfig;
use chimeflow_test::{EventBuilder, run_rule_on};
use proptest::prelude::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    let source = ConfigSource {
        name: "test.toml".into(),
        text: text.into(),
    };
    Config::parse(&source, &chimeflow_rules::registry())
}

#[test]
fn a_bad_regex_names_file_line_and_key() {
    let text = "[[rules]]\ntype = \"regex\"\npatterns = [\n  'ok',\n  '(unclosed',\n]\n";
    let e = parse(text).expect_err("refused");
    assert_eq!(e.file, "test.toml");
    assert_eq!(e.line, Some(5), "{e}");
    assert_eq!(e.key.as_deref(), Some("rules[0].patterns[1]"), "{e}");
    assert!(e.message.contains("unclosed group"), "{e}");
    let shown = e.to_string();
    assert!(
        shown.starts_with("test.toml:5:3: rules[0].patterns[1]: patterns[1] is not a valid regex"),
        "{shown}"
    );
    // On one line, the key's line.
    let e = parse("[[rules]]\ntype = \"length\"\nmax_chars = 9\n[[rules]]\ntype = \"regex\"\npatterns = ['a', '[z-a]']\n")
        .expect_err("refused");
    assert_eq!(e.line, Some(6), "{e}");
    assert_eq!(e.key.as_deref(), Some("rules[1].patterns[1]"), "{e}");
}

#[test]
fn option_errors_of_all_three_rules_name_their_line() {
    // (config, line, key, words the message must contain)
    let cases = [
        (
            "[[rules]]\ntype = \"regex\"\npatterns = []\n",
            3,
            "rules[0].patterns",
            "at least one",
        ),
        (
            "[[rules]]\ntype = \"regex\"\npatterns = ['\\w{60}']\n",
            3,
            "rules[0].patterns[0]",
            "too big",
        ),
        (
            "[[rules]]\ntype = \"keyword\"\nwords = [\n\"a\",\n\"b\",\n\"A\"]\n",
            6,
            "rules[0].words[2]",
            "repeats words[0]",
        ),
        (
            "[[rules]]\ntype = \"keyword\"\nwords = [\"a\", \"\"]\n",
            3,
            "rules[0].words[1]",
            "empty",
        ),
        (
            "[[rules]]\ntype = \"keyword\"\nwords = [\"a\"]\naction = \"zap\"\n",
            4,
            "rules[0].action",
            "unknown variant",
        ),
        (
            "[[rules]]\ntype = \"keyword\"\nwords = [\"a\"]\n\ncategory = \"two words\"\n",
            5,
            "rules[0].category",
            "printable",
        ),
        (
            "[[rules]]\ntype = \"links\"\nmode = \"deny-listed\"\n",
            1,
            "rules[0].deny_domains",
            "act on nothing",
        ),
        (
            "[[rules]]\ntype = \"links\"\ndeny_domains = [\n  \"a.com\",\n  \"https://b.com/x\",\n]\n",
            5,
            "rules[0].deny_domains[1]",
            "not a URL",
        ),
        (
            "[[rules]]\ntype = \"links\"\nmode = \"everything\"\n",
            3,
            "rules[0].mode",
            "unknown variant",
        ),
    ];
    for (text, line, key, words) in cases {
        let e = parse(text).expect_err(text);
        assert_eq!(e.line, Some(line), "{text}: {e}");
        assert_eq!(e.key.as_deref(), Some(key), "{text}: {e}");
        assert!(e.message.contains(words), "{text}: {e}");
    }
}

#[test]
fn the_three_rules_run_in_a_pipeline() {
    let config = parse(
        r#"
[[rules]]
type = "keyword"
words = ["project falcon"]
action = "redact"
replacement = "[codename]"

[[rules]]
type = "regex"
patterns = ['\bJIRA-\d+\b']
category = "ticket"

[[rules]]
type = "links"
policy = "allow-listed-only"
allow_domains = ["example.com"]
"#,
    )
    .unwrap();
    assert_eq!(config.rule_ids(), ["keyword", "regex", "links"]);
    let processor = config.into_processor();
    let text = "Project Falcon: JIRA-42 see https://evil.io/x and example.com/docs.";
    let event = EventBuilder::new().content(text).build();
    let outcome = processor.process(&event).unwrap();
    assert_eq!(outcome.decision.as_str(), "UPDATE");
    assert_eq!(
        outcome.callback.channel_message.content.as_deref(),
        Some("[codename]: ******* see [link removed] and example.com/docs.")
    );
    // Every finding points at the text as sent, though earlier rules
    // changed its length.
    let found: Vec<(&str, &str, &str)> = outcome
        .findings
        .iter()
        .map(|f| (&*f.rule, &*f.category, &text[f.span()]))
        .collect();
    assert_eq!(
        found,
        [
            ("keyword", "keyword", "Project Falcon"),
            ("regex", "ticket", "JIRA-42"),
            ("links", "URL", "https://evil.io/x"),
        ]
    );
}

#[test]
fn lex_replies_pass_every_rule_untouched() {
    let rules: Vec<Box<dyn Rule>> = vec![
        keyword(MatchAction::Deny),
        regex(MatchAction::Deny),
        links(LinksAction::Deny),
    ];
    let event = EventBuilder::new()
        .lex_reply("secret JIRA-1 https://evil.io")
        .build();
    for rule in rules {
        let run = run_rule_on(rule.as_ref(), &event);
        assert!(!run.verdict.is_deny() && !run.changed && run.findings.is_empty());
    }
}

fn keyword(action: MatchAction) -> Box<dyn Rule> {
    KeywordConfig {
        words: ["secret", "a", "é", "👍", "class", "x y"]
            .map(String::from)
            .to_vec(),
        action,
        ..KeywordConfig::default()
    }
    .build()
    .unwrap()
}

fn keyword_substrings(action: MatchAction) -> Box<dyn Rule> {
    KeywordConfig {
        words: ["a", "e\u{301}", "🏽", "ss"].map(String::from).to_vec(),
        action,
        whole_words: false,
        ..KeywordConfig::default()
    }
    .build()
    .unwrap()
}

fn regex(action: MatchAction) -> Box<dyn Rule> {
    RegexConfig {
        patterns: [r"\d+", r"(?i)[a-z]{2}", r"\p{Emoji}", r"\bJIRA-\d+\b", r"."]
            .map(String::from)
            .to_vec(),
        action,
        ..RegexConfig::default()
    }
    .build()
    .unwrap()
}

fn links(action: LinksAction) -> Box<dyn Rule> {
    LinksConfig {
        policy: LinksMode::AllowListedOnly,
        allow_domains: vec!["example.com".into()],
        action,
        ..LinksConfig::default()
    }
    .build()
    .unwrap()
}

/// Every rule configuration the properties run, built once.
fn all_rules() -> &'static [Box<dyn Rule>] {
    static RULES: std::sync::OnceLock<Vec<Box<dyn Rule>>> = std::sync::OnceLock::new();
    RULES.get_or_init(build_all)
}

fn build_all() -> Vec<Box<dyn Rule>> {
    let mut rules = Vec::new();
    for action in [
        MatchAction::Mask,
        MatchAction::Redact,
        MatchAction::Deny,
        MatchAction::Tag,
    ] {
        rules.push(keyword(action));
        rules.push(keyword_substrings(action));
        rules.push(regex(action));
    }
    for action in [LinksAction::Strip, LinksAction::Deny, LinksAction::Tag] {
        rules.push(links(action));
    }
    rules
}

/// Runs every rule on `content` and checks the invariants.
fn check(rules: &[Box<dyn Rule>], content: &str) {
    for rule in rules {
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
                f.start < f.end && f.end <= content.len(),
                "{}: span out of bounds",
                rule.id()
            );
            assert!(content.is_char_boundary(f.start) && content.is_char_boundary(f.end));
        }
        for w in findings.as_slice().windows(2) {
            assert!(
                w[0].end <= w[1].start,
                "{}: overlapping findings",
                rule.id()
            );
        }
        let out = message.compact_content();
        assert!(std::str::from_utf8(out.as_bytes()).is_ok());
        if content.len() <= CONTENT_MAX_BYTES {
            assert!(
                out.len() <= CONTENT_MAX_BYTES,
                "{}: {} bytes",
                rule.id(),
                out.len()
            );
        }
    }
}

#[test]
fn pathological_inputs() {
    let rules = all_rules();
    let cases = [
        "a".repeat(4096),
        "a ".repeat(2048),
        "é".repeat(2048),
        "e\u{301}".repeat(1365),
        "👍🏽".repeat(512),
        "x.io ".repeat(819),
        "a.".repeat(2048),
        "http://".repeat(585),
        "https://x.com/".repeat(292),
        "(https://x.com)".repeat(273),
        format!("{}http://a.b{}", ")".repeat(4000), ")".repeat(80)),
        "www.".repeat(1024),
        "a@b.com ".repeat(512),
        "1".repeat(4096),
        "JIRA-1 ".repeat(585),
        "\u{212A}".repeat(1365),
        "İ".repeat(2048),
        "访问example.com。".repeat(200),
    ];
    for case in &cases {
        check(rules, case);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_strings(content in "\\PC{0,400}") {
        check(all_rules(), &content);
    }

    #[test]
    fn link_and_word_shaped_text(
        parts in prop::collection::vec(
            prop_oneof![
                Just("https://".to_owned()),
                Just("www.".to_owned()),
                Just(".com".to_owned()),
                Just(".".to_owned()),
                Just("@".to_owned()),
                Just("(".to_owned()),
                Just(")".to_owned()),
                Just(" ".to_owned()),
                Just("secret".to_owned()),
                Just("é".to_owned()),
                Just("\u{301}".to_owned()),
                Just("👍🏽".to_owned()),
                "[a-zA-Z0-9İ\u{212A}ß-]{1,8}",
            ],
            0..60,
        )
    ) {
        check(all_rules(), &parts.concat());
    }

    #[test]
    fn long_inputs_stay_within_the_limit(unit in "\\PC{1,8}", times in 1usize..600) {
        let content: String = unit.repeat(times);
        let cut = (0..=CONTENT_MAX_BYTES.min(content.len()))
            .rev()
            .find(|&i| content.is_char_boundary(i))
            .unwrap_or(0);
        check(all_rules(), &content[..cut]);
    }
}
