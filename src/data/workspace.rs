//! The ranking of `splitcheck --workspace` as plain data (`workspace.json`, schema version 1).

use serde::Serialize;

pub const WORKSPACE_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct WorkspaceRanking {
    pub schema_version: u32,
    /// The workspace root directory's name.
    pub workspace: String,
    pub date: String,
    pub tool: String,
    /// Rows are sorted by the best two-part saving of this profile, in seconds, largest first.
    pub ranked_by: &'static str,
    pub crates: Vec<CrateRank>,
    pub failed: Vec<CrateFailure>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CrateRank {
    #[serde(rename = "crate")]
    pub krate: String,
    pub version: String,
    pub modules: usize,
    pub src_lines: u32,
    pub test_lines: u32,
    pub unit_tests: u32,
    /// Workspace crates that depend on it (directly or not).
    pub dependents: usize,
    pub cycles: usize,
    /// `recorded` (its own recording), `workspace fit` (the fit across the workspace's crates
    /// from another crate's recording) or `assumed`.
    pub timings: &'static str,
    pub lib: Option<BestSaving>,
    pub test: Option<BestSaving>,
    /// References crossing the best split over all references between its modules, in %: how
    /// tightly the crate holds together where it would be cut.
    pub coupling_pct: Option<f64>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct BestSaving {
    pub unsplit_s: f64,
    pub saving_s: f64,
    pub saving_pct: f64,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CrateFailure {
    #[serde(rename = "crate")]
    pub krate: String,
    pub error: String,
}
