//! The trade-off report as plain data (`report.json`, schema version 1): what was analyzed, the
//! crate at a glance, where the timings came from, the unsplit baseline, and the best candidates
//! for each number of crates.

use crate::data::partition::{CandidateRow, FacadeInfo};
use crate::data::provenance::Provenance;
use serde::Serialize;

pub const TRADE_OFF_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TradeOffReport {
    pub schema_version: u32,
    pub analyzed: Provenance,
    pub glance: Glance,
    pub timings: TimingsInfo,
    pub baseline: Baseline,
    /// The profile candidates are ranked by (`test`: `cargo test` after an edit).
    pub ranked_by: &'static str,
    pub facade: FacadeInfo,
    pub splits: Vec<SplitsForK>,
    /// Where the clean-build predictions come from, when a clean-build recording was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clean: Option<CleanInfo>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CleanInfo {
    /// The recording file, as shown.
    pub file: String,
    /// `record --clean` or `cargo build --timings`.
    pub source: String,
    pub git_commit: Option<String>,
    /// Cores the schedule assumes, and the recording's machine's.
    pub cores: usize,
    pub recorded_cores: usize,
    /// Crates recorded, and whether costs were fitted across them (else the crate alone,
    /// with a prior fixed cost).
    pub crates: usize,
    pub fitted: bool,
    /// The unsplit crate's clean library and test binary, as recorded (median seconds).
    pub crate_lib_s: f64,
    pub crate_test_s: Option<f64>,
    /// One-thread seconds of work the cores get through per second with all of them busy, a
    /// unit's codegen speedup on every core, whether the speedup was measured (the crate built
    /// alone on every core; else ideal cores, one thread per unit), and whether the machine's
    /// share of it was fitted (the crate's library beside its test binary; else ideal cores).
    pub full_throughput: f64,
    pub unit_speedup: f64,
    pub throughput_measured: bool,
    pub machine_fitted: bool,
    /// Set when the schedule is for another number of cores than the recording's machine has,
    /// or the recording was made on another machine.
    pub note: Option<String>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Glance {
    /// Modules in the source, test-only ones included.
    pub modules: usize,
    /// Nodes of the graph: modules with test-only submodules folded into their parent.
    pub graph_modules: usize,
    pub src_lines: u32,
    pub test_lines: u32,
    /// `#[test]` functions in the library's unit tests.
    pub unit_tests: u32,
    pub integration_test_targets: usize,
    pub integration_tests: u32,
    pub edges: EdgeCounts,
    pub cycles: Vec<CycleInfo>,
    /// Paths that named something in the crate but could not be followed.
    pub unresolved_crate_paths: usize,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct EdgeCounts {
    pub src: usize,
    pub test_only: usize,
    pub facade: usize,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CycleInfo {
    pub modules: Vec<String>,
    pub src_lines: u32,
    pub breaking_weight: u32,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TimingsInfo {
    /// `recorded`, `flags` or `assumed`.
    pub source: &'static str,
    /// The recording file, as given.
    pub file: Option<String>,
    pub recording: Option<RecordingInfo>,
    pub lib: CostParams,
    pub test: CostParams,
    /// Set when nothing was recorded: the seconds rank candidates but promise nothing.
    pub warning: Option<String>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RecordingInfo {
    pub git_commit: Option<String>,
    pub rustc: String,
    pub cores: usize,
    pub touch: String,
    pub reps: u32,
    pub modules_recorded: usize,
    pub crates_fitted: usize,
    pub dependents_recorded: usize,
    pub test_run_s: Option<f64>,
    pub cpu: Option<String>,
    /// Which features the recording built (absent for recordings that did not say).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub features: String,
    /// Set when this run is on another machine than the recording's: its seconds may not hold.
    pub other_machine: Option<String>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CostParams {
    pub fixed_s: f64,
    pub per_line_s: f64,
    pub dep_fixed_s: f64,
    pub dep_per_line_s: f64,
    pub source: String,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Baseline {
    /// Expected rebuild per edit of the unsplit crate.
    pub lib_s: f64,
    pub test_s: f64,
    /// Running the built unit tests once, when recorded.
    pub test_run_s: Option<f64>,
    /// `known`, `none` or `unknown` (as the module table says).
    pub downstream_status: &'static str,
    pub downstream: Vec<Downstream>,
    /// Σ of the recorded re-runs of the direct dependents, when every one was recorded.
    pub downstream_rerun_s: Option<f64>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Downstream {
    pub name: String,
    /// `normal`, `build`, `dev`; empty when it depends only through other crates.
    pub direct: Vec<String>,
    pub rerun_s: Option<f64>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SplitsForK {
    /// Crates after the split, the original crate included (both shapes).
    pub crates: usize,
    /// The best candidate of the ranking profile is proven optimal.
    pub exact: bool,
    pub candidates_found: usize,
    /// Why there are none, if there are none.
    pub note: Option<String>,
    pub candidates: Vec<CandidateRow>,
}
