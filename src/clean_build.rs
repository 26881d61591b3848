//! A candidate's clean build on N cores, from a recording of non-incremental crate costs.
//!
//! Each crate after the split is a library unit and (test profile) a unit-test binary. A
//! library costs what the recording's fit across the workspace says for its src lines, scaled
//! so the unsplit crate costs exactly what was measured for it (the crate's own code density);
//! its metadata is out after the same share of its build as the crate's was. A library starts
//! once its dependencies' metadata is out; a test binary once its dependencies' libraries have
//! ended. [`crate::schedule`] lays the units on the cores.
//!
//! Owns: turning a candidate row into units and the schedule into a [`CleanBuild`]. Pure.
//! Must not: read recordings or run cargo.

use crate::data::clean::{Bar, CleanBuild, CleanCrate, CleanProfile, CleanRecording};
use crate::data::partition::CandidateRow;
use crate::data::timings::FitRow;
use crate::data::trade_off::{CleanInfo, TradeOffReport};
use crate::schedule::{Schedule, Unit, schedule};

/// The fixed cost of a crate's clean build when the recording has no fit across crates (a
/// single crate): a crate of a dozen lines built with `CARGO_INCREMENTAL=0`, rustc 1.95.0 on a
/// 2-core machine, took 0.04–0.07 s (cargo's `--timings` of `ori_stack`, 20 lines, and of
/// `record --quick`'s 9-line scratch crate).
pub const PRIOR_CLEAN_FIXED_S: f64 = 0.05;

/// `seconds = fixed + per_line × lines`, calibrated to the crate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CleanCurve {
    pub fixed: f64,
    pub per_line: f64,
}

impl CleanCurve {
    /// The fit (if any) scaled so that `lines` cost `measured`; without a fit, the prior fixed
    /// cost and the rest per line.
    pub fn calibrated(fit: Option<&FitRow>, lines: f64, measured: f64) -> CleanCurve {
        let lines = lines.max(1.0);
        match fit {
            Some(f) if f.fixed_s + f.per_line_s * lines > 0.0 && f.per_line_s >= 0.0 && f.fixed_s >= 0.0 => {
                let scale = measured / (f.fixed_s + f.per_line_s * lines);
                CleanCurve { fixed: f.fixed_s * scale, per_line: f.per_line_s * scale }
            }
            _ => {
                let fixed = PRIOR_CLEAN_FIXED_S.min(measured / 2.0);
                CleanCurve { fixed, per_line: (measured - fixed) / lines }
            }
        }
    }

    pub fn at(&self, lines: f64) -> f64 {
        self.fixed + self.per_line * lines.max(0.0)
    }
}

/// Why a recording cannot price clean builds of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CleanError {
    #[error("the clean-build recording has no entry for crate `{0}` (it was made for `{1}`)")]
    NotRecorded(String, String),
}

/// The costs of one crate's builds, from the recording.
#[derive(Debug, Clone, Copy)]
pub struct CleanCosts {
    pub lib: CleanCurve,
    /// The share of a library's build until its metadata is out.
    pub metadata_share: f64,
    pub test: Option<CleanCurve>,
    /// The unsplit crate as measured: library, metadata, test binary.
    pub measured: (f64, f64, Option<f64>),
}

/// The share assumed when a recording does not say when metadata was ready (cargo's own
/// reports before it recorded sections): about the middle of the frontend/codegen split
/// measured on the Ori compiler's crates (0.36–0.59 of the build).
pub const DEFAULT_METADATA_SHARE: f64 = 0.45;

impl CleanCosts {
    pub fn of(recording: &CleanRecording, krate: &str) -> Result<CleanCosts, CleanError> {
        let own: &CleanCrate = recording
            .crates
            .iter()
            .find(|c| c.name == krate)
            .ok_or_else(|| CleanError::NotRecorded(krate.to_owned(), recording.krate.clone()))?;
        let lib_s = own.lib_s.median;
        let metadata = own.metadata_s.map(|m| m.median).filter(|&m| m > 0.0 && m <= lib_s);
        let src = f64::from(own.src_lines);
        let tests = f64::from(own.src_lines + own.test_lines);
        Ok(CleanCosts {
            lib: CleanCurve::calibrated(recording.lib.as_ref(), src, lib_s),
            metadata_share: metadata.map_or(DEFAULT_METADATA_SHARE, |m| m / lib_s),
            test: own.test_s.map(|t| CleanCurve::calibrated(recording.test.as_ref(), tests, t.median)),
            measured: (
                lib_s,
                metadata.unwrap_or(lib_s * DEFAULT_METADATA_SHARE),
                own.test_s.map(|t| t.median),
            ),
        })
    }
}

/// One crate of the split: its label and lines, and the crates it uses directly.
struct SplitCrate {
    label: String,
    src: f64,
    tests: f64,
    uses: Vec<usize>,
}

/// The parts of a candidate as the clean build needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct Parts<'a> {
    /// (src, test) lines of each part, tests where they live.
    pub sizes: Vec<(f64, f64)>,
    /// `(a, b)`: part a uses part b.
    pub dag: &'a [(usize, usize)],
    /// The part that is the original crate; `None`: a facade crate on top of every part.
    pub crate_part: Option<usize>,
}

impl<'a> Parts<'a> {
    pub fn of(row: &'a CandidateRow) -> Parts<'a> {
        Parts {
            sizes: row.part_sizes.iter().map(|p| (p.src_lines, p.test_lines)).collect(),
            dag: &row.part_dag,
            crate_part: row.crate_part,
        }
    }
}

/// The crates of a candidate, the facade (shape `facade`) last, and which one downstream
/// crates use (the original crate's name).
fn split_crates(row: &Parts<'_>, krate: &str, totals: (f64, f64)) -> (Vec<SplitCrate>, usize) {
    let k = row.sizes.len();
    let mut crates: Vec<SplitCrate> = row
        .sizes
        .iter()
        .enumerate()
        .map(|(i, &(src, tests))| SplitCrate {
            label: if row.crate_part == Some(i) { krate.to_owned() } else { format!("part {}", i + 1) },
            src,
            tests,
            uses: row.dag.iter().filter(|&&(a, _)| a == i).map(|&(_, b)| b).collect(),
        })
        .collect();
    let top = match row.crate_part {
        Some(top) => top,
        None => {
            let (src, tests) = crates.iter().fold((0.0, 0.0), |(s, t), c| (s + c.src, t + c.tests));
            crates.push(SplitCrate {
                label: krate.to_owned(),
                src: (totals.0 - src).max(0.0),
                tests: (totals.1 - tests).max(0.0),
                uses: (0..k).collect(),
            });
            k
        }
    };
    (crates, top)
}

/// Everything crate `c` uses, directly or not.
fn closure(crates: &[SplitCrate], c: usize) -> Vec<usize> {
    let mut seen = vec![false; crates.len()];
    let mut stack = crates[c].uses.clone();
    while let Some(d) = stack.pop() {
        if !std::mem::replace(&mut seen[d], true) {
            stack.extend(&crates[d].uses);
        }
    }
    (0..crates.len()).filter(|&d| seen[d]).collect()
}

/// The schedule of libraries (and test binaries) of `crates`, each crate's library unit at its
/// index and its test binary after all libraries.
fn units(crates: &[SplitCrate], costs: &CleanCosts, tests: bool) -> Vec<Unit> {
    let n = crates.len();
    let mut units: Vec<Unit> = crates
        .iter()
        .map(|c| {
            let cost = costs.lib.at(c.src);
            Unit {
                cost,
                metadata: cost * costs.metadata_share,
                after_metadata: c.uses.clone(),
                after_end: Vec::new(),
            }
        })
        .collect();
    if let (true, Some(test)) = (tests, costs.test) {
        for (i, c) in crates.iter().enumerate() {
            let cost = test.at(c.src + c.tests);
            units.push(Unit {
                cost,
                metadata: cost,
                after_metadata: Vec::new(),
                after_end: closure(crates, i),
            });
        }
    }
    debug_assert!(units.len() == n || units.len() == 2 * n);
    units
}

fn bars(crates: &[SplitCrate], s: &Schedule) -> Vec<Bar> {
    let n = crates.len();
    s.slots
        .iter()
        .enumerate()
        .map(|(u, slot)| Bar {
            krate: crates[u % n].label.clone(),
            unit: if u < n { "lib" } else { "test" },
            start_s: slot.start,
            metadata_s: (u < n).then_some(slot.metadata),
            end_s: slot.end,
            critical: s.critical[u],
        })
        .collect()
}

/// The unsplit crate's clean build: its library (and test binary) as measured, on `cores`.
fn unsplit(costs: &CleanCosts, tests: bool, cores: usize) -> (f64, f64) {
    let (lib, metadata, test) = costs.measured;
    let mut units = vec![Unit { cost: lib, metadata, after_metadata: Vec::new(), after_end: Vec::new() }];
    if let (true, Some(test)) = (tests, test) {
        units.push(Unit { cost: test, metadata: test, after_metadata: Vec::new(), after_end: Vec::new() });
    }
    let s = schedule(&units, cores).expect("two independent units schedule");
    (s.wall, s.slots[0].metadata)
}

/// A candidate's clean build in both profiles on `cores` cores (`totals`: the crate's src and
/// test lines, for a facade's share). `None` when the candidate's parts form a cycle.
pub fn clean_build(
    row: &Parts<'_>,
    krate: &str,
    totals: (f64, f64),
    costs: &CleanCosts,
    cores: usize,
) -> Option<CleanBuild> {
    let (crates, top) = split_crates(row, krate, totals);
    let profile = |tests: bool| -> Option<CleanProfile> {
        let units = units(&crates, costs, tests);
        let s = schedule(&units, cores).ok()?;
        let (unsplit_s, unsplit_metadata) = unsplit(costs, tests, cores);
        Some(CleanProfile {
            unsplit_s,
            split_s: s.wall,
            saving_pct: if unsplit_s > 0.0 { 100.0 * (1.0 - s.wall / unsplit_s) } else { 0.0 },
            downstream_start_s: (s.slots[top].metadata, unsplit_metadata),
            bars: bars(&crates, &s),
        })
    };
    let lib = profile(false)?;
    let test = match costs.test {
        Some(_) => Some(profile(true)?),
        None => None,
    };
    Some(CleanBuild { cores, lib, test })
}

/// Adds the clean build on `cores` cores to every candidate of `report`, and where it comes
/// from (`shown`: the recording's file as the report names it; `this_cpu`: this machine's
/// processor, to say when the recording was made on another).
pub fn attach(
    report: &mut TradeOffReport,
    recording: &CleanRecording,
    shown: &str,
    cores: usize,
    this_cpu: Option<&str>,
) -> Result<(), CleanError> {
    let krate = report.analyzed.krate.clone();
    let costs = CleanCosts::of(recording, &krate)?;
    let totals = (f64::from(report.glance.src_lines), f64::from(report.glance.test_lines));
    for row in report.splits.iter_mut().flat_map(|s| s.candidates.iter_mut()) {
        row.clean = clean_build(&Parts::of(row), &krate, totals, &costs, cores);
    }
    let mut notes = Vec::new();
    if cores != recording.cores {
        notes.push(format!(
            "a prediction for {cores} cores from a recording on {} (the units' costs as measured there)",
            recording.cores
        ));
    }
    if let (Some(here), Some(there)) = (this_cpu, recording.cpu.as_deref())
        && here != there
    {
        notes.push(format!("recorded on another machine ({there})"));
    }
    report.clean = Some(CleanInfo {
        file: shown.to_owned(),
        source: recording.source.clone(),
        git_commit: recording.git_commit.clone(),
        cores,
        recorded_cores: recording.cores,
        crates: recording.crates.len(),
        fitted: recording.lib.is_some(),
        crate_lib_s: costs.measured.0,
        crate_test_s: costs.measured.2,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::timings::Spread;

    fn spread(s: f64) -> Spread {
        Spread { median: s, min: s, max: s }
    }

    fn recording() -> CleanRecording {
        let fit = |fixed_s, per_line_s| FitRow {
            fixed_s,
            per_line_s,
            r2: 1.0,
            samples: 3,
            fixed_interval_s: (fixed_s, fixed_s),
            per_line_interval_s: (per_line_s, per_line_s),
        };
        CleanRecording {
            schema_version: 1,
            krate: "big".to_owned(),
            source: "record --clean".to_owned(),
            git_commit: None,
            rustc: "rustc".to_owned(),
            cores: 2,
            cpu: None,
            reps: 1,
            features: String::new(),
            crates: vec![CleanCrate {
                name: "big".to_owned(),
                src_lines: 1000,
                test_lines: 1000,
                // Twice what the fit says: the calibration doubles every part.
                lib_s: spread(2.4),
                metadata_s: Some(spread(1.2)),
                test_s: Some(spread(4.4)),
            }],
            skipped: Vec::new(),
            lib: Some(fit(0.2, 0.001)),
            test: Some(fit(0.2, 0.0005)),
        }
    }

    /// `big` on top of a lower part.
    fn chain_row() -> Parts<'static> {
        Parts { sizes: vec![(600.0, 500.0), (400.0, 500.0)], dag: &[(0, 1)], crate_part: Some(0) }
    }

    #[test]
    fn calibration_makes_the_unsplit_crate_cost_what_was_measured() {
        let costs = CleanCosts::of(&recording(), "big").unwrap();
        assert!((costs.lib.at(1000.0) - 2.4).abs() < 1e-12);
        assert!((costs.lib.fixed - 0.4).abs() < 1e-12);
        assert!((costs.metadata_share - 0.5).abs() < 1e-12);
        assert!((costs.test.unwrap().at(2000.0) - 4.4).abs() < 1e-12);
        let err = CleanCosts::of(&recording(), "other").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the clean-build recording has no entry for crate `other` (it was made for `big`)"
        );
    }

    #[test]
    fn a_chain_pipelines_on_two_cores() {
        let costs = CleanCosts::of(&recording(), "big").unwrap();
        let build = clean_build(&chain_row(), "big", (1000.0, 1000.0), &costs, 2).unwrap();
        // lib: low (0.4 + 0.8 = 1.2 s, metadata at 0.6) then big (0.4 + 1.2 = 1.6 s) from 0.6.
        assert!((build.lib.split_s - 2.2).abs() < 1e-9, "{:?}", build.lib);
        assert!((build.lib.unsplit_s - 2.4).abs() < 1e-9);
        assert!((build.lib.downstream_start_s.0 - 1.4).abs() < 1e-9);
        assert!((build.lib.downstream_start_s.1 - 1.2).abs() < 1e-9);
        let critical: Vec<&str> =
            build.lib.bars.iter().filter(|b| b.critical).map(|b| b.krate.as_str()).collect();
        assert_eq!(critical, ["big", "part 2"]);
        // test: four units on two cores; the unsplit crate's library and test binary overlap.
        let test = build.test.unwrap();
        assert!((test.unsplit_s - 4.4).abs() < 1e-9);
        assert_eq!(test.bars.len(), 4);
        // One core: everything in a row.
        let one = clean_build(&chain_row(), "big", (1000.0, 1000.0), &costs, 1).unwrap();
        assert!((one.lib.split_s - 2.8).abs() < 1e-9);
        assert!((one.lib.unsplit_s - 2.4).abs() < 1e-9);
    }
}
