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
use crate::data::timings::{
    CrateTimings, ProfilePair, QUICK_PROBE_ABOVE, QUICK_PROBE_ALONE, Timings, TouchKind, WorkspaceFit,
};
use crate::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The scratch crate's source: one function to edit and one test, in a crate that loads the
/// analyzed crate (renamed `below`) and through it every dependency of the crate, as each
/// crate of a split loads the crates below it and its own dependencies. A crate of almost no
/// code, but not one of no dependencies: an empty crate's test build cost 0.03 s less than
/// this one above aho-corasick and 0.09 s less above ori_arc (2-core Intel Xeon, rustc 1.95.0,
/// medians of 5 body edits).
const PROBE_LIB: &str =
    "//! A scratch crate `splitcheck record --quick` edits: the cost of a crate of almost no code.

extern crate below as _;

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

/// Lines of the scratch crate counted as the module walk counts them (src, test), above the
/// crate and alone (without its `extern crate`).
const PROBE_LINES: (u32, u32) = (10, 7);
const PROBE_ALONE_LINES: (u32, u32) = (9, 7);

/// How the scratch crate is built: above the analyzed crate in the crate's own target
/// directory (its artifacts reused), or alone in its own when it cannot be built above (a
/// workspace whose `[patch]` a crate outside it does not see, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProbeKind {
    Above,
    Alone,
}

impl ProbeKind {
    fn text(self) -> String {
        match self {
            ProbeKind::Above => PROBE_LIB.to_owned(),
            ProbeKind::Alone => PROBE_LIB.replace("extern crate below as _;\n\n", ""),
        }
    }

    /// (src, test) lines, as the module walk counts them.
    fn lines(self) -> (u32, u32) {
        match self {
            ProbeKind::Above => PROBE_LINES,
            ProbeKind::Alone => PROBE_ALONE_LINES,
        }
    }

    /// Its name in the recording.
    fn name(self) -> &'static str {
        match self {
            ProbeKind::Above => QUICK_PROBE_ABOVE,
            ProbeKind::Alone => QUICK_PROBE_ALONE,
        }
    }
}

/// The scratch crate's manifest: above the crate, a path dependency on it with the user's
/// feature choice (features named `crate/feature` are left to the crate's defaults).
fn probe_manifest(kind: ProbeKind, name: &str, root_dir: &Path, flags: &crate::cargo::CargoFlags) -> String {
    let quote = |s: &str| toml_edit::Value::from(s).to_string();
    let mut manifest =
        "[package]\nname = \"splitcheck-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n".to_owned();
    if kind == ProbeKind::Above {
        let mut dependency =
            format!("package = {}, path = {}", quote(name), quote(&root_dir.to_string_lossy()));
        let features: Vec<String> =
            flags.features.iter().filter(|f| !f.contains('/')).map(|f| quote(f)).collect();
        if !features.is_empty() {
            dependency.push_str(&format!(", features = [{}]", features.join(", ")));
        }
        if flags.no_default_features {
            dependency.push_str(", default-features = false");
        }
        manifest.push_str(&format!("[dependencies]\nbelow = {{ {dependency} }}\n\n"));
    }
    manifest.push_str("[workspace]\n");
    manifest
}

/// Writes the scratch crate under the crate's target directory and returns its manifest, its
/// library file and that file's text. Above the crate it gets the workspace's lockfile, so it
/// resolves the crate's dependencies to the same versions.
fn write_probe(
    kind: ProbeKind,
    package: &crate::workspace::Package,
    flags: &crate::cargo::CargoFlags,
) -> Result<(PathBuf, PathBuf, String), Error> {
    let dir = package.target_dir.join("splitcheck-probe");
    let lib = dir.join("src").join("lib.rs");
    let text = kind.text();
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::write(
            dir.join("Cargo.toml"),
            probe_manifest(kind, &package.name, &package.root_dir, flags),
        )?;
        let (lock, copy) = (package.workspace_root.join("Cargo.lock"), dir.join("Cargo.lock"));
        match kind {
            ProbeKind::Above if lock.is_file() => {
                std::fs::copy(&lock, &copy)?;
            }
            _ if copy.is_file() => std::fs::remove_file(&copy)?,
            _ => {}
        }
        std::fs::write(&lib, &text)
    };
    write().map_err(Error::file("write the scratch crate in", &dir))?;
    Ok((dir.join("Cargo.toml"), lib, text))
}

/// The scratch crate written and built (both profiles, untimed): above the crate when that
/// builds, else alone in its own target directory.
fn build_probe(
    package: &crate::workspace::Package,
    flags: &crate::cargo::CargoFlags,
    offline: bool,
) -> Result<(ProbeKind, Cargo, PathBuf, String), Error> {
    let mut last = None;
    for kind in [ProbeKind::Above, ProbeKind::Alone] {
        let (manifest, lib, text) = write_probe(kind, package, flags)?;
        let target_dir = match kind {
            ProbeKind::Above => package.target_dir.clone(),
            ProbeKind::Alone => package.target_dir.join("splitcheck-probe").join("target"),
        };
        let cargo = Cargo { manifest, offline, target_dir: Some(target_dir), flags: Default::default() };
        match cargo.resync() {
            Ok(()) => return Ok((kind, cargo, lib, text)),
            Err(e @ Error::Interrupted) => return Err(e),
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("two kinds were tried"))
}

/// One side of the probe: a crate, the file edited in it, and its samples.
struct Side {
    cargo: Cargo,
    file: PathBuf,
    original: String,
    /// Whether `file` is the user's (edited through the journal) or the scratch crate's.
    journaled: bool,
    /// Built untimed before each of its edits: the scratch crate above the crate catches up
    /// with the crate's last edit first, so its samples time its own edit only.
    sync_first: bool,
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
    let progress = progress_bar(options.progress, u64::from(reps) * 6);
    progress.set_message("warm-up builds");
    let warmup = ProfilePair { lib: crate_cargo.build(false)?, test: crate_cargo.test_build(false)? };
    let (probe_kind, probe_cargo, probe_lib, probe_text) = build_probe(package, &options.cargo, offline)?;
    let probe_lines = probe_kind.lines();
    let mut sides = [
        Side {
            cargo: crate_cargo,
            file: crate_file,
            original,
            journaled: true,
            sync_first: false,
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
            original: probe_text,
            journaled: false,
            sync_first: probe_kind == ProbeKind::Above,
            src_lines: probe_lines.0,
            test_lines: probe_lines.1,
            touch: touch_kind,
            lib: Vec::new(),
            test: Vec::new(),
            rerun: Vec::new(),
        },
    ];
    let guard = Restorer { journal: &mut journal };
    let full = touch_kind == TouchKind::Full;
    let mut n = 0;
    // Body edits, the two crates in turn so a slow minute of the machine hits both alike.
    for _ in 0..reps {
        n += 1;
        for side in sides.iter_mut() {
            progress.set_message(format!("edit {}", side.file.display()));
            if side.sync_first {
                side.cargo.resync()?;
            }
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
            if side.sync_first {
                side.cargo.build(false)?;
            }
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
    let crates =
        vec![crate_side.timings(package.name.clone()), probe_side.timings(probe_kind.name().to_owned())];
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
        for kind in [ProbeKind::Above, ProbeKind::Alone] {
            let dir = tempfile::tempdir().unwrap();
            let lib = dir.path().join("src").join("lib.rs");
            std::fs::create_dir_all(lib.parent().unwrap()).unwrap();
            std::fs::write(&lib, kind.text()).unwrap();
            let totals = crate::modtree::walk(&lib, dir.path()).totals();
            assert_eq!((totals.src_code, totals.test_code), kind.lines(), "{kind:?}");
        }
    }

    #[test]
    fn the_probe_takes_a_body_edit() {
        for kind in [ProbeKind::Above, ProbeKind::Alone] {
            assert_eq!(touch::touched(&kind.text(), TouchKind::Body, 1).1, TouchKind::Body);
        }
    }

    #[test]
    fn the_probe_above_depends_on_the_crate_with_the_users_features() {
        let flags = crate::cargo::CargoFlags {
            features: vec!["std".to_owned(), "serde/derive".to_owned(), "a\"b".to_owned()],
            no_default_features: true,
            ..Default::default()
        };
        let text = probe_manifest(ProbeKind::Above, "my-crate", Path::new("/w/my \"crate\""), &flags);
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        let below = doc["dependencies"]["below"].as_inline_table().unwrap();
        assert_eq!(below.get("package").and_then(|v| v.as_str()), Some("my-crate"));
        assert_eq!(below.get("path").and_then(|v| v.as_str()), Some("/w/my \"crate\""));
        let features: Vec<&str> = below
            .get("features")
            .and_then(|v| v.as_array())
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(features, ["std", "a\"b"]);
        assert_eq!(below.get("default-features").and_then(|v| v.as_bool()), Some(false));
        assert!(doc.contains_key("workspace"));
        let alone: toml_edit::DocumentMut =
            probe_manifest(ProbeKind::Alone, "my-crate", Path::new("/w"), &flags).parse().unwrap();
        assert!(!alone.contains_key("dependencies"));
        // Any path is written as TOML reads it, control characters included.
        let odd = probe_manifest(ProbeKind::Above, "my-crate", Path::new("/w/\u{1b}x\ty"), &flags);
        let doc: toml_edit::DocumentMut = odd.parse().unwrap();
        assert_eq!(doc["dependencies"]["below"]["path"].as_str(), Some("/w/\u{1b}x\ty"));
    }
}
