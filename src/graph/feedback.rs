//! The cheapest set of edges whose removal breaks every cycle of a strongly connected component
//! (a minimum-weight feedback arc set).
//!
//! The problem is NP-hard in general. Components of up to [`EXACT_LIMIT`] nodes are solved
//! exactly by dynamic programming over node orderings (an ordering's cost is the weight of the
//! edges pointing against it; the cheapest ordering gives the minimum set); larger ones use the
//! weighted Eades–Lin–Smyth heuristic, and say so.

use super::NodeId;
use std::collections::BTreeMap;

/// Components up to this size are solved exactly: 2^16 states × 16² steps is instant.
pub const EXACT_LIMIT: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackSet {
    /// `(from, to, weight)`, sorted.
    pub edges: Vec<(NodeId, NodeId, u32)>,
    pub total: u32,
    /// Proven minimal (exact search) rather than found by the heuristic.
    pub exact: bool,
}

/// The cheapest edges to remove from the graph `nodes`/`edges` (weights summed per pair) to
/// leave it acyclic.
pub fn min_feedback_edges(nodes: &[NodeId], edges: &[(NodeId, NodeId, u32)]) -> FeedbackSet {
    let index: BTreeMap<NodeId, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let n = nodes.len();
    let mut w = vec![vec![0u64; n]; n];
    for (a, b, weight) in edges {
        if let (Some(&i), Some(&j)) = (index.get(a), index.get(b))
            && i != j
        {
            w[i][j] += u64::from(*weight);
        }
    }
    let (order, exact) = if n <= EXACT_LIMIT { (exact_order(&w), true) } else { (greedy_order(&w), false) };
    let mut pos = vec![0usize; n];
    for (p, v) in order.iter().enumerate() {
        pos[*v] = p;
    }
    // Order puts what is used first; an edge `a -> b` (a uses b) with a before b goes against it.
    let mut out: Vec<(NodeId, NodeId, u32)> = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if w[i][j] > 0 && pos[i] < pos[j] {
                out.push((nodes[i], nodes[j], w[i][j] as u32));
            }
        }
    }
    out.sort();
    let total = out.iter().map(|e| e.2).sum();
    FeedbackSet { edges: out, total, exact }
}

/// dp[S] = cheapest cost of placing the set S first; placing v after S costs the edges from S
/// into v.
fn exact_order(w: &[Vec<u64>]) -> Vec<usize> {
    let n = w.len();
    let full = (1usize << n) - 1;
    // in_from[v] = (u, weight of u -> v) for every edge into v.
    let in_from: Vec<Vec<(usize, u64)>> =
        (0..n).map(|v| (0..n).filter(|u| w[*u][v] > 0).map(|u| (u, w[u][v])).collect()).collect();
    let mut dp = vec![u64::MAX; 1 << n];
    let mut choice = vec![usize::MAX; 1 << n];
    dp[0] = 0;
    for mask in 0..=full {
        if dp[mask] == u64::MAX {
            continue;
        }
        for (v, into_v) in in_from.iter().enumerate() {
            if mask & (1 << v) != 0 {
                continue;
            }
            let cost: u64 = into_v.iter().filter(|(u, _)| mask & (1 << u) != 0).map(|(_, wt)| wt).sum();
            let next = mask | (1 << v);
            if dp[mask] + cost < dp[next] {
                dp[next] = dp[mask] + cost;
                choice[next] = v;
            }
        }
    }
    let mut order = Vec::with_capacity(n);
    let mut mask = full;
    while mask != 0 {
        let v = choice[mask];
        order.push(v);
        mask &= !(1 << v);
    }
    order.reverse();
    order
}

/// Eades–Lin–Smyth with weights: peel nodes nothing remaining uses (they go last… in our
/// orientation, first) and nodes that use nothing remaining, else the node whose outgoing weight
/// most exceeds its incoming weight.
fn greedy_order(w: &[Vec<u64>]) -> Vec<usize> {
    let n = w.len();
    let mut alive = vec![true; n];
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    let weight_in = |v: usize, alive: &[bool]| (0..n).filter(|u| alive[*u]).map(|u| w[u][v]).sum::<u64>();
    let weight_out = |v: usize, alive: &[bool]| (0..n).filter(|u| alive[*u]).map(|u| w[v][u]).sum::<u64>();
    let mut remaining = n;
    while remaining > 0 {
        let mut progressed = true;
        while progressed {
            progressed = false;
            for v in 0..n {
                if !alive[v] {
                    continue;
                }
                // Uses nothing left: can come first (dependencies first).
                if weight_out(v, &alive) == 0 {
                    alive[v] = false;
                    remaining -= 1;
                    head.push(v);
                    progressed = true;
                } else if weight_in(v, &alive) == 0 {
                    alive[v] = false;
                    remaining -= 1;
                    tail.push(v);
                    progressed = true;
                }
            }
        }
        if remaining == 0 {
            break;
        }
        // Most "user-like" node goes last: its outgoing edges then point backwards legally.
        let v = (0..n)
            .filter(|v| alive[*v])
            .max_by_key(|v| {
                (weight_out(*v, &alive) as i64 - weight_in(*v, &alive) as i64, std::cmp::Reverse(*v))
            })
            .expect("some node is alive");
        alive[v] = false;
        remaining -= 1;
        tail.push(v);
    }
    tail.reverse();
    head.extend(tail);
    head
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(n: u32) -> Vec<NodeId> {
        (0..n).map(NodeId).collect()
    }

    fn is_acyclic(n: usize, edges: &[(usize, usize)]) -> bool {
        // Kahn's algorithm.
        let mut indeg = vec![0; n];
        for (_, b) in edges {
            indeg[*b] += 1;
        }
        let mut stack: Vec<usize> = (0..n).filter(|v| indeg[*v] == 0).collect();
        let mut seen = 0;
        while let Some(v) = stack.pop() {
            seen += 1;
            for (a, b) in edges {
                if *a == v {
                    indeg[*b] -= 1;
                    if indeg[*b] == 0 {
                        stack.push(*b);
                    }
                }
            }
        }
        seen == n
    }

    /// The oracle: every subset of edges, the cheapest whose removal leaves no cycle.
    fn brute_force(n: usize, edges: &[(usize, usize, u32)]) -> u32 {
        let m = edges.len();
        (0..1u32 << m)
            .filter(|removed| {
                let kept: Vec<(usize, usize)> =
                    (0..m).filter(|i| removed & (1 << i) == 0).map(|i| (edges[i].0, edges[i].1)).collect();
                is_acyclic(n, &kept)
            })
            .map(|removed| (0..m).filter(|i| removed & (1 << i) != 0).map(|i| edges[i].2).sum())
            .min()
            .unwrap_or(0)
    }

    fn graph_strategy() -> impl Strategy<Value = (usize, Vec<(usize, usize, u32)>)> {
        (2usize..6).prop_flat_map(|n| {
            let edge = (0..n, 0..n, 1u32..9).prop_filter("no loops", |(a, b, _)| a != b);
            (Just(n), proptest::collection::vec(edge, 1..10))
        })
    }

    fn dedup(edges: Vec<(usize, usize, u32)>) -> Vec<(usize, usize, u32)> {
        let mut merged: BTreeMap<(usize, usize), u32> = BTreeMap::new();
        for (a, b, w) in edges {
            *merged.entry((a, b)).or_insert(0) += w;
        }
        merged.into_iter().map(|((a, b), w)| (a, b, w)).collect()
    }

    proptest! {
        #[test]
        fn exact_search_matches_brute_force((n, edges) in graph_strategy()) {
            let edges = dedup(edges);
            let node_edges: Vec<_> = edges.iter().map(|(a, b, w)| (NodeId(*a as u32), NodeId(*b as u32), *w)).collect();
            let set = min_feedback_edges(&ids(n as u32), &node_edges);
            prop_assert!(set.exact);
            prop_assert_eq!(set.total, brute_force(n, &edges));
            let kept: Vec<(usize, usize)> = edges
                .iter()
                .filter(|(a, b, _)| !set.edges.iter().any(|(x, y, _)| x.index() == *a && y.index() == *b))
                .map(|(a, b, _)| (*a, *b))
                .collect();
            prop_assert!(is_acyclic(n, &kept));
        }

        #[test]
        fn heuristic_leaves_no_cycle_and_is_never_below_the_minimum((n, edges) in graph_strategy()) {
            let edges = dedup(edges);
            let mut w = vec![vec![0u64; n]; n];
            for (a, b, wt) in &edges {
                w[*a][*b] += u64::from(*wt);
            }
            let order = greedy_order(&w);
            let mut pos = vec![0; n];
            for (p, v) in order.iter().enumerate() {
                pos[*v] = p;
            }
            let back: u32 = edges.iter().filter(|(a, b, _)| pos[*a] < pos[*b]).map(|e| e.2).sum();
            let kept: Vec<(usize, usize)> =
                edges.iter().filter(|(a, b, _)| pos[*a] > pos[*b]).map(|(a, b, _)| (*a, *b)).collect();
            prop_assert!(is_acyclic(n, &kept));
            prop_assert!(back >= brute_force(n, &edges));
        }
    }

    #[test]
    fn two_cycle_breaks_at_the_lighter_edge() {
        let set = min_feedback_edges(&ids(2), &[(NodeId(0), NodeId(1), 5), (NodeId(1), NodeId(0), 2)]);
        assert_eq!(set.edges, vec![(NodeId(1), NodeId(0), 2)]);
        assert_eq!(set.total, 2);
    }
}
