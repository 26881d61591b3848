//! `splitcheck apply` on the `apply_cases` fixture (one of each rewrite) and on the example
//! crate: the copy must compile and pass the same tests, the rewritten files are snapshots,
//! and the fixture itself must be left byte-identical.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apply_cases")
}

/// Runs `splitcheck apply` and returns (exit code, stdout with durations and the output
/// directory masked).
fn apply(manifest: &Path, how: &[&str], out: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_splitcheck"))
        .arg("apply")
        .arg("--manifest-path")
        .arg(manifest)
        .args(how)
        .arg("--out")
        .arg(out)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("splitcheck runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let mut stdout = String::from_utf8_lossy(&output.stdout).replace(&out.display().to_string(), "<out>");
    // Durations vary from run to run.
    while let Some(i) = stdout.find(" s)") {
        let start = stdout[..i].rfind('(').unwrap();
        stdout.replace_range(start..i + 3, "(<time>)");
    }
    (output.status.code().unwrap_or(-1), stdout)
}

const GOOD: &str = "low=crate::base,crate::macros; high=crate::top,crate::base::extra";

#[test]
fn every_rewrite_compiles_and_passes_the_same_tests() {
    let before = common::files(&fixture());
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("copy");
    let (code, stdout) = apply(&fixture().join("Cargo.toml"), &["--split", GOOD], &dir);
    assert_eq!(code, 0, "{stdout}");
    insta::assert_snapshot!("apply_cases_summary", stdout);
    // The rewritten crates, file by file: fixture in, expected text out.
    let copy = common::files(&dir);
    let mut shown = String::new();
    for (path, bytes) in &copy {
        if path.ends_with(".rs") || path.ends_with("Cargo.toml") {
            let original = before.get(path);
            if original == Some(bytes) {
                shown.push_str(&format!("=== {path} (unchanged)\n"));
            } else {
                shown.push_str(&format!("=== {path}\n{}\n", String::from_utf8_lossy(bytes)));
            }
        }
    }
    insta::assert_snapshot!("apply_cases_files", shown);
    assert_eq!(common::files(&fixture()), before, "apply must not touch the crate it splits");
}

#[test]
fn a_moved_inherent_impl_is_refused_with_a_clear_reason() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("copy");
    let spec = "low=crate::base,crate::macros; high=crate::top,crate::base::extra,crate::base::ext";
    let output = Command::new(env!("CARGO_BIN_EXE_splitcheck"))
        .args(["apply", "--split", spec, "--out"])
        .arg(&dir)
        .arg("--manifest-path")
        .arg(fixture().join("Cargo.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "error: --split: inherent `<impl super::Id>` (src/base/ext.rs:1) would be in high but `Id` is in low: \
         an inherent impl cannot leave its type's crate; put `crate::base::ext` in the part of `crate::base`"
    );
    assert!(!dir.exists(), "nothing is written for a refused split");
}

#[test]
fn the_example_candidate_compiles_and_passes_the_same_tests() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/midend/Cargo.toml");
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("copy");
    let (code, stdout) = apply(&manifest, &["--candidate", "2-1"], &dir);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("verdict: the split compiles and passes the same 19 tests with the same outcomes"),
        "{stdout}"
    );
}

#[test]
fn measuring_a_split_times_the_crate_workflow_of_every_crate_on_its_own() {
    // On a copy: the measurement edits the crate's files (through its journal).
    let work = tempfile::tempdir().unwrap();
    let krate = work.path().join("midend");
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/midend"), &krate);
    let before = common::files(&krate);
    let report = work.path().join("check");
    let how = ["--candidate", "2-1", "--measure", "--reps", "1", "--report", report.to_str().unwrap()];
    let (code, stdout) = apply(&krate.join("Cargo.toml"), &how, &work.path().join("copy"));
    assert_eq!(code, 0, "{stdout}");
    assert!(common::files(&krate) == before, "the crate's files differ after the measurement");
    let check: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("prediction-check.json")).unwrap())
            .unwrap();
    let edits = check["modules"].as_array().unwrap();
    let src_edit_of = |krate: &str| {
        edits
            .iter()
            .find(|e| e["edit"] == "src" && e["crate"] == krate)
            .unwrap_or_else(|| panic!("{krate}: {edits:?}"))
    };
    for krate in ["midend", "midend_ir"] {
        let edit = src_edit_of(krate);
        let (ws, own) = (&edit["samples"]["test"][0], &edit["samples"]["test_crate"][0]);
        // The original's two workflows are one build; the split's crate workflow is a build of
        // its own, for the top crate too (a crate below may have it as a dev-dependency).
        assert_eq!(ws[0], own[0], "{krate}: {edit}");
        assert_ne!(ws[1], own[1], "{krate}: the crate workflow was not timed on its own: {edit}");
    }
}

#[test]
fn bad_requests_are_one_line_errors() {
    let out = tempfile::tempdir().unwrap();
    let manifest = fixture().join("Cargo.toml");
    let cases: [(&[&str], &str); 3] = [
        (&["--candidate", "9-9"], "--candidate 9-9: no such candidate of `apply_cases`"),
        (&["--candidate", "two"], "--candidate two: not an id like `2-1`"),
        (&["--split", GOOD, "--names", "one"], "--names: 1 names for 2 parts"),
    ];
    for (how, message) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_splitcheck"))
            .arg("apply")
            .arg("--manifest-path")
            .arg(&manifest)
            .args(how)
            .arg("--out")
            .arg(out.path().join("x"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{how:?}: {stderr}");
        assert!(stderr.contains(message), "{how:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    // An output directory that is not empty is refused before anything is written.
    let busy = out.path().join("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("keep.txt"), "mine").unwrap();
    let (code, _) = apply(&manifest, &["--split", GOOD], &busy);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(busy.join("keep.txt")).unwrap(), "mine");
}

/// `--features` reaches `apply`'s checks: the test behind the feature runs on the original and
/// on the split only when the feature is asked for.
#[test]
fn features_reach_the_verification() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features");
    let before = common::files(&fixture);
    let out = tempfile::tempdir().unwrap();
    let split = ["--split", "low=crate::base;high=*"];
    let (code, plain) = apply(&fixture.join("Cargo.toml"), &split, &out.path().join("plain"));
    assert_eq!(code, 0, "{plain}");
    assert!(plain.contains("original 1 passed"), "{plain}");
    let with: Vec<&str> = split.iter().copied().chain(["--features", "extra"]).collect();
    let (code, featured) = apply(&fixture.join("Cargo.toml"), &with, &out.path().join("featured"));
    assert_eq!(code, 0, "{featured}");
    assert!(featured.contains("original 2 passed") && featured.contains("split 2 passed"), "{featured}");
    assert!(common::files(&fixture) == before, "the fixture was changed");
}
