//! Clean builds, measured: `record --clean` (every workspace library rebuilt alone with
//! `CARGO_INCREMENTAL=0` on one job, cargo's `--timings` report read for each unit's duration
//! and when its metadata was ready; the analyzed crate also on every core), the same from a
//! report the user made, and `apply --measure --clean`'s timing of the original crate against
//! its split copy.
//!
//! Why alone and on one job: units timed while others build beside them are slowed by their
//! neighbours (on a 2-core machine `ori_arc`'s library took 1.33 s beside its test binary,
//! 1.03 s alone), and rustc's codegen uses every core it can get. One job gives each unit's
//! work in one-thread seconds, the crate on every core how much the cores add; the schedule
//! shares the cores from there.
//!
//! Clean builds run in their own target directory (`<target>/splitcheck-clean`): a
//! non-incremental build would otherwise replace the incremental artifacts the user's next
//! edit reuses. A build is made clean by a comment appended to each crate's root file
//! (journaled, restored after) and `CARGO_INCREMENTAL=0`: every touched crate recompiles from
//! nothing, its dependencies stay built.
//!
//! Owns: those loops and turning cargo's units into [`CleanCrate`]s. Must not: leave a file
//! edited (every edit goes through the journal).

use super::cargo_timings::{self, TimedUnit};
use super::journal::{self, Journal};
use super::prediction::CheckedSplit;
use super::record::{Restorer, journal_error, touch_journaled};
use crate::analysis::CrateAnalysis;
use crate::cargo::Cargo;
use crate::cost::{Sample, spread};
use crate::data::clean::{CLEAN_SCHEMA_VERSION, CleanCrate, CleanRecording, ParallelUnits};
use crate::data::timings::{Spread, TouchKind};
use crate::error::Error;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A library crate to build clean: its name, root file and lines.
#[derive(Debug, Clone)]
pub struct CleanTarget {
    pub name: String,
    pub root_file: PathBuf,
    pub src_lines: u32,
    pub test_lines: u32,
}

/// Samples of one crate's units over the reps.
#[derive(Debug, Default, Clone)]
struct UnitSamples {
    lib: Vec<f64>,
    metadata: Vec<f64>,
    test: Vec<f64>,
    /// Library and test binary built together: the span of the two.
    together: Vec<f64>,
}

/// Samples of the crates' units, on one job and (the analyzed crate) on `jobs`.
#[derive(Debug, Default, Clone)]
struct Samples {
    one_job: BTreeMap<String, UnitSamples>,
    parallel: BTreeMap<String, UnitSamples>,
    jobs: usize,
}

/// Whether a unit of cargo's report is a library's unit-test binary (`target` reads like
/// ` name "lib" (test)`), its library (empty target), or something else.
fn unit_kind(u: &TimedUnit) -> Option<bool> {
    let target = u.target.trim();
    if target.is_empty() {
        Some(false)
    } else if target.ends_with("(test)") && target.contains("\"lib\"") {
        Some(true)
    } else {
        None
    }
}

/// Adds the units of one cargo report to the samples of the crates named in `names`.
fn add_units(units: &[TimedUnit], names: &[String], samples: &mut BTreeMap<String, UnitSamples>) {
    for u in units.iter().filter(|u| names.contains(&u.name) && u.duration > 0.0) {
        let entry = samples.entry(u.name.clone()).or_default();
        match unit_kind(u) {
            Some(false) => {
                entry.lib.push(u.duration);
                // The frontend's end is when the `.rmeta` is written (cargo's own `rmeta_time`
                // when it recorded one).
                let frontend = u.sections.iter().find(|(n, _)| n == "frontend").map(|(_, p)| p.end);
                if let Some(m) = u.rmeta_time.or(frontend) {
                    entry.metadata.push(m);
                }
            }
            Some(true) => entry.test.push(u.duration),
            None => {}
        }
    }
}

/// From the first unit's start to the last one's end (0 with none).
fn units_span(units: &[&TimedUnit]) -> f64 {
    let start = units.iter().map(|u| u.start).fold(f64::INFINITY, f64::min);
    let end = units.iter().map(|u| u.start + u.duration).fold(0.0, f64::max);
    if start.is_finite() { end - start } else { 0.0 }
}

/// The recording's crates and fits from the samples.
fn crates_and_fits(
    targets: &[CleanTarget],
    samples: &Samples,
) -> (Vec<CleanCrate>, Option<crate::data::timings::FitRow>, Option<crate::data::timings::FitRow>) {
    let crates: Vec<CleanCrate> = targets
        .iter()
        .filter_map(|t| {
            let s = samples.one_job.get(&t.name)?;
            let parallel = samples.parallel.get(&t.name).and_then(|p| {
                Some(ParallelUnits {
                    jobs: samples.jobs,
                    lib_s: spread(&p.lib)?,
                    test_s: spread(&p.test),
                    together_s: spread(&p.together),
                })
            });
            Some(CleanCrate {
                name: t.name.clone(),
                src_lines: t.src_lines,
                test_lines: t.test_lines,
                lib_s: spread(&s.lib)?,
                metadata_s: spread(&s.metadata),
                test_s: spread(&s.test),
                parallel,
            })
        })
        .collect();
    let points = |test: bool| -> Vec<Sample> {
        crates
            .iter()
            .filter_map(|c| {
                let (lines, s) =
                    if test { (c.src_lines + c.test_lines, c.test_s?) } else { (c.src_lines, c.lib_s) };
                Some(Sample { lines: f64::from(lines), seconds: s.median })
            })
            .collect()
    };
    let lib = crate::cost::fit(&points(false), 1000, 11).map(|f| f.row());
    let test = crate::cost::fit(&points(true), 1000, 12).map(|f| f.row());
    (crates, lib, test)
}

fn recording(
    analysis: &CrateAnalysis,
    source: &str,
    reps: u32,
    features: String,
    targets: &[CleanTarget],
    samples: &Samples,
    skipped: Vec<String>,
) -> CleanRecording {
    let (crates, lib, test) = crates_and_fits(targets, samples);
    CleanRecording {
        schema_version: CLEAN_SCHEMA_VERSION,
        krate: analysis.package.name.clone(),
        source: source.to_owned(),
        git_commit: crate::git::head(&analysis.package.root_dir),
        rustc: crate::cargo::tool_version("rustc"),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu: crate::provenance::cpu_model(),
        reps,
        features,
        crates,
        skipped,
        lib,
        test,
    }
}

/// Every library crate of the crate's workspace, with its lines.
pub fn workspace_targets(analysis: &CrateAnalysis, offline: bool) -> Result<Vec<CleanTarget>, Error> {
    let members = crate::workspace::workspace_libraries(&analysis.package, offline)?;
    Ok(members
        .into_iter()
        .map(|m| {
            let totals = crate::modtree::walk(&m.lib_src, &m.root_dir).totals();
            CleanTarget {
                name: m.name,
                root_file: m.lib_src,
                src_lines: totals.src_code,
                test_lines: totals.test_code,
            }
        })
        .collect())
}

/// The recording from a `cargo build --timings` (or `cargo test --no-run --timings`) report the
/// user made: the units of the workspace's libraries it holds, one sample each.
pub fn from_cargo_timings(
    analysis: &CrateAnalysis,
    html: &Path,
    offline: bool,
) -> Result<CleanRecording, Error> {
    let shown = html.display();
    let text = std::fs::read_to_string(html)
        .map_err(|e| Error::Usage(format!("--from-cargo-timings {shown}: {e}")))?;
    let units = cargo_timings::parse(&text)
        .map_err(|e| Error::Usage(format!("--from-cargo-timings {shown}: {e}")))?;
    let targets = workspace_targets(analysis, offline)?;
    let names: Vec<String> = targets.iter().map(|t| t.name.clone()).collect();
    let mut samples = Samples::default();
    add_units(&units, &names, &mut samples.one_job);
    if !samples.one_job.contains_key(&analysis.package.name) {
        return Err(Error::Usage(format!(
            "--from-cargo-timings {shown}: no unit of crate `{}` in it (was it built in that run?)",
            analysis.package.name
        )));
    }
    Ok(recording(analysis, "cargo build --timings", 1, String::new(), &targets, &samples, Vec::new()))
}

/// Cargo for clean builds of `manifest`'s workspace, in `target_dir`.
fn clean_cargo(
    manifest: &Path,
    target_dir: PathBuf,
    offline: bool,
    flags: crate::cargo::CargoFlags,
) -> Cargo {
    Cargo { manifest: manifest.to_path_buf(), offline, target_dir: Some(target_dir), flags }
}

fn with_packages(args: &[&str], names: &[String]) -> Vec<String> {
    let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    for n in names {
        v.extend(["-p".to_owned(), n.clone()]);
    }
    v
}

/// Touches every target's root file (a comment, the `n`-th), journaled.
fn touch_all(
    journal: &mut Journal,
    targets: &[CleanTarget],
    originals: &[String],
    n: u32,
) -> Result<(), Error> {
    for (t, original) in targets.iter().zip(originals) {
        touch_journaled(journal, &t.root_file, original, TouchKind::Comment, n)?;
    }
    Ok(())
}

/// Runs cargo with `--timings` and `CARGO_INCREMENTAL=0`; returns its wall time and units.
fn timed_units(cargo: &Cargo, args: &[String]) -> Result<(f64, Vec<TimedUnit>), Error> {
    let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
    a.push("--timings");
    let wall = cargo.timed(&a, true)?;
    let dir = cargo.target_dir.clone().unwrap_or_default().join("cargo-timings");
    let html = dir.join("cargo-timing.html");
    let text = std::fs::read_to_string(&html).map_err(Error::file("read", &html))?;
    let units =
        cargo_timings::parse(&text).map_err(|e| Error::Measure(format!("{}: {e}", html.display())))?;
    Ok((wall, units))
}

/// `record --clean`: `reps` clean builds of every library of the workspace, each crate alone
/// (its library, then its unit-test binary) on one job, and the analyzed crate also on every
/// core; each crate's units timed by cargo.
pub fn record_clean(
    analysis: &CrateAnalysis,
    options: &super::record::RecordOptions,
) -> Result<CleanRecording, Error> {
    crate::cargo::install_interrupt_handler();
    let package = &analysis.package;
    if let Some(pid) = journal::live_owner(&package.target_dir) {
        return Err(Error::Busy { krate: package.name.clone(), pid });
    }
    let _owner = journal::claim(&package.target_dir).map_err(|e| journal_error(&package.target_dir, e))?;
    let mut journal =
        Journal::open(&package.target_dir).map_err(|e| journal_error(&package.target_dir, e))?;
    let flags = crate::cargo::CargoFlags { locked: options.cargo.locked, ..Default::default() };
    let cargo = clean_cargo(
        &package.manifest_path,
        package.target_dir.join("splitcheck-clean"),
        options.offline,
        flags,
    );
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let progress = super::record::progress_bar(options.progress, 0);
    // A crate that does not build here (a missing system library) is left out, and said.
    let mut targets = Vec::new();
    let mut skipped = Vec::new();
    let all = workspace_targets(analysis, options.offline)?;
    progress.inc_length(all.len() as u64);
    for t in all {
        progress.set_message(format!("first build of {}", t.name));
        let names = std::slice::from_ref(&t.name);
        let built =
            [with_packages(&["build", "--lib"], names), with_packages(&["test", "--no-run", "--lib"], names)]
                .iter()
                .try_for_each(|args| {
                    cargo.timed(&args.iter().map(String::as_str).collect::<Vec<_>>(), true).map(|_| ())
                });
        progress.inc(1);
        match built {
            Ok(()) => targets.push(t),
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(e) => skipped.push(format!("{}: {e}", t.name)),
        }
    }
    if !targets.iter().any(|t| t.name == package.name) {
        return Err(Error::Measure(format!(
            "`{}` does not build with CARGO_INCREMENTAL=0: {}",
            package.name,
            skipped.join("; ")
        )));
    }
    let originals: Vec<String> = targets
        .iter()
        .map(|t| std::fs::read_to_string(&t.root_file).map_err(Error::file("read", &t.root_file)))
        .collect::<Result<_, _>>()?;
    // Each crate on one job; the analyzed crate again on every core, right after its one-job
    // run: its dependencies are then up to date, so nothing else compiles beside it (a
    // dependency touched in between would be rebuilt in the same run and share the cores).
    let mut runs = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        runs.push((i, 1));
        if jobs > 1 && t.name == package.name {
            runs.push((i, jobs));
        }
    }
    progress.inc_length(u64::from(options.reps) * runs.len() as u64);
    let mut samples = Samples { jobs, ..Samples::default() };
    let guard = Restorer { journal: &mut journal };
    let mut n = 0;
    for _ in 0..options.reps {
        for &(i, run_jobs) in &runs {
            let t = &targets[i];
            n += 1;
            progress.set_message(format!("{} alone on {run_jobs} job(s)", t.name));
            touch_journaled(guard.journal, &t.root_file, &originals[i], TouchKind::Comment, n)?;
            let into = if run_jobs == 1 { &mut samples.one_job } else { &mut samples.parallel };
            let names = std::slice::from_ref(&t.name);
            let j = run_jobs.to_string();
            // The library first: the test binary's build then has only its own unit to compile.
            for args in [
                with_packages(&["build", "--lib", "-j", &j], names),
                with_packages(&["test", "--no-run", "--lib", "-j", &j], names),
            ] {
                let (_, units) = timed_units(&cargo, &args)?;
                add_units(&units, names, into);
            }
            if run_jobs > 1 {
                // Then both at once, as `cargo test --no-run` builds them: how much two units
                // side by side slow each other.
                n += 1;
                touch_journaled(guard.journal, &t.root_file, &originals[i], TouchKind::Comment, n)?;
                let (_, units) = timed_units(&cargo, &with_packages(&["test", "--no-run", "-j", &j], names))?;
                let own: Vec<&TimedUnit> = units
                    .iter()
                    .filter(|u| u.name == t.name && u.duration > 0.0 && unit_kind(u).is_some())
                    .collect();
                if own.len() == 2 {
                    into.entry(t.name.clone()).or_default().together.push(units_span(&own));
                }
            }
            progress.inc(1);
        }
    }
    drop(guard);
    progress.finish_and_clear();
    Ok(recording(
        analysis,
        "record --clean",
        options.reps,
        "the default features".to_owned(),
        &targets,
        &samples,
        skipped,
    ))
}

/// One side's clean builds in `apply --measure --clean`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MeasuredClean {
    /// From the first unit's start to the last unit's end, as cargo's `--timings` reports them.
    pub build_s: Spread,
    /// Cargo's whole run (its own start-up and checks included).
    pub wall_s: Spread,
}

/// Clean builds of the original crate and of its split copy, interleaved: per profile,
/// `(original, split)`.
pub struct CleanSides<'a> {
    pub original: (&'a Cargo, Vec<CleanTarget>),
    pub split: (&'a Cargo, Vec<CleanTarget>),
}

/// Times `reps` clean builds (`cargo build --lib`, then `cargo test --no-run`) of each side's
/// crates, the side that goes first alternating; returns (lib, test) × (original, split).
pub fn measure_clean(
    sides: CleanSides<'_>,
    journals: (&mut Journal, &mut Journal),
    reps: u32,
) -> Result<[(MeasuredClean, MeasuredClean); 2], Error> {
    let read = |targets: &[CleanTarget]| -> Result<Vec<String>, Error> {
        targets
            .iter()
            .map(|t| std::fs::read_to_string(&t.root_file).map_err(Error::file("read", &t.root_file)))
            .collect()
    };
    let originals = [read(&sides.original.1)?, read(&sides.split.1)?];
    let names = |targets: &[CleanTarget]| -> Vec<String> { targets.iter().map(|t| t.name.clone()).collect() };
    let args = |targets: &[CleanTarget], test: bool| {
        let n = names(targets);
        if test { with_packages(&["test", "--no-run"], &n) } else { with_packages(&["build", "--lib"], &n) }
    };
    let side_list = [&sides.original, &sides.split];
    let (jo, js) = journals;
    let journals = [jo, js];
    // Warm each side's clean target directory: dependencies built once, non-incrementally.
    for (cargo, targets) in side_list {
        for test in [false, true] {
            timed_units(cargo, &args(targets, test))?;
        }
    }
    // [profile][side] → (build, wall) samples.
    let mut samples: [[(Vec<f64>, Vec<f64>); 2]; 2] = Default::default();
    let mut n = 1000;
    for rep in 0..reps {
        let order: [usize; 2] = if rep % 2 == 0 { [0, 1] } else { [1, 0] };
        for side in order {
            let (cargo, targets) = side_list[side];
            let guard = Restorer { journal: &mut *journals[side] };
            for (profile, test) in [false, true].into_iter().enumerate() {
                n += 1;
                touch_all(guard.journal, targets, &originals[side], n)?;
                let (wall, units) = timed_units(cargo, &args(targets, test))?;
                let built: Vec<&TimedUnit> = units.iter().filter(|u| u.duration > 0.0).collect();
                samples[profile][side].0.push(units_span(&built));
                samples[profile][side].1.push(wall);
            }
            drop(guard);
        }
    }
    let measured = |s: &(Vec<f64>, Vec<f64>)| -> Result<MeasuredClean, Error> {
        let none = || Error::Measure("no clean build was timed".to_owned());
        Ok(MeasuredClean { build_s: spread(&s.0).ok_or_else(none)?, wall_s: spread(&s.1).ok_or_else(none)? })
    };
    let pair = |p: usize| -> Result<(MeasuredClean, MeasuredClean), Error> {
        Ok((measured(&samples[p][0])?, measured(&samples[p][1])?))
    };
    Ok([pair(0)?, pair(1)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_of_a_real_report_become_crates() {
        let html = include_str!("../../tests/fixtures/cargo_timings/cargo-timing.html");
        let units = cargo_timings::parse(html).unwrap();
        let names = vec!["resolution".to_owned(), "serde".to_owned()];
        let mut samples = Samples::default();
        add_units(&units, &names, &mut samples.one_job);
        let own = &samples.one_job["resolution"];
        assert_eq!(own.lib.len(), 1);
        assert!(own.metadata.len() == 1 && own.metadata[0] <= own.lib[0]);
        let targets = [CleanTarget {
            name: "resolution".to_owned(),
            root_file: PathBuf::new(),
            src_lines: 40,
            test_lines: 0,
        }];
        let (crates, lib, _) = crates_and_fits(&targets, &samples);
        assert_eq!(crates.len(), 1);
        assert_eq!(crates[0].lib_s.median, own.lib[0]);
        assert!(lib.is_none(), "one crate cannot be fitted");
    }

    #[test]
    fn test_binaries_and_libraries_are_told_apart() {
        let unit = |target: &str| TimedUnit {
            name: "a".to_owned(),
            version: "0.1.0".to_owned(),
            mode: "todo".to_owned(),
            target: target.to_owned(),
            start: 0.0,
            duration: 1.0,
            rmeta_time: None,
            sections: Vec::new(),
        };
        assert_eq!(unit_kind(&unit("")), Some(false));
        assert_eq!(unit_kind(&unit(" a \"lib\" (test)")), Some(true));
        assert_eq!(unit_kind(&unit(" build-script")), None);
        assert_eq!(unit_kind(&unit(" \"it\" (test)")), None);
    }
}

pub const CLEAN_CHECK_SCHEMA_VERSION: u32 = 1;

/// `apply --measure --clean`: a split's clean build measured beside its prediction.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CleanCheck {
    pub schema_version: u32,
    #[serde(flatten)]
    pub checked: CheckedSplit,
    pub cores: usize,
    pub reps: u32,
    /// The clean-build recording the prediction used (relative to the check's directory).
    pub recording: String,
    /// The cores as the prediction schedules them: one-thread work per second with every core
    /// busy, and a unit's codegen speedup on every core.
    pub full_throughput: f64,
    pub unit_speedup: f64,
    pub profiles: Vec<CleanProfileCheck>,
    /// The same split predicted for other numbers of cores (predictions only).
    pub other_cores: Vec<OtherCores>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CleanProfileCheck {
    /// `lib` (`cargo build --lib`) or `test` (`cargo test --no-run`).
    pub profile: &'static str,
    pub predicted_unsplit_s: f64,
    pub predicted_split_s: f64,
    pub predicted_saving_pct: f64,
    pub measured_unsplit: MeasuredClean,
    pub measured_split: MeasuredClean,
    /// `1 - split / unsplit` of the medians of the measured builds, in percent.
    pub measured_saving_pct: f64,
    /// (predicted − measured) / measured, in percent, of the unsplit and the split build.
    pub error_pct: (f64, f64),
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OtherCores {
    pub cores: usize,
    pub lib_s: (f64, f64),
    pub test_s: Option<(f64, f64)>,
    /// The machine and unit speedup scheduled on there (grown from the recording's).
    pub full_throughput: f64,
    pub unit_speedup: f64,
}

/// Sets the measured clean builds beside the predicted ones.
pub fn clean_check(
    header: CleanCheckHeader,
    predicted: &crate::data::clean::CleanBuild,
    measured: [(MeasuredClean, MeasuredClean); 2],
    other_cores: Vec<OtherCores>,
) -> CleanCheck {
    let mut profiles = Vec::new();
    for ((name, p), (unsplit, split)) in
        [("lib", Some(&predicted.lib)), ("test", predicted.test.as_ref())].into_iter().zip(measured)
    {
        let Some(p) = p else { continue };
        let (mu, ms) = (unsplit.build_s.median, split.build_s.median);
        let error = |pred: f64, meas: f64| if meas > 0.0 { 100.0 * (pred - meas) / meas } else { 0.0 };
        profiles.push(CleanProfileCheck {
            profile: name,
            predicted_unsplit_s: p.unsplit_s,
            predicted_split_s: p.split_s,
            predicted_saving_pct: p.saving_pct,
            measured_saving_pct: if mu > 0.0 { 100.0 * (1.0 - ms / mu) } else { 0.0 },
            error_pct: (error(p.unsplit_s, mu), error(p.split_s, ms)),
            measured_unsplit: unsplit,
            measured_split: split,
        });
    }
    CleanCheck {
        schema_version: CLEAN_CHECK_SCHEMA_VERSION,
        checked: header.checked,
        cores: predicted.cores,
        reps: header.reps,
        recording: header.recording,
        full_throughput: predicted.full_throughput,
        unit_speedup: predicted.unit_speedup,
        profiles,
        other_cores,
    }
}

/// What a clean check is of.
pub struct CleanCheckHeader {
    pub checked: CheckedSplit,
    pub reps: u32,
    pub recording: String,
}

/// `clean-check.md`.
pub fn clean_check_markdown(c: &CleanCheck) -> String {
    use std::fmt::Write as _;
    let mut w = String::new();
    let _ = writeln!(w, "# {}: clean-build check of {}\n", c.checked.krate, c.checked.split);
    let commit = c
        .checked
        .crate_commit
        .as_deref()
        .map_or("(no commit)".to_owned(), |s| format!("`{}`", &s[..s.len().min(12)]));
    let _ = writeln!(
        w,
        "Checked by {} on {}, `{}` at commit {commit}, {}, {} cores; costs from `{}`.\n",
        c.checked.tool, c.checked.date, c.checked.krate, c.checked.rustc, c.cores, c.recording
    );
    let _ = writeln!(
        w,
        "`splitcheck apply --measure --clean` split `{}` into {} (shape `{}`), proved it builds and passes the \
         same tests, then timed clean builds of the original crate and of the split's crates, interleaved \
         ({} reps per side): a comment appended to each crate's root file and `CARGO_INCREMENTAL=0`, in a \
         target directory of their own, dependencies built before. *Build* is the span of the crates' units \
         in cargo's `--timings` report (what the prediction schedules); *wall* is cargo's whole run. The \
         schedule's cores, from the recording: with every core busy they get through {:.2} cores' work, and a \
         unit's codegen on all of them runs {:.2}× as fast as on one.\n",
        c.checked.krate,
        c.checked.parts.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
        c.checked.shape,
        c.reps,
        c.full_throughput,
        c.unit_speedup
    );
    let _ = writeln!(
        w,
        "| Build | Predicted unsplit | Predicted split | Predicted saving | Measured unsplit (wall) | Measured split (wall) | Measured saving | Error unsplit / split |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|---|---|---|");
    for p in &c.profiles {
        let what = if p.profile == "lib" { "`cargo build --lib`" } else { "`cargo test --no-run`" };
        let m = |m: &MeasuredClean| {
            format!(
                "{:.2} s ({:.2}–{:.2}; wall {:.2} s)",
                m.build_s.median, m.build_s.min, m.build_s.max, m.wall_s.median
            )
        };
        let _ = writeln!(
            w,
            "| {what} | {:.2} s | {:.2} s | {:.1}% | {} | {} | {:.1}% | {:+.0}% / {:+.0}% |",
            p.predicted_unsplit_s,
            p.predicted_split_s,
            p.predicted_saving_pct,
            m(&p.measured_unsplit),
            m(&p.measured_split),
            p.measured_saving_pct,
            p.error_pct.0,
            p.error_pct.1
        );
    }
    let _ = writeln!(w);
    for o in &c.other_cores {
        let test =
            o.test_s.map_or(String::new(), |(u, s)| format!("; `cargo test --no-run` {u:.2} s → {s:.2} s"));
        let _ = writeln!(
            w,
            "Predicted (not measured) on {} cores: `cargo build --lib` {:.2} s → {:.2} s{test} (each extra core \
             adding what each added on this machine: {:.2} cores' work with all busy, a unit's codegen {:.2}× one core).\n",
            o.cores, o.lib_s.0, o.lib_s.1, o.full_throughput, o.unit_speedup
        );
    }
    w
}
