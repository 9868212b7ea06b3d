//! The bodies of the byte-input fuzz targets and what they share: the
//! processors they drive and the invariant check (which lives in
//! chimeflow-test, so that property tests and the adversarial corpus use the
//! same code). Free of libFuzzer and `arbitrary`, so that
//! tests/tests/fuzz_corpus.rs can include this file and replay the committed
//! corpora on stable in every test run.

use std::sync::OnceLock;

use chimeflow_core::{OnError, Processor, ProcessorEvent};
use chimeflow_host::{Config, ConfigSource};
use chimeflow_test::{EventBuilder, invariants};

/// The indented block under "Example" in a rule's doc text.
pub fn example_config(doc: &str) -> String {
    let after = doc.split_once("\nExample\n").expect("an Example section").1;
    let block = after.split("\nLimitations").next().unwrap_or(after);
    block
        .lines()
        .map(|line| line.strip_prefix("  ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Extra single-rule configurations beside the documented examples: the
/// other styles and actions, so that every code path of a rule is reachable.
pub const VARIANTS: &[&str] = &[
    "[[rules]]\ntype = \"pii\"\nstyle = \"token\"\n",
    "[[rules]]\ntype = \"pii\"\nstyle = \"mask\"\nlex = \"skip\"\n",
    "[[rules]]\ntype = \"pii\"\nstyle = \"hash\"\nhash_key = \"fuzzing key, sixteen bytes or more\"\n",
    "[[rules]]\ntype = \"length\"\nmax_chars = 12\nmax_lines = 2\naction = \"truncate\"\n",
    "[[rules]]\ntype = \"length\"\nmax_chars = 4000\nmax_lines = 200\naction = \"deny\"\n",
    "[[rules]]\ntype = \"profanity\"\n",
    "[[rules]]\ntype = \"links\"\nmode = \"allow-listed-only\"\nallow_domains = [\"example.com\"]\n[rules.when]\nedits = true\n",
    "[[rules]]\ntype = \"links\"\nmode = \"deny-listed\"\ndeny_domains = [\"evil.example\"]\naction = \"tag\"\n",
    "[[rules]]\ntype = \"keyword\"\nwords = [\"a\", \"ab\", \"é\", \"\u{200b}\"]\naction = \"redact\"\nreplacement = \"[a much longer replacement than the word]\"\n",
    "[[rules]]\ntype = \"regex\"\npatterns = ['\\p{L}+', '(?s).{1,3}$']\naction = \"redact\"\nreplacement = \"[xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]\"\n",
    "[[rules]]\ntype = \"tag\"\n",
    "[[rules]]\ntype = \"deny-empty\"\nmetadata_counts = true\n",
];

/// Every rule the fuzz targets drive: one processor (with a single rule)
/// for each built-in rule type's documented example, then each of
/// [`VARIANTS`]. Built once.
pub fn rule_processors() -> &'static [(String, Processor)] {
    static PROCESSORS: OnceLock<Vec<(String, Processor)>> = OnceLock::new();
    PROCESSORS.get_or_init(|| {
        let registry = chimeflow_rules::registry();
        let mut configs: Vec<(String, String)> = registry
            .entries()
            .iter()
            .map(|e| (format!("example of {}", e.type_name), example_config(e.doc)))
            .collect();
        configs.extend(
            VARIANTS
                .iter()
                .enumerate()
                .map(|(i, text)| (format!("variant {i}"), (*text).to_owned())),
        );
        configs
            .into_iter()
            .map(|(name, text)| {
                let source = ConfigSource {
                    name: name.clone(),
                    text,
                };
                let config = Config::parse(&source, &registry)
                    .unwrap_or_else(|e| panic!("{name} does not build: {e}"));
                (name, config.into_processor())
            })
            .collect()
    })
}

/// Pipelines for the `pipeline` target: the embedded default, then every
/// built-in rule in one pipeline (editing rules first, tagging and denying
/// last), then that with `on_error = "pass"`.
pub fn pipeline_processors() -> &'static [Processor] {
    static PROCESSORS: OnceLock<Vec<Processor>> = OnceLock::new();
    PROCESSORS.get_or_init(|| {
        let registry = chimeflow_rules::registry();
        let order = [
            "pii",
            "keyword",
            "regex",
            "links",
            "profanity",
            "tag",
            "length",
            "deny-empty",
        ];
        let mut all = String::new();
        for type_name in order {
            let entry = registry.get(type_name).expect("a built-in rule");
            all.push_str(&example_config(entry.doc));
            all.push('\n');
        }
        let all_rules = |on_error: &str| {
            let source = ConfigSource {
                name: "all rules".into(),
                text: format!("on_error = \"{on_error}\"\n{all}"),
            };
            Config::parse(&source, &registry)
                .unwrap_or_else(|e| panic!("{e}"))
                .into_processor()
        };
        vec![
            chimeflow_rules::load_default()
                .expect("the embedded config")
                .into_processor(),
            all_rules("deny"),
            all_rules("pass").with_on_error(OnError::Pass),
        ]
    })
}

/// Asserts every invariant of [`invariants::check_processed`] for `event`;
/// panics (a crash, to the fuzzer) with the list of violations.
pub fn check(processor: &Processor, event: &ProcessorEvent) {
    if let Err(failures) = invariants::check_processed(processor, event) {
        panic!("invariants broken:\n{}", failures.join("\n"));
    }
}

/// A test event with this content and some context chosen by `flags`.
pub fn event_with(content: &str, flags: u8) -> ProcessorEvent {
    let mut builder = EventBuilder::new().content(content);
    if flags & 1 != 0 {
        builder = builder.edit();
    }
    if flags & 2 != 0 {
        builder = builder.non_persistent();
    }
    if flags & 4 != 0 {
        builder = builder.content_type(chimeflow_core::LEX_CONTENT_TYPE);
    }
    if flags & 8 != 0 {
        builder = builder.metadata(r#"{"app":{"k":1}}"#);
    }
    if flags & 16 != 0 {
        builder = builder.attribute("existing", &["value"]);
    }
    if flags & 32 != 0 {
        builder = builder.sub_channel("sub-channel-1");
    }
    builder.build()
}

/// Options whose entries are text a configuration may want kept private:
/// the words, patterns and domains rules look for.
pub const PRIVATE_LISTS: &[&str] = &[
    "words",
    "block",
    "allow",
    "allow_patterns",
    "patterns",
    "allow_domains",
    "deny_domains",
    "word",
];

/// Every string in a [`PRIVATE_LISTS`] option of `text`, with the byte span
/// of its literal (quotes included), if the text is valid TOML.
pub fn private_strings(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    use toml::de::{DeTable, DeValue};
    fn walk(
        value: &toml::Spanned<DeValue<'_>>,
        private: bool,
        out: &mut Vec<(std::ops::Range<usize>, String)>,
    ) {
        match value.get_ref() {
            DeValue::String(s) if private => out.push((value.span(), s.to_string())),
            DeValue::Array(items) => items.iter().for_each(|v| walk(v, private, out)),
            // A table (`{ word = "…", severity = "…" }`) names its own
            // private keys.
            DeValue::Table(table) => table
                .iter()
                .for_each(|(k, v)| walk(v, PRIVATE_LISTS.contains(&k.get_ref().as_ref()), out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(document) = DeTable::parse(text) {
        for (key, value) in document.get_ref().iter() {
            walk(
                value,
                PRIVATE_LISTS.contains(&key.get_ref().as_ref()),
                &mut out,
            );
        }
    }
    out
}

/// Whether the configuration error `shown` for `text` quotes one of its
/// private strings: a string found in the message is replaced in the text
/// (that occurrence only) by a canary of the same length, and the text
/// parsed again; a leak is the canary in the new message (the text may
/// merely spell the message's own words, such as an entity name).
pub fn config_error_leaks(text: &str, shown: &str) -> bool {
    for (span, entry) in private_strings(text) {
        if entry.len() < invariants::LEAK_MIN_LEN || !shown.contains(&entry) {
            continue;
        }
        let canary = "Q".repeat(entry.len());
        let mut canaried = String::with_capacity(text.len());
        canaried.push_str(&text[..span.start]);
        canaried.push('"');
        canaried.push_str(&canary);
        canaried.push('"');
        canaried.push_str(&text[span.end..]);
        let source = ConfigSource {
            name: "canary.toml".into(),
            text: canaried,
        };
        if let Err(again) = Config::parse(&source, &chimeflow_rules::registry())
            && again.to_string().contains(&canary)
        {
            return true;
        }
    }
    false
}

/// The `event` target: arbitrary bytes as an invocation event. Parsing never
/// panics; an error never quotes a value; an event that parses serialises
/// to JSON that parses back to the same event and serialises again to the
/// same bytes; the default processor handles it within every invariant.
pub fn event_target(data: &[u8]) {
    match ProcessorEvent::from_slice(data) {
        Err(error) => {
            if let Err(failures) = invariants::check_parse_error(data, &error) {
                panic!("{}", failures.join("\n"));
            }
        }
        Ok(event) => {
            let once = serde_json::to_vec(&event).expect("an event serialises");
            let back = ProcessorEvent::from_slice(&once).expect("a serialised event parses");
            assert_eq!(back, event, "parse -> serialise -> parse changed the event");
            let twice = serde_json::to_vec(&back).expect("an event serialises");
            assert_eq!(once, twice, "serialising is not stable");
            check(&pipeline_processors()[0], &event);
        }
    }
}

/// The `rule` target: the first byte picks a rule (a documented example or
/// a variant), the second the message's context (see [`event_with`]), the
/// rest is the content.
pub fn rule_target(data: &[u8]) {
    let [pick, flags, rest @ ..] = data else {
        return;
    };
    let processors = rule_processors();
    let (_, processor) = &processors[usize::from(*pick) % processors.len()];
    let content = String::from_utf8_lossy(rest);
    check(processor, &event_with(&content, *flags));
}

/// The file name `config_target` gives its text.
pub const CONFIG_FILE: &str = "fuzz.toml";

/// The `config` target: arbitrary text as `chimeflow.toml`. Parsing never
/// panics; an error names the file and a line and never quotes a word,
/// pattern or domain of a list; a configuration that builds processes a few
/// messages within every invariant.
pub fn config_target(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = ConfigSource {
        name: CONFIG_FILE.into(),
        text: text.into(),
    };
    match Config::parse(&source, &chimeflow_rules::registry()) {
        Err(error) => {
            assert_eq!(error.file, CONFIG_FILE, "the error names the file");
            let shown = error.to_string();
            assert!(shown.starts_with(CONFIG_FILE), "{shown}");
            assert!(error.line.is_some(), "the error has no line: {shown}");
            assert!(
                !config_error_leaks(text, &shown),
                "a config error quotes a word, pattern or domain"
            );
        }
        Ok(config) => {
            let processor = config.into_processor();
            for (content, flags) in [
                ("hello, mail me at a.b@example.com or +1 206 555 0100", 0),
                ("", 8),
                ("project falcon ticket-12345 http://evil.example/x", 1 | 16),
                (
                    "\u{202e}ＦＵＬＬ \u{200b}width 4111 1111 1111 1111",
                    2 | 4 | 32,
                ),
            ] {
                check(&processor, &event_with(content, flags));
            }
        }
    }
}
