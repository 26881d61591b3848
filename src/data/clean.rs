//! Clean builds as plain data: a recording of non-incremental per-crate costs (`clean.json`,
//! schema version 1, written by `record --clean` or read from a `cargo build --timings`
//! report), and a candidate's predicted clean build on N cores (a schedule per profile).

use crate::data::timings::{FitRow, Spread};
use serde::{Deserialize, Serialize};

pub const CLEAN_SCHEMA_VERSION: u32 = 1;

/// Non-incremental build costs of the workspace's library crates.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CleanRecording {
    pub schema_version: u32,
    /// The crate the recording was made for.
    #[serde(rename = "crate")]
    pub krate: String,
    /// `record --clean` or `cargo build --timings`.
    pub source: String,
    pub git_commit: Option<String>,
    pub rustc: String,
    pub cores: usize,
    pub cpu: Option<String>,
    pub reps: u32,
    /// Which features were built.
    #[serde(default)]
    pub features: String,
    pub crates: Vec<CleanCrate>,
    /// Crates that did not build here, and why.
    #[serde(default)]
    pub skipped: Vec<String>,
    /// `seconds = fixed + per_line × lines` across the crates: the library (src lines) and the
    /// unit-test binary (src and test lines). Absent with fewer than three crates of two sizes.
    pub lib: Option<FitRow>,
    pub test: Option<FitRow>,
}

/// One crate's clean build, as cargo timed its units (medians over the reps).
///
/// `record --clean` builds each crate alone (its dependencies already built) on one job
/// (`-j1`), so each figure is the unit's work in seconds of one thread; read from a user's
/// `cargo build --timings` report, they are the units' durations in that build.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CleanCrate {
    pub name: String,
    pub src_lines: u32,
    pub test_lines: u32,
    /// The library unit, start to end.
    pub lib_s: Spread,
    /// Until its metadata was ready (the end of rustc's frontend): when crates depending on it
    /// may start (cargo's pipelining).
    pub metadata_s: Option<Spread>,
    /// The unit-test binary (`cargo test --no-run`), when it was built.
    pub test_s: Option<Spread>,
    /// The same units built alone on every core (the analyzed crate only): how much faster
    /// rustc's codegen gets with more threads on this machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel: Option<ParallelUnits>,
}

/// A crate's units built alone with `jobs` jobs.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ParallelUnits {
    pub jobs: usize,
    pub lib_s: Spread,
    pub test_s: Option<Spread>,
    /// Its library and unit-test binary built together (`cargo test --no-run`), from the first
    /// unit's start to the last one's end: whether two units side by side slow each other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub together_s: Option<Spread>,
}

/// A candidate's predicted clean build, both profiles, on `cores` cores.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CleanBuild {
    pub cores: usize,
    /// One-thread seconds of work the cores get through per second with all of them busy (the
    /// number of cores for ideal cores; fitted from the crate's recorded builds).
    pub full_throughput: f64,
    /// A unit's codegen speedup on every core, relative to one thread, on ideal cores.
    pub unit_speedup: f64,
    /// `cargo build --lib` of the crate's crates.
    pub lib: CleanProfile,
    /// `cargo test --no-run` of the crate's crates: every library and unit-test binary (when
    /// the recording timed test binaries).
    pub test: Option<CleanProfile>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CleanProfile {
    pub unsplit_s: f64,
    pub split_s: f64,
    /// `1 - split / unsplit`, in percent (negative: the split builds slower).
    pub saving_pct: f64,
    /// When crates depending on the crate may start (its top crate's metadata), split and
    /// unsplit.
    pub downstream_start_s: (f64, f64),
    /// The split's schedule, one bar per compiled unit.
    pub bars: Vec<Bar>,
}

/// One unit in a schedule.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Bar {
    /// The crate's name.
    #[serde(rename = "crate")]
    pub krate: String,
    /// `lib` or `test`.
    pub unit: &'static str,
    pub start_s: f64,
    /// When its metadata was ready (libraries only).
    pub metadata_s: Option<f64>,
    pub end_s: f64,
    /// On the critical path: the chain of waits that ends last.
    pub critical: bool,
}
