//! The module dependency graph and the item graph under it: the only module that knows petgraph.
//!
//! Owns: turning resolved references into weighted edges between modules (test-only modules
//! fold into their nearest non-test ancestor: tests move with their module), strongly connected
//! components, the condensation order, the cheapest edges that break each cycle, transitive
//! dependents, collapsing to a depth, a module's neighbourhood, and the item-level view of each
//! cycle. Callers see [`NodeId`]s and plain data, never petgraph indices.
//! Must not: know about costs, formats or the disk.

pub mod export;
mod feedback;
mod straddle;

pub use feedback::{FeedbackSet, min_feedback_edges};
pub use straddle::{CycleItems, StraddlingModule};

use crate::items::ItemKind;
use crate::modtree::{ModuleId, ModuleTree, Size};
use crate::resolve::{ItemId, RefKind, Resolution, item_def};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A node of a [`ModuleGraph`]: index into [`ModuleGraph::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How to build the graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GraphOptions {
    /// Count references written in test-only code as edges of the analysis (they are always
    /// kept, marked, in the edge list).
    pub include_tests: bool,
    /// Merge every module deeper than this into its ancestor at this depth (`crate` is 0).
    pub depth: Option<u32>,
}

/// A module (with the test-only modules and, when collapsed, the deeper modules folded in).
#[derive(Debug, Clone)]
pub struct Node {
    pub module: ModuleId,
    pub path: String,
    /// Every module folded into this node, itself first.
    pub members: Vec<ModuleId>,
    /// Lines and tests of all members.
    pub size: Size,
    /// Items of all members, in member order.
    pub items: Vec<ItemId>,
}

/// Every reference from one node to another of one kind, merged.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    pub weight: u32,
    /// Every reference is in test-only code.
    pub test_only: bool,
    /// Every reference is a `pub use` of the crate root: after a split the original crate
    /// can stay behind as a facade re-exporting the parts, so it constrains nothing.
    pub facade: bool,
    /// The referenced items with the places that reference them (`file:line`), sorted.
    pub items: BTreeMap<ItemId, Vec<RefSite>>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RefSite {
    pub from: ItemId,
    pub line: u32,
    /// Written as a `crate::`/`self::`/`super::` path.
    pub crate_path: bool,
}

/// The module-level dependency graph of one crate.
#[derive(Debug, Clone)]
pub struct ModuleGraph {
    pub options: GraphOptions,
    /// Sorted by path; `NodeId(0)` is the crate root.
    pub nodes: Vec<Node>,
    /// Sorted by (from, to, test_only, facade).
    pub edges: Vec<Edge>,
    /// Item → item references, merged, sorted.
    pub item_edges: Vec<ItemEdge>,
    node_of_module: Vec<NodeId>,
    graph: DiGraph<NodeId, u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ItemEdge {
    pub from: ItemId,
    pub to: ItemId,
    pub weight: u32,
    pub test_only: bool,
}

/// A strongly connected component with more than one node: modules that depend on each other
/// in a cycle and so cannot go to different crates as they are.
#[derive(Debug, Clone)]
pub struct Cycle {
    pub nodes: Vec<NodeId>,
    pub breaking: FeedbackSet,
    pub items: CycleItems,
}

impl ModuleGraph {
    pub fn build(tree: &ModuleTree, resolution: &Resolution, options: GraphOptions) -> ModuleGraph {
        let node_module = |mut m: ModuleId| {
            loop {
                let module = tree.get(m);
                let too_deep = options.depth.is_some_and(|d| depth_of(tree, m) > d);
                match module.parent {
                    Some(parent) if module.test_only || too_deep => m = parent,
                    _ => return m,
                }
            }
        };
        let mut reps: Vec<ModuleId> =
            (0..tree.modules.len() as u32).map(|i| node_module(ModuleId(i))).collect();
        reps.iter_mut().for_each(|r| *r = node_module(*r));
        let mut node_modules: Vec<ModuleId> = reps.clone();
        node_modules.sort_by(|a, b| tree.get(*a).path.cmp(&tree.get(*b).path));
        node_modules.dedup();
        let node_index: BTreeMap<ModuleId, NodeId> =
            node_modules.iter().enumerate().map(|(i, m)| (*m, NodeId(i as u32))).collect();
        let mut nodes: Vec<Node> = node_modules
            .iter()
            .map(|m| Node {
                module: *m,
                path: tree.get(*m).path.clone(),
                members: Vec::new(),
                size: Size::default(),
                items: Vec::new(),
            })
            .collect();
        let node_of_module: Vec<NodeId> = reps.iter().map(|r| node_index[r]).collect();
        for m in tree.sorted() {
            let node = &mut nodes[node_of_module[m.index()].index()];
            if m == node.module {
                node.members.insert(0, m);
            } else {
                node.members.push(m);
            }
            node.size.add(&tree.get(m).own);
        }
        for node in &mut nodes {
            for m in &node.members {
                let count = tree.get(*m).items.items.len() as u32;
                node.items.extend((0..count).map(|item| ItemId { module: *m, item }));
            }
        }

        let mut merged: BTreeMap<(NodeId, NodeId, bool, bool), Edge> = BTreeMap::new();
        let mut item_merged: BTreeMap<(ItemId, ItemId, bool), u32> = BTreeMap::new();
        for r in &resolution.refs {
            let (from, to) = (node_of_module[r.from.module.index()], node_of_module[r.to.module.index()]);
            *item_merged.entry((r.from, r.to, r.test_only)).or_insert(0) += 1;
            if from == to {
                continue;
            }
            let facade = r.from.module == ModuleId::ROOT
                && matches!(r.kind, RefKind::Use | RefKind::ReExport)
                && item_def(tree, r.from).vis != crate::items::Visibility::Private
                && item_def(tree, r.from).kind == ItemKind::Use;
            let edge = merged.entry((from, to, r.test_only, facade)).or_insert_with(|| Edge {
                from,
                to,
                weight: 0,
                test_only: r.test_only,
                facade,
                items: BTreeMap::new(),
            });
            edge.weight += 1;
            edge.items.entry(r.to).or_default().push(RefSite {
                from: r.from,
                line: r.line,
                crate_path: r.crate_path,
            });
        }
        let mut edges: Vec<Edge> = merged.into_values().collect();
        edges.iter_mut().for_each(|e| e.items.values_mut().for_each(|sites| sites.sort()));
        let item_edges = item_merged
            .into_iter()
            .map(|((from, to, test_only), weight)| ItemEdge { from, to, weight, test_only })
            .collect();

        let mut graph = DiGraph::with_capacity(nodes.len(), edges.len());
        for i in 0..nodes.len() {
            graph.add_node(NodeId(i as u32));
        }
        for e in edges.iter().filter(|e| counts(e, options)) {
            graph.add_edge(NodeIndex::new(e.from.index()), NodeIndex::new(e.to.index()), e.weight);
        }
        ModuleGraph { options, nodes, edges, item_edges, node_of_module, graph }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn node_of(&self, module: ModuleId) -> NodeId {
        self.node_of_module[module.index()]
    }

    pub fn find(&self, path: &str) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.path == path).map(|i| NodeId(i as u32))
    }

    /// Edges the analysis counts: not facade re-exports, and test-only ones only when asked.
    pub fn analysis_edges(&self) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(|e| counts(e, self.options))
    }

    /// Strongly connected components of more than one node, each sorted, in path order.
    pub fn sccs(&self) -> Vec<Vec<NodeId>> {
        let mut sccs: Vec<Vec<NodeId>> = petgraph::algo::tarjan_scc(&self.graph)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| {
                let mut ids: Vec<NodeId> = c.into_iter().map(|ix| self.graph[ix]).collect();
                ids.sort();
                ids
            })
            .collect();
        sccs.sort();
        sccs
    }

    /// The components in dependency order (what a component uses comes before it), each as
    /// its sorted nodes: the layers a split has to respect.
    pub fn condensation_order(&self) -> Vec<Vec<NodeId>> {
        // tarjan_scc returns components in reverse topological order of the edges `a uses b`,
        // that is, used components first.
        petgraph::algo::tarjan_scc(&self.graph)
            .into_iter()
            .map(|c| {
                let mut ids: Vec<NodeId> = c.into_iter().map(|ix| self.graph[ix]).collect();
                ids.sort();
                ids
            })
            .collect()
    }

    /// Every cycle with the cheapest edges that break it and its item-level view.
    pub fn cycles(&self, tree: &ModuleTree) -> Vec<Cycle> {
        let sccs = self.sccs();
        // The item edges inside each cycle, bucketed in one pass over the crate's item edges.
        let mut scc_of: Vec<Option<usize>> = vec![None; self.nodes.len()];
        for (i, nodes) in sccs.iter().enumerate() {
            nodes.iter().for_each(|n| scc_of[n.index()] = Some(i));
        }
        let mut inside: Vec<Vec<&ItemEdge>> = vec![Vec::new(); sccs.len()];
        for e in &self.item_edges {
            let (a, b) =
                (scc_of[self.node_of(e.from.module).index()], scc_of[self.node_of(e.to.module).index()]);
            if let (Some(a), Some(b)) = (a, b)
                && a == b
            {
                inside[a].push(e);
            }
        }
        sccs.into_par_iter()
            .zip(inside)
            .map(|(nodes, inside)| {
                let in_scc: BTreeSet<NodeId> = nodes.iter().copied().collect();
                let weighted: Vec<(NodeId, NodeId, u32)> = self
                    .analysis_edges()
                    .filter(|e| in_scc.contains(&e.from) && in_scc.contains(&e.to))
                    .fold(BTreeMap::new(), |mut acc: BTreeMap<(NodeId, NodeId), u32>, e| {
                        *acc.entry((e.from, e.to)).or_insert(0) += e.weight;
                        acc
                    })
                    .into_iter()
                    .map(|((a, b), w)| (a, b, w))
                    .collect();
                let breaking = min_feedback_edges(&nodes, &weighted);
                let items = straddle::analyze(self, tree, &nodes, &inside);
                Cycle { nodes, breaking, items }
            })
            .collect()
    }

    /// Nodes that depend on `id`, directly or not (not `id` itself), sorted.
    pub fn dependents(&self, id: NodeId) -> Vec<NodeId> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![NodeIndex::new(id.index())];
        seen[id.index()] = true;
        while let Some(n) = stack.pop() {
            for e in self.graph.edges_directed(n, petgraph::Direction::Incoming) {
                let src = e.source();
                if !seen[src.index()] {
                    seen[src.index()] = true;
                    stack.push(src);
                }
            }
        }
        seen[id.index()] = false;
        (0..self.nodes.len()).filter(|i| seen[*i]).map(|i| NodeId(i as u32)).collect()
    }

    /// `id`, the nodes it uses and the nodes using it (edges of the analysis), sorted.
    pub fn neighbourhood(&self, id: NodeId) -> Vec<NodeId> {
        let ix = NodeIndex::new(id.index());
        let mut out: BTreeSet<NodeId> = BTreeSet::from([id]);
        for dir in [petgraph::Direction::Outgoing, petgraph::Direction::Incoming] {
            out.extend(self.graph.neighbors_directed(ix, dir).map(|n| self.graph[n]));
        }
        out.into_iter().collect()
    }

    /// The path of an item: its module's path and its name (`crate::ir::Ty`,
    /// `crate::ir::<impl Display for Ty>`, `crate::ir::{use types::Ty}`).
    pub fn item_path(tree: &ModuleTree, id: ItemId) -> String {
        let module = tree.get(id.module);
        let def = item_def(tree, id);
        match def.kind {
            ItemKind::Use => format!("{}::{{{}}}", module.path, def.name),
            _ => format!("{}::{}", module.path, def.name),
        }
    }
}

fn counts(e: &Edge, options: GraphOptions) -> bool {
    !e.facade && (options.include_tests || !e.test_only)
}

fn depth_of(tree: &ModuleTree, mut m: ModuleId) -> u32 {
    let mut depth = 0;
    while let Some(p) = tree.get(m).parent {
        depth += 1;
        m = p;
    }
    depth
}

/// `reach[a][b]`: `b` is reachable from `a` over `edges` (one step or more), on `n` nodes.
pub fn reachability(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<bool>> {
    let mut reach = vec![vec![false; n]; n];
    for &(a, b) in edges {
        reach[a][b] = true;
    }
    for m in 0..n {
        let through = reach[m].clone();
        for row in reach.iter_mut() {
            if row[m] {
                row.iter_mut().zip(&through).for_each(|(cell, via)| *cell |= *via);
            }
        }
    }
    reach
}

/// Strongly connected components of the graph with nodes `0..n` and the given edges (each
/// component's nodes in any order; components in reverse topological order: used first).
pub fn strongly_connected(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n, edges.len());
    for _ in 0..n {
        g.add_node(());
    }
    for &(a, b) in edges {
        g.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
    }
    petgraph::algo::tarjan_scc(&g)
        .into_iter()
        .map(|c| c.into_iter().map(NodeIndex::index).collect())
        .collect()
}

/// A minimum s-t cut of the network with nodes `0..n` and arcs `(from, to, capacity)`, by
/// Dinic's max-flow: whether each node is on the source side.
pub fn min_cut_source_side(n: usize, arcs: &[(usize, usize, u64)], source: usize, sink: usize) -> Vec<bool> {
    let mut g: DiGraph<(), u64> = DiGraph::with_capacity(n, arcs.len());
    for _ in 0..n {
        g.add_node(());
    }
    for &(a, b, c) in arcs {
        g.add_edge(NodeIndex::new(a), NodeIndex::new(b), c);
    }
    let (_, flows) = petgraph::algo::dinics(&g, NodeIndex::new(source), NodeIndex::new(sink));
    // Residual reachability from the source.
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(a, b, c)) in arcs.iter().enumerate() {
        if flows[i] < c {
            out[a].push(b);
        }
        if flows[i] > 0 {
            out[b].push(a);
        }
    }
    reachable(&out, &[source])
}

/// Nodes reachable from `starts` (included) along the adjacency lists.
pub(crate) fn reachable(adj: &[Vec<usize>], starts: &[usize]) -> Vec<bool> {
    let mut seen = vec![false; adj.len()];
    let mut stack: Vec<usize> = Vec::new();
    for &s in starts {
        if !seen[s] {
            seen[s] = true;
            stack.push(s);
        }
    }
    while let Some(v) = stack.pop() {
        for &w in &adj[v] {
            if !seen[w] {
                seen[w] = true;
                stack.push(w);
            }
        }
    }
    seen
}
