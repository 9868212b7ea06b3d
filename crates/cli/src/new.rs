//! `chimeflow new`: scaffold a processor project with a custom rule.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::NewArgs;
use crate::failure::Failure;

/// The chimeflow checkout this binary was built from: the default source of
/// the chimeflow crates for a scaffold until they are published.
const BUILT_FROM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The files of a scaffold: (path, template).
const FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("scaffold/Cargo.toml.in")),
    ("src/main.rs", include_str!("scaffold/main.rs.in")),
    ("src/lib.rs", include_str!("scaffold/lib.rs.in")),
    ("src/rule.rs", include_str!("scaffold/rule.rs.in")),
    (
        "rules/chimeflow.toml",
        include_str!("scaffold/chimeflow.toml.in"),
    ),
    ("template.yaml", include_str!("../../../template.yaml")),
    ("env.json", include_str!("../../../env.json")),
    (
        "events/message.json",
        include_str!("scaffold/message.json.in"),
    ),
    ("README.md", include_str!("scaffold/README.md.in")),
    (".gitignore", "/target\n/.aws-sam\n"),
];

pub fn run(args: &NewArgs) -> Result<ExitCode, Failure> {
    let directory = &args.path;
    let name = match &args.name {
        Some(name) => name.clone(),
        None => directory
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Failure::Usage(
                    "give a directory with a name, e.g. `chimeflow new my-processor`".into(),
                )
            })?,
    };
    check_name(&name)?;
    if directory.exists()
        && directory
            .read_dir()
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Failure::Usage(format!(
            "{} exists and is not empty",
            directory.display()
        )));
    }
    let chimeflow = chimeflow_path(args.chimeflow_path.as_deref())?;
    for (path, template) in FILES {
        let text = render(template, &name, &chimeflow);
        let target = directory.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|error| write_failure(parent, error))?;
        }
        std::fs::write(&target, text).map_err(|error| write_failure(&target, error))?;
    }
    println!(
        "created {} ({name}), using chimeflow from {}",
        directory.display(),
        chimeflow.display()
    );
    println!("next: cd {} && cargo test", directory.display());
    Ok(ExitCode::SUCCESS)
}

fn write_failure(path: &Path, error: std::io::Error) -> Failure {
    Failure::Usage(format!("cannot write {}: {error}", path.display()))
}

/// A crate name: starts with a letter; letters, digits, `-`, `_`.
fn check_name(name: &str) -> Result<(), Failure> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= 64;
    if valid {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "`{name}` is not a valid crate name: start with a letter; use letters, digits, '-' and '_'"
        )))
    }
}

fn chimeflow_path(given: Option<&Path>) -> Result<PathBuf, Failure> {
    let path = given.map_or_else(|| PathBuf::from(BUILT_FROM), Path::to_path_buf);
    let path = path.canonicalize().map_err(|_| missing(&path))?;
    if !path.join("crates/core/Cargo.toml").exists() {
        return Err(missing(&path));
    }
    Ok(path)
}

fn missing(path: &Path) -> Failure {
    Failure::Usage(format!(
        "no chimeflow checkout at {}: pass --chimeflow-path with the path of one",
        path.display()
    ))
}

fn render(template: &str, name: &str, chimeflow: &Path) -> String {
    let dep = |folder: &str| {
        format!(
            "{{ path = \"{}\" }}",
            chimeflow.join("crates").join(folder).display()
        )
    };
    template
        // The root template builds crates/processor; a scaffold is one crate.
        .replace("CodeUri: crates/processor", "CodeUri: .")
        .replace("{{name}}", name)
        .replace("{{crate}}", &name.replace('-', "_"))
        .replace("{{dep core}}", &dep("core"))
        .replace("{{dep host}}", &dep("host"))
        .replace("{{dep rules}}", &dep("rules"))
        .replace("{{dep runtime}}", &dep("runtime"))
        .replace("{{dep testkit}}", &dep("testkit"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for good in ["my-processor", "a", "moderation_v2"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "1st", "my processor", "../x", "é"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn templates_leave_no_placeholder() {
        for (path, template) in FILES {
            let text = render(template, "my-processor", Path::new("/opt/chimeflow"));
            assert!(!text.contains("{{"), "{path} keeps a placeholder");
        }
    }
}
