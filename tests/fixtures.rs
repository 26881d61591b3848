//! Data-driven tests: every `tests/fixtures/<case>/cases` file lists argument lines; splitcheck
//! runs with each from that fixture's directory, and its exit code, stdout and stderr are
//! compared with the snapshot `tests/snapshots/fixtures__<case>-<n>.snap`.

use std::path::Path;
use std::process::Command;

fn run_case(dir: &Path, args: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_splitcheck"))
        .args(args.split_whitespace())
        .current_dir(dir)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("splitcheck runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "splitcheck panicked on {args}: {stderr}");
    format!(
        "args: {args}\nexit: {}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        output.status.code().map_or("signal".to_owned(), |c| c.to_string())
    )
}

#[test]
fn fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("cases").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 6, "fixtures went missing: {dirs:?}");
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let cases = std::fs::read_to_string(dir.join("cases")).unwrap();
        let lines = cases.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
        for (i, args) in lines.enumerate() {
            insta::assert_snapshot!(format!("{name}-{}", i + 1), run_case(&dir, args));
        }
    }
}

/// Every DOT snapshot must be accepted by Graphviz (`.ci/run` installs it).
#[test]
fn dot_snapshots_render_with_graphviz() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut rendered = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some((_, rest)) = text.split_once("--- stdout\n") else { continue };
        let Some((stdout, _)) = rest.split_once("--- stderr") else { continue };
        if !stdout.starts_with("digraph") {
            continue;
        }
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("Graphviz `dot` is installed (apt-get install graphviz)");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(stdout.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success() && out.stdout.starts_with(b"<?xml"),
            "dot rejects {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        rendered += 1;
    }
    assert!(rendered >= 4, "expected DOT snapshots, found {rendered}");
}
