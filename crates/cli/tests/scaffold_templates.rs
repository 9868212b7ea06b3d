//! `chimeflow new` embeds its own copies of the repository's template.yaml
//! and env.json (a published crate cannot reach outside its folder): they
//! must stay the repository's files, with SAM building the scaffold's crate.

use std::path::Path;

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_scaffold_template_is_the_repository_s() {
    let repository = read("../../template.yaml");
    assert!(repository.contains("      CodeUri: crates/processor\n"));
    assert_eq!(
        read("src/scaffold/template.yaml.in"),
        repository.replace("      CodeUri: crates/processor\n", "      CodeUri: .\n"),
        "refresh it: sed 's#CodeUri: crates/processor#CodeUri: .#' template.yaml > crates/cli/src/scaffold/template.yaml.in"
    );
}

#[test]
fn the_scaffold_env_json_is_the_repository_s() {
    assert_eq!(
        read("src/scaffold/env.json.in"),
        read("../../env.json"),
        "refresh it: cp env.json crates/cli/src/scaffold/env.json.in"
    );
}
