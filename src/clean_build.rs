//! A candidate's clean build on N cores, from a recording of non-incremental crate costs.
//!
//! Each crate after the split is a library unit and (test profile) a unit-test binary. A
//! library's work (one-thread seconds) is what the recording's fit across the workspace says
//! for its src lines, scaled so the unsplit crate costs exactly what was measured for it (the
//! crate's own code density); its frontend (until the metadata is out) is the same share of
//! its work as the crate's was, the rest is codegen, which may use every core. A library
//! starts once its dependencies' metadata is out; a test binary once its dependencies'
//! libraries have ended. [`crate::schedule`] shares the cores among the units.
//!
//! How much the cores add comes from three recorded builds of the crate: alone on one job,
//! alone on every core (its codegen's speedup `s` there), and its library beside its test
//! binary on every core. `s` is the unit's own speedup `u` times what the machine gives each
//! thread (`m / cores`, `m` the machine's throughput); the third build says how to divide it:
//! two units side by side run at full speed on cores of their own (`m = cores`, `u = s`) or
//! slow each other down (hyperthreads: `m = s`, `u = cores`). `m` is fitted between the two
//! so the schedule of that build takes what it took.
//!
//! Owns: turning a candidate row into units and the schedule into a [`CleanBuild`]. Pure.
//! Must not: read recordings or run cargo.

use crate::data::clean::{Bar, CleanBuild, CleanCrate, CleanProfile, CleanRecording};
use crate::data::partition::CandidateRow;
use crate::data::timings::FitRow;
use crate::data::trade_off::{CleanInfo, TradeOffReport};
use crate::schedule::{Machine, Schedule, Unit, schedule};

/// The fixed cost of a crate's clean build when the recording has no fit across crates (a
/// single crate): a crate of a dozen lines built with `CARGO_INCREMENTAL=0`, rustc 1.95.0 on a
/// 2-core machine, took 0.04–0.07 s (cargo's `--timings` of `ori_stack`, 20 lines, and of
/// the 9-line scratch crate an earlier `record --quick` built alone).
pub const PRIOR_CLEAN_FIXED_S: f64 = 0.05;

/// `seconds = fixed + per_line × lines`, calibrated to the crate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CleanCurve {
    pub fixed: f64,
    pub per_line: f64,
}

impl CleanCurve {
    /// The fit (if any) scaled so that `lines` cost `measured`; without a fit, the prior fixed
    /// cost and the rest per line. The fixed cost is at most `smallest`, the cost of the
    /// cheapest crate recorded: no crate costs less than the fixed cost. (Across a workspace
    /// the fit's intercept mostly says that small crates are denser code; on the Ori compiler
    /// it was 0.25 s for libraries, where its 16-line crate took 0.03 s.)
    pub fn calibrated(fit: Option<&FitRow>, lines: f64, measured: f64, smallest: Option<f64>) -> CleanCurve {
        let lines = lines.max(1.0);
        let cap = |fixed: f64| smallest.map_or(fixed, |s| fixed.min(s)).min(measured);
        match fit {
            Some(f) if f.fixed_s + f.per_line_s * lines > 0.0 && f.per_line_s >= 0.0 && f.fixed_s >= 0.0 => {
                let scale = measured / (f.fixed_s + f.per_line_s * lines);
                let fixed = cap(f.fixed_s * scale);
                CleanCurve { fixed, per_line: (measured - fixed) / lines }
            }
            _ => {
                let fixed = cap(PRIOR_CLEAN_FIXED_S.min(measured / 2.0));
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
    /// A library's work for its src lines.
    pub lib: CleanCurve,
    /// The share of a library's work until its metadata is out.
    pub metadata_share: f64,
    /// A unit-test binary's work for its src and test lines.
    pub test: Option<CleanCurve>,
    /// The share of a test binary's work in rustc's frontend (one thread).
    pub test_frontend_share: f64,
    /// The unsplit crate as measured: library work, test binary work.
    pub measured: (f64, Option<f64>),
    /// The recording machine's cores and its throughput with all of them busy.
    pub recorded: Machine,
    /// A unit's codegen speedup on all the recording machine's cores (ideal cores).
    pub unit_speedup: f64,
    /// Whether the crate was recorded on every core (else: ideal cores, and units timed in a
    /// parallel build are taken to use one thread each, a list schedule).
    pub throughput_measured: bool,
    /// Whether the crate's library beside its test binary was recorded to divide the speedup
    /// between the machine and the unit (else: ideal cores, the unit's speedup as measured).
    pub machine_fitted: bool,
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
        let metadata_share = metadata.map_or(DEFAULT_METADATA_SHARE, |m| m / lib_s);
        let src = f64::from(own.src_lines);
        // The cheapest crate's cost, over the crates other than this one.
        let smallest = |cost: fn(&CleanCrate) -> Option<crate::data::timings::Spread>| {
            recording
                .crates
                .iter()
                .filter(|c| c.name != krate)
                .filter_map(|c| cost(c).map(|s| s.median))
                .reduce(f64::min)
        };
        let tests = f64::from(own.src_lines + own.test_lines);
        let cores = recording.cores.max(1);
        // Codegen alone on one thread, then on every core: how much more work the cores get
        // through together.
        let metadata_s = lib_s * metadata_share;
        let throughput = own.parallel.as_ref().filter(|p| p.jobs == cores && cores > 1).and_then(|p| {
            let (one, all) = (lib_s - metadata_s, p.lib_s.median - metadata_s);
            (one > 0.0 && all > 0.0).then(|| (one / all).clamp(1.0, cores as f64))
        });
        // A test binary's frontend from the same two timings: `one = F + C`, `all = F + C / s`.
        let test_frontend_share = match (throughput, own.test_s, own.parallel.as_ref().and_then(|p| p.test_s))
        {
            (Some(s), Some(one), Some(all)) if s > 1.0 + 1e-6 && one.median > 0.0 => {
                let codegen = (one.median - all.median) * s / (s - 1.0);
                (1.0 - codegen / one.median).clamp(0.0, 1.0)
            }
            _ => metadata_share,
        };
        let mut costs = CleanCosts {
            lib: CleanCurve::calibrated(recording.lib.as_ref(), src, lib_s, smallest(|c| Some(c.lib_s))),
            metadata_share,
            test: own.test_s.map(|t| {
                CleanCurve::calibrated(recording.test.as_ref(), tests, t.median, smallest(|c| c.test_s))
            }),
            test_frontend_share,
            measured: (lib_s, own.test_s.map(|t| t.median)),
            recorded: Machine::ideal(cores),
            unit_speedup: throughput.unwrap_or(1.0),
            throughput_measured: throughput.is_some(),
            machine_fitted: false,
        };
        let together = own.parallel.as_ref().filter(|_| throughput.is_some()).and_then(|p| p.together_s);
        if let (Some(s), Some(together), Some(_)) = (throughput, together, costs.measured.1) {
            costs.fit_machine(s, together.median);
        }
        Ok(costs)
    }

    /// Divides the crate's observed speedup `s` on every core between the machine and the
    /// unit so that its library and test binary side by side take `together` seconds. The
    /// span only falls as `m` grows (the unit alone stays as measured, two units side by side
    /// get more), so a bisection finds it; outside the range, the nearer end.
    fn fit_machine(&mut self, s: f64, together: f64) {
        let cores = self.recorded.cores as f64;
        let span = |costs: &mut CleanCosts, m: f64| {
            costs.recorded.full_throughput = m;
            costs.unit_speedup = (s * cores / m).clamp(1.0, cores);
            unsplit(costs, true, costs.recorded).0
        };
        let (mut low, mut high) = (s.max(1.0), cores);
        for _ in 0..50 {
            let mid = (low + high) / 2.0;
            if span(self, mid) > together { low = mid } else { high = mid }
        }
        span(self, (low + high) / 2.0);
        self.machine_fitted = true;
    }

    /// The machine to schedule on with `cores` cores: the recording's, or one whose every extra
    /// core adds what each extra core added there (a prediction).
    pub fn machine(&self, cores: usize) -> Machine {
        Machine {
            cores,
            full_throughput: per_extra_core(self.recorded.full_throughput, self.recorded.cores, cores),
        }
    }

    /// A unit's codegen speedup on `cores` ideal cores: every extra core adds what each extra
    /// core added on the recording machine (a prediction beyond its cores).
    pub fn unit_speedup(&self, cores: usize) -> f64 {
        per_extra_core(self.unit_speedup, self.recorded.cores, cores)
    }

    /// Threads a unit's codegen may use: every core when the throughput was measured, else one
    /// (the units' costs are then durations in a parallel build).
    fn threads(&self, cores: usize) -> usize {
        if self.throughput_measured { cores } else { 1 }
    }

    fn unit(&self, work: f64, frontend_share: f64, cores: usize) -> Unit {
        let frontend = work * frontend_share;
        Unit {
            frontend,
            codegen: work - frontend,
            threads: self.threads(cores),
            // Without a measured speedup it is 1, and the unit has one thread anyway.
            speedup: self.unit_speedup(cores),
            after_metadata: Vec::new(),
            after_end: Vec::new(),
        }
    }

    fn lib_unit(&self, work: f64, after_metadata: Vec<usize>, cores: usize) -> Unit {
        Unit { after_metadata, ..self.unit(work, self.metadata_share, cores) }
    }

    fn test_unit(&self, work: f64, after_end: Vec<usize>, cores: usize) -> Unit {
        Unit { after_end, ..self.unit(work, self.test_frontend_share, cores) }
    }
}

/// `value` measured on `from` cores (1 on one core), grown linearly to `to` cores.
fn per_extra_core(value: f64, from: usize, to: usize) -> f64 {
    let per_core = if from > 1 { (value - 1.0) / (from as f64 - 1.0) } else { 1.0 };
    1.0 + per_core * (to.max(1) as f64 - 1.0)
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

/// The units of `crates`: each crate's library at its index, then (test profile) each one's
/// test binary.
fn units(crates: &[SplitCrate], costs: &CleanCosts, tests: bool, cores: usize) -> Vec<Unit> {
    let mut units: Vec<Unit> =
        crates.iter().map(|c| costs.lib_unit(costs.lib.at(c.src), c.uses.clone(), cores)).collect();
    if let (true, Some(test)) = (tests, costs.test) {
        for (i, c) in crates.iter().enumerate() {
            units.push(costs.test_unit(test.at(c.src + c.tests), closure(crates, i), cores));
        }
    }
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

/// The unsplit crate's clean build: its library (and test binary) as measured, on `machine`.
fn unsplit(costs: &CleanCosts, tests: bool, machine: Machine) -> (f64, f64) {
    let (lib, test) = costs.measured;
    let mut units = vec![costs.lib_unit(lib, Vec::new(), machine.cores)];
    if let (true, Some(test)) = (tests, test) {
        units.push(costs.test_unit(test, Vec::new(), machine.cores));
    }
    let s = schedule(&units, machine).expect("independent units schedule");
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
    let machine = costs.machine(cores);
    let profile = |tests: bool| -> Option<CleanProfile> {
        let units = units(&crates, costs, tests, cores);
        let s = schedule(&units, machine).ok()?;
        let (unsplit_s, unsplit_metadata) = unsplit(costs, tests, machine);
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
    Some(CleanBuild {
        cores,
        full_throughput: machine.full_throughput,
        unit_speedup: costs.unit_speedup(cores),
        lib,
        test,
    })
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
        crate_test_s: costs.measured.1,
        full_throughput: costs.machine(cores).full_throughput,
        unit_speedup: costs.unit_speedup(cores),
        throughput_measured: costs.throughput_measured,
        machine_fitted: costs.machine_fitted,
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
                parallel: None,
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

    /// `big` recorded on two jobs: codegen 1.2 s on one job, 0.8 s on two (a speedup of
    /// 1.5); the test binary 4.4 s on one job, 3.6 s on two, so 2.4 s of it is codegen.
    fn on_two_jobs(together: Option<f64>) -> CleanCosts {
        let mut rec = recording();
        rec.crates[0].parallel = Some(crate::data::clean::ParallelUnits {
            jobs: 2,
            lib_s: spread(2.0),
            test_s: Some(spread(3.6)),
            together_s: together.map(spread),
        });
        CleanCosts::of(&rec, "big").unwrap()
    }

    #[test]
    fn the_crate_on_every_core_gives_its_speedup_and_the_test_binary_frontend() {
        let costs = on_two_jobs(None);
        assert!(costs.throughput_measured && !costs.machine_fitted);
        // Without the two side by side: ideal cores, the speedup the unit's own.
        assert_eq!(costs.recorded, Machine::ideal(2));
        assert!((costs.unit_speedup - 1.5).abs() < 1e-12);
        assert!((costs.test_frontend_share - 2.0 / 4.4).abs() < 1e-12);
        // Each extra core adds what the second did.
        assert!((costs.unit_speedup(8) - 4.5).abs() < 1e-12);
        let build = clean_build(&chain_row(), "big", (1000.0, 1000.0), &costs, 2).unwrap();
        // The unsplit library alone is what was measured on two jobs.
        assert!((build.lib.unsplit_s - 2.0).abs() < 1e-9);
        // Library and test binary at once, a core each: the library ends at 2.4 s; the test
        // binary is then 0.4 s into its 2.4 s of codegen, and does the 2.0 s left at 1.5×.
        let test = build.test.unwrap();
        assert!((test.unsplit_s - (2.4 + 2.0 / 1.5)).abs() < 1e-9, "{}", test.unsplit_s);
    }

    #[test]
    fn the_two_side_by_side_divide_the_speedup_between_machine_and_unit() {
        // Hyperthreads: two busy threads do 1.5× one's work, the unit uses both fully. The
        // library and test binary then share the cores at 0.75 each: the library's frontend
        // ends at 1.6 s, its codegen at 3.2 s, the test binary's at 3.2 + 2.0 / 1.5.
        let smt = 3.2 + 2.0 / 1.5;
        let costs = on_two_jobs(Some(smt));
        assert!(costs.machine_fitted);
        assert!((costs.recorded.full_throughput - 1.5).abs() < 1e-6, "{:?}", costs.recorded);
        assert!((costs.unit_speedup - 2.0).abs() < 1e-6);
        // Between the two ends, a machine between them, and its schedule takes what was measured.
        let costs = on_two_jobs(Some(4.2));
        let m = costs.recorded.full_throughput;
        assert!(m > 1.5 && m < 2.0, "{m}");
        assert!((costs.unit_speedup * m / 2.0 - 1.5).abs() < 1e-9);
        assert!((unsplit(&costs, true, costs.recorded).0 - 4.2).abs() < 1e-6);
        // Faster than ideal cores allow: the ideal end.
        let costs = on_two_jobs(Some(3.0));
        assert!((costs.recorded.full_throughput - 2.0).abs() < 1e-6);
    }
}
