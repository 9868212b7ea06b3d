//! `chimeflow new`: what it writes and what it refuses. (That the scaffold
//! builds and passes its own tests is proven by scripts/test-scaffold in CI.)

mod common;

use common::{chimeflow, root};

#[test]
fn a_scaffold_has_every_file_and_no_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("chat-guard");
    let root = root().canonicalize().unwrap();
    let run = chimeflow(
        &[
            "new",
            target.to_str().unwrap(),
            "--chimeflow-path",
            root.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in [
        "Cargo.toml",
        "src/main.rs",
        "src/lib.rs",
        "src/rule.rs",
        "rules/chimeflow.toml",
        "template.yaml",
        "env.json",
        "events/message.json",
        "README.md",
    ] {
        let text =
            std::fs::read_to_string(target.join(file)).unwrap_or_else(|_| panic!("{file} missing"));
        // CloudFormation's own dynamic references are not ours.
        let ours = text.replace("{{resolve:", "");
        assert!(!ours.contains("{{"), "{file} keeps a placeholder");
    }
    let manifest = std::fs::read_to_string(target.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"chat-guard\""));
    assert!(manifest.contains(&format!("path = \"{}/crates/core\"", root.display())));
    let template = std::fs::read_to_string(target.join("template.yaml")).unwrap();
    assert!(
        template.contains("CodeUri: .\n"),
        "SAM builds the scaffold's own crate"
    );
    let main = std::fs::read_to_string(target.join("src/main.rs")).unwrap();
    assert!(main.contains("use chat_guard::rule::NoShoutingConfig;"));
}

#[test]
fn it_refuses_what_it_should() {
    let dir = tempfile::tempdir().unwrap();
    let taken = dir.path().join("taken");
    std::fs::create_dir(&taken).unwrap();
    std::fs::write(taken.join("existing.txt"), "x").unwrap();
    let root = root().canonicalize().unwrap();
    let root = root.to_str().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "new".into(),
                taken.display().to_string(),
                "--chimeflow-path".into(),
                root.into(),
            ],
            "not empty",
        ),
        (
            vec![
                "new".into(),
                dir.path().join("9lives").display().to_string(),
                "--chimeflow-path".into(),
                root.into(),
            ],
            "not a valid crate name",
        ),
        (
            vec![
                "new".into(),
                dir.path().join("ok").display().to_string(),
                "--chimeflow-path".into(),
                "/nonexistent".into(),
            ],
            "no chimeflow checkout",
        ),
    ];
    for (args, words) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = chimeflow(&args, b"");
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(words), "{args:?}: {}", run.stderr);
    }
    assert!(!dir.path().join("9lives").exists());
}

#[test]
fn by_default_it_depends_on_the_published_crates() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("chat-guard");
    let run = chimeflow(&["new", target.to_str().unwrap()], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("from crates.io"), "{}", run.stdout);
    let manifest = std::fs::read_to_string(target.join("Cargo.toml")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let requirement = version.rsplit_once('.').unwrap().0;
    for package in [
        "chimeflow-core",
        "chimeflow-host",
        "chimeflow-rules",
        "chimeflow-runtime",
        "chimeflow-test",
    ] {
        assert!(
            manifest.contains(&format!("{package} = \"{requirement}\"\n")),
            "{package} by version:\n{manifest}"
        );
    }
    assert!(!manifest.contains("{ path ="), "{manifest}");
}
