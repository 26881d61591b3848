//! Proving a split on its copy: `cargo check --workspace --all-targets`, then the tests of the
//! original crate and of the split crates, compared by name and outcome.
//!
//! Owns: running those cargo commands (IO) and reading their output: the first compiler
//! errors (`file:line: message`), and each test's outcome per kind of test binary (unit tests,
//! each integration test file, doc tests), so the parts' unit tests compare with the
//! original's. Must not: write source files.

use crate::cargo::Cargo;
use crate::error::Error;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub ok: bool,
    pub seconds: f64,
    /// `file:line: error: message`, as cargo prints them (`--message-format short`).
    pub errors: Vec<String>,
}

/// `cargo check --workspace --all-targets` of the copy.
pub fn check(cargo: &Cargo) -> Result<CheckResult, Error> {
    let (ok, text, seconds) =
        cargo.output(&["check", "--workspace", "--all-targets", "--message-format", "short"])?;
    let mut errors = compiler_errors(&text);
    // A failure is never an empty list: without an error line, cargo's last word stands for it.
    if !ok && errors.is_empty() {
        errors.push(
            text.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("cargo check failed")
                .trim()
                .to_owned(),
        );
    }
    Ok(CheckResult { ok, seconds, errors })
}

/// The copy's check, and which of its errors are the split's doing.
#[derive(Debug, Clone, Serialize)]
pub struct CopyCheck {
    pub copy: CheckResult,
    /// Errors of the copy the original does not have (a nightly-only bench fails either way).
    pub new_errors: Vec<String>,
    /// Errors of the original, when it had to be checked (the copy failed).
    pub original_errors: usize,
}

/// Checks the copy; when that fails, checks the original too and compares the errors, each
/// without its side's crate directory (`copy_dirs`, `original_dir`: relative to the workspace
/// root, as cargo writes paths).
pub fn check_copy(
    copy: &Cargo,
    copy_dirs: &[String],
    original: &Cargo,
    original_dir: &str,
) -> Result<CopyCheck, Error> {
    let checked = check(copy)?;
    if checked.ok {
        return Ok(CopyCheck { copy: checked, new_errors: Vec::new(), original_errors: 0 });
    }
    let before = check(original)?;
    let original_dir = [original_dir.to_owned()];
    let known: std::collections::BTreeSet<String> =
        before.errors.iter().map(|e| without_dir(e, &original_dir)).collect();
    let new_errors =
        checked.errors.iter().filter(|e| !known.contains(&without_dir(e, copy_dirs))).cloned().collect();
    Ok(CopyCheck { copy: checked, new_errors, original_errors: before.errors.len() })
}

/// Lines that report an error, without the summary ones.
pub fn compiler_errors(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| {
            l.contains("error") && !l.starts_with("error: could not compile") && !l.starts_with("warning")
        })
        .filter(|l| l.contains(": error") || l.starts_with("error"))
        .map(str::to_owned)
        .collect()
}

/// `text` without a leading `<dir>/` of one of `dirs` (paths cargo writes relative to the
/// workspace root, which differs between the original and the copy).
pub fn without_dir(text: &str, dirs: &[String]) -> String {
    dirs.iter()
        .filter(|d| !d.is_empty())
        .find_map(|d| text.strip_prefix(&format!("{d}/")))
        .unwrap_or(text)
        .to_owned()
}

/// Test outcomes by (binary kind, test name): `ok`, `FAILED` or `ignored`.
pub type Outcomes = BTreeMap<(String, String), String>;

#[derive(Debug, Clone, Serialize)]
pub struct TestRun {
    /// The tests built (a build failure leaves the outcomes of what ran).
    pub built: bool,
    pub seconds: f64,
    #[serde(skip)]
    pub outcomes: Outcomes,
    pub passed: usize,
    pub failed: usize,
    pub ignored: usize,
}

/// `cargo test --no-fail-fast -p …` and every test's outcome.
/// `crate_dirs`: the packages' directories relative to the workspace root, which rustdoc
/// writes before the file of each doc test; they are taken off, so names compare across
/// layouts.
pub fn run_tests(cargo: &Cargo, packages: &[String], crate_dirs: &[String]) -> Result<TestRun, Error> {
    let mut args = vec!["test", "--no-fail-fast"];
    for p in packages {
        args.push("-p");
        args.push(p);
    }
    let (ok, text, seconds) = cargo.output(&args)?;
    let outcomes: Outcomes = parse_test_output(&text)
        .into_iter()
        .map(|((kind, name), outcome)| {
            let name = if kind == "doc" { without_dir(&name, crate_dirs) } else { name };
            ((kind, name), outcome)
        })
        .collect();
    let outcomes = doc_tests_by_order(outcomes);
    let count = |o: &str| outcomes.values().filter(|v| *v == o).count();
    let built = ok || !text.contains("error: could not compile");
    Ok(TestRun {
        built,
        seconds,
        passed: count("ok"),
        failed: count("FAILED"),
        ignored: count("ignored"),
        outcomes,
    })
}

/// Reads libtest's human output: `Running unittests …` (kind `unit`, whatever the crate),
/// `Running tests/x.rs …` (kind `tests/x.rs`), `Doc-tests …` (kind `doc`), then
/// `test name ... ok|FAILED|ignored`.
pub fn parse_test_output(text: &str) -> Outcomes {
    let mut kind = String::from("unit");
    let mut out = Outcomes::new();
    for line in text.lines() {
        let line = line.trim_end();
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("Running ") {
            kind = if rest.starts_with("unittests") {
                "unit".to_owned()
            } else {
                rest.split(" (").next().unwrap_or(rest).to_owned()
            };
            continue;
        }
        if trimmed.starts_with("Doc-tests ") {
            kind = "doc".to_owned();
            continue;
        }
        let Some(rest) = line.strip_prefix("test ") else { continue };
        let Some((name, outcome)) = rest.rsplit_once(" ... ") else { continue };
        let outcome = if outcome.starts_with("ignored") {
            "ignored"
        } else if outcome == "ok" {
            "ok"
        } else if outcome.starts_with("FAILED") {
            "FAILED"
        } else {
            continue;
        };
        // Doc tests name their file and line: both stay the same in a part crate.
        let name = name.trim().to_owned();
        out.insert((kind.clone(), name), outcome.to_owned());
    }
    out
}

/// Doc tests are named by file, item and line; a split shifts lines where it replaces a
/// declaration, so each is named by its rank among its item's doc tests instead (`#1`, `#2`).
fn doc_tests_by_order(outcomes: Outcomes) -> Outcomes {
    let mut doc: BTreeMap<String, Vec<(u32, String)>> = BTreeMap::new();
    let mut out = Outcomes::new();
    for ((kind, name), outcome) in outcomes {
        // `file - item (line N)`, maybe followed by ` - should panic` or the like.
        let line = name.rsplit_once(" (line ").and_then(|(item, rest)| {
            let (number, after) = rest.split_once(')')?;
            Some((format!("{item}{after}"), number.parse::<u32>().ok()?))
        });
        match (kind.as_str(), line) {
            ("doc", Some((item, line))) => doc.entry(item).or_default().push((line, outcome)),
            _ => {
                out.insert((kind, name), outcome);
            }
        }
    }
    for (item, mut tests) in doc {
        tests.sort();
        for (i, (_, outcome)) in tests.into_iter().enumerate() {
            out.insert(("doc".to_owned(), format!("{item} (#{})", i + 1)), outcome);
        }
    }
    out
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TestComparison {
    pub same: usize,
    /// Tests of the original that the split does not have.
    pub missing: Vec<String>,
    /// Tests of the split the original does not have.
    pub extra: Vec<String>,
    /// (test, original outcome, split outcome).
    pub changed: Vec<(String, String, String)>,
}

impl TestComparison {
    pub fn identical(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }
}

pub fn compare(original: &Outcomes, split: &Outcomes) -> TestComparison {
    let show = |(kind, name): &(String, String)| format!("{name} ({kind})");
    let mut c = TestComparison::default();
    for (key, before) in original {
        match split.get(key) {
            None => c.missing.push(show(key)),
            Some(after) if after != before => c.changed.push((show(key), before.clone(), after.clone())),
            Some(_) => c.same += 1,
        }
    }
    c.extra = split.keys().filter(|k| !original.contains_key(*k)).map(show).collect();
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "   Compiling big v0.1.0
     Running unittests src/lib.rs (target/debug/deps/big-0123)

running 3 tests
test ir::tests::builds ... ok
test ir::tests::slow ... ignored, takes a minute
test lower::tests::lowers ... FAILED

     Running tests/api.rs (target/debug/deps/api-4567)
test builds ... ok
   Doc-tests big
test src/ir.rs - ir::Func (line 12) ... ok
test src/ir.rs - ir::Func::new (line 30) - compile fail ... ok
";

    #[test]
    fn outcomes_are_read_per_kind_of_test_binary() {
        let o = parse_test_output(OUTPUT);
        let get = |k: &str, n: &str| o.get(&(k.to_owned(), n.to_owned())).map(String::as_str);
        assert_eq!(get("unit", "ir::tests::builds"), Some("ok"));
        assert_eq!(get("unit", "ir::tests::slow"), Some("ignored"));
        assert_eq!(get("unit", "lower::tests::lowers"), Some("FAILED"));
        assert_eq!(get("tests/api.rs", "builds"), Some("ok"));
        assert_eq!(get("doc", "src/ir.rs - ir::Func (line 12)"), Some("ok"));
        assert_eq!(get("doc", "src/ir.rs - ir::Func::new (line 30) - compile fail"), Some("ok"));
        assert_eq!(o.len(), 6);
    }

    #[test]
    fn a_comparison_names_what_moved_or_changed() {
        let before = parse_test_output(OUTPUT);
        let mut after = before.clone();
        after.remove(&("tests/api.rs".to_owned(), "builds".to_owned()));
        after.insert(("unit".to_owned(), "lower::tests::lowers".to_owned()), "ok".to_owned());
        after.insert(("unit".to_owned(), "new::t".to_owned()), "ok".to_owned());
        let c = compare(&before, &after);
        assert_eq!(c.same, 4);
        assert_eq!(c.missing, ["builds (tests/api.rs)"]);
        assert_eq!(c.extra, ["new::t (unit)"]);
        assert_eq!(
            c.changed,
            [("lower::tests::lowers (unit)".to_owned(), "FAILED".to_owned(), "ok".to_owned())]
        );
        assert!(!c.identical());
    }

    #[test]
    fn compiler_errors_are_the_error_lines() {
        let text = "warning: unused\nsrc/a.rs:3:5: error[E0425]: cannot find value `x`\nerror: could not compile `big`\n";
        assert_eq!(compiler_errors(text), ["src/a.rs:3:5: error[E0425]: cannot find value `x`"]);
    }
}
