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
