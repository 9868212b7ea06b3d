//! `chimeflow new`: scaffold a processor project with a custom rule.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::failure::Failure;

/// Scaffold a processor project with a custom rule.
///
/// Creates PATH with a Cargo project on the chimeflow crates from crates.io
/// (`chimeflow-core = "0.1"`, ...; --chimeflow-path DIR depends on a
/// chimeflow checkout by path instead, to work on chimeflow itself): a processor
/// binary (src/main.rs) that registers a custom rule stub (src/rule.rs, with
/// table and conformance tests) next to the built-ins, rules/chimeflow.toml
/// (embedded at build time), template.yaml for `sam build && sam deploy`,
/// env.json and events/ for `sam local invoke`, and a README. It builds and
/// passes its own tests as created: `cd PATH && cargo test`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow new my-processor\n  \
    chimeflow new ./services/moderation --name chat-moderation --chimeflow-path ~/src/chimeflow")]
pub struct NewArgs {
    /// The directory to create (must not exist, or be empty).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// The crate name [default: the directory's name].
    #[arg(long)]
    pub name: Option<String>,

    /// Depend on the chimeflow crates of this checkout by path [default: the published
    /// crates, by version].
    #[arg(long, value_name = "DIR")]
    pub chimeflow_path: Option<PathBuf>,
}

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
    // The repository's own template.yaml and env.json, with SAM building the
    // scaffold's crate (CodeUri: .); tests/scaffold_templates.rs keeps them
    // in step.
    ("template.yaml", include_str!("scaffold/template.yaml.in")),
    ("env.json", include_str!("scaffold/env.json.in")),
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
    let chimeflow = match &args.chimeflow_path {
        Some(path) => Chimeflow::Checkout(checkout(path)?),
        None => Chimeflow::Published(published_version()),
    };
    for (path, template) in FILES {
        let text = render(template, &name, &chimeflow);
        let target = directory.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|error| write_failure(parent, error))?;
        }
        std::fs::write(&target, text).map_err(|error| write_failure(&target, error))?;
    }
    println!(
        "created {} ({name}), using {}",
        directory.display(),
        chimeflow.describe()
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

/// Where a scaffold's chimeflow crates come from.
enum Chimeflow {
    /// The published crates, by version requirement (`0.1`).
    Published(String),
    /// A chimeflow checkout, by path (`--chimeflow-path`).
    Checkout(PathBuf),
}

impl Chimeflow {
    /// The dependency of the crate in `crates/<folder>` (`chimeflow-<...>`).
    fn dependency(&self, folder: &str) -> String {
        match self {
            Self::Published(version) => format!("\"{version}\""),
            Self::Checkout(root) => format!(
                "{{ path = \"{}\" }}",
                root.join("crates").join(folder).display()
            ),
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Published(version) => format!("the chimeflow crates {version} from crates.io"),
            Self::Checkout(root) => format!("chimeflow from {}", root.display()),
        }
    }
}

/// The version requirement of the chimeflow crates this command belongs to
/// (they are released together): `0.1` for 0.1.x, `1` for 1.x.
fn published_version() -> String {
    requirement(env!("CARGO_PKG_VERSION"))
}

fn requirement(version: &str) -> String {
    let mut parts = version.split('.');
    match (parts.next(), parts.next()) {
        (Some("0"), Some(minor)) => format!("0.{minor}"),
        (Some(major), _) => major.to_owned(),
        _ => version.to_owned(),
    }
}

fn checkout(given: &Path) -> Result<PathBuf, Failure> {
    let path = given.canonicalize().map_err(|_| missing(given))?;
    if !path.join("crates/core/Cargo.toml").exists() {
        return Err(missing(&path));
    }
    Ok(path)
}

fn missing(path: &Path) -> Failure {
    Failure::Usage(format!(
        "no chimeflow checkout at {}: --chimeflow-path takes the root of a chimeflow repository",
        path.display()
    ))
}

fn render(template: &str, name: &str, chimeflow: &Chimeflow) -> String {
    let dep = |folder: &str| chimeflow.dependency(folder);
    template
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
        for chimeflow in [
            Chimeflow::Published("0.1".into()),
            Chimeflow::Checkout("/opt/chimeflow".into()),
        ] {
            for (path, template) in FILES {
                let text = render(template, "my-processor", &chimeflow);
                // CloudFormation's own dynamic references are not ours.
                let ours = text.replace("{{resolve:", "");
                assert!(!ours.contains("{{"), "{path} keeps a placeholder");
            }
        }
    }

    #[test]
    fn dependencies_by_version_or_by_path() {
        let manifest = FILES[0].1;
        let published = render(manifest, "x", &Chimeflow::Published("0.1".into()));
        assert!(
            published.contains("chimeflow-core = \"0.1\"\n"),
            "{published}"
        );
        assert!(
            published.contains("chimeflow-test = \"0.1\"\n"),
            "{published}"
        );
        let checkout = render(manifest, "x", &Chimeflow::Checkout("/opt/cf".into()));
        assert!(
            checkout.contains("chimeflow-rules = { path = \"/opt/cf/crates/rules\" }"),
            "{checkout}"
        );
    }

    #[test]
    fn the_version_requirement_is_the_compatible_range() {
        assert_eq!(requirement("0.1.0"), "0.1");
        assert_eq!(requirement("0.12.3"), "0.12");
        assert_eq!(requirement("1.4.2"), "1");
        assert_eq!(requirement(env!("CARGO_PKG_VERSION")), published_version());
    }
}
