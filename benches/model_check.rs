//! The model check: does splitcheck predict the rebuild time of a split it has never seen?
//!
//! Generates, in cargo's target directory, a workspace of synthetic crates with realistic code
//! (structs, impls, generic functions, tests):
//! - `s4` … `s32`: unsplit crates of 4 to 32 modules, to fit `fixed + per_line × lines`;
//! - the 24-module crate cut into 2 and into 3 crates of consecutive modules (each using the one
//!   below), with a facade re-exporting them: the splits.
//!
//! Then it records, with `splitcheck record`, edits in the unsplit crates (the fit) and an edit
//! in every part of each split with its dependents re-run (the splits as built). The prediction
//! for an edit in a split uses only the unsplit recordings, as `partition --timings` does: the
//! edit fit calibrated to the crate's own module edits for the edited part, and the re-run fit
//! (comment touches) for the parts above and the facade. It is compared with the measured times.
//! Run with `cargo bench --bench model_check`; under `cargo test` it only generates and checks
//! the code compiles.

use splitcheck::analysis::analyze;
use splitcheck::data::timings::{Timings, TouchKind};
use splitcheck::measure::record::{RecordOptions, record};
use splitcheck::workspace::Selection;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const SPLIT_MODULES: usize = 24;
const SIZES: [usize; 5] = [4, 8, 16, 24, 32];

/// One module of realistic code; it uses the module below it through `dep` (a path prefix).
fn module(i: usize, dep: Option<String>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "//! Generated module {i}.\n");
    if let Some(dep) = &dep {
        let _ = writeln!(s, "use {dep};\n");
    }
    let _ = writeln!(
        s,
        "#[derive(Debug, Clone, PartialEq)]\npub struct Item{i} {{\n    pub id: u32,\n    pub name: String,\n    pub values: Vec<u64>,\n}}\n"
    );
    let _ = writeln!(
        s,
        "impl Item{i} {{\n    pub fn new(id: u32) -> Self {{\n        Self {{ id, name: format!(\"item{i}-{{id}}\"), values: (0..u64::from(id)).collect() }}\n    }}\n\n    pub fn score(&self) -> u64 {{\n        self.values.iter().map(|v| v * {m} + 1).sum::<u64>() + self.name.len() as u64\n    }}\n\n    pub fn combine<T: Into<u64> + Copy>(&self, xs: &[T]) -> u64 {{\n        xs.iter().map(|x| (*x).into()).fold(self.score(), |a, b| a.wrapping_mul(31).wrapping_add(b))\n    }}\n}}\n",
        m = i + 1
    );
    for f in 0..4 {
        let _ = writeln!(
            s,
            "pub fn step_{i}_{f}<T: Clone + std::fmt::Debug>(items: &[T], n: usize) -> Vec<String> {{\n    items.iter().cycle().take(n + {f}).map(|x| format!(\"{{x:?}}-{f}\")).collect()\n}}\n"
        );
    }
    let dep_use = match dep {
        Some(d) => {
            let j = d.rsplit("Item").next().unwrap_or("0").to_owned();
            format!("Item{j}::new(n).score()")
        }
        None => "0".to_owned(),
    };
    let _ = writeln!(
        s,
        "pub fn process_{i}(n: u32) -> u64 {{\n    let me = Item{i}::new(n);\n    let words = step_{i}_0(&[me.id, n], 3);\n    me.combine(&[{dep_use}, words.len() as u64])\n}}\n"
    );
    let _ = writeln!(
        s,
        "#[cfg(test)]\nmod tests {{\n    use super::*;\n\n    #[test]\n    fn process_is_positive() {{\n        assert!(process_{i}(3) > 0);\n        assert_eq!(step_{i}_1(&[1, 2], 2).len(), 3);\n    }}\n}}"
    );
    s
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn manifest(name: &str, deps: &[&str]) -> String {
    let mut s = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n"
    );
    for d in deps {
        let _ = writeln!(s, "{d} = {{ path = \"../{d}\" }}");
    }
    s
}

/// The generated workspaces: `unsplit/` (crates of several sizes, for the fit) and `split/`
/// (the 24-module crate cut in two, and its facade).
fn generate(root: &Path) -> (PathBuf, PathBuf) {
    let _ = std::fs::remove_dir_all(root);
    let (unsplit_root, split_root) = (root.join("unsplit"), root.join("split"));
    let mut members: Vec<String> = Vec::new();
    let root = unsplit_root.as_path();
    for n in SIZES {
        let name = format!("s{n}");
        let mut lib = String::new();
        for i in 0..n {
            let _ = writeln!(lib, "pub mod m{i};");
            let dep = (i > 0).then(|| format!("crate::m{}::Item{}", i - 1, i - 1));
            write(&root.join(&name).join(format!("src/m{i}.rs")), &module(i, dep));
        }
        write(&root.join(&name).join("src/lib.rs"), &lib);
        write(&root.join(&name).join("Cargo.toml"), &manifest(&name, &[]));
        members.push(name);
    }
    workspace(root, &members);
    for parts in [2, 3] {
        split(&split_root.join(format!("split{parts}")), parts);
    }
    (unsplit_root, split_root)
}

/// The 24-module crate cut into `parts` crates of consecutive modules (`p0` lowest; each uses
/// the one below) and a facade re-exporting them all.
fn split(root: &Path, parts: usize) {
    let per = SPLIT_MODULES / parts;
    let part_of = |i: usize| (i / per).min(parts - 1);
    let mut libs = vec![String::new(); parts];
    for i in 0..SPLIT_MODULES {
        let p = part_of(i);
        let _ = writeln!(libs[p], "pub mod m{i};");
        let dep = (i > 0).then(|| {
            let prefix =
                if part_of(i - 1) == p { "crate".to_owned() } else { format!("p{}", part_of(i - 1)) };
            format!("{prefix}::m{}::Item{}", i - 1, i - 1)
        });
        write(&root.join(format!("p{p}/src/m{i}.rs")), &module(i, dep));
    }
    let mut members = Vec::new();
    for (p, lib) in libs.iter().enumerate() {
        write(&root.join(format!("p{p}/src/lib.rs")), lib);
        let below = (p > 0).then(|| format!("p{}", p - 1));
        let deps: Vec<&str> = below.iter().map(String::as_str).collect();
        write(&root.join(format!("p{p}/Cargo.toml")), &manifest(&format!("p{p}"), &deps));
        members.push(format!("p{p}"));
    }
    let all: Vec<String> = (0..parts).map(|p| format!("p{p}")).collect();
    let reexports: String = all.iter().map(|p| format!("pub use {p}::*;\n")).collect();
    write(
        &root.join("facade/src/lib.rs"),
        &format!("//! The original crate, re-exporting its parts.\n{reexports}"),
    );
    let deps: Vec<&str> = all.iter().map(String::as_str).collect();
    write(&root.join("facade/Cargo.toml"), &manifest("facade", &deps));
    members.push("facade".to_owned());
    workspace(root, &members);
}

fn workspace(root: &Path, members: &[String]) {
    let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    write(
        &root.join("Cargo.toml"),
        &format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", list.join(", ")),
    );
}

fn recorded(root: &Path, krate: &str, modules: &[&str], fit: bool, dependents: bool, reps: u32) -> Timings {
    let selection = Selection {
        krate: Some(krate.to_owned()),
        manifest_path: Some(root.join("Cargo.toml")),
        offline: true,
    };
    let analysis = analyze(&selection).expect("the generated crate is analyzable");
    let options = RecordOptions {
        touch: TouchKind::Body,
        reps,
        modules: modules.iter().map(|m| (*m).to_owned()).collect(),
        top: None,
        offline: true,
        progress: false,
        workspace_fit: fit,
        with_dependents: dependents,
        cargo: Default::default(),
    };
    record(&analysis, &options).expect("recording the generated crates works")
}

fn median_lib(t: &Timings) -> f64 {
    let mut all: Vec<f64> = t.modules.iter().flat_map(|m| m.samples_s.lib.iter().copied()).collect();
    all.sort_by(f64::total_cmp);
    all[all.len() / 2]
}

fn dependents_total(t: &Timings) -> (f64, Vec<(String, u32, f64)>) {
    let d = t.dependents.as_ref().expect("dependents were recorded");
    let rows: Vec<(String, u32, f64)> = d
        .crates
        .iter()
        .map(|c| (c.name.clone(), c.src_lines, c.spread_s.map_or(0.0, |s| s.median)))
        .collect();
    (rows.iter().map(|r| r.2).sum(), rows)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("model-check");
    let (unsplit_root, split_root) = generate(&target);
    let splits = [split_root.join("split2"), split_root.join("split3")];
    if !full {
        // Under `cargo test`: the generated workspaces must build.
        for root in std::iter::once(&unsplit_root).chain(&splits) {
            let status = std::process::Command::new(env!("CARGO"))
                .args(["build", "--quiet", "--offline", "--manifest-path"])
                .arg(root.join("Cargo.toml"))
                .status()
                .expect("cargo runs");
            assert!(status.success(), "the generated workspace {} does not build", root.display());
        }
        println!(
            "model check: generated workspace builds (run `cargo bench --bench model_check` to measure)"
        );
        return;
    }
    let reps = 5;
    // The fit, from unsplit crates only.
    let unsplit = recorded(&unsplit_root, "s24", &["crate::m5", "crate::m17"], true, false, reps);
    let fit = unsplit.workspace_fit.as_ref().and_then(|w| w.lib.as_ref()).expect("a lib fit");
    let lines_of = |root: &Path, name: &str| -> f64 {
        let selection = Selection {
            krate: Some(name.to_owned()),
            manifest_path: Some(root.join("Cargo.toml")),
            offline: true,
        };
        f64::from(analyze(&selection).unwrap().tree.totals().src_code)
    };
    let c = |lines: f64| fit.fixed_s + fit.per_line_s * lines;
    let l_all = lines_of(&unsplit_root, "s24");
    // As `partition --timings` does: the crate's own recorded module edits calibrate the fit's
    // level (the fit edits each crate's root file, here `pub mod` lines only, so a comment).
    let level = median_lib(&unsplit) / c(l_all);
    let c = |lines: f64| level * c(lines);
    // A dependent's re-run, estimated as `partition --timings` does without dependents: from
    // re-runs of the unsplit crates on unchanged code (comment touches).
    let rerun = unsplit.workspace_fit.as_ref().and_then(|w| w.rerun.as_ref()).expect("a re-run fit");
    let d = |lines: f64| rerun.fixed_s + rerun.per_line_s * lines;
    let mut cases = vec![("unsplit s24 (calibrated on it)".to_owned(), c(l_all), median_lib(&unsplit))];
    // Each split, an edit in each part: that part, every part above it and the facade re-run.
    for (parts, root) in [2usize, 3].into_iter().zip(&splits) {
        let per = SPLIT_MODULES / parts;
        let lines: Vec<f64> = (0..parts).map(|p| lines_of(root, &format!("p{p}"))).collect();
        let facade_lines = lines_of(root, "facade");
        for p in 0..parts {
            let module = format!("crate::m{}", p * per + per / 2);
            let t = recorded(root, &format!("p{p}"), &[module.as_str()], false, true, reps);
            let (deps, rows) = dependents_total(&t);
            let predicted = c(lines[p]) + lines[p + 1..].iter().map(|l| d(*l)).sum::<f64>() + d(facade_lines);
            println!("split{parts} p{p}: dependents re-run {rows:?}");
            cases.push((format!("split{parts}: edit in p{p} ({module})"), predicted, median_lib(&t) + deps));
        }
    }
    println!(
        "fit from {} unsplit crates: {:.3} s + {:.4} ms/line (R² {:.2}), calibrated ×{level:.2} to s24's module edits; re-runs: {:.3} s + {:.4} ms/line (R² {:.2})",
        fit.samples,
        fit.fixed_s,
        fit.per_line_s * 1000.0,
        fit.r2,
        rerun.fixed_s,
        rerun.per_line_s * 1000.0,
        rerun.r2
    );
    let mut errors = Vec::new();
    for (what, predicted, measured) in &cases {
        let error = (predicted - measured).abs() / measured;
        errors.push(error);
        println!(
            "{what}: predicted {predicted:.3} s, measured {measured:.3} s (median of {reps}), error {:.1}%",
            error * 100.0
        );
    }
    let split_errors = &errors[1..];
    println!(
        "mean absolute error on the splits: {:.1}% over {} edits (with the unsplit crate: {:.1}%)",
        100.0 * split_errors.iter().sum::<f64>() / split_errors.len() as f64,
        split_errors.len(),
        100.0 * errors.iter().sum::<f64>() / errors.len() as f64
    );
}
