//! `chimeflow gen-docs` (hidden): writes or checks the generated pages of the
//! guide, so that they never drift from what the command prints.
//!
//! - `docs/cli.md`: the long help of `chimeflow` and every subcommand, from the
//!   clap definitions;
//! - `docs/rules/<type>.md`: each rule's documentation, the text
//!   `chimeflow rules TYPE` prints, as Markdown;
//! - `docs/rules/README.md`: the index of rule types with their summaries.
//!
//! `scripts/gen-docs` runs it; `crates/cli/tests/docs.rs` runs it with
//! `--check` so that CI fails when a page is stale.

mod cli_md;
mod rules_md;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::failure::Failure;

/// The folder, under the docs folder, that holds one page per rule type.
const RULES_DIR: &str = "rules";

/// Write the generated pages of the guide (docs/cli.md, docs/rules/), or
/// check that they are up to date. For maintainers: `scripts/gen-docs`.
#[derive(Debug, Args)]
pub struct GenDocsArgs {
    /// The guide's folder.
    #[arg(long, default_value = "docs", value_name = "DIR")]
    pub dir: PathBuf,

    /// Write nothing; exit 1 naming every page that is out of date.
    #[arg(long)]
    pub check: bool,
}

/// Writes or checks the pages; `chimeflow` is the whole command line
/// (`Cli::command()`), passed in so that this module does not import the
/// one that lists it as a subcommand.
pub fn run(args: &GenDocsArgs, chimeflow: clap::Command) -> Result<ExitCode, Failure> {
    let pages = pages(chimeflow);
    if args.check {
        let drifted = drifted(&args.dir, &pages);
        if drifted.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        for path in &drifted {
            eprintln!("chimeflow: {} is out of date", path.display());
        }
        eprintln!("chimeflow: run `scripts/gen-docs` to regenerate");
        return Ok(ExitCode::FAILURE);
    }
    write(&args.dir, &pages)?;
    Ok(ExitCode::SUCCESS)
}

/// Every generated page, by path relative to the docs folder.
fn pages(chimeflow: clap::Command) -> BTreeMap<PathBuf, String> {
    let mut pages = BTreeMap::new();
    pages.insert(PathBuf::from("cli.md"), cli_md::render(chimeflow));
    let registry = chimeflow_rules::registry();
    let rules = Path::new(RULES_DIR);
    pages.insert(rules.join("README.md"), rules_md::index(registry.entries()));
    for entry in registry.entries() {
        pages.insert(
            rules.join(format!("{}.md", entry.type_name)),
            rules_md::page(entry.type_name, entry.doc),
        );
    }
    pages
}

/// Pages whose file differs from what would be generated, is missing, or
/// (under docs/rules/) is no longer generated at all.
fn drifted(dir: &Path, pages: &BTreeMap<PathBuf, String>) -> Vec<PathBuf> {
    let mut drifted: Vec<PathBuf> = pages
        .iter()
        .filter(|(path, text)| std::fs::read_to_string(dir.join(path)).ok().as_ref() != Some(*text))
        .map(|(path, _)| dir.join(path))
        .collect();
    drifted.extend(stale(dir, pages));
    drifted
}

/// Markdown files under docs/rules/ that no rule type generates any more.
fn stale(dir: &Path, pages: &BTreeMap<PathBuf, String>) -> Vec<PathBuf> {
    let Ok(listing) = std::fs::read_dir(dir.join(RULES_DIR)) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = listing
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .filter(|path| {
            path.strip_prefix(dir)
                .is_ok_and(|relative| !pages.contains_key(relative))
        })
        .collect();
    stale.sort();
    stale
}

/// Writes every page and removes the stale ones.
fn write(dir: &Path, pages: &BTreeMap<PathBuf, String>) -> Result<(), Failure> {
    let io = |path: &Path, error: std::io::Error| {
        Failure::Runtime(format!("writing {}: {error}", path.display()))
    };
    for (relative, text) in pages {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    }
    for path in stale(dir, pages) {
        std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
    }
    Ok(())
}
