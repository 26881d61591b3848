//! Recording real incremental rebuild times with cargo.
//!
//! Owns: editing a module file (see [`touch`]), timing `cargo build --lib` and
//! `cargo test --no-run` after each edit, repeating, and restoring every file through the
//! [`journal`] — after each module, on error, on Ctrl-C/SIGTERM, and on the next run after a
//! kill. Writes the raw samples with medians and spreads as JSON.
//! Must not: decide anything about partitions (the `cost` module fits the numbers).

use super::journal::{self, Journal};
use super::touch;
use crate::analysis::CrateAnalysis;
use crate::cargo::{Cargo, tool_version};
use crate::cost::spread;
use crate::data::timings::*;
use crate::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to record.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    pub touch: TouchKind,
    pub reps: u32,
    /// Module paths to measure (default: every module with a file of its own).
    pub modules: Vec<String>,
    /// Only the N largest modules (by own code lines).
    pub top: Option<usize>,
    pub offline: bool,
    pub progress: bool,
    /// Also time an edit in every library crate of the workspace, to fit `fixed + per_line ×
    /// lines` across crate sizes.
    pub workspace_fit: bool,
    /// Also time, after each edit, the re-run of rustc on every workspace crate that depends on
    /// this one directly: what a dependent part costs when its own source did not change.
    pub with_dependents: bool,
    /// Features and `--locked` for this crate's builds (other crates get `--locked` only: a
    /// feature of this crate may not exist there).
    pub cargo: crate::cargo::CargoFlags,
}

/// Restores files an earlier `record` left edited (it was killed); returns them.
pub fn recover(target_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if !journal::journal_dir(target_dir).join("entries.json").is_file() {
        return Ok(Vec::new());
    }
    if let Some(pid) = journal::live_owner(target_dir) {
        // Its edits are its own to restore.
        eprintln!(
            "note: a `splitcheck record` (pid {pid}) is running on this crate; its edits are left to it"
        );
        return Ok(Vec::new());
    }
    let mut j = Journal::open(target_dir).map_err(|e| journal_error(target_dir, e))?;
    j.restore_all().map_err(|e| journal_error(target_dir, e))
}

pub(crate) fn journal_error(target_dir: &Path, e: std::io::Error) -> Error {
    Error::File { action: "use the edit journal in", path: journal::journal_dir(target_dir), source: e }
}

/// Restores every protected file when dropped: on success, error and panic alike.
pub(crate) struct Restorer<'a> {
    pub journal: &'a mut Journal,
}

impl Drop for Restorer<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.journal.restore_all() {
            eprintln!("error: could not restore edited files ({e}); run `splitcheck record --restore`");
        }
    }
}

pub fn record(analysis: &CrateAnalysis, options: &RecordOptions) -> Result<Timings, Error> {
    crate::cargo::install_interrupt_handler();
    let started = Instant::now();
    let package = &analysis.package;
    let tree = &analysis.tree;
    let mut selected: Vec<&crate::modtree::Module> = tree
        .sorted()
        .into_iter()
        .map(|id| tree.get(id))
        .filter(|m| !m.inline && m.file.is_file() && m.problems.is_empty())
        .filter(|m| options.modules.is_empty() || options.modules.contains(&m.path))
        .collect();
    for wanted in &options.modules {
        if !selected.iter().any(|m| m.path == *wanted) {
            return Err(Error::Usage(format!(
                "--modules: `{wanted}` is not a module of `{}` with a file of its own",
                package.name
            )));
        }
    }
    if let Some(top) = options.top {
        selected.sort_by_key(|m| std::cmp::Reverse(m.own.src_code + m.own.test_code));
        selected.truncate(top);
        selected.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let cargo = Cargo {
        manifest: package.manifest_path.clone(),
        offline: options.offline,
        flags: options.cargo.clone(),
        ..Cargo::default()
    };
    if let Some(pid) = journal::live_owner(&package.target_dir) {
        return Err(Error::Busy { krate: package.name.clone(), pid });
    }
    let _owner = journal::claim(&package.target_dir).map_err(|e| journal_error(&package.target_dir, e))?;
    let mut journal =
        Journal::open(&package.target_dir).map_err(|e| journal_error(&package.target_dir, e))?;
    let progress = progress_bar(options.progress, selected.len() as u64 * u64::from(options.reps));
    let warmup = ProfilePair { lib: cargo.build(false)?, test: cargo.test_build(false)? };
    let test_run_s = cargo.timed(&["test"], false).ok();
    let nextest_run_s = if cargo.timed(&["nextest", "--version"], false).is_ok() {
        cargo.timed(&["nextest", "run"], false).ok()
    } else {
        None
    };
    let mut dependents =
        if options.with_dependents { direct_dependents(package, options)? } else { Vec::new() };
    let mut modules = Vec::new();
    let mut counter = 0u32;
    for module in selected {
        progress.set_message(module.path.clone());
        let mut after_lib = || -> Result<(), Error> {
            for d in dependents.iter_mut() {
                let seconds = d.cargo.build(false)?;
                d.samples.push(seconds);
            }
            Ok(())
        };
        let (samples, applied) = measure_edits(
            &cargo,
            &mut journal,
            &module.file,
            options,
            &mut counter,
            &progress,
            &mut after_lib,
        )?;
        cargo.resync()?;
        modules.push(ModuleTimings {
            path: module.path.clone(),
            file: crate::paths::relative(&package.root_dir, &module.file),
            src_lines: module.own.src_code,
            test_lines: module.own.test_code,
            test_only: module.test_only,
            touch: applied,
            spread_s: ProfilePair { lib: spread(&samples.lib), test: spread(&samples.test) },
            samples_s: samples,
        });
    }
    let workspace_fit = if options.workspace_fit {
        Some(fit_workspace(package, &mut journal, options, &mut counter, &progress)?)
    } else {
        None
    };
    // Last, with every file restored and built: each command with nothing to rebuild.
    cargo.resync()?;
    let mut noop = ProfilePair { lib: Vec::new(), test: Vec::new() };
    for _ in 0..options.reps.max(3) {
        noop.lib.push(cargo.build(false)?);
        noop.test.push(cargo.test_build(false)?);
    }
    progress.finish_and_clear();
    let noop_s = Some(ProfilePair { lib: spread(&noop.lib), test: spread(&noop.test) });
    Ok(Timings {
        warmup_s: warmup,
        noop_s,
        test_run_s,
        nextest_run_s,
        modules,
        workspace_fit,
        dependents: options.with_dependents.then(|| fit_dependents(dependents)),
        total_s: started.elapsed().as_secs_f64(),
        ..new_timings(package, options)
    })
}

/// A recording of `package` as `options` make it, with the machine, the tools and the commands
/// filled in and nothing measured yet: the caller adds what it timed.
pub(crate) fn new_timings(package: &crate::workspace::Package, options: &RecordOptions) -> Timings {
    Timings {
        schema_version: TIMINGS_SCHEMA_VERSION,
        krate: package.name.clone(),
        version: package.version.clone(),
        cargo: tool_version(&Cargo::program()),
        rustc: tool_version("rustc"),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        git_commit: crate::git::head(&package.root_dir),
        touch: options.touch,
        reps: options.reps,
        commands: Commands {
            lib: "cargo build --lib (dev profile)".to_owned(),
            test: "cargo test --no-run (test profile)".to_owned(),
        },
        cpu: crate::provenance::cpu_model(),
        features: options.cargo.describe(),
        quick: false,
        warmup_s: ProfilePair { lib: 0.0, test: 0.0 },
        noop_s: None,
        test_run_s: None,
        nextest_run_s: None,
        modules: Vec::new(),
        workspace_fit: None,
        dependents: None,
        total_s: 0.0,
    }
}

/// Edits `file` `options.reps` times, timing both profiles after each edit; restores it after.
fn measure_edits(
    cargo: &Cargo,
    journal: &mut Journal,
    file: &Path,
    options: &RecordOptions,
    counter: &mut u32,
    progress: &indicatif::ProgressBar,
    after_lib: &mut dyn FnMut() -> Result<(), Error>,
) -> Result<(ProfilePair<Vec<f64>>, TouchKind), Error> {
    let original = std::fs::read_to_string(file).map_err(Error::file("read", file))?;
    let mut samples = ProfilePair { lib: Vec::new(), test: Vec::new() };
    let mut applied = options.touch;
    let guard = Restorer { journal };
    for _ in 0..options.reps {
        *counter += 1;
        applied = touch_journaled(guard.journal, file, &original, options.touch, *counter)?;
        let full = options.touch == TouchKind::Full;
        samples.lib.push(cargo.build(full)?);
        after_lib()?;
        samples.test.push(cargo.test_build(full)?);
        progress.inc(1);
    }
    drop(guard);
    Ok((samples, applied))
}

/// Applies the `n`-th touch of `kind` to `file` (whose text is `original`), journaled first so
/// it is restored; returns the touch applied (a file without a function body gets a comment).
pub(crate) fn touch_journaled(
    journal: &mut Journal,
    file: &Path,
    original: &str,
    kind: TouchKind,
    n: u32,
) -> Result<TouchKind, Error> {
    journal.protect(file).map_err(Error::file("journal", file))?;
    let (text, applied) = touch::touched(original, kind, n);
    if applied == TouchKind::Mtime { journal::bump_mtime(file) } else { std::fs::write(file, text) }
        .map_err(Error::file("edit", file))?;
    Ok(applied)
}

/// The cargo flags for the other crates of the workspace: `--locked` only.
fn others(options: &RecordOptions) -> crate::cargo::CargoFlags {
    crate::cargo::CargoFlags { locked: options.cargo.locked, ..Default::default() }
}

/// A direct dependent being timed.
struct DependentRun {
    name: String,
    cargo: Cargo,
    lines: u32,
    samples: Vec<f64>,
}

/// The workspace crates that depend on `package` directly (normal dependencies), built once.
fn direct_dependents(
    package: &crate::workspace::Package,
    options: &RecordOptions,
) -> Result<Vec<DependentRun>, Error> {
    let names = match (package.dependents.get(), package.dependents.get().direct_normal()) {
        (_, Some(names)) => names,
        (crate::workspace::Dependents::Unknown(why), None) => {
            return Err(Error::Measure(format!(
                "--with-dependents: the workspace's dependents are unknown: {why}"
            )));
        }
        (_, None) => Vec::new(),
    };
    let members: Vec<_> = crate::workspace::workspace_libraries(package, options.offline)?
        .into_iter()
        .filter(|m| names.contains(&m.name))
        .collect();
    // A dependent that uses another dependent is timed after it, so each time is its own re-run.
    let mut ordered: Vec<crate::workspace::MemberLibrary> = Vec::new();
    let mut left = members;
    while !left.is_empty() {
        let ready = left
            .iter()
            .position(|m| !left.iter().any(|o| o.name != m.name && m.depends_on.contains(&o.name)))
            .unwrap_or(0);
        ordered.push(left.remove(ready));
    }
    let mut runs = Vec::new();
    for member in ordered {
        let cargo = Cargo {
            manifest: member.manifest_path.clone(),
            offline: options.offline,
            flags: others(options),
            ..Cargo::default()
        };
        cargo.build(false)?;
        let lines = crate::modtree::walk(&member.lib_src, &member.root_dir).totals().src_code;
        runs.push(DependentRun { name: member.name, cargo, lines, samples: Vec::new() });
    }
    Ok(runs)
}

fn fit_dependents(runs: Vec<DependentRun>) -> DependentFit {
    let crates: Vec<DependentTimings> = runs
        .into_iter()
        .map(|r| DependentTimings {
            name: r.name,
            src_lines: r.lines,
            spread_s: spread(&r.samples),
            samples_s: r.samples,
        })
        .collect();
    let points: Vec<crate::cost::Sample> = crates
        .iter()
        .filter_map(|c| {
            Some(crate::cost::Sample { lines: f64::from(c.src_lines), seconds: c.spread_s?.median })
        })
        .collect();
    DependentFit { lib: crate::cost::fit(&points, 1000, 3).map(|f| f.row()), crates }
}

/// The file to edit in a crate for the workspace fit: the root file if the touch can be applied
/// there as asked (a body edit needs a function), else the largest src module where it can, so
/// the fit prices the same kind of edit as the module recordings.
pub(crate) fn edit_target(tree: &crate::modtree::ModuleTree, root: &Path, kind: TouchKind) -> PathBuf {
    let applies = |file: &Path| {
        std::fs::read_to_string(file).is_ok_and(|text| touch::touched(&text, kind, 0).1 == kind)
    };
    if applies(root) {
        return root.to_path_buf();
    }
    let mut modules: Vec<&crate::modtree::Module> =
        tree.modules.iter().filter(|m| !m.inline && !m.test_only && m.file.is_file()).collect();
    modules.sort_by_key(|m| std::cmp::Reverse(m.own.src_code));
    modules.into_iter().map(|m| m.file.clone()).find(|f| applies(f)).unwrap_or_else(|| root.to_path_buf())
}

/// Times an edit of every workspace library crate (see [`edit_target`]) and fits cost against
/// size.
fn fit_workspace(
    package: &crate::workspace::Package,
    journal: &mut Journal,
    options: &RecordOptions,
    counter: &mut u32,
    progress: &indicatif::ProgressBar,
) -> Result<WorkspaceFit, Error> {
    let members = crate::workspace::workspace_libraries(package, options.offline)?;
    progress.inc_length(2 * members.len() as u64 * u64::from(options.reps));
    let mut crates = Vec::new();
    let mut skipped = Vec::new();
    for member in members {
        progress.set_message(format!("crate {}", member.name));
        let cargo = Cargo {
            manifest: member.manifest_path.clone(),
            offline: options.offline,
            flags: others(options),
            ..Cargo::default()
        };
        // A crate that does not build here (a missing system library) is left out, and said.
        if let Err(e) = cargo.build(false).and_then(|_| cargo.test_build(false)) {
            if matches!(e, Error::Interrupted) {
                return Err(e);
            }
            skipped.push(format!("{}: {e}", member.name));
            progress.inc(u64::from(options.reps));
            continue;
        }
        let tree = crate::modtree::walk(&member.lib_src, &member.root_dir);
        let sizes = tree.totals();
        let file = edit_target(&tree, &member.lib_src, options.touch);
        let (samples, applied) =
            measure_edits(&cargo, journal, &file, options, counter, progress, &mut || Ok(()))?;
        cargo.resync()?;
        let comment = RecordOptions { touch: TouchKind::Comment, ..options.clone() };
        let (rerun, _) = measure_edits(&cargo, journal, &file, &comment, counter, progress, &mut || Ok(()))?;
        cargo.resync()?;
        crates.push(CrateTimings {
            rerun_spread_s: spread(&rerun.lib),
            rerun_samples_s: rerun.lib,
            name: member.name,
            src_lines: sizes.src_code,
            test_lines: sizes.test_code,
            touch: applied,
            spread_s: ProfilePair { lib: spread(&samples.lib), test: spread(&samples.test) },
            samples_s: samples,
        });
    }
    let points = |test: bool| -> Vec<crate::cost::Sample> {
        crates
            .iter()
            .filter_map(|c| {
                let s = if test { c.spread_s.test? } else { c.spread_s.lib? };
                let lines = if test { c.src_lines + c.test_lines } else { c.src_lines };
                Some(crate::cost::Sample { lines: f64::from(lines), seconds: s.median })
            })
            .collect()
    };
    let lib = crate::cost::fit(&points(false), 1000, 1).map(|f| f.row());
    let test = crate::cost::fit(&points(true), 1000, 2).map(|f| f.row());
    let reruns: Vec<crate::cost::Sample> = crates
        .iter()
        .filter_map(|c| {
            Some(crate::cost::Sample { lines: f64::from(c.src_lines), seconds: c.rerun_spread_s?.median })
        })
        .collect();
    let rerun = crate::cost::fit(&reruns, 1000, 4).map(|f| f.row());
    Ok(WorkspaceFit { crates, skipped, lib, test, rerun })
}

pub(crate) fn progress_bar(show: bool, len: u64) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} rebuilds, ETA {eta}  {msg}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
