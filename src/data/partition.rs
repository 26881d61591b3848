//! The candidates of a split as plain data: the JSON of `splitcheck partition` (schema
//! version 1) and the candidate rows of `report.json` — parts, prices in both profiles, what
//! crosses the cut and what blocks it.

use serde::Serialize;

pub const PARTITION_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PartitionReport {
    pub schema_version: u32,
    #[serde(rename = "crate")]
    pub krate: String,
    pub profile: &'static str,
    pub parts: usize,
    pub fixed_cost_s: f64,
    pub per_line_s: f64,
    pub dep_fixed_cost_s: f64,
    pub dep_per_line_s: f64,
    pub cost_source: String,
    /// Where edit probabilities came from.
    pub p_edit_source: String,
    pub unsplit: Unsplit,
    pub search: SearchInfo,
    /// The crate root stays as the facade crate; the items other modules use move down.
    pub facade: FacadeInfo,
    pub candidates: Vec<CandidateRow>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Unsplit {
    pub expected_rebuild_s: f64,
    pub lib_expected_rebuild_s: f64,
    pub test_expected_rebuild_s: f64,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SearchInfo {
    pub modules: usize,
    /// Units: modules, with modules in a cycle merged (a cycle never splits).
    pub units: usize,
    /// The best candidate is proven optimal (exact enumeration), not found by the heuristic.
    pub exact: bool,
    pub candidates_found: usize,
    /// Candidates skipped for `--max-new-pub` before the shown ones were found.
    pub dropped_for_new_pub: usize,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct FacadeInfo {
    pub stays: Vec<ItemLines>,
    pub moves_down: Vec<ItemLines>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ItemLines {
    pub item: String,
    pub lines: u32,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CandidateRow {
    /// `k-rank`, e.g. `2-1`: the best candidate for 2 parts (as in `candidate-2-1.svg`).
    pub id: String,
    pub rank: usize,
    /// `crate-on-top` (the original crate is the top part) or `facade` (it becomes a thin
    /// facade crate on top of the parts).
    pub shape: &'static str,
    /// Crates after the split, the original crate included.
    pub crates: usize,
    /// The part that is the original crate (shape `crate-on-top`).
    pub crate_part: Option<usize>,
    /// Module paths of each part; parts are numbered from 1 in the text, base parts first.
    pub parts: Vec<Vec<String>>,
    pub part_sizes: Vec<PartSize>,
    /// `[a, b]`: part a uses part b (numbers as in `parts`, from 0).
    pub part_dag: Vec<(usize, usize)>,
    pub expected_rebuild_s: f64,
    pub saving_s: f64,
    pub saving_pct: f64,
    /// The saving (%) at the corners of the fitted cost intervals, lowest and highest; `null`
    /// when the costs were not fitted.
    pub saving_pct_range: Option<(f64, f64)>,
    pub lib: ProfilePrice,
    pub test: ProfilePrice,
    pub crossing_edges: usize,
    pub crossing_weight: u64,
    pub crossing: Vec<Crossing>,
    pub new_pub_items: usize,
    pub new_pub: Vec<String>,
    /// Root items moving down, and into which part.
    pub item_moves: Vec<ItemMove>,
    /// The saving as the crate grows, the same split with every module's lines scaled.
    pub growth: Growth,
    /// Test modules that must live above their module's part (they use a part it cannot see):
    /// the module whose tests move, and the part (or `parts.len()`: the facade) they go to.
    pub moved_tests: Vec<(String, usize)>,
    pub pareto: bool,
    /// `feasible`, `needs N edits` or `infeasible as is`.
    pub status: String,
    pub blockers: Vec<Blocker>,
    /// The clean build on N cores, when a clean-build recording was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clean: Option<crate::data::clean::CleanBuild>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PartSize {
    pub src_lines: f64,
    pub test_lines: f64,
    pub tests: u32,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ProfilePrice {
    pub expected_rebuild_s: f64,
    pub unsplit_s: f64,
    pub saving_pct: f64,
    /// `E` split by where the edit lands: (src code, test code), split and unsplit.
    pub src_edits_s: (f64, f64),
    pub test_edits_s: (f64, f64),
    /// Test profile only: `E` of the crate workflow (`cargo test -p` of the crate holding the
    /// edit, no crate above it rebuilt); the unsplit crate's is its `unsplit_s`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crate_workflow_s: Option<f64>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Crossing {
    pub from: String,
    pub to: String,
    pub weight: u32,
    pub test_only: bool,
    pub items: Vec<String>,
}

/// The saving (%) of a split at crate sizes ×`factors` of today's, per profile; for the ranking
/// profile with its range over the fitted cost intervals; and the smallest size (×, on a grid
/// of quarters up to ×8) at which each profile's saving turns positive.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Growth {
    pub factors: Vec<f64>,
    pub test_pct: Vec<f64>,
    pub lib_pct: Vec<f64>,
    /// Lowest and highest saving of the ranking profile at each factor (fitted costs only).
    pub range_pct: Option<Vec<(f64, f64)>>,
    pub test_pays_from: Option<f64>,
    pub lib_pays_from: Option<f64>,
}

/// The sizes a growth curve is drawn at.
pub const GROWTH_FACTORS: [f64; 7] = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0];

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ItemMove {
    pub item: String,
    pub lines: u32,
    pub to_part: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema)]
pub struct Blocker {
    /// `infeasible` (cannot compile as separate crates as is) or `edit` (needs the edits counted).
    pub severity: &'static str,
    pub kind: &'static str,
    pub at: String,
    pub message: String,
    /// Edits it stands for.
    pub edits: usize,
}
