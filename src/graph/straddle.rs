//! The item-level view of a module cycle: which items of each module tie it into the cycle.
//!
//! A module often sits in a cycle only because it holds two layers at once: items the other
//! modules of the cycle use (shared types, traits) and items that use them (drivers). Its items
//! then split into *base* items (used by the rest of the cycle, using none of it) that could
//! move down into a lower part, and *top* items (using the rest, used by none of it) that could
//! move up (into the facade, for the crate root). If no item-level cycle spans two modules,
//! moving such items breaks the module cycle entirely.

use super::{ItemEdge, ModuleGraph, NodeId};
use crate::items::{ItemKind, Visibility};
use crate::modtree::{ModuleId, ModuleTree};
use crate::resolve::ItemId;
use crate::resolve::item_def;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, Default)]
pub struct CycleItems {
    /// Modules of the cycle holding both base and top items, in node order.
    pub straddling: Vec<StraddlingModule>,
    /// Items in item-level cycles that span modules: moving items between layers cannot
    /// break those; the modules have to stay together (or the code change).
    pub tangled: Vec<ItemId>,
    /// No item-level cycle spans modules: moving the base and top items of the straddling
    /// modules would break the module cycle.
    pub breakable_by_moving_items: bool,
}

#[derive(Debug, Clone)]
pub struct StraddlingModule {
    pub node: NodeId,
    /// Used by other modules of the cycle, using none of them: could move down.
    pub base: Vec<ItemId>,
    pub base_lines: u32,
    /// Using other modules of the cycle, used by none of them: could move up.
    pub top: Vec<ItemId>,
    pub top_lines: u32,
    /// Splitting only this module (what the rest of the cycle uses, against the rest) leaves
    /// the cycle's modules without any cycle.
    pub breaks_cycle_alone: bool,
}

/// `edges`: the item edges with both ends in the cycle's modules (the caller buckets them once
/// for every cycle).
pub(super) fn analyze(
    graph: &ModuleGraph,
    tree: &ModuleTree,
    scc: &[NodeId],
    edges: &[&ItemEdge],
) -> CycleItems {
    // Items of the cycle's modules and the item edges between them that the analysis counts.
    let mut index: HashMap<ItemId, usize> = HashMap::new();
    let mut owner: Vec<NodeId> = Vec::new();
    let mut ids: Vec<ItemId> = Vec::new();
    for &n in scc {
        for &item in &graph.node(n).items {
            index.insert(item, ids.len());
            ids.push(item);
            owner.push(n);
        }
    }
    let is_facade = |id: ItemId| {
        let def = item_def(tree, id);
        id.module == ModuleId::ROOT && def.kind == ItemKind::Use && def.vis != Visibility::Private
    };
    let mut g: DiGraph<usize, ()> = DiGraph::with_capacity(ids.len(), 0);
    for i in 0..ids.len() {
        g.add_node(i);
    }
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    let mut in_edges: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for e in edges {
        if (e.test_only && !graph.options.include_tests) || is_facade(e.from) {
            continue;
        }
        if let (Some(&a), Some(&b)) = (index.get(&e.from), index.get(&e.to))
            && a != b
        {
            g.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
            out_edges[a].push(b);
            in_edges[b].push(a);
        }
    }

    let mut tangled = Vec::new();
    for comp in petgraph::algo::tarjan_scc(&g) {
        let nodes: BTreeSet<NodeId> = comp.iter().map(|ix| owner[ix.index()]).collect();
        if nodes.len() > 1 {
            tangled.extend(comp.iter().map(|ix| ids[ix.index()]));
        }
    }
    tangled.sort();

    let mut straddling = Vec::new();
    for &n in scc {
        let others: Vec<usize> = (0..ids.len()).filter(|i| owner[*i] != n).collect();
        let used = reach(&others, &out_edges);
        let uses = reach(&others, &in_edges);
        let listed = |i: &usize| owner[*i] == n && item_def(tree, ids[*i]).kind != ItemKind::Use;
        let base: Vec<ItemId> =
            (0..ids.len()).filter(|i| listed(i) && used[*i] && !uses[*i]).map(|i| ids[i]).collect();
        let top: Vec<ItemId> =
            (0..ids.len()).filter(|i| listed(i) && uses[*i] && !used[*i]).map(|i| ids[i]).collect();
        if !base.is_empty() && !top.is_empty() {
            let lines = |items: &[ItemId]| items.iter().map(|i| item_def(tree, *i).lines()).sum();
            // Split n in two: its items the rest of the cycle uses (directly or not) go down.
            let moved: Vec<bool> = (0..ids.len()).map(|i| owner[i] == n && used[i]).collect();
            let breaks_cycle_alone = splits_acyclic(scc, &owner, &moved, &out_edges);
            straddling.push(StraddlingModule {
                node: n,
                base_lines: lines(&base),
                top_lines: lines(&top),
                base,
                top,
                breaks_cycle_alone,
            });
        }
    }
    CycleItems { straddling, breakable_by_moving_items: tangled.is_empty(), tangled }
}

/// Items reachable from `starts` along `adj` in one step or more (the starts themselves only if
/// reached again).
fn reach(starts: &[usize], adj: &[Vec<usize>]) -> Vec<bool> {
    let first: Vec<usize> = starts.iter().flat_map(|s| adj[*s].iter().copied()).collect();
    super::reachable(adj, &first)
}

/// Whether the cycle's modules form no cycle once the `moved` items are a module of their own.
fn splits_acyclic(scc: &[NodeId], owner: &[NodeId], moved: &[bool], out_edges: &[Vec<usize>]) -> bool {
    let position: HashMap<NodeId, usize> = scc.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let group_of = |i: usize| if moved[i] { scc.len() } else { position[&owner[i]] };
    let groups = scc.len() + 1;
    let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (a, targets) in out_edges.iter().enumerate() {
        for &b in targets {
            let (ga, gb) = (group_of(a), group_of(b));
            if ga != gb {
                edges.insert((ga, gb));
            }
        }
    }
    // Kahn's algorithm on the groups.
    let mut indegree = vec![0usize; groups];
    for &(_, b) in &edges {
        indegree[b] += 1;
    }
    let mut ready: Vec<usize> = (0..groups).filter(|g| indegree[*g] == 0).collect();
    let mut done = 0;
    while let Some(g) = ready.pop() {
        done += 1;
        for &(a, b) in edges.range((g, 0)..(g + 1, 0)) {
            debug_assert_eq!(a, g);
            indegree[b] -= 1;
            if indegree[b] == 0 {
                ready.push(b);
            }
        }
    }
    done == groups
}
