//! The generated pages of the guide (docs/cli.md, docs/rules/) match what
//! the command prints today: `chimeflow gen-docs --check`. With
//! `UPDATE_DOCS=1` the test regenerates them instead.

use std::path::PathBuf;
use std::process::Command;

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

#[test]
fn generated_docs_are_up_to_date() {
    let update = std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1");
    let mut command = Command::new(env!("CARGO_BIN_EXE_chimeflow"));
    command.arg("gen-docs").arg("--dir").arg(docs_dir());
    if !update {
        command.arg("--check");
    }
    let output = command.output().expect("chimeflow runs");
    assert!(
        output.status.success(),
        "{}\nThe generated docs are out of date: run `scripts/gen-docs` \
         (or `UPDATE_DOCS=1 cargo test -p chimeflow-cli --test docs`) to regenerate them.",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn check_names_a_page_that_drifted() {
    let dir = tempfile::tempdir().unwrap();
    let run = |check: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_chimeflow"));
        command.arg("gen-docs").arg("--dir").arg(dir.path());
        if check {
            command.arg("--check");
        }
        command.output().expect("chimeflow runs")
    };
    assert!(run(false).status.success());
    assert!(run(true).status.success(), "freshly generated pages pass");
    for page in [
        "cli.md",
        "rules/README.md",
        "rules/length.md",
        "rules/pii.md",
    ] {
        assert!(dir.path().join(page).is_file(), "{page} generated");
    }

    std::fs::write(dir.path().join("rules/length.md"), "edited by hand\n").unwrap();
    std::fs::write(
        dir.path().join("rules/retired.md"),
        "a rule type that is gone\n",
    )
    .unwrap();
    let output = run(true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("length.md is out of date"), "{stderr}");
    assert!(stderr.contains("retired.md is out of date"), "{stderr}");
    assert!(stderr.contains("scripts/gen-docs"), "{stderr}");

    assert!(run(false).status.success());
    assert!(
        !dir.path().join("rules/retired.md").exists(),
        "stale page removed"
    );
    assert!(run(true).status.success(), "regenerated pages pass");
}
