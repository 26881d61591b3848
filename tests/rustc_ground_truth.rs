//! Ground truth from rustc: for real crates, every `.rs` file in rustc's dep-info for the crate's
//! library must be among the files splitcheck's module walk found; every file splitcheck finds
//! beyond those must sit in a module it shows as gated by a `cfg` (or as test-only). And the
//! whole pipeline (`splitcheck <CRATE>`, pictures included) must succeed on each, with the same
//! bytes twice.
//!
//! The crates.io crates are pinned in `tests/ground_truth/Cargo.toml` (always run) and
//! `tests/corpus/Cargo.toml` (70 crates, `--ignored`: minutes), with their lockfiles; cargo
//! downloads them. The corpus run writes its table to `target/tmp/corpus.md`
//! (`reports/corpus.md` is a copy). The example crate and the `module_forms` fixture are checked
//! the same way, for the library and for the test build.

use splitcheck::analysis::{CrateAnalysis, analyze};
use splitcheck::modtree::ModuleId;
use splitcheck::workspace::Selection;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cargo(args: &[&str], dir: &Path) -> String {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {args:?} failed in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every `.rs` file that rustc read for one crate, from the dep-info files of the given profile
/// directory whose deps include `src_path` (several crates may share a name); `None` when cargo
/// did not build the crate (a dependency for another platform).
fn dep_info_files(
    deps_dir: &Path,
    lib_name: &str,
    src_path: &Path,
    base: &Path,
) -> Option<BTreeSet<PathBuf>> {
    let mut found = BTreeSet::new();
    let mut matched = false;
    for entry in std::fs::read_dir(deps_dir).unwrap() {
        let path = entry.unwrap().path();
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(file_name.starts_with(&format!("{lib_name}-")) && file_name.ends_with(".d")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut files = BTreeSet::new();
        for line in text.lines() {
            let Some((_, deps)) = line.split_once(": ") else { continue };
            // Paths with spaces are escaped as `\ `.
            let deps = deps.replace("\\ ", "\u{0}");
            // Every file rustc read: `include!`d ones need not end in `.rs`.
            for dep in deps.split(' ').filter(|d| !d.is_empty()) {
                let dep = PathBuf::from(dep.replace('\u{0}', " "));
                files.insert(if dep.is_absolute() { dep } else { base.join(dep) });
            }
        }
        let canonical: BTreeSet<PathBuf> =
            files.iter().filter_map(|f| std::fs::canonicalize(f).ok()).collect();
        if canonical.contains(&std::fs::canonicalize(src_path).unwrap()) {
            matched = true;
            found.extend(canonical);
        }
    }
    matched.then_some(found)
}

/// Checks one crate; returns a table row.
fn check(analysis: &CrateAnalysis, rustc_files: &BTreeSet<PathBuf>, test_build: bool) -> String {
    let pkg_dir = std::fs::canonicalize(&analysis.package.root_dir).unwrap();
    let tree = &analysis.tree;
    let ours: BTreeSet<PathBuf> = tree.files().iter().filter_map(|f| std::fs::canonicalize(f).ok()).collect();
    // Files outside the package (build-script output in OUT_DIR) are not the walk's to find.
    // Rust files only: `include_str!` and `include_bytes!` (a README for the docs) are not code.
    let rustc_in_pkg: BTreeSet<&PathBuf> = rustc_files
        .iter()
        .filter(|f| f.starts_with(&pkg_dir) && f.extension().is_some_and(|e| e == "rs"))
        .collect();
    // A `.rs` file read by `include_str!` (a doc example) is text, not a module of the crate.
    let text_includes = text_includes(&ours);
    let missed: Vec<&&PathBuf> =
        rustc_in_pkg.iter().filter(|f| !ours.contains(**f) && !text_includes.contains(**f)).collect();
    assert!(
        missed.is_empty(),
        "{}: rustc read files splitcheck did not find: {missed:?}",
        analysis.package.name
    );
    let mut unexplained = Vec::new();
    let extra: Vec<&PathBuf> = ours.iter().filter(|f| !rustc_files.contains(*f)).collect();
    for file in &extra {
        let explained = tree.modules.iter().enumerate().any(|(i, m)| {
            let id = ModuleId(i as u32);
            m.files.iter().any(|f| std::fs::canonicalize(f).ok().as_ref() == Some(*file))
                && (!tree.effective_cfg(id).is_empty() || (m.test_only && !test_build))
        });
        if !explained {
            unexplained.push(file);
        }
    }
    assert!(
        unexplained.is_empty(),
        "{}: splitcheck lists files rustc did not read, with no cfg to explain them: {unexplained:?}",
        analysis.package.name
    );
    format!(
        "{:<20} {:<5} {:>4} rustc files, {:>4} found, {:>3} more (cfg-gated), {:>4} modules",
        analysis.package.name,
        if test_build { "test" } else { "lib" },
        rustc_in_pkg.len(),
        ours.len(),
        extra.len(),
        tree.modules.len()
    )
}

/// The files named by `include_str!("…")` and `include_bytes!("…")` in the given files.
fn text_includes(files: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap_or_default()).into_owned();
        for call in ["include_str!(\"", "include_bytes!(\""] {
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                if let Some(end) = rest.find('"') {
                    let dir = file.parent().unwrap();
                    out.extend(std::fs::canonicalize(dir.join(&rest[..end])).ok());
                }
            }
        }
    }
    out
}

fn analyze_manifest(manifest: &Path) -> CrateAnalysis {
    let selection = Selection { krate: None, manifest_path: Some(manifest.to_path_buf()), offline: true };
    analyze(&selection).unwrap_or_else(|e| panic!("splitcheck failed on {}: {e}", manifest.display()))
}

/// The direct dependencies of the corpus (their own dependencies are checked too when built).
const PINNED: &[&str] = &["anyhow", "clap_builder", "log", "memchr", "regex-syntax", "serde", "syn"];

/// One crate through `splitcheck <CRATE> --format json`, twice: both runs succeed and write the
/// same bytes. Returns a row of the corpus table.
fn whole_pipeline(manifest: &Path, name: &str, version: &str, out: &Path) -> String {
    let mut runs = Vec::new();
    let mut seconds = 0.0;
    for i in 0..2 {
        let dir = out.join(format!("{name}-{version}-{i}"));
        let start = std::time::Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_splitcheck"))
            .args(["--format", "json", "--offline", "--color", "never", "--manifest-path"])
            .arg(manifest)
            .arg("--out")
            .arg(&dir)
            .output()
            .expect("splitcheck runs");
        if i == 0 {
            seconds = start.elapsed().as_secs_f64();
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success() && !stderr.contains("panicked"), "{name} {version}: {stderr}");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
            .collect();
        files.sort();
        runs.push((output.stdout, files));
    }
    assert!(runs[0] == runs[1], "{name} {version}: two runs wrote different bytes");
    let report: serde_json::Value = serde_json::from_slice(&runs[0].0).unwrap();
    let g = &report["glance"];
    let edges = g["edges"]["src"].as_u64().unwrap() + g["edges"]["test_only"].as_u64().unwrap();
    format!(
        "| `{name}` {version} | {} | {} | {} | {} | {} | {} | {:.2} |",
        report["analyzed"]["edition"].as_str().unwrap(),
        g["modules"],
        g["src_lines"],
        g["test_lines"],
        edges,
        g["cycles"].as_array().unwrap().len(),
        seconds
    )
}

/// Checks every library package of a pinned corpus against rustc and runs the pipeline on its
/// direct dependencies; returns the corpus table's rows and the names checked against rustc.
fn run_corpus(corpus: &Path, target: &Path) -> (Vec<String>, BTreeSet<String>) {
    let target_arg = target.to_string_lossy().into_owned();
    cargo(&["check", "--locked", "--lib", "--target-dir", &target_arg], corpus);
    let metadata = cargo(&["metadata", "--locked", "--format-version", "1"], corpus);
    let metadata: serde_json::Value = serde_json::from_str(&metadata).unwrap();
    let direct: BTreeSet<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["source"].is_null())
        .flat_map(|p| p["dependencies"].as_array().unwrap().iter().filter_map(|d| d["name"].as_str()))
        .collect();
    let out = tempfile::tempdir().unwrap();
    let (mut rows, mut checked, mut failures) = (Vec::new(), BTreeSet::new(), Vec::<String>::new());
    for package in metadata["packages"].as_array().unwrap() {
        if package["source"].is_null() {
            continue; // the corpus package itself
        }
        let Some(lib) = package["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["kind"].as_array().unwrap().iter().any(|k| k == "lib"))
        else {
            continue; // proc-macro crates are not built by `check` as libraries we can compare
        };
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap());
        let analysis = analyze_manifest(&manifest);
        let src_path = PathBuf::from(lib["src_path"].as_str().unwrap());
        let lib_name = lib["name"].as_str().unwrap();
        let name = package["name"].as_str().unwrap();
        // Packages cargo did not build (other platforms, unused versions) have no dep-info.
        if let Some(rustc) = dep_info_files(&target.join("debug/deps"), lib_name, &src_path, corpus) {
            // Every crate is checked; the failures are listed together at the end.
            let version = package["version"].as_str().unwrap();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                check(&analysis, &rustc, false);
                direct.contains(name).then(|| whole_pipeline(&manifest, name, version, out.path()))
            }));
            match result {
                Ok(row) => rows.extend(row),
                Err(e) => failures.push(format!(
                    "{name} {version}: {}",
                    e.downcast_ref::<String>().map_or("panicked", String::as_str)
                )),
            }
            checked.insert(name.to_owned());
        }
    }
    assert!(failures.is_empty(), "{} crate(s) failed:\n{}", failures.len(), failures.join("\n"));
    (rows, checked)
}

const TABLE_HEAD: &str = "| Crate | Edition | Modules | Src lines | Test lines | Edges | Cycles | Seconds |\n|---|---|---|---|---|---|---|---|";

#[test]
#[ignore = "builds 160 crates.io crates (minutes): cargo test --test rustc_ground_truth -- --ignored"]
fn corpus_of_crates_io_crates() {
    let corpus = repo().join("tests/corpus");
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus");
    let (rows, checked) = run_corpus(&corpus, &target);
    assert!(rows.len() >= 40, "only {} corpus crates ran the pipeline", rows.len());
    let table = format!(
        "# Corpus: the whole pipeline on {} crates.io crates\n\n\
         {}, run on {}.\n\n\
         `cargo test --release --test rustc_ground_truth -- --ignored` on a 2-core machine: every crate's \
         module files include rustc's dep-info files ({} library crates checked, dependencies \
         included), and `splitcheck <CRATE>` succeeds and writes the same bytes twice. Seconds: the \
         first run, pictures included (debug or release as the test was built).\n\n{TABLE_HEAD}\n{}\n",
        rows.len(),
        splitcheck::provenance::tool_and_commit(),
        splitcheck::provenance::today(),
        checked.len(),
        rows.join("\n")
    );
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus.md");
    std::fs::write(&path, &table).unwrap();
    println!("{table}");
}

#[test]
fn crates_io_crates_match_rustc_dep_info() {
    let corpus = repo().join("tests/ground_truth");
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ground-truth");
    let (rows, checked) = run_corpus(&corpus, &target);
    for name in PINNED {
        assert!(checked.contains(*name), "pinned crate `{name}` was not checked");
    }
    assert!(rows.len() >= PINNED.len(), "the pipeline ran on {} crates", rows.len());
    println!("{TABLE_HEAD}\n{}", rows.join("\n"));
}

#[test]
fn example_and_fixture_match_rustc_dep_info() {
    let mut rows = Vec::new();
    for (dir, lib) in [("examples/midend", "midend"), ("tests/fixtures/module_forms", "module_forms")] {
        let dir = repo().join(dir);
        let analysis = analyze_manifest(&dir.join("Cargo.toml"));
        for test_build in [false, true] {
            let what = if test_build { "--tests" } else { "--lib" };
            // One target directory per build, so each holds one dep-info file for the crate.
            let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("ground-truth-{lib}{what}"));
            let target_arg = target.to_string_lossy().into_owned();
            cargo(&["check", what, "--target-dir", &target_arg], &dir);
            let rustc = dep_info_files(&target.join("debug/deps"), lib, &analysis.package.lib.src_path, &dir)
                .expect("dep-info of the crate itself");
            rows.push(check(&analysis, &rustc, test_build));
        }
    }
    println!("{}", rows.join("\n"));
}
