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

    // Each module's items are one run of `ids` (pushed module by module, in `scc` order).
    let group: Vec<usize> = {
        let position: HashMap<NodeId, usize> = scc.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        owner.iter().map(|n| position[n]).collect()
    };
    let used = reached_from_other_groups(&group, &out_edges, &in_edges);
    let uses = reached_from_other_groups(&group, &in_edges, &out_edges);
    let between = GroupEdges::new(scc.len(), &group, &out_edges);
    let mut straddling = Vec::new();
    let mut start = 0;
    for (k, &n) in scc.iter().enumerate() {
        let end = start + group[start..].iter().take_while(|g| **g == k).count();
        let listed = |i: &usize| item_def(tree, ids[*i]).kind != ItemKind::Use;
        let base: Vec<ItemId> =
            (start..end).filter(|i| listed(i) && used[*i] && !uses[*i]).map(|i| ids[i]).collect();
        let top: Vec<ItemId> =
            (start..end).filter(|i| listed(i) && uses[*i] && !used[*i]).map(|i| ids[i]).collect();
        if !base.is_empty() && !top.is_empty() {
            let lines = |items: &[ItemId]| items.iter().map(|i| item_def(tree, *i).lines()).sum();
            // Split n in two: its items the rest of the cycle uses (directly or not) go down.
            let moved = &used[start..end];
            let breaks_cycle_alone =
                between.acyclic_with_moved(start..end, moved, &group, &out_edges, &in_edges);
            straddling.push(StraddlingModule {
                node: n,
                base_lines: lines(&base),
                top_lines: lines(&top),
                base,
                top,
                breaks_cycle_alone,
            });
        }
        start = end;
    }
    CycleItems { straddling, breakable_by_moving_items: tangled.is_empty(), tangled }
}

/// For every item, whether a path along `adj` of one step or more leads to it from an item of
/// another group: found from the items with an edge in (`back`) from another group, following
/// `adj` only inside the group. Every such path enters the item's group a last time, so this is
/// the same as searching from every other group's items, once per group, in one linear pass.
fn reached_from_other_groups(group: &[usize], adj: &[Vec<usize>], back: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; group.len()];
    let mut stack: Vec<usize> =
        (0..group.len()).filter(|&i| back[i].iter().any(|&j| group[j] != group[i])).collect();
    stack.iter().for_each(|&i| seen[i] = true);
    while let Some(v) = stack.pop() {
        for &w in &adj[v] {
            if group[w] == group[v] && !seen[w] {
                seen[w] = true;
                stack.push(w);
            }
        }
    }
    seen
}

/// How many item edges join each ordered pair of groups (modules of the cycle): counted once,
/// so splitting one module only recounts the edges of its own items.
struct GroupEdges {
    groups: usize,
    count: HashMap<(usize, usize), u32>,
}

impl GroupEdges {
    fn new(groups: usize, group: &[usize], out_edges: &[Vec<usize>]) -> Self {
        let mut count: HashMap<(usize, usize), u32> = HashMap::new();
        for (a, targets) in out_edges.iter().enumerate() {
            for &b in targets {
                if group[a] != group[b] {
                    *count.entry((group[a], group[b])).or_insert(0) += 1;
                }
            }
        }
        GroupEdges { groups, count }
    }

    /// Whether the groups form no cycle once the items of one group (`own`, a run of item
    /// indices) marked in `moved` are a group of their own.
    fn acyclic_with_moved(
        &self,
        own: std::ops::Range<usize>,
        moved: &[bool],
        group: &[usize],
        out_edges: &[Vec<usize>],
        in_edges: &[Vec<usize>],
    ) -> bool {
        let new_group = self.groups;
        let k = group[own.start];
        let is_moved = |i: usize| own.contains(&i) && moved[i - own.start];
        let regroup = |i: usize| if is_moved(i) { new_group } else { group[i] };
        let mut removed: HashMap<(usize, usize), u32> = HashMap::new();
        let mut added: Vec<(usize, usize)> = Vec::new();
        let mut recount = |a: usize, b: usize| {
            if group[a] != group[b] {
                *removed.entry((group[a], group[b])).or_insert(0) += 1;
            }
            let (ga, gb) = (regroup(a), regroup(b));
            if ga != gb {
                added.push((ga, gb));
            }
        };
        for a in own.clone() {
            out_edges[a].iter().for_each(|&b| recount(a, b));
        }
        for b in own.clone() {
            // Edges inside group `k` were recounted from their start above.
            in_edges[b].iter().filter(|&&a| group[a] != k).for_each(|&a| recount(a, b));
        }
        let kept = self
            .count
            .iter()
            .filter(|(pair, n)| removed.get(pair).is_none_or(|r| r < n))
            .map(|(pair, _)| *pair);
        let mut edges: Vec<(usize, usize)> = kept.chain(added).collect();
        edges.sort_unstable();
        edges.dedup();
        acyclic(self.groups + 1, &edges)
    }
}

/// Kahn's algorithm: whether the `edges` (sorted, deduplicated) between `nodes` nodes form no cycle.
fn acyclic(nodes: usize, edges: &[(usize, usize)]) -> bool {
    let mut indegree = vec![0usize; nodes];
    for &(_, b) in edges {
        indegree[b] += 1;
    }
    let mut ready: Vec<usize> = (0..nodes).filter(|g| indegree[*g] == 0).collect();
    let mut done = 0;
    while let Some(g) = ready.pop() {
        done += 1;
        let from = edges.partition_point(|&(a, _)| a < g);
        for &(_, b) in edges[from..].iter().take_while(|(a, _)| *a == g) {
            indegree[b] -= 1;
            if indegree[b] == 0 {
                ready.push(b);
            }
        }
    }
    done == nodes
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The direct definition: items reachable in one step or more from every item outside
    /// `group`, searched once per group.
    fn reached_brute_force(group: &[usize], adj: &[Vec<usize>], of_group: usize) -> Vec<bool> {
        let first: Vec<usize> =
            (0..group.len()).filter(|&i| group[i] != of_group).flat_map(|i| adj[i].clone()).collect();
        crate::graph::reachable(adj, &first)
    }

    /// The direct definition: regroup every item edge and look for a cycle.
    fn acyclic_brute_force(groups: usize, group: &[usize], moved: &[bool], out_edges: &[Vec<usize>]) -> bool {
        let regroup = |i: usize| if moved[i] { groups } else { group[i] };
        let mut edges: Vec<(usize, usize)> = (0..group.len())
            .flat_map(|a| out_edges[a].iter().map(move |&b| (a, b)))
            .map(|(a, b)| (regroup(a), regroup(b)))
            .filter(|(a, b)| a != b)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        acyclic(groups + 1, &edges)
    }

    /// Items in runs by group (as `analyze` lays them out) and edges between them.
    fn items_strategy() -> impl Strategy<Value = (usize, Vec<usize>, Vec<(usize, usize)>)> {
        proptest::collection::vec(1usize..5, 1..5).prop_flat_map(|sizes| {
            let group: Vec<usize> =
                sizes.iter().enumerate().flat_map(|(g, n)| std::iter::repeat_n(g, *n)).collect();
            let n = group.len();
            (Just(sizes.len()), Just(group), proptest::collection::vec((0..n, 0..n), 0..(3 * n)))
        })
    }

    proptest! {
        #[test]
        fn one_pass_reach_and_recount_match_the_direct_definitions((groups, group, edges) in items_strategy()) {
            let n = group.len();
            let mut out_edges = vec![Vec::new(); n];
            let mut in_edges = vec![Vec::new(); n];
            // As `analyze` builds them: no item uses itself.
            for &(a, b) in edges.iter().filter(|(a, b)| a != b) {
                out_edges[a].push(b);
                in_edges[b].push(a);
            }
            let used = reached_from_other_groups(&group, &out_edges, &in_edges);
            let uses = reached_from_other_groups(&group, &in_edges, &out_edges);
            let between = GroupEdges::new(groups, &group, &out_edges);
            for g in 0..groups {
                let own: Vec<usize> = (0..n).filter(|i| group[*i] == g).collect();
                let used_direct = reached_brute_force(&group, &out_edges, g);
                let uses_direct = reached_brute_force(&group, &in_edges, g);
                for &i in &own {
                    prop_assert_eq!(used[i], used_direct[i]);
                    prop_assert_eq!(uses[i], uses_direct[i]);
                }
                let range = own[0]..own[own.len() - 1] + 1;
                let moved: Vec<bool> = (0..n).map(|i| group[i] == g && used[i]).collect();
                prop_assert_eq!(
                    between.acyclic_with_moved(range.clone(), &used[range], &group, &out_edges, &in_edges),
                    acyclic_brute_force(groups, &group, &moved, &out_edges)
                );
            }
        }
    }
}
