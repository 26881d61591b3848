//! Finding the best partitions: exact enumeration where the unit graph is small, else
//! iterated min-cuts with local search.
//!
//! - **Exact**: for two parts, every down-closed set of units (an *ideal*: the base part must hold
//!   everything it uses) is a valid split; they are enumerated while there are at most
//!   `exact_limit`. For more parts, every assignment (parts labelled by first use) while `k^n` is
//!   at most `exact_limit`.
//! - **Min-cut**: `E` is not linear in a cut (a part's size multiplies its edit probability), so
//!   it is linearized around the current split: each unit's cost of sitting in the base or the
//!   top half, from the exact change of `E` if it moved. A min s-t cut then finds the best split
//!   for that linear cost plus `μ ×` the weight of crossing edges, with infinite arcs keeping the
//!   base closed under dependencies. Re-linearizing around the new split until `E` stops falling
//!   is a descent; sweeping `μ` gives splits from loose to tightly coupled (the Pareto frontier's
//!   candidates).
//! - **Local search**: single units move between parts while `E` falls and the parts stay
//!   acyclic. More than two parts come from splitting the best candidates' parts again (a beam).
//!
//! Deterministic: every loop runs in unit order, ties keep the earlier candidate.

use super::{Candidate, Model, PartTotals};
use crate::graph::min_cut_source_side;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub k: usize,
    /// Enumerate exactly while there are at most this many splits to try (0: never).
    pub exact_limit: u64,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { k: 2, exact_limit: 2_000_000 }
    }
}

/// What the search found for `k` parts: distinct valid candidates, best `E` first, and whether
/// the first is proven optimal.
#[derive(Debug, Clone)]
pub struct SearchResult {
    pub candidates: Vec<Candidate>,
    pub exact: bool,
}

/// Relative coupling prices swept by the min-cut: `μ = factor × E(unsplit) / total weight`.
const COUPLING_FACTORS: [f64; 4] = [0.0, 0.05, 0.25, 1.0];
/// Starting splits: base = the first units of a dependency order holding this share of lines.
const START_SHARES: [f64; 3] = [0.25, 0.5, 0.75];
const MAX_DESCENT_STEPS: usize = 8;
/// Most unit flags the exact enumeration keeps (ideals × units): 2.5 MB as bits.
const IDEAL_CELLS: usize = 20_000_000;
/// Parts with at most this many units also start from each unit's down-closure.
const SINGLE_UNIT_STARTS: usize = 24;
const BEAM: usize = 8;
/// Up to this many units the beam is wide; beyond, it is narrow so thousands of modules stay
/// within seconds.
const SMALL_GRAPH: usize = 200;

pub fn best_partitions(model: &Model<'_>, options: &SearchOptions) -> SearchResult {
    best_partitions_for(model, &[options.k], options.exact_limit).pop().expect("one result per k")
}

/// The searches for several numbers of parts at once, one result per entry of `ks` (in that
/// order). The heuristic grows the parts one split at a time, so one run to the largest `k` it
/// is needed for passes through every smaller one: each level is the search of that `k` on its
/// own, found once.
pub fn best_partitions_for(model: &Model<'_>, ks: &[usize], exact_limit: u64) -> Vec<SearchResult> {
    best_partitions_sharing(model, ks, exact_limit, &SharedIdeals::default())
}

/// The ideals of a unit graph's exact two-part search, found by the first search that needs
/// them and read by the others on the same graph: both profiles' searches of a shape have the
/// same units and edges, priced apart. On a generated 125K-line crate the enumeration, which
/// stops at its limit there, was a quarter of the report's searching.
#[derive(Default)]
pub struct SharedIdeals {
    found: std::sync::OnceLock<IdealsOf>,
}

/// Ideals (see [`enumerate_ideals`]) and the graph they are of.
struct IdealsOf {
    units: usize,
    facade: Option<usize>,
    edges: Vec<(usize, usize, u32)>,
    exact_limit: u64,
    ideals: Option<Vec<u64>>,
}

impl SharedIdeals {
    /// The ideals of `model`'s graph: shared when they were found for the same graph and limit.
    fn of(
        &self,
        model: &Model<'_>,
        free: &[usize],
        exact_limit: u64,
    ) -> std::borrow::Cow<'_, Option<Vec<u64>>> {
        let graph = model.graph;
        let found = self.found.get_or_init(|| IdealsOf {
            units: graph.units.len(),
            facade: graph.facade,
            edges: graph.edges.clone(),
            exact_limit,
            ideals: enumerate_ideals(model, free, exact_limit),
        });
        let same = found.units == graph.units.len()
            && found.facade == graph.facade
            && found.exact_limit == exact_limit
            && found.edges == graph.edges;
        if same {
            std::borrow::Cow::Borrowed(&found.ideals)
        } else {
            std::borrow::Cow::Owned(enumerate_ideals(model, free, exact_limit))
        }
    }
}

/// [`best_partitions_for`], the exact two-part search reading its ideals from `shared`.
pub fn best_partitions_sharing(
    model: &Model<'_>,
    ks: &[usize],
    exact_limit: u64,
    shared: &SharedIdeals,
) -> Vec<SearchResult> {
    let n = model.graph.units.len();
    let free: Vec<usize> = (0..n).filter(|u| Some(*u) != model.graph.facade).collect();
    let ks: Vec<usize> = ks.iter().map(|k| (*k).max(1)).collect();
    let mut results: Vec<Option<SearchResult>> =
        ks.iter().map(|&k| exact_search(model, &free, k, exact_limit, shared)).collect();
    let deepest = ks.iter().zip(&results).filter(|(_, r)| r.is_none()).map(|(k, _)| *k).max();
    if let Some(deepest) = deepest {
        let levels = heuristic_levels(model, &Adjacency::new(model), &free, deepest);
        for (&k, result) in ks.iter().zip(results.iter_mut()) {
            if result.is_none() {
                let last = levels.get(k - 1).cloned().unwrap_or_default();
                *result =
                    Some(SearchResult { candidates: final_polish(model, &free, last, k), exact: false });
            }
        }
    }
    results.into_iter().map(|r| r.expect("every k searched")).collect()
}

/// The exact answer for `k` parts when enumerating is within `exact_limit` (or trivial); else
/// `None`.
fn exact_search(
    model: &Model<'_>,
    free: &[usize],
    k: usize,
    exact_limit: u64,
    shared: &SharedIdeals,
) -> Option<SearchResult> {
    let n = model.graph.units.len();
    let mut found = Found::new(model);
    if k == 1 || free.len() < k {
        let parts = vec![0; n];
        if let Some(c) = Candidate::new(model, parts, 1) {
            found.add(c);
        }
        return Some(SearchResult { candidates: found.sorted(), exact: true });
    }
    if k == 2
        && let Some(ideals) = shared.of(model, free, exact_limit).as_ref()
    {
        for base in ideals.chunks(n.div_ceil(64).max(1)) {
            let parts: Vec<usize> =
                (0..n).map(|u| usize::from(base[u / 64] & (1 << (u % 64)) == 0)).collect();
            if let Some(c) = Candidate::new(model, parts, 2) {
                found.add(c);
            }
        }
        return Some(SearchResult { candidates: found.sorted(), exact: true });
    }
    if k > 2 && (k as f64).powi(free.len() as i32) <= exact_limit as f64 {
        enumerate_assignments(model, free, k, &mut found);
        return Some(SearchResult { candidates: found.sorted(), exact: true });
    }
    None
}

/// The heuristic: grow the number of parts one split at a time, keeping a beam of the best.
/// Entry `j` holds the candidates of `j + 1` parts (entry 0, one part, stays empty); a level
/// with no candidate ends the growth.
fn heuristic_levels(
    model: &Model<'_>,
    adjacency: &Adjacency,
    free: &[usize],
    k: usize,
) -> Vec<Vec<Candidate>> {
    let n = model.graph.units.len();
    let beam_width = if free.len() <= SMALL_GRAPH { BEAM } else { 2 };
    let mut beam: Vec<Vec<usize>> = vec![vec![0; n]];
    let mut levels: Vec<Vec<Candidate>> = vec![Vec::new()];
    for parts_now in 1..k {
        let mut splits = Found::new(model);
        for parts in &beam {
            for q in 0..parts_now {
                for split in split_part(model, adjacency, parts, parts_now, q) {
                    if let Some(c) = Candidate::new(model, split, parts_now + 1) {
                        splits.add(c);
                    }
                }
            }
        }
        // Polish the most promising splits; keep the rest as they are (the frontier wants them).
        let mut level = Found::new(model);
        for (i, c) in splits.sorted().into_iter().enumerate() {
            if i < 2 * beam_width {
                let improved = local_search(model, adjacency, c.parts.clone(), parts_now + 1, 0.0);
                if let Some(better) = Candidate::new(model, improved, parts_now + 1) {
                    level.add(better);
                }
            }
            level.add(c);
        }
        let sorted = level.sorted();
        if sorted.is_empty() {
            break;
        }
        beam = sorted.iter().take(beam_width).map(|c| c.parts.clone()).collect();
        levels.push(sorted);
    }
    levels
}

/// The moves of the heuristic are guided by totals that keep tests with their module; the best
/// candidates get a last polish priced exactly (tests where they must live).
fn final_polish(model: &Model<'_>, free: &[usize], last: Vec<Candidate>, k: usize) -> Vec<Candidate> {
    if free.len() > SMALL_GRAPH {
        return last;
    }
    let mut polished = Found::new(model);
    for (i, c) in last.into_iter().enumerate() {
        if i < 2 * BEAM
            && let Some(better) = Candidate::new(model, exact_polish(model, c.parts.clone(), k), k)
        {
            polished.add(better);
        }
        polished.add(c);
    }
    polished.sorted()
}

/// Single-unit moves, each priced exactly by [`Model::price`], while `E` falls.
fn exact_polish(model: &Model<'_>, mut parts: Vec<usize>, k: usize) -> Vec<usize> {
    let free: Vec<usize> = (0..parts.len()).filter(|u| Some(*u) != model.graph.facade).collect();
    let Some(mut best) = model.expected_rebuild(&parts, k) else { return parts };
    for _ in 0..20 {
        let mut improved = false;
        for &u in &free {
            let from = parts[u];
            let mut best_to = None;
            for to in (0..k).filter(|t| *t != from) {
                parts[u] = to;
                if let Some(e) = model.expected_rebuild(&parts, k)
                    && e < best - 1e-12
                {
                    best = e;
                    best_to = Some(to);
                }
            }
            parts[u] = best_to.unwrap_or(from);
            improved |= best_to.is_some();
        }
        if !improved {
            break;
        }
    }
    parts
}

/// Distinct candidates, keyed by their canonical part labelling. Past [`KEEP`] it keeps the
/// best by `E` and the Pareto frontier, so exhaustive enumeration stays within memory.
struct Found {
    facade: Option<usize>,
    /// Hashed: nothing reads it in its order ([`prune`] sorts by `E`, crossing weight and
    /// parts, a total order).
    by_parts: std::collections::HashMap<Vec<usize>, Candidate, foldhash::fast::FixedState>,
}

/// How many candidates are kept besides the Pareto frontier.
const KEEP: usize = 2000;

impl Found {
    fn new(model: &Model<'_>) -> Found {
        Found { facade: model.graph.facade, by_parts: Default::default() }
    }

    fn add(&mut self, mut c: Candidate) {
        c.parts = canonical_parts(&c.parts, self.facade);
        self.by_parts.entry(c.parts.clone()).or_insert(c);
        if self.by_parts.len() > 4 * KEEP {
            let all = std::mem::take(&mut self.by_parts);
            for c in prune(all.into_values().collect()) {
                self.by_parts.insert(c.parts.clone(), c);
            }
        }
    }

    fn sorted(self) -> Vec<Candidate> {
        prune(self.by_parts.into_values().collect())
    }
}

/// The best [`KEEP`] candidates by `E` and every one on the Pareto frontier, best `E` first.
fn prune(mut all: Vec<Candidate>) -> Vec<Candidate> {
    all.sort_by(|a, b| {
        a.expected_rebuild
            .total_cmp(&b.expected_rebuild)
            .then(a.crossing_weight.cmp(&b.crossing_weight))
            .then(a.parts.cmp(&b.parts))
    });
    let mut lowest_crossing = u64::MAX;
    let mut kept = Vec::with_capacity(KEEP.min(all.len()));
    for (i, c) in all.into_iter().enumerate() {
        let on_frontier = c.crossing_weight < lowest_crossing;
        lowest_crossing = lowest_crossing.min(c.crossing_weight);
        if i < KEEP || on_frontier {
            kept.push(c);
        }
    }
    kept
}

/// Parts relabelled in order of first appearance, so equal partitions compare equal; the
/// facade's entry (it has no part) is 0.
pub fn canonical_parts(parts: &[usize], facade: Option<usize>) -> Vec<usize> {
    // Labels are small (below the number of parts): the new label of each, by index.
    let mut map = vec![usize::MAX; parts.iter().max().map_or(0, |m| m + 1)];
    let mut next = 0;
    parts
        .iter()
        .enumerate()
        .map(|(u, &p)| {
            if Some(u) == facade {
                return 0;
            }
            if map[p] == usize::MAX {
                map[p] = next;
                next += 1;
            }
            map[p]
        })
        .collect()
}

/// Units' edges both ways, for closure checks and incremental moves.
struct Adjacency {
    /// (neighbour, weight) of the units each unit uses.
    uses: Vec<Vec<(usize, u32)>>,
    used_by: Vec<Vec<(usize, u32)>>,
}

impl Adjacency {
    fn new(model: &Model<'_>) -> Adjacency {
        let n = model.graph.units.len();
        let (mut uses, mut used_by) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for &(a, b, w) in &model.graph.edges {
            if Some(a) == model.graph.facade || Some(b) == model.graph.facade {
                continue;
            }
            uses[a].push((b, w));
            used_by[b].push((a, w));
        }
        Adjacency { uses, used_by }
    }
}

/// Every proper, non-empty down-closed set of the free units, or `None` past `limit`: one
/// set of unit bits after another, `n.div_ceil(64)` words each (`n` units).
fn enumerate_ideals(model: &Model<'_>, free: &[usize], limit: u64) -> Option<Vec<u64>> {
    let n = model.graph.units.len();
    let adjacency = Adjacency::new(model);
    let order = dependency_order(model, &adjacency, free);
    let mut walk = IdealWalk {
        order: &order,
        adjacency: &adjacency,
        chosen: vec![false; n],
        bits: vec![0; n.div_ceil(64).max(1)],
        size: 0,
        out: Vec::new(),
        visits: 0,
        limit,
    };
    walk.go(0).then_some(walk.out)
}

/// The depth-first walk of [`enumerate_ideals`]: the set being built as flags and as the bits
/// an ideal is kept as, and its size, each updated as a unit joins or leaves (not recounted at
/// every ideal: that made the walk quadratic in the units).
struct IdealWalk<'a> {
    order: &'a [usize],
    adjacency: &'a Adjacency,
    chosen: Vec<bool>,
    bits: Vec<u64>,
    size: usize,
    out: Vec<u64>,
    visits: u64,
    limit: u64,
}

impl IdealWalk<'_> {
    /// Depth-first over the dependency order: a unit may join only if everything it uses has.
    fn go(&mut self, i: usize) -> bool {
        self.visits += 1;
        if self.visits > self.limit {
            return false;
        }
        if i == self.order.len() {
            if self.size > 0 && self.size < self.order.len() {
                // Each kept ideal holds a bit per unit: many units with few edges (a thousand
                // unrelated modules) have too many ideals to keep, so memory bounds them too.
                let words = self.bits.len();
                if (self.out.len() / words + 1) * self.chosen.len() > IDEAL_CELLS {
                    return false;
                }
                self.out.extend_from_slice(&self.bits);
            }
            return true;
        }
        let u = self.order[i];
        if !self.go(i + 1) {
            return false;
        }
        if self.adjacency.uses[u].iter().all(|(v, _)| self.chosen[*v]) {
            self.set(u, true);
            let ok = self.go(i + 1);
            self.set(u, false);
            return ok;
        }
        true
    }

    fn set(&mut self, u: usize, joined: bool) {
        self.chosen[u] = joined;
        self.bits[u / 64] ^= 1 << (u % 64);
        if joined {
            self.size += 1;
        } else {
            self.size -= 1;
        }
    }
}

/// The free units, everything a unit uses before it (the unit graph is acyclic).
fn dependency_order(model: &Model<'_>, adjacency: &Adjacency, free: &[usize]) -> Vec<usize> {
    let n = model.graph.units.len();
    let mut is_free = vec![false; n];
    free.iter().for_each(|u| is_free[*u] = true);
    // Only what the unit uses among the given units counts.
    let mut remaining: Vec<usize> =
        (0..n).map(|u| adjacency.uses[u].iter().filter(|(v, _)| is_free[*v]).count()).collect();
    let mut ready: std::collections::BTreeSet<usize> =
        free.iter().copied().filter(|u| remaining[*u] == 0).collect();
    let mut order = Vec::with_capacity(free.len());
    while let Some(u) = ready.pop_first() {
        order.push(u);
        for &(v, _) in &adjacency.used_by[u] {
            remaining[v] -= 1;
            if remaining[v] == 0 && is_free[v] {
                ready.insert(v);
            }
        }
    }
    order
}

/// Every assignment of the free units to `k` non-empty parts (labels by first use).
fn enumerate_assignments(model: &Model<'_>, free: &[usize], k: usize, found: &mut Found) {
    let n = model.graph.units.len();
    let mut parts = vec![0usize; n];
    fn go(
        i: usize,
        used: usize,
        free: &[usize],
        k: usize,
        parts: &mut Vec<usize>,
        model: &Model<'_>,
        found: &mut Found,
    ) {
        if i == free.len() {
            if used == k
                && let Some(c) = Candidate::new(model, parts.clone(), k)
            {
                found.add(c);
            }
            return;
        }
        // Not enough units left to fill the unused parts.
        if free.len() - i < k - used {
            return;
        }
        for p in 0..(used + 1).min(k) {
            parts[free[i]] = p;
            go(i + 1, used.max(p + 1), free, k, parts, model, found);
        }
    }
    go(0, 0, free, k, &mut parts, model, found);
}

/// Splits part `q` of `parts` (which has `k` parts) in two, the top half becoming part `k`:
/// descents from several starting splits at several coupling prices.
fn split_part(
    model: &Model<'_>,
    adjacency: &Adjacency,
    parts: &[usize],
    k: usize,
    q: usize,
) -> Vec<Vec<usize>> {
    let members: Vec<usize> =
        (0..parts.len()).filter(|u| parts[*u] == q && Some(*u) != model.graph.facade).collect();
    if members.len() < 2 {
        return Vec::new();
    }
    let order = dependency_order(model, adjacency, &members);
    let total_lines: f64 = members.iter().map(|u| model.lines[*u]).sum();
    let total_weight: f64 = members
        .iter()
        .flat_map(|u| adjacency.uses[*u].iter())
        .filter(|(v, _)| parts[*v] == q)
        .map(|(_, w)| f64::from(*w))
        .sum();
    let scale = model.unsplit() / total_weight.max(1.0);
    let mut starts: Vec<Vec<usize>> = Vec::new();
    for share in START_SHARES {
        // Base = a prefix of the dependency order (always down-closed within the part), never
        // empty and never all of it.
        let mut start = parts.to_vec();
        let mut acc = 0.0;
        for (i, &u) in order.iter().enumerate() {
            if i > 0 && (acc >= share * total_lines || i + 1 == order.len()) {
                start[u] = k;
            }
            acc += model.lines[u];
        }
        starts.push(start);
    }
    if members.len() <= SINGLE_UNIT_STARTS {
        // Base = everything one unit needs (its down-closure within the part).
        for &u in &order {
            let mut base = vec![false; parts.len()];
            let mut stack = vec![u];
            base[u] = true;
            while let Some(x) = stack.pop() {
                for &(v, _) in &adjacency.uses[x] {
                    if parts[v] == q && !base[v] {
                        base[v] = true;
                        stack.push(v);
                    }
                }
            }
            let mut start = parts.to_vec();
            members.iter().filter(|m| !base[**m]).for_each(|m| start[*m] = k);
            if members.iter().any(|m| start[*m] == k) {
                starts.push(start);
            }
        }
    }
    starts.dedup();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for start in starts {
        for factor in COUPLING_FACTORS {
            let split = descend(model, adjacency, start.clone(), k + 1, q, &members, factor * scale);
            if !out.contains(&split) {
                out.push(split);
            }
        }
    }
    out
}

/// Iterated linearized min-cut on the units of part `q` (base stays `q`, top is part `k - 1`).
fn descend(
    model: &Model<'_>,
    adjacency: &Adjacency,
    mut parts: Vec<usize>,
    k: usize,
    q: usize,
    members: &[usize],
    mu: f64,
) -> Vec<usize> {
    let top = k - 1;
    let objective = |parts: &[usize]| -> Option<f64> {
        let c = Candidate::new(model, parts.to_vec(), k)?;
        Some(c.expected_rebuild + mu * c.crossing_weight as f64)
    };
    let mut best = objective(&parts).unwrap_or(f64::INFINITY);
    for _ in 0..MAX_DESCENT_STEPS {
        let Some(next) = min_cut_step(model, adjacency, &parts, k, q, top, members, mu) else { break };
        match objective(&next) {
            Some(value) if value < best - 1e-12 => {
                best = value;
                parts = next;
            }
            _ => break,
        }
    }
    parts
}

/// One min-cut on the linearization of `E` around `parts`: `None` if it gives a trivial split.
#[allow(clippy::too_many_arguments)]
fn min_cut_step(
    model: &Model<'_>,
    adjacency: &Adjacency,
    parts: &[usize],
    k: usize,
    q: usize,
    top: usize,
    members: &[usize],
    mu: f64,
) -> Option<Vec<usize>> {
    let totals = PartTotals::of(model, parts, k)?;
    // The change of E if a unit moved to the other half, part dependencies held as they are
    // plus "top uses base".
    let mut assumed = totals.clone();
    assumed.uses[top * k + q] = assumed.uses[top * k + q].max(1);
    let here = assumed.expected_rebuild(model)?;
    let index: BTreeMap<usize, usize> = members.iter().enumerate().map(|(i, u)| (*u, i)).collect();
    let (source, sink) = (members.len(), members.len() + 1);
    let mut costs: Vec<(usize, f64, f64)> = Vec::with_capacity(members.len());
    // One copy of the totals, reset for each unit's move.
    let mut moved = assumed.clone();
    for (i, &u) in members.iter().enumerate() {
        let from = parts[u];
        let to = if from == q { top } else { q };
        moved.copy_from(&assumed);
        move_totals(&mut moved, model, u, from, to);
        let there = moved.expected_rebuild(model).unwrap_or(f64::INFINITY);
        // Cost of u in the base and in the top half, relative to the better one.
        let (in_base, in_top) = if from == q { (here, there) } else { (there, here) };
        costs.push((i, in_base, in_top));
    }
    let finite_total: f64 = costs.iter().map(|(_, b, t)| (b - t).abs().min(1e12)).sum::<f64>()
        + members
            .iter()
            .flat_map(|u| adjacency.uses[*u].iter())
            .filter(|(v, _)| index.contains_key(v))
            .map(|(_, w)| mu * f64::from(*w))
            .sum::<f64>();
    let unit = if finite_total > 0.0 { 1e12 / finite_total } else { 1.0 };
    let cap = |x: f64| (x * unit).round().max(0.0) as u64;
    let infinite = 2_000_000_000_000u64;
    let mut arcs: Vec<(usize, usize, u64)> = Vec::new();
    for &(i, in_base, in_top) in &costs {
        let d = (in_base - in_top).clamp(-1e12, 1e12);
        if d > 0.0 {
            arcs.push((i, sink, cap(d)));
        } else if d < 0.0 {
            arcs.push((source, i, cap(-d)));
        }
    }
    for &u in members {
        for &(v, w) in &adjacency.uses[u] {
            if let Some(&j) = index.get(&v) {
                let i = index[&u];
                arcs.push((i, j, infinite));
                if mu > 0.0 {
                    arcs.push((j, i, cap(mu * f64::from(w))));
                }
            }
        }
    }
    let side = min_cut_source_side(members.len() + 2, &arcs, source, sink);
    let mut next = parts.to_vec();
    for (i, &u) in members.iter().enumerate() {
        next[u] = if side[i] { q } else { top };
    }
    let base = members.iter().filter(|u| next[**u] == q).count();
    (base > 0 && base < members.len()).then_some(next)
}

fn move_totals(t: &mut PartTotals, model: &Model<'_>, u: usize, from: usize, to: usize) {
    t.lines[from] -= model.lines[u];
    t.lines[to] += model.lines[u];
    t.p[from] -= model.p[u];
    t.p[to] += model.p[u];
    t.pr[from] -= model.pr[u];
    t.pr[to] += model.pr[u];
    t.q[from] -= model.q[u];
    t.q[to] += model.q[u];
}

/// Improves a partition by moves while the objective (`E + μ × crossing weight`) falls and the
/// parts stay acyclic and non-empty: a unit alone, a unit with what it uses in its part, or with
/// what uses it there, to another part; and, on small graphs, two units swapping parts.
fn local_search(
    model: &Model<'_>,
    adjacency: &Adjacency,
    parts: Vec<usize>,
    k: usize,
    mu: f64,
) -> Vec<usize> {
    let free: Vec<usize> = (0..parts.len()).filter(|u| Some(*u) != model.graph.facade).collect();
    let Some(mut state) = State::new(model, adjacency, parts.clone(), k, mu) else { return parts };
    let small = free.len() <= SWAP_LIMIT;
    let mut scratch = Scratch { moved: Vec::new(), totals: state.totals.clone(), count: state.count.clone() };
    for _ in 0..50 {
        let mut improved = false;
        for &u in &free {
            let from = state.parts[u];
            let mut groups = vec![vec![u]];
            for down in [true, false].into_iter().filter(|_| small) {
                let group = closure(adjacency, &state.parts, u, down);
                if group.len() > 1 && !groups.contains(&group) {
                    groups.push(group);
                }
            }
            let mut best: Option<Trial> = None;
            // A trial wins when it beats the best so far (at first, the state itself).
            let mut consider = |moves: &[(usize, usize)], best: &mut Option<Trial>| {
                let bar = best.as_ref().map_or(state.value - 1e-12, |b| b.value);
                if let Some(t) = state.try_moves(model, adjacency, moves, (mu, bar), &mut scratch) {
                    *best = Some(t);
                }
            };
            for group in &groups {
                for to in (0..k).filter(|t| *t != from) {
                    let moves: Vec<(usize, usize)> = group.iter().map(|x| (*x, to)).collect();
                    consider(&moves, &mut best);
                }
            }
            if free.len() <= SWAP_LIMIT {
                for &v in &free {
                    let to = state.parts[v];
                    if v > u && to != from {
                        consider(&[(u, to), (v, from)], &mut best);
                    }
                }
            }
            if let Some(trial) = best {
                state.accept(trial);
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    state.parts
}

/// Graphs up to this many units also try closure moves and swapping pairs of units.
const SWAP_LIMIT: usize = 64;

/// A partition with its totals, crossing weight and objective, updated move by move.
struct State {
    parts: Vec<usize>,
    count: Vec<usize>,
    totals: PartTotals,
    crossing: f64,
    value: f64,
}

/// Where [`State::try_moves`] works out a trial, kept from trial to trial.
struct Scratch {
    /// `(unit, part)` of the units moved so far, the last move of a unit last: a trial moves a
    /// few units, too few to be worth hashing.
    moved: Vec<(usize, usize)>,
    totals: PartTotals,
    count: Vec<usize>,
}

/// The outcome of trying moves on a [`State`] without changing it.
struct Trial {
    moves: Vec<(usize, usize)>,
    totals: PartTotals,
    crossing: f64,
    value: f64,
}

impl State {
    fn new(model: &Model<'_>, adjacency: &Adjacency, parts: Vec<usize>, k: usize, mu: f64) -> Option<State> {
        let totals = PartTotals::of(model, &parts, k)?;
        let mut count = vec![0usize; k];
        let mut crossing = 0.0;
        for u in (0..parts.len()).filter(|u| Some(*u) != model.graph.facade) {
            count[parts[u]] += 1;
            crossing += adjacency.uses[u]
                .iter()
                .filter(|(v, _)| parts[*v] != parts[u])
                .map(|(_, w)| f64::from(*w))
                .sum::<f64>();
        }
        let value = totals.expected_rebuild(model)? + mu * crossing;
        Some(State { parts, count, totals, crossing, value })
    }

    /// Moving each `(unit, part)` in turn, if every part stays non-empty and the parts acyclic
    /// and the objective falls below `bar`. Worked out in `scratch`: most trials lose, and
    /// only a winner's totals are copied out.
    fn try_moves(
        &self,
        model: &Model<'_>,
        adjacency: &Adjacency,
        moves: &[(usize, usize)],
        (mu, bar): (f64, f64),
        scratch: &mut Scratch,
    ) -> Option<Trial> {
        // Units already moved in this trial, over the state's parts.
        let Scratch { moved, totals, count } = scratch;
        moved.clear();
        let part_of = |x: usize, moved: &[(usize, usize)]| {
            moved.iter().rev().find(|(unit, _)| *unit == x).map_or(self.parts[x], |(_, part)| *part)
        };
        totals.copy_from(&self.totals);
        count.clone_from(&self.count);
        let mut crossing = self.crossing;
        for &(u, to) in moves {
            let from = part_of(u, moved);
            if from == to {
                continue;
            }
            count[from] -= 1;
            count[to] += 1;
            move_totals(totals, model, u, from, to);
            for &(v, w) in &adjacency.uses[u] {
                let pv = part_of(v, moved);
                shift(totals, from, to, pv, true);
                crossing += f64::from(w) * (f64::from(u8::from(pv != to)) - f64::from(u8::from(pv != from)));
            }
            for &(v, w) in &adjacency.used_by[u] {
                let pv = part_of(v, moved);
                shift(totals, from, to, pv, false);
                crossing += f64::from(w) * (f64::from(u8::from(pv != to)) - f64::from(u8::from(pv != from)));
            }
            moved.push((u, to));
        }
        if count.contains(&0) {
            return None;
        }
        let value = totals.expected_rebuild(model)? + mu * crossing;
        (value < bar).then(|| Trial { moves: moves.to_vec(), totals: totals.clone(), crossing, value })
    }

    fn accept(&mut self, trial: Trial) {
        for (u, to) in trial.moves {
            let from = self.parts[u];
            if from != to {
                self.count[from] -= 1;
                self.count[to] += 1;
                self.parts[u] = to;
            }
        }
        self.totals = trial.totals;
        self.crossing = trial.crossing;
        self.value = trial.value;
    }
}

/// `u` with every unit of its part it uses (`down`) or that uses it, directly or not.
fn closure(adjacency: &Adjacency, parts: &[usize], u: usize, down: bool) -> Vec<usize> {
    let part = parts[u];
    let mut seen = vec![false; parts.len()];
    seen[u] = true;
    let mut group = vec![u];
    let mut stack = vec![u];
    while let Some(x) = stack.pop() {
        let next = if down { &adjacency.uses[x] } else { &adjacency.used_by[x] };
        for &(v, _) in next {
            if parts[v] == part && !seen[v] {
                seen[v] = true;
                group.push(v);
                stack.push(v);
            }
        }
    }
    group
}

/// Moves one edge's contribution to the part matrix when its unit goes from `from` to `to`;
/// `outgoing`: the unit uses the other end (in part `other`), else the other end uses it.
fn shift(totals: &mut PartTotals, from: usize, to: usize, other: usize, outgoing: bool) {
    let (old, new) = if outgoing { ((from, other), (to, other)) } else { ((other, from), (other, to)) };
    let k = totals.k;
    if old.0 != old.1 {
        totals.uses[old.0 * k + old.1] -= 1;
    }
    if new.0 != new.1 {
        totals.uses[new.0 * k + new.1] += 1;
    }
}

#[cfg(test)]
pub(crate) fn heuristic_only(model: &Model<'_>, k: usize) -> SearchResult {
    best_partitions(model, &SearchOptions { k, exact_limit: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partition::{CostModel, Profile, Unit, UnitGraph};

    fn chain(n: usize) -> UnitGraph {
        UnitGraph {
            units: (0..n)
                .map(|i| Unit {
                    modules: vec![format!("m{i}")],
                    src_lines: 100.0,
                    test_lines: 0.0,
                    p_edit: 1.0,
                    pr_edit: 1.0,
                    ..Unit::default()
                })
                .collect(),
            edges: (1..n).map(|i| (i, i - 1, 1)).collect(),
            facade: None,
            facade_split: Default::default(),
            unit_of_module: Default::default(),
            shared_items: Default::default(),
            shared_unit: None,
            facade_unit: None,
            ..UnitGraph::default()
        }
    }

    #[test]
    fn heuristic_finds_three_parts_of_a_chain() {
        for n in 3..7 {
            let g = chain(n);
            let model = Model::new(&g, CostModel::assumed(), Profile::Lib);
            let r = heuristic_only(&model, 3);
            assert!(!r.candidates.is_empty(), "n={n}");
        }
    }

    /// A graph of `n` units of uneven sizes, each using one or two earlier ones.
    fn branching(n: usize) -> UnitGraph {
        let mut g = chain(n);
        for (i, u) in g.units.iter_mut().enumerate() {
            u.src_lines = 50.0 + ((i * 37) % 11) as f64 * 40.0;
            u.test_lines = ((i * 13) % 5) as f64 * 30.0;
            u.p_test_edit = if i % 3 == 0 { 0.5 } else { 0.0 };
        }
        g.edges =
            (1..n).map(|i| (i, (i * 7) % i, 1)).chain((3..n).step_by(2).map(|i| (i, i - 2, 2))).collect();
        g
    }

    #[test]
    fn one_search_for_several_k_finds_what_each_search_alone_finds() {
        for n in [5, 24] {
            let g = branching(n);
            for profile in [Profile::Lib, Profile::Test] {
                let model = Model::new(&g, CostModel::assumed(), profile);
                // Exact where small, the heuristic (limit 0) everywhere: both paths share.
                for limit in [2_000_000, 0] {
                    let together = best_partitions_for(&model, &[2, 3, 4], limit);
                    for (k, shared) in [2, 3, 4].into_iter().zip(&together) {
                        let alone = best_partitions(&model, &SearchOptions { k, exact_limit: limit });
                        let parts = |r: &SearchResult| {
                            r.candidates.iter().map(|c| c.parts.clone()).collect::<Vec<_>>()
                        };
                        assert_eq!(parts(shared), parts(&alone), "n={n} k={k} limit={limit}");
                        assert_eq!(shared.exact, alone.exact);
                        assert!(!alone.candidates.is_empty(), "n={n} k={k}");
                    }
                }
            }
        }
    }
}
