//! `splitcheck apply`: the plan that turns one crate into part crates and a facade, as file
//! texts for a copy of the workspace.
//!
//! Owns: where the crates go (the parts beside the crate, or beside it in a new workspace when
//! the crate had none), which files each crate gets and their new text ([`rewrite`]), the
//! manifests ([`manifest`]), and what is left to do by hand (impls away from their type,
//! declarations inside macro calls) with `file:line`. The layout of who owns what is
//! [`layout`]. Must not: read or write files, or run cargo (`split_copy` writes the plan,
//! `verify` builds it).

pub mod copy;
pub mod layout;
pub mod manifest;
pub mod rewrite;
pub mod verify;

use crate::analysis::CrateAnalysis;
use layout::{Dest, Layout, SplitInput};
use rewrite::{HandEdit, Rewriter};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Why a split cannot be planned.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A manifest of the workspace could not be edited.
    #[error("{}: {source}", path.display())]
    Manifest { path: PathBuf, source: manifest::ManifestError },
}

/// Everything to write into the copy.
#[derive(Debug, Clone)]
pub struct SplitPlan {
    pub krate: String,
    /// Crate names of the parts, in part order.
    pub names: Vec<String>,
    /// Directories of the parts and of the facade, relative to the copy's root.
    pub part_dirs: Vec<PathBuf>,
    pub facade_dir: PathBuf,
    /// Where the copy of the original workspace root goes, relative to the copy's root
    /// (`""`, or the crate's name when it had no workspace and one is made for it).
    pub original_root_in_copy: PathBuf,
    /// New file texts, relative to the copy's root.
    pub writes: BTreeMap<PathBuf, String>,
    /// Files copied as they are: original path → path relative to the copy's root.
    pub copies: BTreeMap<PathBuf, PathBuf>,
    /// Files of the crate that moved to a part, relative to the copy's root.
    pub removes: BTreeSet<PathBuf>,
    /// What the rewrite could not do, relative paths.
    pub hand_edits: Vec<HandEdit>,
    /// `#[non_exhaustive]` dropped from types used across crates: `file:line` (relative to the
    /// crate) and the type. An API change a team makes by choice (or keeps the attribute and adds
    /// `_` arms).
    pub dropped_non_exhaustive: Vec<(String, String)>,
    /// Test modules placed above their module's part: (module, crate).
    pub moved_tests: Vec<(String, String)>,
    /// Parts whose doc tests name the crate, given it as a dev-dependency (crate names): every
    /// edit of the crate also rebuilds their test binaries in `cargo test --workspace`, a cost
    /// the model does not price.
    pub dev_dependent_parts: Vec<String>,
    /// Per part: its modules (paths), for the summary.
    pub part_modules: Vec<Vec<String>>,
    pub layout: Layout,
}

/// The inputs read from disk by the caller.
pub struct PlanSources<'a> {
    /// Text of a source file (absolute path as the analysis has it).
    pub text: &'a dyn Fn(&Path) -> Option<String>,
    /// The crate's `Cargo.toml`.
    pub manifest: String,
    /// The workspace root's `Cargo.toml` when it is another file than the crate's.
    pub workspace_manifest: Option<String>,
    /// Non-Rust files under the crate root file's directory (data for `include_str!` and the like).
    pub data_files: Vec<PathBuf>,
}

pub fn plan(
    analysis: &CrateAnalysis,
    input: &SplitInput,
    sources: &PlanSources<'_>,
) -> Result<SplitPlan, PlanError> {
    let package = &analysis.package;
    let tree = &analysis.tree;
    let layout = layout::layout(analysis, input);
    let k = input.names.len();
    let facade = layout.facade();
    let own_workspace = package.workspace_root == package.root_dir;
    let standalone = own_workspace && !has_table(&sources.manifest, "workspace");
    let original_root_in_copy = if standalone { PathBuf::from(&package.name) } else { PathBuf::new() };
    let within = package.root_dir.strip_prefix(&package.workspace_root).unwrap_or(Path::new(""));
    let package_rel = if within.as_os_str().is_empty() {
        original_root_in_copy.clone()
    } else {
        original_root_in_copy.join(within)
    };
    let parts_parent = if own_workspace && !standalone {
        package_rel.clone()
    } else {
        package_rel.parent().unwrap_or(Path::new("")).to_path_buf()
    };
    let part_dirs: Vec<PathBuf> = input.names.iter().map(|n| parts_parent.join(n)).collect();
    let dir_of = |d: Dest| if d == facade { package_rel.clone() } else { part_dirs[d].clone() };
    let in_crate =
        |d: Dest, file: &Path| dir_of(d).join(file.strip_prefix(&package.root_dir).unwrap_or(file));

    let mut crate_names = input.names.clone();
    crate_names.push(package.name.replace('-', "_"));
    let rewriter = Rewriter::new(analysis, &layout, crate_names.clone(), sources.text);
    let mut writes = BTreeMap::new();
    let mut copies = BTreeMap::new();
    let mut removes = BTreeSet::new();
    let mut part_modules = vec![Vec::new(); k];
    let edition_2015 = package.lib.edition == "2015";
    for id in tree.sorted() {
        let m = tree.get(id);
        let owner = layout.owner[id.index()];
        if owner < k {
            part_modules[owner].push(m.path.clone());
        }
        if id == crate::modtree::ModuleId::ROOT || m.inline || m.in_fn.is_some() {
            continue;
        }
        if let Some(text) = rewriter.owned_file(id, owner) {
            writes.insert(in_crate(owner, &m.file), text);
        }
        for extra in m.files.iter().filter(|f| **f != m.file) {
            copies.insert(extra.clone(), in_crate(owner, extra));
        }
        if owner != facade {
            removes.insert(in_crate(facade, &m.file));
        }
    }
    // `#[macro_export]` macros of moved modules were at the crate root: the facade keeps them there.
    let mut exported: Vec<(String, String)> = Vec::new();
    for id in tree.sorted().into_iter().filter(|&id| id != crate::modtree::ModuleId::ROOT) {
        let owner = layout.owner[id.index()];
        for item in &tree.get(id).items.items {
            if owner < k && item.kind == crate::items::ItemKind::Macro && item.macro_scope && !item.test_only
            {
                exported.push((crate_names[owner].clone(), item.name.clone()));
            }
        }
    }
    let footer = |d: Dest| -> String {
        let mut out = String::new();
        if d == facade {
            for (part, name) in &exported {
                out.push_str(&format!("\npub use ::{part}::{name};\n"));
            }
        }
        for (p, name) in crate_names.iter().enumerate().take(k) {
            if layout.macro_deps[d].contains(&p) {
                out.push_str(&format!("\n#[macro_use]\nextern crate {name};\n"));
            } else if edition_2015 && layout.sees(d, p) {
                out.push_str(&format!("\nextern crate {name};\n"));
            }
        }
        out
    };
    let root_file = &tree.root().file;
    let header = format!(
        "//! Part of `{}`: split off by `splitcheck apply`; `{}` re-exports it.\n\
         // Items other parts use were made `pub`: these lints would refuse what that exposes.\n\
         #![allow(unreachable_pub, private_interfaces, private_bounds, unnameable_types)]\n",
        package.name, package.name
    );
    for d in 0..=k {
        if let Some(text) = rewriter.root_file(d, &header, &footer(d)) {
            writes.insert(in_crate(d, root_file), text);
        }
        if d < k {
            let src_dir = root_file.parent().unwrap_or(&package.root_dir);
            for data in sources.data_files.iter().filter(|f| f.starts_with(src_dir)) {
                copies.insert(data.clone(), in_crate(d, data));
            }
        }
    }
    // Manifests: each part depends on every part below it, directly or not.
    let mut dev_dependent_parts = Vec::new();
    let rel_to = |from: Dest, to: Dest| rewrite::relative(&dir_of(to), &dir_of(from));
    for d in 0..k {
        let deps: Vec<(String, String)> =
            (0..k).filter(|&p| layout.sees(d, p)).map(|p| (crate_names[p].clone(), rel_to(d, p))).collect();
        let own: Vec<&str> =
            writes.iter().filter(|(p, _)| p.starts_with(&part_dirs[d])).map(|(_, t)| t.as_str()).collect();
        let used = idents_of(own.iter().copied());
        let description = format!("Part of `{}`, split off by splitcheck apply.", package.name);
        let facade_path = rel_to(d, facade);
        let doc_tests_name_facade = own.iter().any(|t| doc_names(t, &crate_names[facade]));
        let dev_facade = doc_tests_name_facade.then_some((package.name.as_str(), facade_path.as_str()));
        if doc_tests_name_facade {
            dev_dependent_parts.push(crate_names[d].clone());
        }
        let text = manifest::part_manifest(
            &sources.manifest,
            &crate_names[d],
            &description,
            &deps,
            &used,
            dev_facade,
        )
        .map_err(|e| PlanError::Manifest { path: package.manifest_path.clone(), source: e })?;
        writes.insert(part_dirs[d].join("Cargo.toml"), text);
    }
    let deps: Vec<(String, String)> = (0..k).map(|p| (crate_names[p].clone(), rel_to(facade, p))).collect();
    let mut facade_manifest = manifest::facade_manifest(&sources.manifest, &deps)
        .map_err(|e| PlanError::Manifest { path: package.manifest_path.clone(), source: e })?;
    let members: Vec<String> = (0..=k)
        .map(&dir_of)
        .map(|p| p.strip_prefix(&original_root_in_copy).unwrap_or(&p).to_string_lossy().replace('\\', "/"))
        .collect();
    if standalone {
        facade_manifest = manifest::without_root_tables(&facade_manifest)
            .map_err(|e| PlanError::Manifest { path: package.manifest_path.clone(), source: e })?;
        let all: Vec<String> = (0..=k).map(|d| dir_of(d).to_string_lossy().replace('\\', "/")).collect();
        let workspace = manifest::new_workspace(&all, &sources.manifest)
            .map_err(|e| PlanError::Manifest { path: package.manifest_path.clone(), source: e })?;
        writes.insert(PathBuf::from("Cargo.toml"), workspace);
    } else if own_workspace {
        facade_manifest = manifest::with_members(&facade_manifest, &members[..k])
            .map_err(|e| PlanError::Manifest { path: package.manifest_path.clone(), source: e })?;
    } else if let Some(ws) = &sources.workspace_manifest {
        let text = manifest::with_members(ws, &members[..k]).map_err(|e| PlanError::Manifest {
            path: package.workspace_root.join("Cargo.toml"),
            source: e,
        })?;
        writes.insert(original_root_in_copy.join("Cargo.toml"), text);
    }
    writes.insert(package_rel.join("Cargo.toml"), facade_manifest);
    for r in &writes {
        removes.remove(r.0);
    }

    let mut hand_edits: Vec<HandEdit> = rewriter.hand_edits.borrow().iter().cloned().collect();
    let dropped_non_exhaustive = rewriter
        .dropped_non_exhaustive
        .borrow()
        .iter()
        .map(|(file, line, name)| {
            (format!("{}:{line}", crate::paths::relative(&package.root_dir, file)), name.clone())
        })
        .collect();
    // A path splitcheck could not follow may name something that stays behind in the facade.
    for (module, line, path) in &analysis.resolution().stats.unresolved_crate_paths {
        let owner = layout.owner[module.index()];
        if owner < k {
            hand_edits.push(HandEdit {
                file: tree.get(*module).file.clone(),
                line: *line,
                message: format!(
                    "`{path}` could not be followed (made by a macro?): if it names an item that stays in `{}`, `{}` cannot reach it",
                    package.name, crate_names[owner]
                ),
            });
        }
    }
    for b in layout::impl_blockers(analysis, &layout, &crate_names) {
        let m = tree.get(b.item.module);
        let def = crate::resolve::item_def(tree, b.item);
        let file = m.files.get(def.file as usize).unwrap_or(&m.file);
        hand_edits.push(HandEdit { file: file.clone(), line: def.span.0.0, message: b.message });
    }
    for h in &mut hand_edits {
        h.file = PathBuf::from(crate::paths::relative(&package.root_dir, &h.file));
    }
    hand_edits.sort();
    hand_edits.dedup();
    let moved_tests =
        layout.moved_tests.iter().map(|t| (t.module.clone(), crate_names[t.to].clone())).collect();
    Ok(SplitPlan {
        krate: package.name.clone(),
        names: input.names.clone(),
        part_dirs,
        facade_dir: package_rel,
        original_root_in_copy,
        writes,
        copies,
        removes,
        hand_edits,
        dropped_non_exhaustive,
        moved_tests,
        dev_dependent_parts,
        part_modules,
        layout,
    })
}

/// Whether a doc comment of `text` names `krate` (`krate::…`): a doc test that uses the crate
/// by its old name, which only the facade still has.
fn doc_names(text: &str, krate: &str) -> bool {
    let path = format!("{krate}::");
    doc_comment_lines(text).any(|l| l.contains(&path))
}

/// The `///` and `//!` lines of `text`: where doc tests are written.
fn doc_comment_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim_start).filter(|l| l.starts_with("///") || l.starts_with("//!"))
}

fn has_table(manifest: &str, name: &str) -> bool {
    manifest.parse::<toml_edit::DocumentMut>().is_ok_and(|d| d.get(name).is_some())
}

/// Every identifier in `texts` (macro bodies and attributes included): the dependencies a
/// crate's code can name.
fn idents_of<'t>(texts: impl Iterator<Item = &'t str>) -> BTreeSet<String> {
    fn walk(stream: proc_macro2::TokenStream, out: &mut BTreeSet<String>) {
        for tt in stream {
            match tt {
                proc_macro2::TokenTree::Ident(i) => {
                    out.insert(i.to_string().trim_start_matches("r#").to_owned());
                }
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), out),
                _ => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    for text in texts {
        if let Ok(stream) = text.parse::<proc_macro2::TokenStream>() {
            walk(stream, &mut out);
        }
        // Doc tests name crates too (dev-dependencies, mostly).
        for line in doc_comment_lines(text) {
            out.extend(
                line.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    out
}
