//! The deletion test: soundness of the dependency graph, checked by the compiler.
//!
//! For each module M of a crate, in a copy: delete M and every module the graph says depends on
//! it (directly or not), and the crate root's items that do; then `cargo check` must pass. A
//! compile error means an edge splitcheck missed. Run on the example crate, the resolution
//! fixture and two crates.io crates (pinned in `tests/ground_truth/Cargo.toml`, with the lockfiles their copies use in
//! `tests/deletion/`), in both modes: library only (`cargo check --lib`) and with tests
//! (`--include-tests`, `cargo check --lib --profile test`, which builds the unit tests).
//!
//! Any crate can be checked the same way, in place (its files are restored afterwards):
//! `SPLITCHECK_DELETION_CRATE=path/to/crate cargo test --test deletion -- --ignored --nocapture`.

use splitcheck::analysis::analyze;
use splitcheck::graph::{GraphOptions, ModuleGraph};
use splitcheck::soundness::{deletable_nodes, deletion_plan};
use splitcheck::text::apply_edits;
use splitcheck::workspace::Selection;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Outcome {
    tried: usize,
    failures: Vec<String>,
}

/// Runs every deletion of the crate at `dir` (edited in place, restored after each check).
fn run_deletions(dir: &Path, include_tests: bool, target_dir: &Path, locked: bool) -> Outcome {
    let selection = Selection { krate: None, manifest_path: Some(dir.join("Cargo.toml")), offline: false };
    let analysis =
        analyze(&selection).unwrap_or_else(|e| panic!("splitcheck failed on {}: {e}", dir.display()));
    let options = GraphOptions { include_tests, depth: None };
    let graph = ModuleGraph::build(&analysis.tree, analysis.resolution(), options);
    let check = || cargo_check(dir, include_tests, target_dir, locked);
    if let Err(e) = check() {
        panic!("{}: the unmodified crate does not check: {e}", dir.display());
    }
    let originals: BTreeMap<PathBuf, String> = analysis
        .tree
        .files()
        .into_iter()
        .filter_map(|f| std::fs::read_to_string(&f).ok().map(|t| (f, t)))
        .collect();
    let mut outcome = Outcome { tried: 0, failures: Vec::new() };
    for node in deletable_nodes(&graph, &analysis.tree) {
        let plan = deletion_plan(&analysis, &graph, node, &|p: &Path| originals.get(p).cloned());
        for (file, edits) in &plan.edits {
            std::fs::write(file, apply_edits(&originals[file], edits)).unwrap();
        }
        let result = check();
        for file in plan.edits.keys() {
            std::fs::write(file, &originals[file]).unwrap();
        }
        outcome.tried += 1;
        if let Err(e) = result {
            outcome.failures.push(format!(
                "deleting {} (with {} modules, root items {:?}) breaks the build:\n{e}",
                plan.target,
                plan.deleted_modules.len(),
                plan.deleted_root_items
            ));
        }
    }
    outcome
}

fn cargo_check(dir: &Path, include_tests: bool, target_dir: &Path, locked: bool) -> Result<(), String> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["check", "--lib", "--message-format", "short", "--quiet"]);
    if include_tests {
        cmd.args(["--profile", "test"]);
    }
    if locked {
        cmd.arg("--locked");
    }
    let out = cmd
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("RUSTFLAGS", "--cap-lints=warn")
        .output()
        .expect("cargo runs");
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).take(6).collect();
    Err(errors.join("\n"))
}

/// A fresh copy of the package at `src` (no `target/`), with `lockfile` as its Cargo.lock.
fn copy_package(src: &Path, name: &str, lockfile: Option<&Path>) -> PathBuf {
    let dest = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("deletion").join(name);
    let _ = std::fs::remove_dir_all(&dest);
    copy_dir(src, &dest);
    if let Some(lock) = lockfile {
        std::fs::copy(lock, dest.join("Cargo.lock")).unwrap();
    }
    dest
}

fn copy_dir(src: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&path, &dest.join(&name));
        } else {
            std::fs::copy(&path, dest.join(&name)).unwrap();
        }
    }
}

fn assert_sound(name: &str, dir: &Path, locked: bool) {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for include_tests in [false, true] {
        let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("deletion-target-{name}"));
        let outcome = run_deletions(dir, include_tests, &target, locked);
        let mode = if include_tests { "with tests" } else { "lib only" };
        report.push(format!(
            "{name} ({mode}): {} deletions tried, {} compiled",
            outcome.tried,
            outcome.tried - outcome.failures.len()
        ));
        assert!(outcome.tried > 0, "{name}: nothing to delete");
        failures.extend(outcome.failures);
    }
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The pinned crates.io package `name`, from the ground-truth corpus (cargo downloads it).
fn pinned_package(name: &str) -> PathBuf {
    let corpus = repo().join("tests/ground_truth");
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--locked", "--format-version", "1"])
        .current_dir(&corpus)
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("`{name}` is pinned in the corpus"));
    PathBuf::from(package["manifest_path"].as_str().unwrap()).parent().unwrap().to_path_buf()
}

#[test]
fn example_crate_survives_every_deletion() {
    let dir = copy_package(&repo().join("examples/midend"), "midend", None);
    assert_sound("midend", &dir, true);
}

#[test]
fn resolution_fixture_survives_every_deletion() {
    let dir = copy_package(&repo().join("tests/fixtures/resolution"), "resolution", None);
    assert_sound("resolution", &dir, true);
}

#[test]
fn log_survives_every_deletion() {
    let src = pinned_package("log");
    let dir = copy_package(&src, "log", Some(&repo().join("tests/deletion/log.Cargo.lock")));
    assert_sound("log", &dir, true);
}

#[test]
fn semver_survives_every_deletion() {
    let src = pinned_package("semver");
    let dir = copy_package(&src, "semver", Some(&repo().join("tests/deletion/semver.Cargo.lock")));
    assert_sound("semver", &dir, true);
}

/// Any crate, in place: set `SPLITCHECK_DELETION_CRATE` to its directory.
#[test]
#[ignore = "runs on the crate named by SPLITCHECK_DELETION_CRATE"]
fn crate_from_environment_survives_every_deletion() {
    let Some(dir) = std::env::var_os("SPLITCHECK_DELETION_CRATE") else {
        panic!("set SPLITCHECK_DELETION_CRATE to a crate directory");
    };
    let dir = PathBuf::from(dir);
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    assert_sound(&name, &dir, false);
}
