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

pub use model::{
    FACADE_ROOT, FacadeSplit, SHARED_ROOT, Shape, Unit, UnitGraph, test_edit_weight, units_from_graph,
    units_with_factors,
};
pub use search::{
    SearchOptions, SearchResult, SharedIdeals, best_partitions, best_partitions_for, best_partitions_sharing,
    canonical_parts,
};

/// Which build is priced: the library alone, or the library with its unit tests (the default:
/// the wait after an edit of a team that runs its tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    Lib,
    #[default]
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
    /// No recording and no flags: the documented priors ([`CostModel::assumed`]), measured on
    /// other crates: they rank candidates, but promise no seconds for this crate.
    Assumed,
    /// Fitted from a recording (`splitcheck record --workspace-fit`); the text says how well.
    Recorded(String),
}

impl CostSource {
    pub fn describe(&self) -> String {
        match self {
            CostSource::Flags => "given by flags".to_owned(),
            CostSource::Assumed => "priors measured on generated crates (rustc 1.95, 2 cores; \
                 reports/model-check.md), not on this crate: record it"
                .to_owned(),
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
    /// Cargo's own part of a timed run (the same command with nothing to rebuild): paid once
    /// per cargo run, so the crates above an edited one, rebuilt in the same run, re-run at
    /// `d − overhead`; and a test edit costs the library build just this.
    pub overhead: f64,
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
    /// Priors when nothing was recorded: fits measured on generated crates of 4 to 32 modules
    /// (structs, impls, generics, unit tests) by `cargo bench --bench model_check`, rustc 1.95.0
    /// on a 2-core machine, body edits (`reports/model-check.md`): an edit 0.084 s + 0.068 ms per
    /// code line (R² 0.99), a dependent's re-run 0.063 s + 0.071 ms per line (R² 1.00). Real
    /// crates differ by machine and code; record to know.
    pub const PRIOR_FIXED_S: f64 = 0.084;
    pub const PRIOR_PER_LINE_S: f64 = 0.000_068;
    pub const PRIOR_DEP_FIXED_S: f64 = 0.063;
    pub const PRIOR_DEP_PER_LINE_S: f64 = 0.000_071;
    /// Cargo with nothing to rebuild in the example crate (`examples/midend`, a workspace of
    /// one), measured the same way: 0.02 s. A large workspace takes longer (0.07 s in the Ori
    /// compiler's); a recording measures its own.
    pub const PRIOR_OVERHEAD_S: f64 = 0.02;

    pub fn assumed() -> CostModel {
        CostModel {
            fixed: Self::PRIOR_FIXED_S,
            per_line: Self::PRIOR_PER_LINE_S,
            dep_fixed: Self::PRIOR_DEP_FIXED_S,
            dep_per_line: Self::PRIOR_DEP_PER_LINE_S,
            source: CostSource::Assumed,
            intervals: None,
            dep_tied: false,
            overhead: Self::PRIOR_OVERHEAD_S,
        }
    }

    pub fn rebuild(&self, lines: f64) -> f64 {
        self.fixed + self.per_line * lines
    }

    /// A dependent's re-run, timed alone (its own cargo run).
    pub fn rerun(&self, lines: f64) -> f64 {
        self.dep_fixed + self.dep_per_line * lines
    }

    /// A dependent's re-run in the cargo run that rebuilds the edited crate: cargo's own part
    /// is paid once, by that run.
    pub fn rerun_within(&self, lines: f64) -> f64 {
        (self.rerun(lines) - self.overhead).max(0.0)
    }
}

/// The priced view of a unit graph: lines per profile, edit probabilities normalized to 1.
#[derive(Debug, Clone)]
pub struct Model<'g> {
    pub graph: &'g UnitGraph,
    pub cost: CostModel,
    pub profile: Profile,
    /// Lines of each unit in the profile, its tests counted with it (where they start).
    pub lines: Vec<f64>,
    /// Test lines of each unit in the profile (0 for the library build).
    pub test_lines: Vec<f64>,
    /// Probability that an edit lands in each unit's src code (the src and test edit
    /// probabilities of all units, the facade included, sum to 1).
    pub p: Vec<f64>,
    /// Σ p_m r_m of each unit.
    pub pr: Vec<f64>,
    /// Probability that an edit lands in each unit's test code.
    pub q: Vec<f64>,
}

/// `E` of one split, whole and by kind of edit, with where each unit's tests live.
#[derive(Debug, Clone, PartialEq)]
pub struct Priced {
    pub expected_rebuild: f64,
    /// The part of `E` from edits of src code, and from edits of test code.
    pub src_edits: f64,
    pub test_edits: f64,
    /// `E` of the crate workflow (test profile): after a src edit only the edited crate's test
    /// binary is built (`cargo test -p <crate>`), none of the crates above it.
    pub crate_workflow: f64,
    /// Per unit: the expected cost of an edit of its src code (with its edit factor), and of
    /// its test code.
    pub unit_src_cost: Vec<f64>,
    /// Per unit: its src edit's cost in the crate workflow (its own crate only).
    pub unit_src_cost_own: Vec<f64>,
    pub unit_test_cost: Vec<f64>,
    /// Per unit: the crate its tests live in (a part, or `k` for the facade).
    pub test_home: Vec<usize>,
}

impl<'g> Model<'g> {
    pub fn new(graph: &'g UnitGraph, cost: CostModel, profile: Profile) -> Model<'g> {
        let test_lines: Vec<f64> = graph
            .units
            .iter()
            .map(|u| match profile {
                Profile::Lib => 0.0,
                Profile::Test => u.test_lines,
            })
            .collect();
        let lines: Vec<f64> = graph.units.iter().zip(&test_lines).map(|(u, t)| u.src_lines + t).collect();
        let total_p: f64 = graph.units.iter().map(|u| u.p_edit + u.p_test_edit).sum();
        let norm = if total_p > 0.0 { total_p } else { 1.0 };
        let p: Vec<f64> = graph.units.iter().map(|u| u.p_edit / norm).collect();
        let pr: Vec<f64> = graph.units.iter().map(|u| u.pr_edit / norm).collect();
        let q: Vec<f64> = graph.units.iter().map(|u| u.p_test_edit / norm).collect();
        Model { graph, cost, profile, lines, test_lines, p, pr, q }
    }

    /// The same model for a crate `factor` times as large: every unit's lines scaled, edit
    /// probabilities and the cost parameters as they are (the candidate's shape kept).
    pub fn scaled(&self, factor: f64) -> Model<'g> {
        let mut m = self.clone();
        m.lines.iter_mut().for_each(|l| *l *= factor);
        m.test_lines.iter_mut().for_each(|l| *l *= factor);
        m
    }

    /// The cost of a test edit in a crate of `lines` lines: its test binary rebuilds (test
    /// profile); no library rebuilds, cargo only looks (lib profile).
    fn test_edit(&self, lines: f64) -> f64 {
        match self.profile {
            Profile::Lib => self.cost.overhead,
            Profile::Test => self.cost.rebuild(lines),
        }
    }

    /// The expected rebuild time of the unsplit crate (one crate, the facade included).
    pub fn unsplit(&self) -> f64 {
        let (src, tests) = self.unsplit_by_kind();
        src + tests
    }

    /// `E` of an assignment of units to parts `0..k` (the facade unit, if any, is ignored in
    /// `parts` and priced as a crate on top of every part). `None` when the parts depend on each
    /// other in a cycle or a part is empty. The sum [`Model::price`] makes, without its per-unit
    /// costs: the searches ask it of thousands of splits.
    pub fn expected_rebuild(&self, parts: &[usize], k: usize) -> Option<f64> {
        let placed = self.place(parts, k)?;
        let (mut src_edits, mut test_edits) = (0.0, 0.0);
        for u in 0..self.graph.units.len() {
            let costs = placed.unit_costs(self, u);
            src_edits += costs.src_edits;
            test_edits += self.q[u] * costs.test;
        }
        Some(src_edits + test_edits)
    }

    /// The one pricing of a split that every number comes from: each unit's tests placed in the
    /// crate that must hold them ([`test_home`]), src edits rebuilding their part and re-running
    /// every part above it (and the facade), test edits rebuilding the test binary of the crate
    /// holding them. `None` when the parts depend on each other in a cycle or a part is empty.
    pub fn price(&self, parts: &[usize], k: usize) -> Option<Priced> {
        let placed = self.place(parts, k)?;
        let n = self.graph.units.len();
        let mut unit_src_cost = vec![0.0; n];
        let mut unit_src_cost_own = vec![0.0; n];
        let mut unit_test_cost = vec![0.0; n];
        let (mut src_edits, mut own_edits, mut test_edits) = (0.0, 0.0, 0.0);
        for u in 0..n {
            let costs = placed.unit_costs(self, u);
            unit_src_cost_own[u] = costs.own;
            unit_src_cost[u] = costs.own + costs.above;
            unit_test_cost[u] = costs.test;
            src_edits += costs.src_edits;
            own_edits += costs.own_edits;
            test_edits += self.q[u] * unit_test_cost[u];
        }
        Some(Priced {
            expected_rebuild: src_edits + test_edits,
            src_edits,
            test_edits,
            crate_workflow: own_edits + test_edits,
            unit_src_cost,
            unit_src_cost_own,
            unit_test_cost,
            test_home: placed.test_home,
        })
    }

    /// Which parts depend on which (as [`PartTotals::reach`]); `None` when a part is empty or
    /// the parts form a cycle. Counts edges only: [`Model::place`] needs no part totals.
    fn part_reach(&self, parts: &[usize], k: usize) -> Option<Reach> {
        let facade = self.graph.facade;
        let mut count: smallvec::SmallVec<[usize; 8]> = smallvec::smallvec![0; k];
        for (u, &part) in parts.iter().enumerate() {
            if Some(u) != facade {
                count[part] += 1;
            }
        }
        if count.contains(&0) {
            return None;
        }
        let mut uses: smallvec::SmallVec<[u32; 16]> = smallvec::smallvec![0; k * k];
        count_part_uses(self.graph, parts, k, &mut uses);
        reach_of(&uses, k)
    }

    /// Where every unit's tests live and what each crate holds: what [`Model::price`] and
    /// [`Model::expected_rebuild`] price.
    fn place(&self, parts: &[usize], k: usize) -> Option<Placed> {
        let reach = self.part_reach(parts, k)?;
        let facade = self.graph.facade;
        // sees[a * width + b]: crate a may use crate b (the facade, index k, sees every part);
        // below[a]: how many crates a sees.
        let width = k + 1;
        let mut sees: smallvec::SmallVec<[bool; 25]> = smallvec::smallvec![false; width * width];
        for a in 0..k {
            for b in 0..k {
                sees[a * width + b] = reach.reaches(a, b);
            }
        }
        for b in 0..k {
            sees[k * width + b] = facade.is_some();
        }
        let below: smallvec::SmallVec<[usize; 5]> =
            sees.chunks(width).map(|row| row.iter().filter(|s| **s).count()).collect();
        let part_of = |u: usize| if Some(u) == facade { k } else { parts[u] };
        let n = self.graph.units.len();
        let mut needed: smallvec::SmallVec<[usize; 16]> = smallvec::SmallVec::new();
        let test_home_of: Vec<usize> = (0..n)
            .map(|u| {
                let own = part_of(u);
                let uses = self.graph.test_uses.get(u).map_or(&[][..], Vec::as_slice);
                if (self.test_lines[u] == 0.0 && self.q[u] == 0.0) || uses.is_empty() {
                    return own;
                }
                needed.clear();
                needed.extend(uses.iter().map(|&v| part_of(v)));
                let crates = k + usize::from(facade.is_some());
                test_home_by(own, &needed, |a, b| sees[a * width + b], |d| below[d], crates)
            })
            .collect();
        // Lines per crate (the facade last), with every unit's tests where they live.
        let mut lines = vec![0.0; k + 1];
        for (u, &home) in test_home_of.iter().enumerate() {
            lines[part_of(u)] += self.lines[u] - self.test_lines[u];
            lines[home] += self.test_lines[u];
        }
        let facade_rerun = if facade.is_some() { self.cost.rerun_within(lines[k]) } else { 0.0 };
        // What an edit of a part's src costs besides its own rebuild: the parts above re-run.
        let above: Vec<f64> = (0..k)
            .map(|q| {
                (0..k).filter(|&a| reach.reaches(a, q)).map(|a| self.cost.rerun_within(lines[a])).sum::<f64>()
                    + facade_rerun
            })
            .collect();
        let part_of: Vec<usize> = (0..n).map(part_of).collect();
        Some(Placed { k, part_of, test_home: test_home_of, lines, above })
    }

    /// The unsplit crate's cost of an edit of unit `u`'s src and of its test code.
    pub fn unsplit_unit_cost(&self, u: usize) -> (f64, f64) {
        let lines: f64 = self.lines.iter().sum();
        let r = if self.p[u] > 0.0 { self.pr[u] / self.p[u] } else { 1.0 };
        (r * self.cost.rebuild(lines), self.test_edit(lines))
    }

    /// The unsplit crate's `E` by kind of edit: (src edits, test edits).
    pub fn unsplit_by_kind(&self) -> (f64, f64) {
        let lines: f64 = self.lines.iter().sum();
        let pr: f64 = self.pr.iter().sum();
        let q: f64 = self.q.iter().sum();
        (pr * self.cost.rebuild(lines), q * self.test_edit(lines))
    }
}

/// A split's crates as [`Model::place`] lays them out: each unit's part (`k` for the facade)
/// and the crate holding its tests, each crate's lines, and the re-runs above each part.
struct Placed {
    k: usize,
    part_of: Vec<usize>,
    test_home: Vec<usize>,
    lines: Vec<f64>,
    above: Vec<f64>,
}

/// One unit's costs in a [`Placed`] split.
struct UnitCosts {
    /// Its src edit's rebuild of its own crate, weighted by the share of edits that rebuild.
    own: f64,
    /// The re-runs above its crate that its src edit causes.
    above: f64,
    /// Its test edit's rebuild.
    test: f64,
    /// Its src edits' share of `E` and of the crate-only workflow.
    src_edits: f64,
    own_edits: f64,
}

impl Placed {
    fn unit_costs(&self, model: &Model<'_>, u: usize) -> UnitCosts {
        let own = self.part_of[u];
        let r = if model.p[u] > 0.0 { model.pr[u] / model.p[u] } else { 1.0 };
        let rest = if own == self.k { 0.0 } else { self.above[own] };
        let rebuild = model.cost.rebuild(self.lines[own]);
        UnitCosts {
            own: r * rebuild,
            above: rest,
            test: model.test_edit(self.lines[self.test_home[u]]),
            src_edits: model.pr[u] * rebuild + model.p[u] * rest,
            own_edits: model.pr[u] * rebuild,
        }
    }
}

/// The part of every unit, from a split written as module lists per part (a candidate row's
/// `parts`); the facade unit's entry is 0. `None` when a unit is in no part.
pub fn parts_of_row(units: &UnitGraph, parts: &[Vec<String>]) -> Option<Vec<usize>> {
    let part_of: std::collections::BTreeMap<&str, usize> =
        parts.iter().enumerate().flat_map(|(i, p)| p.iter().map(move |m| (m.as_str(), i))).collect();
    units
        .units
        .iter()
        .enumerate()
        .map(|(u, unit)| {
            if Some(u) == units.facade {
                return Some(0);
            }
            unit.modules.iter().find_map(|m| part_of.get(m.as_str()).copied())
        })
        .collect()
}

/// Where a test module lives after a split: with its module (crate `own`) when that crate sees
/// every crate its tests use; else in the crate that sees them all with the fewest crates
/// below it (ties: the lowest index). Tests cannot use a crate above their own without a
/// dev-dependency cycle, which would compile the crate twice. `sees[a][b]`: crate a depends on
/// crate b, directly or not; `crates` crates in all. The one rule for the model and `apply`.
pub fn test_home(own: usize, needed: &[usize], sees: &[Vec<bool>], crates: usize) -> usize {
    test_home_by(own, needed, |a, b| sees[a][b], |d| sees[d].iter().filter(|s| **s).count(), crates)
}

/// [`test_home`] with `sees(a, b)` and `below(a)`, the number of crates `a` sees, as functions.
fn test_home_by(
    own: usize,
    needed: &[usize],
    sees: impl Fn(usize, usize) -> bool,
    below: impl Fn(usize) -> usize,
    crates: usize,
) -> usize {
    let sees_all = |d: usize| needed.iter().all(|&n| n == d || sees(d, n));
    if sees_all(own) {
        return own;
    }
    // Some crate always sees all: the facade, or the crate on top. A graph with neither (a
    // hand-written one) keeps the tests where they are.
    (0..crates).filter(|&d| sees_all(d)).min_by_key(|&d| (below(d), d)).unwrap_or(own)
}

/// Per-part aggregates and the part dependency matrix: what the search updates move by move.
/// Its `E` keeps every unit's tests in its own part (no [`test_home`] placement): a fast
/// guide for the search, which [`Model::price`] then prices exactly.
#[derive(Debug, Clone)]
pub struct PartTotals {
    pub k: usize,
    pub lines: Vec<f64>,
    pub p: Vec<f64>,
    pub pr: Vec<f64>,
    /// Test-edit probability of each part.
    pub q: Vec<f64>,
    /// `uses[a * k + b]`: number of unit edges from part a to part b (a != b). One flat
    /// matrix: totals are copied for every move the search tries.
    pub uses: Vec<u32>,
}

/// Which parts depend on which, directly or not: a row of bits per part, so finding it for
/// every move the search tries allocates once, not once per row.
#[derive(Debug, Clone)]
pub struct Reach {
    words: usize,
    /// Inline for up to 8 parts: the searches find it for every move they try.
    bits: smallvec::SmallVec<[u64; 8]>,
}

impl Reach {
    /// Part `a` depends on part `b`.
    pub fn reaches(&self, a: usize, b: usize) -> bool {
        self.bits[a * self.words + b / 64] >> (b % 64) & 1 == 1
    }
}

impl PartTotals {
    pub fn of(model: &Model<'_>, parts: &[usize], k: usize) -> Option<PartTotals> {
        let mut t = PartTotals {
            k,
            lines: vec![0.0; k],
            p: vec![0.0; k],
            pr: vec![0.0; k],
            q: vec![0.0; k],
            uses: vec![0; k * k],
        };
        let mut count = vec![0usize; k];
        for (u, &part) in parts.iter().enumerate() {
            if Some(u) == model.graph.facade {
                continue;
            }
            t.lines[part] += model.lines[u];
            t.p[part] += model.p[u];
            t.pr[part] += model.pr[u];
            t.q[part] += model.q[u];
            count[part] += 1;
        }
        if count.contains(&0) {
            return None;
        }
        count_part_uses(model.graph, parts, k, &mut t.uses);
        Some(t)
    }

    /// Becomes a copy of `other`, in the memory it already has.
    pub fn copy_from(&mut self, other: &PartTotals) {
        self.k = other.k;
        self.lines.clone_from(&other.lines);
        self.p.clone_from(&other.p);
        self.pr.clone_from(&other.pr);
        self.q.clone_from(&other.q);
        self.uses.clone_from(&other.uses);
    }

    /// Which parts depend on which, directly or not; `None` on a cycle.
    pub fn reach(&self) -> Option<Reach> {
        reach_of(&self.uses, self.k)
    }

    /// `E` for these totals (tests with their module), or `None` if the parts form a cycle.
    pub fn expected_rebuild(&self, model: &Model<'_>) -> Option<f64> {
        let k = self.k;
        let reach = self.reach()?;
        let facade = model.graph.facade;
        let (facade_lines, facade_pr, facade_q) = match facade {
            Some(f) => (model.lines[f], model.pr[f], model.q[f]),
            None => (0.0, 0.0, 0.0),
        };
        // Each part's re-run once, not once per part below it.
        let reruns: smallvec::SmallVec<[f64; 8]> =
            self.lines.iter().map(|l| model.cost.rerun_within(*l)).collect();
        let mut e = 0.0;
        for q in 0..k {
            let mut rerun: f64 = (0..k).filter(|a| reach.reaches(*a, q)).map(|a| reruns[a]).sum();
            if facade.is_some() {
                rerun += model.cost.rerun_within(facade_lines);
            }
            e += self.pr[q] * model.cost.rebuild(self.lines[q]) + self.p[q] * rerun;
            e += self.q[q] * model.test_edit(self.lines[q]);
        }
        if facade.is_some() {
            e += facade_pr * model.cost.rebuild(facade_lines) + facade_q * model.test_edit(facade_lines);
        }
        Some(e)
    }
}

/// Adds to `uses[a * k + b]` the unit edges from part a to part b (a != b, the facade left out).
fn count_part_uses(graph: &UnitGraph, parts: &[usize], k: usize, uses: &mut [u32]) {
    for &(a, b, _) in &graph.edges {
        if Some(a) == graph.facade || Some(b) == graph.facade {
            continue;
        }
        let (pa, pb) = (parts[a], parts[b]);
        if pa != pb {
            uses[pa * k + pb] += 1;
        }
    }
}

/// Which of `k` parts depend on which, directly or not, from `uses[a * k + b]` (unit edges from
/// part a to part b); `None` on a cycle.
fn reach_of(uses: &[u32], k: usize) -> Option<Reach> {
    let words = k.div_ceil(64).max(1);
    let mut reach = Reach { words, bits: smallvec::smallvec![0; k * words] };
    for a in 0..k {
        for b in 0..k {
            if uses[a * k + b] > 0 {
                reach.bits[a * words + b / 64] |= 1 << (b % 64);
            }
        }
    }
    // Floyd–Warshall on the few parts: whoever reaches m reaches what m reaches.
    for m in 0..k {
        for a in (0..k).filter(|&a| a != m) {
            if reach.reaches(a, m) {
                for w in 0..words {
                    reach.bits[a * words + w] |= reach.bits[m * words + w];
                }
            }
        }
    }
    if (0..k).any(|a| reach.reaches(a, a)) {
        return None;
    }
    Some(reach)
}

/// One proposed partition, priced and measured.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Part of each unit (the facade unit's entry is meaningless).
    pub parts: Vec<usize>,
    /// Parts (the facade not counted).
    pub k: usize,
    pub shape: Shape,
    pub expected_rebuild: f64,
    /// Unit-graph edges between different parts (facade excluded): count and total weight.
    pub crossing_edges: usize,
    pub crossing_weight: u64,
}

impl Candidate {
    pub fn new(model: &Model<'_>, parts: Vec<usize>, k: usize) -> Option<Candidate> {
        let expected_rebuild = model.expected_rebuild(&parts, k)?;
        let (mut crossing_edges, mut crossing_weight) = (0, 0u64);
        // Weight-0 edges are structural (the crate on top uses every part), not references.
        for &(a, b, w) in &model.graph.edges {
            if Some(a) == model.graph.facade || Some(b) == model.graph.facade || w == 0 {
                continue;
            }
            if parts[a] != parts[b] {
                crossing_edges += 1;
                crossing_weight += u64::from(w);
            }
        }
        let shape = model.graph.shape;
        Some(Candidate { parts, k, shape, expected_rebuild, crossing_edges, crossing_weight })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Three units in a chain, tests of the lowest using the top one; the root on top.
    fn graph() -> UnitGraph {
        let unit = |name: &str, src: f64, test: f64| Unit {
            modules: vec![name.to_owned()],
            src_lines: src,
            test_lines: test,
            p_edit: src,
            pr_edit: src * 1.5,
            p_test_edit: test,
        };
        UnitGraph {
            units: vec![
                unit("a", 300.0, 200.0),
                unit("b", 200.0, 50.0),
                unit("c", 100.0, 0.0),
                unit(FACADE_ROOT, 20.0, 10.0),
            ],
            edges: vec![(1, 0, 3), (2, 1, 2), (3, 2, 1)],
            facade: Some(3),
            facade_unit: Some(3),
            test_uses: vec![vec![2], vec![], vec![], vec![]],
            shape: Shape::Facade,
            ..UnitGraph::default()
        }
    }

    #[test]
    fn per_unit_costs_add_up_to_e_in_both_shapes_and_profiles() {
        let facade = graph();
        let top = facade.crate_on_top();
        for (g, parts) in [(&facade, vec![0, 1, 1, 0]), (&top, vec![0, 1, 1, 1])] {
            for profile in [Profile::Lib, Profile::Test] {
                let model = Model::new(g, CostModel::assumed(), profile);
                let priced = model.price(&parts, 2).unwrap();
                let sum: f64 = (0..g.units.len())
                    .map(|u| model.p[u] * priced.unit_src_cost[u] + model.q[u] * priced.unit_test_cost[u])
                    .sum();
                assert!(
                    (sum - priced.expected_rebuild).abs() < 1e-12,
                    "{sum} vs {}",
                    priced.expected_rebuild
                );
                assert!((priced.src_edits + priced.test_edits - priced.expected_rebuild).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn tests_that_use_a_part_above_move_to_a_crate_that_sees_it() {
        let facade = graph();
        let model = Model::new(&facade, CostModel::assumed(), Profile::Test);
        // `a` in part 0, `c` in part 1 above it: a's tests use c, so they live in part 1.
        let priced = model.price(&[0, 1, 1, 0], 2).unwrap();
        assert_eq!(priced.test_home, vec![1, 1, 1, 2]);
        // All in one part: they stay.
        let top = facade.crate_on_top();
        let model = Model::new(&top, CostModel::assumed(), Profile::Test);
        assert_eq!(model.price(&[0, 0, 1, 1], 2).unwrap().test_home, vec![1, 0, 1, 1]);
    }

    #[test]
    fn a_test_edit_rebuilds_no_library() {
        let g = graph();
        let lib = Model::new(&g, CostModel::assumed(), Profile::Lib);
        let priced = lib.price(&[0, 1, 1, 0], 2).unwrap();
        // Cargo only looks: its own part of a run, whatever the crate's size.
        let overhead = CostModel::assumed().overhead;
        assert!(priced.unit_test_cost.iter().all(|c| *c == overhead));
        assert!((priced.test_edits - overhead * lib.q.iter().sum::<f64>()).abs() < 1e-12);
        let test = Model::new(&g, CostModel::assumed(), Profile::Test);
        assert!(test.price(&[0, 1, 1, 0], 2).unwrap().test_edits > 0.0);
    }
}
