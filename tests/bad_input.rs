//! Bad input, case by case: each gives its documented exit code and a message naming the crate,
//! file or flag, never a panic. Odd crates are made in temporary directories; the fixtures hold
//! the ones worth keeping as files (`broken_files`, `bin_only`, `proc_macro`, `bad_manifest`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn splitcheck(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_splitcheck"));
    cmd.args(args).arg("--color").arg("never").current_dir(cwd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("splitcheck runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{args:?} panicked: {}", run.stderr);
    run
}

/// Expects `code` and `needle` in stderr (exit 2, 1) or stdout (exit 0); errors are one line.
fn expect(run: &Run, code: i32, needle: &str) {
    let text = if code == 0 { &run.stdout } else { &run.stderr };
    assert_eq!(run.code, code, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(text.contains(needle), "expected `{needle}` in:\n{text}");
    if code != 0 {
        let lines: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("error")).collect();
        assert_eq!(lines.len(), 1, "one error line: {}", run.stderr);
    }
}

/// A library crate in a temporary directory, its own workspace, with these source files.
fn krate(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"odd\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The whole pipeline on a crate (report into a temporary directory): it must succeed.
fn full_report(dir: &Path) -> Run {
    let out = dir.join("report-out");
    let run = splitcheck(dir, &["--out", out.to_str().unwrap()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("report.md").is_file());
    run
}

#[test]
fn crates_that_cannot_be_analyzed() {
    let ws = fixtures().join("workspace");
    expect(&splitcheck(&ws, &["modules", "ws-cor"], &[]), 2, "no package `ws-cor` in the workspace");
    expect(&splitcheck(&ws, &["shared"], &[]), 2, "`shared` matches several packages");
    expect(&splitcheck(&fixtures().join("bin_only"), &[], &[]), 2, "has no library target");
    expect(&splitcheck(&fixtures().join("proc_macro"), &[], &[]), 2, "is a proc-macro crate");
    let bad = fixtures().join("bad_manifest");
    expect(&splitcheck(&bad, &[], &[]), 2, "invalid manifest Cargo.toml");
    expect(&splitcheck(&bad, &["--manifest-path", "missing/Cargo.toml"], &[]), 2, "no Cargo.toml at missing");
}

#[test]
fn broken_files_are_reported_and_the_rest_analyzed() {
    let dir = fixtures().join("broken_files");
    let run = splitcheck(&dir, &["modules"], &[]);
    expect(&run, 0, "file not found for module `missing`");
    for needle in [
        "#[path] names src/nowhere/gone.rs",
        "syntax error",
        "file is not valid UTF-8",
        "would load src/loops.rs again",
        "crate::empty         src/empty.rs           0",
    ] {
        assert!(run.stdout.contains(needle), "expected `{needle}` in:\n{}", run.stdout);
    }
    // The whole pipeline too, into a temporary report directory.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let run = splitcheck(&dir, &["--out", out.to_str().unwrap()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("report.md").is_file());
}

#[test]
fn a_path_attribute_outside_the_package_is_a_warning() {
    let dir = krate(&[("src/lib.rs", b"#[path = \"../../elsewhere.rs\"] pub mod far;\n")]);
    let outside = dir.path().parent().unwrap().join("elsewhere.rs");
    std::fs::write(&outside, "pub fn f() {}\n").unwrap();
    let run = splitcheck(dir.path(), &["modules"], &[]);
    let _ = std::fs::remove_file(&outside);
    expect(&run, 0, "leads outside the package directory");
}

#[test]
fn a_symlink_loop_in_the_module_tree_stops() {
    let dir = krate(&[("src/lib.rs", b"pub mod a;\n"), ("src/a/mod.rs", b"pub mod a;\n")]);
    std::os::unix::fs::symlink("../a", dir.path().join("src/a/a")).unwrap();
    let run = splitcheck(dir.path(), &["modules"], &[]);
    expect(&run, 0, "again, already the file of its ancestor `crate::a`");
    full_report(dir.path());
}

#[test]
fn a_50_mb_file_is_counted_not_parsed() {
    let line = b"pub fn generated(x: u32) -> u32 { x + 1 }\n";
    let big: Vec<u8> = line.iter().copied().cycle().take(50 * 1024 * 1024).collect();
    let dir = krate(&[("src/lib.rs", b"pub mod gen;\npub fn f() -> u32 { 1 }\n"), ("src/gen.rs", &big)]);
    let run = splitcheck(dir.path(), &["modules"], &[]);
    expect(&run, 0, "file not parsed: 50.0 MiB is over the 16 MiB");
    let lines = big.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count();
    assert!(
        run.stdout.contains(&format!("crate::gen  src/gen.rs  {lines}")),
        "its lines count:\n{}",
        run.stdout
    );
    full_report(dir.path());
}

#[test]
fn a_thousand_nested_modules() {
    let depth = 1000;
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&format!("pub mod m{i} {{\n"));
    }
    text.push_str("pub fn deepest() {}\n");
    text.push_str(&"}\n".repeat(depth));
    let path: Vec<String> = (0..depth).map(|i| format!("m{i}")).collect();
    text.push_str(&format!("pub fn f() {{ {}::deepest() }}\n", path.join("::")));
    let dir = krate(&[("src/lib.rs", text.as_bytes())]);
    let run = splitcheck(dir.path(), &["graph", "--format", "json"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(graph["modules"].as_array().unwrap().len(), depth + 1);
    // The path through all thousand modules resolves: the root uses the deepest one.
    let deepest = format!("crate::{}", path.join("::"));
    let edges = graph["edges"].as_array().unwrap();
    assert!(
        edges.iter().any(|e| e["from"] == "crate" && e["to"] == deepest.as_str()),
        "no edge to the deepest"
    );
    full_report(dir.path());
}

#[test]
fn bad_flags_and_specs() {
    let layers = fixtures().join("layers");
    let tmp = tempfile::tempdir().unwrap();
    let not_json = tmp.path().join("not.json");
    std::fs::write(&not_json, "not json").unwrap();
    let wrong = tmp.path().join("wrong.json");
    std::fs::write(&wrong, "{\"schema_version\": 1, \"crate\": 3}").unwrap();
    let run = splitcheck(&layers, &["partition", "--graph-json", not_json.to_str().unwrap()], &[]);
    expect(&run, 2, "not JSON");
    let run = splitcheck(&layers, &["partition", "--graph-json", wrong.to_str().unwrap()], &[]);
    expect(&run, 2, "not a splitcheck graph");
    expect(&splitcheck(&layers, &["partition", "--parts", "0"], &[]), 2, "'0' for '--parts <PARTS>'");
    expect(&splitcheck(&layers, &["partition", "--parts", "6"], &[]), 2, "--parts 6: `layers` has 5 unit(s)");
    expect(
        &splitcheck(&layers, &["explore", "--split", "a=crate::nowhere;b=*"], &[]),
        2,
        "glob `crate::nowhere` of part `a` matches no module",
    );
    expect(&splitcheck(&layers, &["--timings", not_json.to_str().unwrap()], &[]), 2, "--timings");
}

#[test]
fn record_without_cargo_without_a_build_or_without_a_target_dir() {
    let dir = krate(&[("src/lib.rs", b"pub mod a;\n"), ("src/a.rs", b"pub fn a() -> u32 {\n    1\n}\n")]);
    // Cargo writes a missing lockfile itself; the crate has one, as crates usually do.
    let lock = Command::new(env!("CARGO")).arg("generate-lockfile").current_dir(dir.path()).output().unwrap();
    assert!(lock.status.success());
    let before = common::files(dir.path());
    // No cargo on PATH and no $CARGO.
    let run = Command::new(env!("CARGO_BIN_EXE_splitcheck"))
        .args(["record", "--reps", "1", "--color", "never"])
        .current_dir(dir.path())
        .env_remove("CARGO")
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cargo was not found"), "{stderr}");
    assert!(common::files(dir.path()) == before);

    // A target directory that cannot be created: nothing is edited.
    let run =
        splitcheck(dir.path(), &["record", "--reps", "1"], &[("CARGO_TARGET_DIR", "/proc/no-target-here")]);
    expect(&run, 1, "cannot use the edit journal");
    assert!(common::files(dir.path()) == before, "files changed");

    // A crate that does not build: the error says so, and every file is as it was.
    std::fs::write(dir.path().join("src/a.rs"), "pub fn a() -> u32 {\n").unwrap();
    let before = common::files(dir.path());
    let target = tempfile::tempdir().unwrap();
    let run = splitcheck(
        dir.path(),
        &["record", "--reps", "1"],
        &[("CARGO_TARGET_DIR", target.path().to_str().unwrap())],
    );
    expect(&run, 1, "`cargo build --lib` failed");
    assert!(common::files(dir.path()) == before, "files changed");
}
