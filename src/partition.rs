//! Partitions of a crate into future crates: the cost model, valid partitions, and the search
//! for the best ones.
//!
//! Owns: the model every partition number means (see [`Model::expected_rebuild`]):
//! a partition assigns every *unit* (a module, or a set of modules in a cycle, which can never be
//! split) to one of k parts; it is valid when the parts depend on each other without a cycle.
//! Editing module m rebuilds its part P at `r_m * c(P)` and re-runs rustc on every part that
//! depends on P, directly or not, at `d(Q)` each; `E = Σ p_m (r_m c(P(m)) + Σ d(Q))`. The crate
//! root stays as a *facade* crate on top that re-exports the parts; the root's items that other
//! modules use move down into a part of their own (a unit), the rest stays in the facade.
//! Must not: run cargo or read files (costs come from the caller: recorded, or given by flags).

// The model's inputs come from the graph report (also readable from JSON), not the analysis.

mod model;
mod search;

pub use model::{FACADE_ROOT, FacadeSplit, SHARED_ROOT, Unit, UnitGraph, units_from_graph};
pub use search::{SearchOptions, SearchResult, best_partitions};

/// Which build is priced: the library alone, or the library with its unit tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Lib,
    Test,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Lib => "lib",
            Profile::Test => "test",
        }
    }

    pub fn other(self) -> Profile {
        match self {
            Profile::Lib => Profile::Test,
            Profile::Test => Profile::Lib,
        }
    }
}

/// Where the cost parameters came from, said beside every number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostSource {
    /// Given on the command line.
    Flags,
    /// No recording and no flags: documented defaults, to rank candidates, not to promise seconds.
    Assumed,
    /// Fitted from a recording (`splitcheck record --workspace-fit`); the text says how well.
    Recorded(String),
}

impl CostSource {
    pub fn describe(&self) -> String {
        match self {
            CostSource::Flags => "given by flags".to_owned(),
            CostSource::Assumed => {
                "assumed (no recording; pass --fixed-cost and --per-line, or record)".to_owned()
            }
            CostSource::Recorded(how) => how.clone(),
        }
    }
}

/// `c(Q) = fixed + per_line * lines(Q)` for rebuilding a part whose source changed, and
/// `d(Q) = dep_fixed + dep_per_line * lines(Q)` for re-running rustc on a dependent part.
#[derive(Debug, Clone, PartialEq)]
pub struct CostModel {
    pub fixed: f64,
    pub per_line: f64,
    pub dep_fixed: f64,
    pub dep_per_line: f64,
    pub source: CostSource,
    /// 95% intervals of `fixed` and `per_line` when they were fitted: savings get a range.
    pub intervals: Option<CostIntervals>,
    /// `d` follows `c` (not recorded separately): varying `c` varies `d` alike.
    pub dep_tied: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostIntervals {
    pub fixed: (f64, f64),
    pub per_line: (f64, f64),
}

impl CostModel {
    /// The four corners of the fitted intervals (none when nothing was fitted).
    pub fn corners(&self) -> Vec<CostModel> {
        let Some(iv) = self.intervals else { return Vec::new() };
        let mut out = Vec::new();
        for fixed in [iv.fixed.0, iv.fixed.1] {
            for per_line in [iv.per_line.0, iv.per_line.1] {
                let mut c = self.clone();
                c.fixed = fixed.max(0.0);
                c.per_line = per_line.max(0.0);
                if self.dep_tied {
                    c.dep_fixed = c.fixed;
                    c.dep_per_line = c.per_line;
                }
                out.push(c);
            }
        }
        out
    }
}

impl CostModel {
    /// Defaults when nothing was recorded: 0.3 s per crate and 1 ms per code line; a dependent
    /// re-run costs as much (the model never assumes rustc's cache makes it cheaper).
    pub const ASSUMED_FIXED_S: f64 = 0.3;
    pub const ASSUMED_PER_LINE_S: f64 = 0.001;

    pub fn assumed() -> CostModel {
        CostModel {
            fixed: Self::ASSUMED_FIXED_S,
            per_line: Self::ASSUMED_PER_LINE_S,
            dep_fixed: Self::ASSUMED_FIXED_S,
            dep_per_line: Self::ASSUMED_PER_LINE_S,
            source: CostSource::Assumed,
            intervals: None,
            dep_tied: true,
        }
    }

    pub fn rebuild(&self, lines: f64) -> f64 {
        self.fixed + self.per_line * lines
    }

    pub fn rerun(&self, lines: f64) -> f64 {
        self.dep_fixed + self.dep_per_line * lines
    }
}

/// The priced view of a unit graph: lines per profile, edit probabilities normalized to 1.
#[derive(Debug, Clone)]
pub struct Model<'g> {
    pub graph: &'g UnitGraph,
    pub cost: CostModel,
    pub profile: Profile,
    /// Lines of each unit in the profile.
    pub lines: Vec<f64>,
    /// Edit probability of each unit (sums to 1 over all units, the facade included).
    pub p: Vec<f64>,
    /// Σ p_m r_m of each unit.
    pub pr: Vec<f64>,
}

impl<'g> Model<'g> {
    pub fn new(graph: &'g UnitGraph, cost: CostModel, profile: Profile) -> Model<'g> {
        let lines: Vec<f64> = graph
            .units
            .iter()
            .map(|u| match profile {
                Profile::Lib => u.src_lines,
                Profile::Test => u.src_lines + u.test_lines,
            })
            .collect();
        let total_p: f64 = graph.units.iter().map(|u| u.p_edit).sum();
        let norm = if total_p > 0.0 { total_p } else { 1.0 };
        let p: Vec<f64> = graph.units.iter().map(|u| u.p_edit / norm).collect();
        let pr: Vec<f64> = graph.units.iter().map(|u| u.pr_edit / norm).collect();
        Model { graph, cost, profile, lines, p, pr }
    }

    /// The expected rebuild time of the unsplit crate (one crate, the facade included).
    pub fn unsplit(&self) -> f64 {
        let lines: f64 = self.lines.iter().sum();
        let pr: f64 = self.pr.iter().sum();
        pr * self.cost.rebuild(lines)
    }

    /// `E` of an assignment of units to parts `0..k` (the facade unit, if any, is ignored in
    /// `parts` and priced as a crate on top of every part). `None` when the parts depend on each
    /// other in a cycle or a part is empty.
    pub fn expected_rebuild(&self, parts: &[usize], k: usize) -> Option<f64> {
        let totals = PartTotals::of(self, parts, k)?;
        totals.expected_rebuild(self)
    }
}

/// Per-part aggregates and the part dependency matrix: everything `E` needs.
#[derive(Debug, Clone)]
pub struct PartTotals {
    pub k: usize,
    pub lines: Vec<f64>,
    pub p: Vec<f64>,
    pub pr: Vec<f64>,
    /// `uses[a][b]`: number of unit edges from part a to part b (a != b).
    pub uses: Vec<Vec<u32>>,
}

impl PartTotals {
    pub fn of(model: &Model<'_>, parts: &[usize], k: usize) -> Option<PartTotals> {
        let mut t = PartTotals {
            k,
            lines: vec![0.0; k],
            p: vec![0.0; k],
            pr: vec![0.0; k],
            uses: vec![vec![0; k]; k],
        };
        let mut count = vec![0usize; k];
        for (u, &part) in parts.iter().enumerate() {
            if Some(u) == model.graph.facade {
                continue;
            }
            t.lines[part] += model.lines[u];
            t.p[part] += model.p[u];
            t.pr[part] += model.pr[u];
            count[part] += 1;
        }
        if count.contains(&0) {
            return None;
        }
        for &(a, b, _) in &model.graph.edges {
            if Some(a) == model.graph.facade || Some(b) == model.graph.facade {
                continue;
            }
            let (pa, pb) = (parts[a], parts[b]);
            if pa != pb {
                t.uses[pa][pb] += 1;
            }
        }
        Some(t)
    }

    /// `E` for these totals, or `None` if the parts form a cycle.
    pub fn expected_rebuild(&self, model: &Model<'_>) -> Option<f64> {
        let k = self.k;
        // dependents[q]: parts that depend on q, directly or not (Floyd–Warshall on k ≤ 8 nodes).
        let mut reach = vec![vec![false; k]; k];
        for (a, row) in self.uses.iter().enumerate() {
            for (b, &n) in row.iter().enumerate() {
                reach[a][b] = n > 0;
            }
        }
        for m in 0..k {
            let through = reach[m].clone();
            for row in reach.iter_mut() {
                if row[m] {
                    row.iter_mut().zip(&through).for_each(|(cell, via)| *cell |= *via);
                }
            }
        }
        if (0..k).any(|a| reach[a][a]) {
            return None;
        }
        let facade = model.graph.facade;
        let (facade_lines, facade_p, facade_pr) = match facade {
            Some(f) => (model.lines[f], model.p[f], model.pr[f]),
            None => (0.0, 0.0, 0.0),
        };
        let mut e = 0.0;
        for q in 0..k {
            let mut rerun: f64 = reach
                .iter()
                .zip(&self.lines)
                .filter(|(row, _)| row[q])
                .map(|(_, l)| model.cost.rerun(*l))
                .sum();
            if facade.is_some() {
                rerun += model.cost.rerun(facade_lines);
            }
            e += self.pr[q] * model.cost.rebuild(self.lines[q]) + self.p[q] * rerun;
        }
        if facade.is_some() {
            let _ = facade_p;
            e += facade_pr * model.cost.rebuild(facade_lines);
        }
        Some(e)
    }
}

/// One proposed partition, priced and measured.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Part of each unit (the facade unit's entry is meaningless).
    pub parts: Vec<usize>,
    pub k: usize,
    pub expected_rebuild: f64,
    /// Unit-graph edges between different parts (facade excluded): count and total weight.
    pub crossing_edges: usize,
    pub crossing_weight: u64,
}

impl Candidate {
    pub fn new(model: &Model<'_>, parts: Vec<usize>, k: usize) -> Option<Candidate> {
        let expected_rebuild = model.expected_rebuild(&parts, k)?;
        let (mut crossing_edges, mut crossing_weight) = (0, 0u64);
        for &(a, b, w) in &model.graph.edges {
            if Some(a) == model.graph.facade || Some(b) == model.graph.facade {
                continue;
            }
            if parts[a] != parts[b] {
                crossing_edges += 1;
                crossing_weight += u64::from(w);
            }
        }
        Some(Candidate { parts, k, expected_rebuild, crossing_edges, crossing_weight })
    }
}

/// Indices of the candidates no other candidate beats on both `E` and crossing weight (of equal
/// ones, the first), in index order. Sorts once: `O(n log n)`.
pub fn pareto_frontier(candidates: &[Candidate]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (&candidates[a], &candidates[b]);
        ca.expected_rebuild
            .total_cmp(&cb.expected_rebuild)
            .then(ca.crossing_weight.cmp(&cb.crossing_weight))
            .then(a.cmp(&b))
    });
    // Walking by E (then crossing), a candidate is on the frontier when its crossing weight is
    // below every one seen before it.
    let mut frontier = Vec::new();
    let mut lowest = u64::MAX;
    for i in order {
        if candidates[i].crossing_weight < lowest {
            lowest = candidates[i].crossing_weight;
            frontier.push(i);
        }
    }
    frontier.sort();
    frontier
}
