//! The emulator's modules form layers: no module imports a module that
//! imports it back, directly or through others. This test reads the
//! library's own sources (from `src/lib.rs`, following `mod` declarations)
//! and fails, naming the files, when an import cycle appears.
//!
//! What counts as an import of module `m` by file `f`: a `use` naming
//! something in `m` (re-exports included), or a path in `f` (in code or in
//! a macro's arguments) that starts with `crate::`, `super::`, `self::` or
//! with a child module of the enclosing module and leads into `m`. A `mod`
//! declaration alone is not an import: a parent may contain children that
//! import it. Inline modules (`mod tests { … }`) belong to their file.
//!
//! The check knows nothing of this crate but the root file it is given:
//! `assert_layered(Path::new("../cli/src/main.rs"))` would check another
//! crate the same way (moved to a shared test crate, it could serve every
//! workspace member).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// A module's path from the crate root (`[]` is the root).
type ModPath = Vec<String>;

/// The module tree of one crate: which file holds each module, inline
/// ones included.
#[derive(Default)]
struct ModuleTree {
    file_of: BTreeMap<ModPath, PathBuf>,
    children: BTreeMap<ModPath, BTreeSet<String>>,
    /// The names each module brings in with `use` (`pub use` re-exports
    /// included), with the path they stand for as written there.
    uses: BTreeMap<ModPath, BTreeMap<String, Vec<String>>>,
    parsed: BTreeMap<PathBuf, syn::File>,
}

impl ModuleTree {
    /// Reads the crate whose root file is `root` (`src/lib.rs`).
    fn read(root: &Path) -> Self {
        let mut tree = Self::default();
        tree.read_file(Vec::new(), root, root.parent().unwrap().to_owned());
        tree
    }

    /// Reads the module `path` in `file`; its child files are under `dir`.
    fn read_file(&mut self, path: ModPath, file: &Path, dir: PathBuf) {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let parsed =
            syn::parse_file(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", file.display()));
        self.file_of.insert(path.clone(), file.to_owned());
        self.read_items(&path, &parsed.items, file, &dir);
        self.parsed.insert(file.to_owned(), parsed);
    }

    fn read_items(&mut self, path: &ModPath, items: &[syn::Item], file: &Path, dir: &Path) {
        for item in items {
            if let syn::Item::Use(item) = item {
                let names = self.uses.entry(path.clone()).or_default();
                use_names(&mut Vec::new(), &item.tree, names);
            }
            let syn::Item::Mod(module) = item else {
                continue;
            };
            assert!(
                !module.attrs.iter().any(|a| a.path().is_ident("path")),
                "{}: #[path] modules are not followed by this check",
                file.display()
            );
            let name = module.ident.to_string();
            let mut child = path.clone();
            child.push(name.clone());
            self.children
                .entry(path.clone())
                .or_default()
                .insert(name.clone());
            match &module.content {
                Some((_, inner)) => {
                    self.file_of.insert(child.clone(), file.to_owned());
                    self.read_items(&child, inner, file, &dir.join(&name));
                }
                None => {
                    let flat = dir.join(format!("{name}.rs"));
                    let nested = dir.join(&name).join("mod.rs");
                    let found = if flat.is_file() { flat } else { nested };
                    self.read_file(child, &found, dir.join(&name));
                }
            }
        }
    }

    /// The deepest module `segments` leads into, read in module `scope`;
    /// `None` for a path that does not start in this crate.
    fn resolve(&self, scope: &ModPath, segments: &[String]) -> Option<ModPath> {
        self.resolve_within(scope, segments, 8)
    }

    /// [`resolve`](Self::resolve), following at most `hops` names that a
    /// module brings in with `use`: `crate::Job` re-exported by lib.rs
    /// from `flow` leads into `flow`, not into lib.rs.
    fn resolve_within(&self, scope: &ModPath, segments: &[String], hops: usize) -> Option<ModPath> {
        let (mut base, mut rest) = match segments.first().map(String::as_str) {
            Some("crate") => (Vec::new(), &segments[1..]),
            Some("self") => (scope.clone(), &segments[1..]),
            Some("super") => {
                let mut base = scope.clone();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop()?;
                    rest = &rest[1..];
                }
                (base, rest)
            }
            // A child module, as in `child::item` (a single segment is a
            // value or a type, never a module).
            Some(first)
                if segments.len() > 1
                    && self.children.get(scope).is_some_and(|c| c.contains(first)) =>
            {
                (scope.clone(), segments)
            }
            _ => return None,
        };
        while let Some(next) = rest.first() {
            let mut deeper = base.clone();
            deeper.push(next.clone());
            if !self.file_of.contains_key(&deeper) {
                break;
            }
            base = deeper;
            rest = &rest[1..];
        }
        if let Some(name) = rest.first()
            && hops > 0
            && let Some(written) = self.uses.get(&base).and_then(|u| u.get(name))
        {
            let mut target = written.clone();
            target.extend(rest[1..].iter().cloned());
            if let Some(origin) = self.resolve_within(&base, &target, hops - 1) {
                return Some(origin);
            }
        }
        Some(base)
    }

    /// File-to-file imports, relative to `src`.
    fn imports(&self, src: &Path) -> BTreeMap<String, BTreeSet<String>> {
        let name = |file: &Path| file.strip_prefix(src).unwrap_or(file).display().to_string();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (path, file) in &self.file_of {
            edges.entry(name(file)).or_default();
            // Each file is walked once, from its own module.
            if self.file_of.get(&path[..path.len().saturating_sub(1)]) == Some(file)
                && !path.is_empty()
            {
                continue;
            }
            let mut collector = Collector {
                tree: self,
                scope: path.clone(),
                found: BTreeSet::new(),
            };
            collector.visit_file(&self.parsed[file]);
            for target in collector.found {
                let target = &self.file_of[&target];
                if target != file {
                    edges.entry(name(file)).or_default().insert(name(target));
                }
            }
        }
        edges
    }
}

/// Records the names `tree` brings in (globs name nothing) with the path
/// each stands for.
fn use_names(
    prefix: &mut Vec<String>,
    tree: &syn::UseTree,
    names: &mut BTreeMap<String, Vec<String>>,
) {
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            use_names(prefix, &path.tree, names);
            prefix.pop();
        }
        syn::UseTree::Name(name) if name.ident == "self" => {
            if let Some(last) = prefix.last() {
                names.insert(last.clone(), prefix.clone());
            }
        }
        syn::UseTree::Name(name) => {
            let mut path = prefix.clone();
            path.push(name.ident.to_string());
            names.insert(name.ident.to_string(), path);
        }
        syn::UseTree::Rename(rename) => {
            let mut path = prefix.clone();
            path.push(rename.ident.to_string());
            names.insert(rename.rename.to_string(), path);
        }
        syn::UseTree::Glob(_) => {}
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                use_names(prefix, tree, names);
            }
        }
    }
}

/// Collects the modules one file's paths lead into.
struct Collector<'t> {
    tree: &'t ModuleTree,
    scope: ModPath,
    found: BTreeSet<ModPath>,
}

impl Collector<'_> {
    fn note(&mut self, segments: &[String]) {
        if let Some(target) = self.tree.resolve(&self.scope, segments) {
            self.found.insert(target);
        }
    }

    fn note_use(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.note_use(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) if name.ident == "self" => self.note(&prefix.clone()),
            syn::UseTree::Name(name) => {
                prefix.push(name.ident.to_string());
                self.note(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Rename(rename) => {
                prefix.push(rename.ident.to_string());
                self.note(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.note(&prefix.clone()),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.note_use(prefix, tree);
                }
            }
        }
    }

    /// Paths inside a macro's arguments (`json!({"A": super::f(x)})`):
    /// runs of `ident :: ident …` at any depth.
    fn note_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(group) => {
                    self.note_tokens(group.stream());
                    i += 1;
                }
                TokenTree::Ident(ident) => {
                    let mut segments = vec![ident.to_string()];
                    let mut j = i + 1;
                    while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) =
                        (tokens.get(j), tokens.get(j + 1))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        let Some(TokenTree::Ident(next)) = tokens.get(j + 2) else {
                            break;
                        };
                        segments.push(next.to_string());
                        j += 3;
                    }
                    if segments.len() > 1 {
                        self.note(&segments);
                    }
                    i = j;
                }
                _ => i += 1,
            }
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        self.scope.push(module.ident.to_string());
        syn::visit::visit_item_mod(self, module);
        self.scope.pop();
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.note_use(&mut Vec::new(), &item.tree);
    }

    /// `pub(super)` and `pub(in crate::x)` say who may see an item; they
    /// import nothing.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.note(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.note_tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// Every import cycle of `edges`, each as the files around it; empty when
/// the graph is acyclic (one cycle per strongly connected knot).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Which files each file reaches.
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(file) = todo.pop() {
            for next in edges.get(&file).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|f| (f, reach(f))).collect();
    let mut knots: Vec<Vec<String>> = Vec::new();
    let mut placed = BTreeSet::new();
    for file in edges.keys() {
        if placed.contains(file) || !reaches[file].contains(file) {
            continue;
        }
        let knot: Vec<String> = reaches[file]
            .iter()
            .filter(|other| reaches[other].contains(file))
            .cloned()
            .collect();
        placed.extend(knot.iter().cloned());
        knots.push(knot);
    }
    knots
}

/// The files of an import graph, lowest layer first: each file's layer is
/// one above the highest it imports (only meaningful without cycles).
fn layers(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut layer_of: BTreeMap<&String, usize> = BTreeMap::new();
    while layer_of.len() < edges.len() {
        let before = layer_of.len();
        for (file, imports) in edges {
            if layer_of.contains_key(file) {
                continue;
            }
            if imports.iter().all(|i| layer_of.contains_key(i)) {
                let layer = imports.iter().map(|i| layer_of[i] + 1).max().unwrap_or(0);
                layer_of.insert(file, layer);
            }
        }
        if layer_of.len() == before {
            break;
        }
    }
    let mut layers: Vec<Vec<String>> = Vec::new();
    for (file, layer) in layer_of {
        if layers.len() <= layer {
            layers.resize(layer + 1, Vec::new());
        }
        layers[layer].push(file.clone());
    }
    layers
}

/// Fails with the knots when the crate whose root file is `root`
/// (`src/lib.rs`, or `src/main.rs` of a binary) has import cycles.
fn assert_layered(root: &Path) {
    let src = root.parent().unwrap();
    let edges = ModuleTree::read(root).imports(src);
    let knots = cycles(&edges);
    let described: Vec<String> = knots
        .iter()
        .map(|knot| {
            let lines: Vec<String> = knot
                .iter()
                .map(|f| {
                    let inside: Vec<&String> =
                        edges[f].iter().filter(|t| knot.contains(t)).collect();
                    format!("  {f} imports {inside:?}")
                })
                .collect();
            lines.join("\n")
        })
        .collect();
    assert!(
        knots.is_empty(),
        "modules of {} import each other (a lower module must not import a higher one):\n{}",
        src.display(),
        described.join("\n\n")
    );
}

#[test]
fn the_emulator_modules_import_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    assert_layered(&src.join("lib.rs"));
    // The layering this test keeps: the bottom, what sits above it, and
    // the top (so that a file moving far from its place is noticed too).
    let edges = ModuleTree::read(&src.join("lib.rs")).imports(&src);
    let layers = layers(&edges);
    for (n, files) in layers.iter().enumerate() {
        println!("layer {n}: {}", files.join(" "));
    }
    for bottom in [
        "error.rs",
        "ids.rs",
        "state.rs",
        "config.rs",
        "invocations.rs",
    ] {
        assert!(
            layers[0].iter().any(|f| f == bottom),
            "{bottom}: {layers:?}"
        );
    }
    let layer = |file: &str| layers.iter().position(|l| l.iter().any(|f| f == file));
    assert!(layer("shared.rs") < layer("flow.rs"), "{layers:?}");
    assert!(layer("flow.rs") < layer("ops/messages.rs"), "{layers:?}");
    assert!(layer("ops/messages.rs") < layer("ops/mod.rs"), "{layers:?}");
    assert!(layer("ops/mod.rs") < layer("server.rs"), "{layers:?}");
    assert!(layer("server.rs") < layer("emulator.rs"), "{layers:?}");
}

/// A crate written to `dir`: `(file, text)` pairs.
fn write_crate(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let src = dir.join("src");
    for (file, text) in files {
        let path = src.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    src
}

#[test]
fn a_cycle_through_a_parent_a_macro_or_a_reexport_is_found() {
    let dir = tempfile::tempdir().unwrap();
    // ops/mod.rs dispatches to ops/send.rs, which reaches back into the
    // dispatcher from inside a macro; flow.rs and shared.rs use each other.
    let src = write_crate(
        dir.path(),
        &[
            ("lib.rs", "mod flow;\nmod ops;\nmod shared;\n"),
            (
                "ops/mod.rs",
                "mod send;\npub fn run() { send::go() }\npub fn helper() -> u8 { 1 }\n",
            ),
            (
                "ops/send.rs",
                "pub fn go() { println!(\"{}\", super::helper()); }\n",
            ),
            ("flow.rs", "use crate::shared::Shared;\npub struct Job;\n"),
            ("shared.rs", "pub struct Shared(crate::flow::Job);\n"),
        ],
    );
    let edges = ModuleTree::read(&src.join("lib.rs")).imports(&src);
    let knots = cycles(&edges);
    assert_eq!(
        knots,
        vec![
            vec!["flow.rs".to_owned(), "shared.rs".to_owned()],
            vec!["ops/mod.rs".to_owned(), "ops/send.rs".to_owned()],
        ],
        "{edges:?}"
    );
    let error = std::panic::catch_unwind(|| assert_layered(&src.join("lib.rs"))).unwrap_err();
    let message = error.downcast_ref::<String>().unwrap();
    assert!(message.contains("flow.rs imports"), "{message}");
}

#[test]
fn tests_modules_and_containment_alone_are_no_cycle() {
    let dir = tempfile::tempdir().unwrap();
    // A parent declaring children, a re-export at the root of a lower
    // module (imported through the root: it leads into the module that
    // defines it), and `use super::*` in an inline test module are all
    // fine.
    let src = write_crate(
        dir.path(),
        &[
            (
                "lib.rs",
                "mod a;\nmod b;\npub use a::A;\n#[cfg(test)]\nmod tests { use super::*; }\n",
            ),
            (
                "a.rs",
                "pub struct A;\n#[cfg(test)]\nmod tests { use super::*; fn f() -> A { A } }\n",
            ),
            ("b.rs", "use crate::A;\npub fn make() -> A { A }\n"),
        ],
    );
    let edges = ModuleTree::read(&src.join("lib.rs")).imports(&src);
    assert!(cycles(&edges).is_empty(), "{edges:?}");
    assert_eq!(edges["b.rs"], BTreeSet::from(["a.rs".to_owned()]));
    assert_eq!(edges["lib.rs"], BTreeSet::from(["a.rs".to_owned()]));
    assert_layered(&src.join("lib.rs"));
}

/// The other crates of the workspace keep the same rule. (The check reads
/// their sources through the workspace layout, so it runs from a checkout.)
/// chimeflow-rules is not listed yet: its `pii/mod.rs` and the profanity
/// matcher and normaliser define items their own child modules use while
/// calling into them (parent <-> child), a knot still to untie.
#[test]
fn the_other_workspace_crates_import_no_cycle() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for root in [
        "core/src/lib.rs",
        "facts/src/lib.rs",
        "host/src/lib.rs",
        "runtime/src/lib.rs",
        "testkit/src/lib.rs",
        "cli/src/main.rs",
    ] {
        assert_layered(&crates.join(root));
    }
}
