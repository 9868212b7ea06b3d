//! The repository's `rules/` links to the default configuration and word
//! lists in crates/rules (what chimeflow-rules embeds and publishes): the
//! path the docs and `scripts/build-lambda` name must be the file the
//! processor embeds. A checkout without symlink support, or a copy that
//! drifted, fails here.

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn rules_chimeflow_toml_is_the_embedded_default() {
    let text = std::fs::read_to_string(repo().join("rules/chimeflow.toml")).unwrap();
    assert_eq!(text, chimeflow_rules::EMBEDDED_CONFIG);
    assert_eq!(
        chimeflow_rules::default_config().text,
        chimeflow_rules::EMBEDDED_CONFIG
    );
}

#[test]
fn rules_profanity_is_the_crate_s_word_lists() {
    for file in ["en.txt", "README.md"] {
        let top = std::fs::read(repo().join("rules/profanity").join(file)).unwrap();
        let in_crate = std::fs::read(repo().join("crates/rules/profanity").join(file)).unwrap();
        assert_eq!(top, in_crate, "rules/profanity/{file}");
    }
}
