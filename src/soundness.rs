//! Checking the dependency graph against the compiler: the *deletion test*.
//!
//! To test that no edge is missing, delete a module and everything the graph says depends on it,
//! directly or not, and let rustc check what is left: a compile error means some code used the
//! deleted module without splitcheck seeing it. The crate root is the facade and is never
//! deleted; only its items that depend on deleted code are. Everything else is deleted whole:
//! its `mod` declaration goes, and the `use` leaves elsewhere that name deleted code go too.
//!
//! Owns: computing the deletion for one module and the text edits that carry it out, from the
//! analysis and the files' text. Must not: read or write files or run cargo (the caller does,
//! on a copy of the crate).

use crate::analysis::CrateAnalysis;
use crate::graph::{ModuleGraph, NodeId};
use crate::items::ItemKind;
use crate::modtree::{ModuleId, ModuleTree};
use crate::resolve::ItemId;
use crate::text::{TextEdit, byte_offset, without_leaves};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct DeletionPlan {
    /// The module whose deletion is tested.
    pub target: String,
    /// Every module deleted (paths, sorted).
    pub deleted_modules: Vec<String>,
    /// Items of the crate root deleted because they depend on deleted code.
    pub deleted_root_items: Vec<String>,
    pub edits: BTreeMap<PathBuf, Vec<TextEdit>>,
}

/// What is deleted: a module other than the root (a node, with its folded test modules), or
/// one item of the root node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Node(NodeId),
    RootItem(ItemId),
}

/// Plans the deletion of `target` (not the root) in `graph`'s mode: with `include_tests`, test
/// references count (check with the test profile), else only the library build is meant.
/// `text` gives the current content of a source file.
pub fn deletion_plan(
    analysis: &CrateAnalysis,
    graph: &ModuleGraph,
    target: NodeId,
    text: &dyn Fn(&Path) -> Option<String>,
) -> DeletionPlan {
    let tree = &analysis.tree;
    let root = graph.node_of(ModuleId::ROOT);
    let unit_of = |id: ItemId| {
        let n = graph.node_of(id.module);
        if n == root { Unit::RootItem(id) } else { Unit::Node(n) }
    };
    // Reverse edges: if the key is deleted, so is every unit in its list.
    let mut users: BTreeMap<Unit, BTreeSet<Unit>> = BTreeMap::new();
    for r in &analysis.resolution().refs {
        if r.test_only && !graph.options.include_tests {
            continue;
        }
        let (from, to) = (unit_of(r.from), unit_of(r.to));
        if from != to {
            users.entry(to).or_default().insert(from);
        }
    }
    // A module goes with its parent.
    for (i, node) in graph.nodes.iter().enumerate() {
        if let Some(parent) = tree.get(node.module).parent {
            let p = graph.node_of(parent);
            if p != root {
                users.entry(Unit::Node(p)).or_default().insert(Unit::Node(NodeId(i as u32)));
            }
        }
    }
    let mut deleted: BTreeSet<Unit> = BTreeSet::new();
    let mut stack = vec![Unit::Node(target)];
    while let Some(u) = stack.pop() {
        if deleted.insert(u) {
            stack.extend(users.get(&u).into_iter().flatten().copied());
        }
    }
    let deleted_nodes: BTreeSet<NodeId> =
        deleted.iter().filter_map(|u| if let Unit::Node(n) = u { Some(*n) } else { None }).collect();
    let deleted_items: BTreeSet<ItemId> =
        deleted.iter().filter_map(|u| if let Unit::RootItem(i) = u { Some(*i) } else { None }).collect();
    let deleted_modules: BTreeSet<ModuleId> =
        deleted_nodes.iter().flat_map(|n| graph.node(*n).members.iter().copied()).collect();

    let mut edits: BTreeMap<PathBuf, Vec<TextEdit>> = BTreeMap::new();
    let mut texts: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
    // `mod` declarations of deleted modules whose parent stays.
    for &m in &deleted_modules {
        let module = tree.get(m);
        let Some(parent) = module.parent else { continue };
        if deleted_modules.contains(&parent) || module.in_fn.is_some() {
            continue;
        }
        for (i, def) in tree.get(parent).items.items.iter().enumerate() {
            if def.kind == ItemKind::Mod && def.name == module.name {
                let id = ItemId { module: parent, item: i as u32 };
                if let Some((file, start, end, _)) = locate(tree, id, &mut texts, text) {
                    edits.entry(file).or_default().push(TextEdit { start, end, replacement: String::new() });
                }
            }
        }
    }
    for &id in &deleted_items {
        if crate::resolve::item_def(tree, id).kind != ItemKind::Mod
            && let Some((file, start, end, _)) = locate(tree, id, &mut texts, text)
        {
            edits.entry(file).or_default().push(TextEdit { start, end, replacement: String::new() });
        }
    }
    // `use` leaves of surviving modules that name deleted code.
    for (m_idx, module) in tree.modules.iter().enumerate() {
        let m = ModuleId(m_idx as u32);
        if deleted_modules.contains(&m) {
            continue;
        }
        let mut by_item: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (leaf_idx, leaf) in module.items.uses.iter().enumerate() {
            by_item.entry(leaf.item).or_default().push(leaf_idx);
        }
        for (item, leaves) in by_item {
            let id = ItemId { module: m, item };
            if deleted_items.contains(&id) {
                continue;
            }
            let names_deleted_root_item = analysis
                .resolution()
                .refs
                .iter()
                .filter(|r| r.from == id)
                .any(|r| deleted_items.contains(&r.to));
            let drop: Vec<bool> = leaves
                .iter()
                .map(|l| {
                    let touched = &analysis.resolution().use_modules[m_idx][*l];
                    touched.iter().any(|t| deleted_modules.contains(t))
                })
                .collect();
            if !drop.iter().any(|d| *d) && !names_deleted_root_item {
                continue;
            }
            let Some((file, start, end, source)) = locate(tree, id, &mut texts, text) else { continue };
            // A leaf naming a deleted root item is found by re-resolving in the rewrite: the
            // whole item goes when every leaf does.
            let drop: Vec<bool> = if names_deleted_root_item {
                leaves
                    .iter()
                    .zip(&drop)
                    .map(|(l, d)| {
                        *d || names_root_item(
                            &module.items.names.texts(&module.items.uses[*l].path),
                            &deleted_items,
                            tree,
                        )
                    })
                    .collect()
            } else {
                drop
            };
            let replacement =
                if drop.iter().all(|d| *d) { Some(String::new()) } else { without_leaves(&source, &drop) };
            if let Some(replacement) = replacement {
                edits.entry(file).or_default().push(TextEdit { start, end, replacement });
            }
        }
    }
    for list in edits.values_mut() {
        list.sort();
        list.dedup();
    }
    let mut deleted_module_paths: Vec<String> =
        deleted_modules.iter().map(|m| tree.get(*m).path.clone()).collect();
    deleted_module_paths.sort();
    DeletionPlan {
        target: graph.node(target).path.clone(),
        deleted_modules: deleted_module_paths,
        deleted_root_items: deleted_items.iter().map(|i| ModuleGraph::item_path(tree, *i)).collect(),
        edits,
    }
}

/// The file, byte range and text of an item.
fn locate(
    tree: &ModuleTree,
    id: ItemId,
    texts: &mut BTreeMap<PathBuf, Option<String>>,
    text: &dyn Fn(&Path) -> Option<String>,
) -> Option<(PathBuf, usize, usize, String)> {
    let module = tree.get(id.module);
    let def = &module.items.items[id.item as usize];
    let file = module.files.get(def.file as usize).unwrap_or(&module.file).clone();
    let content = texts.entry(file.clone()).or_insert_with(|| text(&file)).as_ref()?;
    let start = byte_offset(content, def.span.0)?;
    let end = byte_offset(content, def.span.1)?;
    let source = content.get(start..end)?.to_owned();
    Some((file, start, end, source))
}

/// Whether a `use` path ends at a deleted root item: `crate::name` or `self::name` in the root.
fn names_root_item(path: &[&str], deleted: &BTreeSet<ItemId>, tree: &ModuleTree) -> bool {
    let Some(&last) = path.last() else { return false };
    deleted.iter().any(|id| crate::resolve::item_def(tree, *id).name == *last)
}

/// The non-root nodes of a graph, in path order: the modules to test one by one.
pub fn deletable_nodes(graph: &ModuleGraph, tree: &ModuleTree) -> Vec<NodeId> {
    let root = graph.node_of(ModuleId::ROOT);
    (0..graph.nodes.len() as u32)
        .map(NodeId)
        .filter(|n| *n != root && tree.get(graph.node(*n).module).in_fn.is_none())
        .collect()
}
