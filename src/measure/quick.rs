//! `record --quick`: the cost of an edit from two crates, in well under two minutes.
//!
//! Owns: a tiny scratch crate (written under the target directory, never in the user's tree),
//! interleaved timed edits of it and of the crate itself, and the two-size fits they give
//! (`fixed + per_line × lines` for an edit in each profile, and for a re-run on unchanged code,
//! the estimate of a dependent crate's re-run). Works on a single crate, crates.io crates
//! included: nothing else in the workspace is built.
//! Must not: edit the user's files except through the journal (every edit restored).

use super::record::{Restorer, edit_target, journal_error, progress_bar, touch_journaled};
use super::{journal, touch};
use crate::analysis::CrateAnalysis;
use crate::cargo::Cargo;
use crate::cost::{Sample, spread};
use crate::data::timings::{CrateTimings, ProfilePair, Timings, TouchKind, WorkspaceFit};
use crate::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The scratch crate's name in the recording.
pub const PROBE_NAME: &str = "splitcheck-probe (scratch crate)";

/// The scratch crate's source: one function to edit, one test, nothing to depend on.
const PROBE_LIB: &str =
    "//! A scratch crate `splitcheck record --quick` edits: the cost of a crate of almost no code.

/// Sums the squares of the even numbers below `n`.
pub fn even_squares(n: u64) -> u64 {
    let mut total = 0;
    for i in 0..n {
        if i % 2 == 0 {
            total += i * i;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    #[test]
    fn small_sums() {
        assert_eq!(super::even_squares(5), 20);
    }
}
";

const PROBE_MANIFEST: &str = "[package]
name = \"splitcheck-probe\"
version = \"0.0.0\"
edition = \"2021\"
publish = false

[workspace]
";

/// Lines of the scratch crate counted as the module walk counts them (src, test).
const PROBE_LINES: (u32, u32) = (9, 7);

/// Writes the scratch crate under `target_dir` (kept between runs: its dependencies are none and
/// its builds stay warm) and returns its manifest.
fn write_probe(target_dir: &Path) -> Result<(PathBuf, PathBuf), Error> {
    let dir = target_dir.join("splitcheck-probe");
    let lib = dir.join("src").join("lib.rs");
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::write(dir.join("Cargo.toml"), PROBE_MANIFEST)?;
        std::fs::write(&lib, PROBE_LIB)
    };
    write().map_err(Error::file("write the scratch crate in", &dir))?;
    Ok((dir.join("Cargo.toml"), lib))
}

/// One side of the probe: a crate, the file edited in it, and its samples.
struct Side {
    cargo: Cargo,
    file: PathBuf,
    original: String,
    /// Whether `file` is the user's (edited through the journal) or the scratch crate's.
    journaled: bool,
    src_lines: u32,
    test_lines: u32,
    touch: TouchKind,
    lib: Vec<f64>,
    test: Vec<f64>,
    rerun: Vec<f64>,
}

impl Side {
    fn edit(&mut self, journal: &mut journal::Journal, kind: TouchKind, n: u32) -> Result<TouchKind, Error> {
        if self.journaled {
            return touch_journaled(journal, &self.file, &self.original, kind, n);
        }
        let (text, applied) = touch::touched(&self.original, kind, n);
        std::fs::write(&self.file, text).map_err(Error::file("edit", &self.file))?;
        Ok(applied)
    }

    fn restore(&self, journal: &mut journal::Journal, target_dir: &Path) -> Result<(), Error> {
        if self.journaled {
            journal.restore_all().map_err(|e| journal_error(target_dir, e))?;
        } else {
            std::fs::write(&self.file, &self.original).map_err(Error::file("restore", &self.file))?;
        }
        self.cargo.resync()
    }

    fn timings(self, name: String) -> CrateTimings {
        CrateTimings {
            name,
            src_lines: self.src_lines,
            test_lines: self.test_lines,
            touch: self.touch,
            spread_s: ProfilePair { lib: spread(&self.lib), test: spread(&self.test) },
            samples_s: ProfilePair { lib: self.lib, test: self.test },
            rerun_spread_s: spread(&self.rerun),
            rerun_samples_s: self.rerun,
        }
    }
}

/// Times `reps` edits of the crate and of the scratch crate, interleaved (a body edit timed in
/// both profiles, then a comment edit timed as a re-run), and fits each cost over the two
/// sizes, every sample a point. Needs `reps ≥ 2` for a fit of at least three points.
pub fn record_quick(
    analysis: &CrateAnalysis,
    options: &super::record::RecordOptions,
) -> Result<Timings, Error> {
    crate::cargo::install_interrupt_handler();
    let started = Instant::now();
    let package = &analysis.package;
    if let Some(pid) = journal::live_owner(&package.target_dir) {
        return Err(Error::Busy { krate: package.name.clone(), pid });
    }
    let _owner = journal::claim(&package.target_dir).map_err(|e| journal_error(&package.target_dir, e))?;
    let mut journal =
        journal::Journal::open(&package.target_dir).map_err(|e| journal_error(&package.target_dir, e))?;
    let (probe_manifest, probe_lib) = write_probe(&package.target_dir)?;
    let (touch_kind, reps, offline) = (options.touch, options.reps, options.offline);
    let crate_file = edit_target(&analysis.tree, &package.lib.src_path, touch_kind);
    let original = std::fs::read_to_string(&crate_file).map_err(Error::file("read", &crate_file))?;
    let totals = analysis.tree.totals();
    let crate_cargo = Cargo {
        manifest: package.manifest_path.clone(),
        offline,
        flags: options.cargo.clone(),
        ..Cargo::default()
    };
    let probe_cargo = Cargo {
        manifest: probe_manifest,
        offline,
        target_dir: Some(package.target_dir.join("splitcheck-probe").join("target")),
        flags: crate::cargo::CargoFlags::default(),
    };
    let mut sides = [
        Side {
            cargo: crate_cargo,
            file: crate_file,
            original,
            journaled: true,
            src_lines: totals.src_code,
            test_lines: totals.test_code,
            touch: touch_kind,
            lib: Vec::new(),
            test: Vec::new(),
            rerun: Vec::new(),
        },
        Side {
            cargo: probe_cargo,
            file: probe_lib,
            original: PROBE_LIB.to_owned(),
            journaled: false,
            src_lines: PROBE_LINES.0,
            test_lines: PROBE_LINES.1,
            touch: touch_kind,
            lib: Vec::new(),
            test: Vec::new(),
            rerun: Vec::new(),
        },
    ];
    let progress = progress_bar(options.progress, u64::from(reps) * 6);
    let guard = Restorer { journal: &mut journal };
    progress.set_message("warm-up builds");
    let warmup = ProfilePair { lib: sides[0].cargo.build(false)?, test: sides[0].cargo.test_build(false)? };
    sides[1].cargo.resync()?;
    let full = touch_kind == TouchKind::Full;
    let mut n = 0;
    // Body edits, the two crates in turn so a slow minute of the machine hits both alike.
    for _ in 0..reps {
        n += 1;
        for side in sides.iter_mut() {
            progress.set_message(format!("edit {}", side.file.display()));
            side.touch = side.edit(guard.journal, touch_kind, n)?;
            side.lib.push(side.cargo.build(full)?);
            side.test.push(side.cargo.test_build(full)?);
            progress.inc(2);
        }
    }
    for side in &sides {
        side.restore(guard.journal, &package.target_dir)?;
    }
    // Comment edits: rustc re-running on code that did not change, as a dependent does.
    for _ in 0..reps {
        n += 1;
        for side in sides.iter_mut() {
            progress.set_message(format!("re-run {}", side.file.display()));
            side.edit(guard.journal, TouchKind::Comment, n)?;
            side.rerun.push(side.cargo.build(false)?);
            progress.inc(1);
        }
    }
    for side in &sides {
        side.restore(guard.journal, &package.target_dir)?;
    }
    drop(guard);
    let mut noop = ProfilePair { lib: Vec::new(), test: Vec::new() };
    for _ in 0..reps.max(3) {
        noop.lib.push(sides[0].cargo.build(false)?);
        noop.test.push(sides[0].cargo.test_build(false)?);
    }
    progress.finish_and_clear();
    let [crate_side, probe_side] = sides;
    let crates = vec![crate_side.timings(package.name.clone()), probe_side.timings(PROBE_NAME.to_owned())];
    let fit = |points: &dyn Fn(&CrateTimings) -> Vec<Sample>, seed| {
        let samples: Vec<Sample> = crates.iter().flat_map(points).collect();
        crate::cost::fit(&samples, 1000, seed).map(|f| f.row())
    };
    let per_sample = |lines: u32, values: &[f64]| -> Vec<Sample> {
        values.iter().map(|&seconds| Sample { lines: f64::from(lines), seconds }).collect()
    };
    let lib = fit(&|c| per_sample(c.src_lines, &c.samples_s.lib), 1);
    let test = fit(&|c| per_sample(c.src_lines + c.test_lines, &c.samples_s.test), 2);
    let rerun = fit(&|c| per_sample(c.src_lines, &c.rerun_samples_s), 4);
    let touch = crates[0].touch;
    Ok(Timings {
        touch,
        quick: true,
        warmup_s: warmup,
        noop_s: Some(ProfilePair { lib: spread(&noop.lib), test: spread(&noop.test) }),
        workspace_fit: Some(WorkspaceFit { crates, skipped: Vec::new(), lib, test, rerun }),
        total_s: started.elapsed().as_secs_f64(),
        ..super::record::new_timings(package, options)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_lines_are_what_the_module_walk_counts() {
        let dir = tempfile::tempdir().unwrap();
        let (_, lib) = write_probe(dir.path()).unwrap();
        let totals = crate::modtree::walk(&lib, lib.parent().unwrap().parent().unwrap()).totals();
        assert_eq!((totals.src_code, totals.test_code), PROBE_LINES);
    }

    #[test]
    fn the_probe_takes_a_body_edit() {
        assert_eq!(touch::touched(PROBE_LIB, TouchKind::Body, 1).1, TouchKind::Body);
    }
}
