//! Clean builds end to end without building anything: a real `cargo build --timings` report of
//! the `resolution` fixture read into a clean-build recording, then the report's clean-build
//! predictions from it, and the errors a user can make.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn splitcheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_splitcheck"))
        .args(args)
        .args(["--color", "never", "--offline"])
        .current_dir(root())
        .output()
        .expect("binary runs")
}

const MANIFEST: &str = "tests/fixtures/resolution/Cargo.toml";
const HTML: &str = "tests/fixtures/cargo_timings/cargo-timing.html";

fn recording(dir: &Path) -> (PathBuf, serde_json::Value) {
    let file = dir.join("clean.json");
    let out = splitcheck(&[
        "record",
        "--clean",
        "--from-cargo-timings",
        HTML,
        "--manifest-path",
        MANIFEST,
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    (file, json)
}

#[test]
fn a_cargo_timings_report_becomes_a_clean_recording() {
    let dir = tempfile::tempdir().unwrap();
    let (_, json) = recording(dir.path());
    assert_eq!(json["crate"], "resolution");
    assert_eq!(json["source"], "cargo build --timings");
    let crates = json["crates"].as_array().unwrap();
    assert_eq!(crates.len(), 1, "only the workspace's libraries: {crates:?}");
    // The unit as cargo reported it: 0.17 s, its frontend (metadata) done at 0.09 s.
    assert_eq!(crates[0]["lib_s"]["median"], 0.17);
    assert_eq!(crates[0]["metadata_s"]["median"], 0.09);
    assert!(crates[0]["test_s"].is_null());
    assert!(json["lib"].is_null(), "one crate cannot be fitted");
}

#[test]
fn the_report_predicts_every_candidates_clean_build() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = recording(dir.path());
    let out_dir = dir.path().join("report");
    let out = splitcheck(&[
        "--manifest-path",
        MANIFEST,
        "--out",
        out_dir.to_str().unwrap(),
        "--no-pictures",
        "--clean-timings",
        file.to_str().unwrap(),
        "--cores",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["clean"]["cores"], 2);
    assert_eq!(report["clean"]["fitted"], false);
    let rows: Vec<&serde_json::Value> = report["splits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["candidates"].as_array().unwrap())
        .collect();
    assert!(!rows.is_empty());
    for row in rows {
        let lib = &row["clean"]["lib"];
        assert_eq!(lib["unsplit_s"], 0.17, "the unsplit crate costs what was measured");
        let bars = lib["bars"].as_array().unwrap();
        assert_eq!(bars.len(), row["crates"].as_u64().unwrap() as usize, "one library per crate");
        let end = bars.iter().map(|b| b["end_s"].as_f64().unwrap()).fold(0.0, f64::max);
        assert_eq!(lib["split_s"].as_f64().unwrap(), end);
        // Two cores: at least the longest crate, at most all of them in a row.
        let lengths: Vec<f64> =
            bars.iter().map(|b| b["end_s"].as_f64().unwrap() - b["start_s"].as_f64().unwrap()).collect();
        let (longest, sum) = (lengths.iter().copied().fold(0.0, f64::max), lengths.iter().sum::<f64>());
        assert!(end >= longest - 1e-9 && end <= sum + 1e-9, "{row}");
        assert!(bars.iter().any(|b| b["critical"] == true));
        let id = row["id"].as_str().unwrap();
        let svg = std::fs::read_to_string(out_dir.join(format!("clean-{id}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("cargo build --lib, 2 cores"), "{svg}");
    }
    let md = std::fs::read_to_string(out_dir.join("report.md")).unwrap();
    assert!(md.contains("## Clean builds") && md.contains("| Clean build |"), "{md}");
}

/// The report of the fixture into `dir`, priced for clean builds by `recording`.
fn report_with(dir: &std::path::Path, recording: &std::path::Path) -> std::process::Output {
    splitcheck(&[
        "--manifest-path",
        MANIFEST,
        "--no-pictures",
        "--out",
        dir.to_str().unwrap(),
        "--clean-timings",
        recording.to_str().unwrap(),
    ])
}

#[test]
fn bad_clean_input_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let out = report_with(dir.path(), &missing);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--clean-timings") && err.contains("nope.json") && err.lines().count() == 1,
        "{err}"
    );
    // A recording of another crate names both.
    let (file, mut json) = recording(dir.path());
    json["crates"][0]["name"] = "other".into();
    json["crate"] = "other".into();
    std::fs::write(&file, serde_json::to_string(&json).unwrap()).unwrap();
    let out = report_with(dir.path(), &file);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no entry for crate `resolution`") && err.contains("`other`"), "{err}");
    // A report that is not cargo's.
    let html = dir.path().join("x.html");
    std::fs::write(&html, "<html></html>").unwrap();
    let out = splitcheck(&[
        "record",
        "--clean",
        "--from-cargo-timings",
        html.to_str().unwrap(),
        "--manifest-path",
        MANIFEST,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no UNIT_DATA"));
}
