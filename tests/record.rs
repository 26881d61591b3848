//! `splitcheck record` must leave the user's files byte-identical, with their original mtimes:
//! after a normal run, after cargo fails mid-recording, after Ctrl-C, and after a SIGKILL once
//! the next run has restored them. Each test records on a fresh copy of the example crate.
//! Failures and waits are injected by a stand-in for cargo (`$CARGO`) that hands `metadata` and
//! the first builds to the real cargo, then fails or hangs.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Every file of the crate (target excluded): bytes and mtime.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let meta = std::fs::metadata(&path).unwrap();
                out.insert(path.clone(), (std::fs::read(&path).unwrap(), meta.modified().unwrap()));
            }
        }
    }
    out
}

struct Sandbox {
    _dir: tempfile::TempDir,
    krate: PathBuf,
    wrap: PathBuf,
}

fn sandbox(mode: &str) -> Sandbox {
    sandbox_of("examples/midend", mode)
}

fn sandbox_of(source: &str, mode: &str) -> Sandbox {
    let dir = tempfile::tempdir().unwrap();
    let krate = dir.path().join("krate");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(source), &krate);
    let wrap = dir.path().join("wrap");
    std::fs::create_dir_all(&wrap).unwrap();
    let script = wrap.join("cargo");
    // Counted calls are builds: 1 and 2 are the warm-up, 3 the first build after an edit
    // (running the tests and asking for nextest pass through uncounted).
    let action = match mode {
        "fail" => "echo 'error: injected failure' >&2; exit 101",
        "hang" => "touch \"$WRAP_DIR/hanging\"; exec sleep 60",
        _ => ":",
    };
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$*\" >> \"$WRAP_DIR/args\"\n\
             case \"$1\" in metadata|--version|nextest) exec \"$REAL_CARGO\" \"$@\";; esac\n\
             if [ \"$1\" = test ] && ! echo \"$*\" | grep -q -- --no-run; then exec \"$REAL_CARGO\" \"$@\"; fi\n\
             n=$(cat \"$WRAP_DIR/count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$WRAP_DIR/count\"\n\
             if [ \"$n\" -ge 3 ]; then {action}; fi\nexec \"$REAL_CARGO\" \"$@\"\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    Sandbox { _dir: dir, krate, wrap }
}

fn copy_dir(src: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == "target" {
            continue;
        }
        let to = dest.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

fn splitcheck(sb: &Sandbox, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_splitcheck"));
    cmd.args(args)
        .arg("--manifest-path")
        .arg(sb.krate.join("Cargo.toml"))
        .env("CARGO", sb.wrap.join("cargo"))
        .env("REAL_CARGO", env!("CARGO"))
        .env("WRAP_DIR", &sb.wrap)
        .env("CARGO_TARGET_DIR", sb.krate.join("target"));
    cmd
}

const RECORD: &[&str] = &["record", "--modules", "crate::ir", "--reps", "2", "--out"];

fn record_args(sb: &Sandbox) -> Vec<String> {
    let mut args: Vec<String> = RECORD.iter().map(|s| (*s).to_owned()).collect();
    args.push(sb.wrap.join("timings.json").to_string_lossy().into_owned());
    args
}

fn run(mut cmd: Command) -> Output {
    cmd.output().expect("splitcheck runs")
}

#[test]
fn a_normal_recording_restores_every_file() {
    let sb = sandbox("pass");
    let before = snapshot(&sb.krate);
    let args = record_args(&sb);
    let out = run(splitcheck(&sb, &args.iter().map(String::as_str).collect::<Vec<_>>()));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(snapshot(&sb.krate) == before, "files differ after a recording");
    let timings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.wrap.join("timings.json")).unwrap()).unwrap();
    assert_eq!(timings["schema_version"], 1);
    assert_eq!(timings["modules"][0]["path"], "crate::ir");
    assert_eq!(timings["modules"][0]["samples_s"]["lib"].as_array().unwrap().len(), 2);
    assert!(timings["modules"][0]["spread_s"]["test"]["median"].as_f64().unwrap() > 0.0);
    // The example's tests pass, so running them once was timed too.
    assert!(timings["test_run_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_failing_build_restores_every_file() {
    let sb = sandbox("fail");
    let before = snapshot(&sb.krate);
    let args = record_args(&sb);
    let out = run(splitcheck(&sb, &args.iter().map(String::as_str).collect::<Vec<_>>()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("injected failure"), "{stderr}");
    assert!(snapshot(&sb.krate) == before, "files differ after a failed recording");
}

/// Starts a recording that hangs in its first build after an edit; returns it once it hangs.
fn hanging(sb: &Sandbox) -> std::process::Child {
    let args = record_args(sb);
    let child = splitcheck(sb, &args.iter().map(String::as_str).collect::<Vec<_>>())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !sb.wrap.join("hanging").exists() {
        assert!(start.elapsed() < Duration::from_secs(120), "the recording never reached its first edit");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn signal(child: &std::process::Child, sig: &str) {
    let status = Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

#[test]
fn ctrl_c_restores_every_file_and_exits_130() {
    let sb = sandbox("hang");
    let before = snapshot(&sb.krate);
    let child = hanging(&sb);
    assert!(snapshot(&sb.krate) != before, "the module should be edited while cargo runs");
    // Another run meanwhile leaves the live recording's edits alone.
    let other = run(splitcheck(&sb, &["graph", "--format", "json"]));
    let other_err = String::from_utf8_lossy(&other.stderr);
    assert!(other_err.contains("is running on this crate"), "{other_err}");
    assert!(snapshot(&sb.krate) != before);
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted; every edited file was restored"), "{stderr}");
    assert!(snapshot(&sb.krate) == before, "files differ after Ctrl-C");
}

#[test]
fn after_sigkill_the_next_run_restores_every_file() {
    let sb = sandbox("hang");
    let before = snapshot(&sb.krate);
    let mut child = hanging(&sb);
    signal(&child, "-KILL");
    let _ = child.wait();
    assert!(snapshot(&sb.krate) != before, "a killed recording cannot restore by itself");
    let out = run(splitcheck(&sb, &["record", "--restore"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("restored 1 file(s)") && stderr.contains("src/ir/mod.rs"), "{stderr}");
    assert!(snapshot(&sb.krate) == before, "files differ after the restoring run");
    // Nothing left to restore: a later run says nothing.
    let again = run(splitcheck(&sb, &["graph", "--format", "json"]));
    assert!(!String::from_utf8_lossy(&again.stderr).contains("restored"));
}

#[test]
fn a_workspace_fit_and_dependents_time_every_library_and_restore_them() {
    let sb = sandbox_of("tests/fixtures/workspace", "pass");
    let before = snapshot(&sb.krate);
    let out_file = sb.wrap.join("timings.json");
    let out = run(splitcheck(
        &sb,
        &[
            "record",
            "ws-core",
            "--reps",
            "1",
            "--workspace-fit",
            "--with-dependents",
            "--out",
            out_file.to_str().unwrap(),
        ],
    ));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(snapshot(&sb.krate) == before, "files differ after a workspace fit");
    let timings: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    let crates: Vec<&str> = timings["workspace_fit"]["crates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(crates, ["shared", "shared-impl", "ws-app", "ws-core", "ws-tools"]);
    // Every crate has one line: no size to fit cost against, and the report says so.
    assert!(timings["workspace_fit"]["lib"].is_null());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("fit lib: not possible (fewer than three crates of different sizes)")
    );
}

#[test]
fn a_quick_recording_builds_its_scratch_crate_above_the_crate_and_restores_every_file() {
    let sb = sandbox("pass");
    let before = snapshot(&sb.krate);
    let out_file = sb.wrap.join("timings.json");
    let out =
        run(splitcheck(&sb, &["record", "--quick", "--reps", "2", "--out", out_file.to_str().unwrap()]));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(snapshot(&sb.krate) == before, "files differ after a quick recording");
    let timings: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(timings["quick"], true);
    let crates = timings["workspace_fit"]["crates"].as_array().unwrap();
    let names: Vec<&str> = crates.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["midend", "splitcheck-probe (scratch crate above the crate)"]);
    assert_eq!((crates[1]["src_lines"].as_u64(), crates[1]["test_lines"].as_u64()), (Some(10), Some(7)));
    for c in crates {
        assert_eq!(c["samples_s"]["lib"].as_array().unwrap().len(), 2, "{c}");
        assert_eq!(c["rerun_samples_s"].as_array().unwrap().len(), 2, "{c}");
    }
    // The scratch crate depends on the crate and builds in the crate's target directory, where
    // the crate's own artifacts are.
    let probe = sb.krate.join("target").join("splitcheck-probe");
    let manifest = std::fs::read_to_string(probe.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("below = { package = \"midend\""), "{manifest}");
    assert!(!probe.join("target").exists(), "the scratch crate above builds in the crate's target directory");
    assert!(timings["workspace_fit"]["lib"]["fixed_s"].as_f64().unwrap() > 0.0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("scratch crate above the crate"));
}

#[test]
fn a_build_past_the_time_limit_ends_with_one_line_and_restores_every_file() {
    let sb = sandbox("hang");
    let before = snapshot(&sb.krate);
    let args = record_args(&sb);
    let mut cmd = splitcheck(&sb, &args.iter().map(String::as_str).collect::<Vec<_>>());
    cmd.env("SPLITCHECK_BUILD_TIMEOUT_S", "2");
    let out = run(cmd);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("took more than 2 s, the limit per build"), "{stderr}");
    assert_eq!(stderr.lines().filter(|l| l.starts_with("error")).count(), 1, "{stderr}");
    assert!(snapshot(&sb.krate) == before, "files differ after a build past the limit");
}

/// A crate whose every build prints about 400 KB of warnings: more than a pipe holds.
fn warning_flood() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"warny\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    let mut body = String::from("pub fn noisy() {\n");
    for i in 0..1500 {
        body.push_str(&format!("    let unused_variable_number_{i} = {i};\n"));
    }
    body.push_str("}\n");
    std::fs::write(src.join("lib.rs"), "mod loud;\npub use loud::noisy;\n").unwrap();
    std::fs::write(src.join("loud.rs"), body).unwrap();
    dir
}

#[test]
fn a_crate_that_warns_a_lot_is_recorded_and_restored() {
    let krate = warning_flood();
    let manifest = krate.path().join("Cargo.toml");
    // Built once first, so its lock file exists before the snapshot.
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(built.status.success());
    assert!(
        built.stderr.len() > 100_000,
        "the fixture warns less than a pipe holds: {} bytes",
        built.stderr.len()
    );
    let before = snapshot(krate.path());
    let out_dir = tempfile::tempdir().unwrap();
    let out_file = out_dir.path().join("timings.json");
    let out = Command::new(env!("CARGO_BIN_EXE_splitcheck"))
        .args(["record", "--modules", "crate::loud", "--reps", "1", "--out"])
        .arg(&out_file)
        .arg("--manifest-path")
        .arg(&manifest)
        .env("SPLITCHECK_BUILD_TIMEOUT_S", "300")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let timings: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(timings["modules"][0]["path"], "crate::loud");
    assert!(snapshot(krate.path()) == before, "files differ after recording a crate that warns a lot");
}

/// `--features` reaches every build of the crate: the module that exists only with the feature is
/// recorded, and the recording says which features were built.
#[test]
fn features_reach_cargo() {
    let sb = sandbox_of("tests/fixtures/features", "pass");
    let out_file = sb.wrap.join("timings.json");
    let out = run(splitcheck(
        &sb,
        &[
            "record",
            "--features",
            "extra",
            "--modules",
            "crate::extra",
            "--reps",
            "1",
            "--out",
            out_file.to_str().unwrap(),
        ],
    ));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let args = std::fs::read_to_string(sb.wrap.join("args")).unwrap();
    let builds: Vec<&str> =
        args.lines().filter(|l| l.starts_with("build") || l.starts_with("test --no-run")).collect();
    assert!(!builds.is_empty());
    assert!(builds.iter().all(|l| l.contains("--features extra")), "{args}");
    let timings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(timings["features"], "the default features and extra");
    assert_eq!(timings["modules"][0]["path"], "crate::extra");
}
