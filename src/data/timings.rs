//! A recording as plain data (`timings.json`, schema version 1): every timed rebuild with its
//! medians and spreads, the fits across crates, the machine and the tools. `record` writes it;
//! pricing and reports read it.

use serde::{Deserialize, Serialize};

/// How a module file is edited before each timed rebuild.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum TouchKind {
    /// Add a statement to the body of the file's first function, as a real edit would.
    Body,
    /// Append a comment line: cheap for rustc's incremental cache.
    Comment,
    /// Only bump the modification time.
    Mtime,
    /// Append a comment and rebuild with `CARGO_INCREMENTAL=0`: everything recompiles.
    Full,
}

/// Median, minimum and maximum of some timings.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

pub const TIMINGS_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Timings {
    pub schema_version: u32,
    #[serde(rename = "crate")]
    pub krate: String,
    pub version: String,
    pub cargo: String,
    pub rustc: String,
    pub cores: usize,
    pub git_commit: Option<String>,
    pub touch: TouchKind,
    pub reps: u32,
    /// What each profile's sample times.
    pub commands: Commands,
    /// The processor (`/proc/cpuinfo`'s model name), when known: a recording prices builds on
    /// the machine it was made on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Which features were built (`--features`, `--all-features`, `--no-default-features`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub features: String,
    /// Made by `record --quick`: the fits come from edits of this crate and of a tiny scratch
    /// crate (two sizes), not from its modules or the workspace's crates.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub quick: bool,
    /// The untimed-for-the-model first builds, timed for information.
    pub warmup_s: ProfilePair<f64>,
    /// Each command with nothing to rebuild (`reps` times): cargo's own part of every timed
    /// run, which the re-runs of crates built in the same cargo run do not pay again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noop_s: Option<ProfilePair<Option<Spread>>>,
    /// Running the built tests once (`cargo test` right after the test build, so it only runs
    /// them); `null` when they fail. Beside the rebuild times: compile and run are the wait.
    #[serde(default)]
    pub test_run_s: Option<f64>,
    /// The same with `cargo nextest run`, when cargo-nextest is installed.
    #[serde(default)]
    pub nextest_run_s: Option<f64>,
    pub modules: Vec<ModuleTimings>,
    /// Edits in every library crate of the workspace and the fit across their sizes
    /// (`--workspace-fit`).
    pub workspace_fit: Option<WorkspaceFit>,
    /// Re-runs of the direct dependents after each module edit, and `d` fitted over their
    /// sizes (`--with-dependents`).
    #[serde(default)]
    pub dependents: Option<DependentFit>,
    /// Wall time of the whole recording.
    pub total_s: f64,
}

/// The name `record --quick` gives its scratch crate in [`WorkspaceFit::crates`]: built above
/// the analyzed crate (a path dependency on it), or alone when that could not be built.
pub const QUICK_PROBE_ABOVE: &str = "splitcheck-probe (scratch crate above the crate)";
pub const QUICK_PROBE_ALONE: &str = "splitcheck-probe (scratch crate)";

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WorkspaceFit {
    pub crates: Vec<CrateTimings>,
    /// Crates left out because they do not build here, with cargo's first error.
    pub skipped: Vec<String>,
    /// `seconds = fixed + per_line × src lines` for `cargo build --lib` after an edit.
    pub lib: Option<FitRow>,
    /// The same for `cargo test --no-run`, over src + test lines.
    pub test: Option<FitRow>,
    /// Re-runs on unchanged code (comment touches) against src lines: the estimate of a
    /// dependent's re-run cost `d` when dependents were not recorded.
    #[serde(default)]
    pub rerun: Option<FitRow>,
}

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DependentFit {
    pub crates: Vec<DependentTimings>,
    /// `seconds = dep_fixed + dep_per_line × src lines` of `cargo build --lib` of a dependent
    /// right after the edited crate was rebuilt.
    pub lib: Option<FitRow>,
}

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DependentTimings {
    pub name: String,
    pub src_lines: u32,
    pub samples_s: Vec<f64>,
    pub spread_s: Option<Spread>,
}

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CrateTimings {
    pub name: String,
    pub src_lines: u32,
    pub test_lines: u32,
    pub touch: TouchKind,
    pub samples_s: ProfilePair<Vec<f64>>,
    pub spread_s: ProfilePair<Option<Spread>>,
    /// `cargo build --lib` after a comment-only touch: rustc re-running on unchanged code, as
    /// it does on a dependent whose own source did not change.
    #[serde(default)]
    pub rerun_samples_s: Vec<f64>,
    #[serde(default)]
    pub rerun_spread_s: Option<Spread>,
}

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FitRow {
    pub fixed_s: f64,
    pub per_line_s: f64,
    pub r2: f64,
    pub samples: usize,
    pub fixed_interval_s: (f64, f64),
    pub per_line_interval_s: (f64, f64),
}

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Commands {
    pub lib: String,
    pub test: String,
}

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProfilePair<T> {
    pub lib: T,
    pub test: T,
}

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ModuleTimings {
    pub path: String,
    pub file: String,
    pub src_lines: u32,
    pub test_lines: u32,
    pub test_only: bool,
    /// The touch actually applied (a file without a function body gets a comment).
    pub touch: TouchKind,
    pub samples_s: ProfilePair<Vec<f64>>,
    pub spread_s: ProfilePair<Option<Spread>>,
}
