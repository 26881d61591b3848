//! How fast is splitcheck against the floor, parsing every file with syn and nothing else?
//!
//! For each crate, in one run on the same files, interleaved, `--reps` times (median, min–max):
//! - (a) the floor: reading and `syn::parse_file` of every module file the report reads (library
//!   and integration tests), in parallel, in a process of its own (this binary, `--parse-only`);
//!   (a_lib) the same for the library's files alone, what the graph reads;
//! - (b) `splitcheck graph --format json`, against (a_lib);
//! - (c) `splitcheck <CRATE> --no-pictures`, the whole report without recording, pictures as
//!   DOT; (c') the same with the SVG pictures (Graphviz `dot`, one per candidate, in parallel);
//! - (d) `cargo modules dependencies --lib` when cargo-modules is installed (on PATH, or
//!   `SPLITCHECK_CARGO_MODULES`).
//!
//! Peak memory (RSS) of each comes from GNU time (`/usr/bin/time`) when it is there.
//!
//! Crates: the example; generated crates of 125K, 250K, 500K and 1M lines (in the target
//! directory, `SPLITCHECK_BENCH_SIZES` to choose) for the growth curve; and any crate
//! directories listed in `SPLITCHECK_BENCH_CRATES`
//! (comma-separated: ori_arc, big crates.io crates). `cargo bench --bench speed`; under
//! `cargo test` it runs once on the example and a 5K-line generated crate. (c') is left out
//! above 600 modules and (d) above 300K lines.

use rayon::prelude::*;
use splitcheck::analysis::analyze;
use splitcheck::workspace::Selection;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One generated module file: structs, impls, functions using items of earlier modules, and tests.
fn generated_module(group: usize, index: usize, lines: usize, modules_before: &[(usize, usize)]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "//! Generated module {group}.{index}.\n");
    // Uses of up to three earlier modules, by `use` and by full path.
    let deps: Vec<(usize, usize)> = modules_before.iter().rev().step_by(7).take(3).copied().collect();
    for (g, m) in &deps {
        let _ = writeln!(s, "use crate::g{g}::m{m}::{{Node{g}_{m}_0, build_{g}_{m}_0}};");
    }
    let _ = writeln!(s);
    let mut block = 0;
    while s.lines().count() < lines {
        let b = block;
        let _ = writeln!(
            s,
            "#[derive(Debug, Clone, Default)]\npub struct Node{group}_{index}_{b} {{\n    pub id: u64,\n    pub label: String,\n    children: Vec<u64>,\n}}\n"
        );
        let _ = writeln!(
            s,
            "impl Node{group}_{index}_{b} {{\n    pub fn new(id: u64) -> Self {{\n        Self {{ id, label: format!(\"n{{id}}\"), children: Vec::new() }}\n    }}\n\n    pub fn weight(&self) -> u64 {{\n        self.children.iter().sum::<u64>() + self.id * {k}\n    }}\n}}\n",
            k = b + 1
        );
        let uses: String = deps
            .iter()
            .map(|(g, m)| format!("    total += build_{g}_{m}_0(n).weight() + Node{g}_{m}_0::new(n).id;\n"))
            .collect();
        let _ = writeln!(
            s,
            "pub fn build_{group}_{index}_{b}(n: u64) -> Node{group}_{index}_{b} {{\n    let mut node = Node{group}_{index}_{b}::new(n);\n    let mut total = 0u64;\n{uses}    for i in 0..n {{\n        if i % 3 == 0 {{\n            node.children.push(i + total);\n        }}\n    }}\n    node\n}}\n"
        );
        block += 1;
    }
    let _ = writeln!(
        s,
        "#[cfg(test)]\nmod tests {{\n    use super::*;\n\n    #[test]\n    fn builds() {{\n        assert_eq!(build_{group}_{index}_0(3).id, 3);\n    }}\n}}"
    );
    s
}

/// A crate of about `lines` lines: groups of 20 modules of about 500 lines each.
fn generate(dir: &Path, lines: usize) -> PathBuf {
    let krate = dir.join(format!("gen{}k", lines / 1000));
    if krate.join("Cargo.toml").is_file() {
        return krate;
    }
    let modules = (lines / 500).max(2);
    let groups = modules.div_ceil(20);
    let write = |path: PathBuf, text: &str| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        krate.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"gen{}k\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
            lines / 1000
        ),
    );
    let mut root = String::new();
    let mut before: Vec<(usize, usize)> = Vec::new();
    for g in 0..groups {
        let _ = writeln!(root, "pub mod g{g};");
        let in_group = (modules - g * 20).min(20);
        let mut group_file = String::new();
        for m in 0..in_group {
            let _ = writeln!(group_file, "pub mod m{m};");
            write(krate.join(format!("src/g{g}/m{m}.rs")), &generated_module(g, m, 500, &before));
            before.push((g, m));
        }
        write(krate.join(format!("src/g{g}/mod.rs")), &group_file);
    }
    write(krate.join("src/lib.rs"), &root);
    krate
}

/// Reads and parses every file, in parallel: the floor.
fn parse_only(list: &Path) {
    let files: Vec<PathBuf> = std::fs::read_to_string(list).unwrap().lines().map(PathBuf::from).collect();
    let items: usize = files
        .par_iter()
        .map(|f| {
            let text = std::fs::read(f).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            syn::parse_file(&text).map(|file| file.items.len()).unwrap_or(0)
        })
        .sum();
    println!("{items}");
}

/// Wall seconds and peak RSS (MB, when GNU time is there) of a command, output discarded.
fn measure(program: &Path, args: &[&str], cwd: &Path) -> (f64, Option<f64>) {
    let gnu_time = Path::new("/usr/bin/time");
    let rss_file = std::env::temp_dir().join(format!("splitcheck-bench-rss-{}", std::process::id()));
    let mut cmd = if gnu_time.is_file() {
        let mut c = Command::new(gnu_time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args).current_dir(cwd).stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let out = cmd.output().expect("command runs");
    let seconds = start.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{} {args:?} failed: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let rss =
        std::fs::read_to_string(&rss_file).ok().and_then(|t| t.trim().lines().last()?.parse::<f64>().ok());
    let _ = std::fs::remove_file(&rss_file);
    (seconds, rss.map(|kb| kb / 1024.0))
}

/// Above this, (c') is not run.
const MAX_PICTURED_MODULES: usize = 600;
/// Above this many lines, (d) is not run.
const MAX_CARGO_MODULES_LINES: u64 = 300_000;

struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

fn spread(mut v: Vec<f64>) -> Spread {
    v.sort_by(f64::total_cmp);
    Spread { median: v[v.len() / 2], min: v[0], max: v[v.len() - 1] }
}

fn show(s: &Spread) -> String {
    format!("{:.2} ({:.2}–{:.2})", s.median, s.min, s.max)
}

struct Row {
    name: String,
    files: usize,
    lines: u64,
    /// Files of the library alone.
    lib_files: usize,
    /// (a), (b), (c), (c'), (d), (a_lib).
    times: [Option<Spread>; 6],
    rss: [Option<f64>; 6],
}

fn cargo_modules() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("SPLITCHECK_CARGO_MODULES") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("cargo-modules")).find(|p| p.is_file())
}

fn bench_crate(name: &str, dir: &Path, reps: usize, scratch: &Path) -> Row {
    let manifest = dir.join("Cargo.toml");
    let selection = Selection { krate: None, manifest_path: Some(manifest.clone()), offline: true };
    let analysis = analyze(&selection).unwrap_or_else(|e| panic!("{name}: {e}"));
    let lib_files: Vec<PathBuf> = analysis.tree.files();
    let mut files = lib_files.clone();
    for (_, tree) in &analysis.integration_tests {
        files.extend(tree.files());
    }
    let totals = analysis.tree.totals();
    let write_list = |suffix: &str, files: &[PathBuf]| {
        let list = scratch.join(format!("{name}.{suffix}"));
        let text = files.iter().map(|f| f.to_string_lossy().into_owned()).collect::<Vec<_>>().join("\n");
        std::fs::write(&list, text).unwrap();
        list.to_string_lossy().into_owned()
    };
    let (list, lib_list) = (write_list("files", &files), write_list("lib-files", &lib_files));
    let me = std::env::current_exe().unwrap();
    let splitcheck = PathBuf::from(env!("CARGO_BIN_EXE_splitcheck"));
    let out = scratch.join(format!("{name}-report"));
    let manifest_arg = manifest.to_string_lossy().into_owned();
    let out_arg = out.to_string_lossy().into_owned();
    let modules_bin = cargo_modules();
    // Pictures of thousands of modules only meet Graphviz's time limit; cargo-modules on the
    // biggest crates takes longer than the rest of the bench. Both are left out there.
    let pictures = analysis.tree.modules.len() <= MAX_PICTURED_MODULES;
    let modules_bin =
        modules_bin.filter(|_| u64::from(totals.src_lines + totals.test_lines) <= MAX_CARGO_MODULES_LINES);
    let mut samples: [Vec<f64>; 6] = Default::default();
    let mut rss: [Option<f64>; 6] = [None; 6];
    for _ in 0..reps {
        let runs: [Option<(f64, Option<f64>)>; 6] = [
            Some(measure(&me, &["--parse-only", &list], dir)),
            Some(measure(
                &splitcheck,
                &["graph", "--format", "json", "--offline", "--manifest-path", &manifest_arg],
                dir,
            )),
            Some(measure(
                &splitcheck,
                &["--offline", "-q", "--no-pictures", "--manifest-path", &manifest_arg, "--out", &out_arg],
                dir,
            )),
            pictures.then(|| {
                measure(
                    &splitcheck,
                    &["--offline", "-q", "--manifest-path", &manifest_arg, "--out", &out_arg],
                    dir,
                )
            }),
            modules_bin.as_ref().map(|bin| {
                measure(
                    bin,
                    &[
                        "dependencies",
                        "--lib",
                        "--package",
                        &analysis.package.name,
                        "--no-externs",
                        "--no-sysroot",
                        "--manifest-path",
                        &manifest_arg,
                    ],
                    dir,
                )
            }),
            Some(measure(&me, &["--parse-only", &lib_list], dir)),
        ];
        for (i, run) in runs.into_iter().enumerate() {
            if let Some((seconds, peak)) = run {
                samples[i].push(seconds);
                rss[i] = match (rss[i], peak) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
        }
    }
    let times = samples.map(|s| (!s.is_empty()).then(|| spread(s)));
    Row {
        name: name.to_owned(),
        files: files.len(),
        lib_files: lib_files.len(),
        lines: u64::from(totals.src_lines + totals.test_lines),
        times,
        rss,
    }
}

fn ratio(a: &Option<Spread>, b: &Option<Spread>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b.median > 0.0 => format!("{:.2}", a.median / b.median),
        _ => "–".to_owned(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--parse-only") {
        return parse_only(Path::new(&args[2]));
    }
    let full = args.iter().any(|a| a == "--bench");
    let reps = if full { 3 } else { 1 };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scratch = root.join("target/bench-speed");
    std::fs::create_dir_all(&scratch).unwrap();
    let mut crates: Vec<(String, PathBuf)> =
        vec![("midend (example)".to_owned(), root.join("examples/midend"))];
    if let Ok(list) = std::env::var("SPLITCHECK_BENCH_CRATES") {
        for dir in list.split(',').filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(dir);
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            crates.push((name, dir));
        }
    }
    let sizes: Vec<usize> = match std::env::var("SPLITCHECK_BENCH_SIZES") {
        Ok(list) => list.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        Err(_) if full => vec![125_000, 250_000, 500_000, 1_000_000],
        Err(_) => vec![5_000],
    };
    for &lines in &sizes {
        crates.push((format!("generated {}K", lines / 1000), generate(&scratch, lines)));
    }
    let rows: Vec<Row> = crates.iter().map(|(name, dir)| bench_crate(name, dir, reps, &scratch)).collect();
    let tables = tables(&rows);
    println!("{tables}");
    // `SPLITCHECK_BENCH_MD`: the whole report (`scripts/bench.sh` writes reports/bench.md).
    if let Ok(path) = std::env::var("SPLITCHECK_BENCH_MD") {
        let md = format!("{}{tables}\n{}", header(reps), goals(&rows));
        std::fs::write(&path, md).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

/// The main table and the growth table, as Markdown.
fn tables(rows: &[Row]) -> String {
    let mut table = String::new();
    let _ = writeln!(
        table,
        "| Crate | Files (library) | Lines | (a) parse only, s | (a_lib) library only, s | (b) graph, s | (c) report, s | (c') with pictures, s | (d) cargo-modules, s | b/a_lib | c/a | c'/a | d/c | Peak RSS a / b / c / c' / d, MB |"
    );
    let _ = writeln!(table, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let t = |i: usize| r.times[i].as_ref().map_or("–".to_owned(), show);
        let m = |i: usize| r.rss[i].map_or("–".to_owned(), |v| format!("{v:.0}"));
        let _ = writeln!(
            table,
            "| {} | {} ({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} / {} / {} |",
            r.name,
            r.files,
            r.lib_files,
            r.lines,
            t(0),
            t(5),
            t(1),
            t(2),
            t(3),
            t(4),
            ratio(&r.times[1], &r.times[5]),
            ratio(&r.times[2], &r.times[0]),
            ratio(&r.times[3], &r.times[0]),
            ratio(&r.times[4], &r.times[2]),
            m(0),
            m(1),
            m(2),
            m(3),
            m(4)
        );
    }
    // The growth curve: seconds and MB per 100K lines of the generated crates.
    let generated: Vec<&Row> = rows.iter().filter(|r| r.name.starts_with("generated")).collect();
    if generated.len() > 1 {
        let _ = writeln!(
            table,
            "\nGrowth with size (the generated crates), per 100K lines:\n\n| Generated crate | Lines | (b) graph, s | (c) report, s | (b) MB | (c) MB |\n|---|---|---|---|---|---|"
        );
        for r in generated {
            let per = |i: usize| r.times[i].as_ref().map_or(0.0, |s| s.median) * 100_000.0 / r.lines as f64;
            let mb = |i: usize| r.rss[i].unwrap_or(0.0) * 100_000.0 / r.lines as f64;
            let _ = writeln!(
                table,
                "| {} | {} | {:.3} | {:.3} | {:.0} | {:.0} |",
                r.name,
                r.lines,
                per(1),
                per(2),
                mb(1),
                mb(2)
            );
        }
    }
    table
}

/// The first line of a program's version output (stdout or stderr), or "not found".
fn version_of(program: &str, arg: &str) -> String {
    Command::new(program)
        .arg(arg)
        .output()
        .ok()
        .map(|o| {
            let text = if o.stdout.is_empty() { o.stderr } else { o.stdout };
            String::from_utf8_lossy(&text).lines().next().unwrap_or("").trim().to_owned()
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "not found".to_owned())
}

/// What was run, on what, with which versions.
fn header(reps: usize) -> String {
    let cpu = splitcheck::provenance::cpu_model().unwrap_or_else(|| "unknown processor".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let tool = splitcheck::provenance::tool_and_commit();
    let date = splitcheck::provenance::today();
    let modules =
        cargo_modules().map_or("not installed".to_owned(), |p| version_of(&p.to_string_lossy(), "--version"));
    format!(
        "# Speed: splitcheck against parsing alone and against cargo-modules\n\n\
         Regenerated by `scripts/bench.sh PATH-TO-SIGIL-LANG-CHECKOUT` (`cargo bench --bench speed`).\n\n\
         - {tool}, {date}\n\
         - machine: {cpu}, {cores} cores\n\
         - {rustc}; Graphviz: {dot}; cargo-modules: {modules}\n\
         - one run, the tools interleaved, {reps} repetitions each: median (min–max) seconds, and the\n  \
         peak RSS of each (GNU time, the largest of the repetitions)\n\n\
         Crates: the example; ori_arc of upstat-io/sigil-lang at 400bb1d2; tokio 1.54.1 and libc\n\
         0.2.191 from crates.io (the largest of the corpus, with their tests and `cfg` variants);\n\
         generated crates of 125K to 1M lines (`benches/speed.rs`: 500-line modules that use earlier\n\
         ones by `use` and by path, with tests).\n\n\
         - (a) reading and `syn::parse_file` of every module file the report reads (library and\n  \
         integration tests), in parallel, in a process of its own: the floor; (a_lib) the same for\n  \
         the library's files alone, the floor of the graph, which reads no integration tests;\n\
         - (b) `splitcheck graph --format json`, compared with (a_lib);\n\
         - (c) `splitcheck <CRATE> --no-pictures`: the whole report (k = 2, 3, 4 searched for both\n  \
         profiles), DOT pictures;\n\
         - (c') the same with SVG pictures: Graphviz runs per picture, in parallel; graphs of more than\n  \
         200 modules get DOT only, so there (c') does the work of (c); the bench leaves (c') out (–)\n  \
         above {MAX_PICTURED_MODULES} modules;\n\
         - (d) `cargo modules dependencies --lib --no-externs --no-sysroot` (left out above {MAX_CARGO_MODULES_LINES} lines).\n\n",
        rustc = version_of("rustc", "--version"),
        dot = version_of("dot", "-V"),
    )
}

/// The goals of the speed work, each checked against the rows above.
fn goals(rows: &[Row]) -> String {
    let median = |r: &Row, i: usize| r.times[i].as_ref().map(|s| s.median);
    let ratios = |pick: &dyn Fn(&Row) -> bool, num: usize, den: usize| -> Vec<(String, f64)> {
        rows.iter()
            .filter(|r| pick(r))
            .filter_map(|r| Some((r.name.clone(), median(r, num)? / median(r, den)?)))
            .collect()
    };
    let generated = |r: &Row| r.name.starts_with("generated");
    let real_big = |r: &Row| r.name.starts_with("tokio") || r.name.starts_with("libc");
    let every = |_: &Row| true;
    let range = |v: &[(String, f64)]| {
        let lo = v.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
        let hi = v.iter().map(|x| x.1).fold(f64::NEG_INFINITY, f64::max);
        if v.is_empty() {
            "not run".to_owned()
        } else if (hi - lo).abs() < 0.005 {
            format!("{lo:.2}×")
        } else {
            format!("{lo:.2}–{hi:.2}×")
        }
    };
    let listed =
        |v: &[(String, f64)]| v.iter().map(|(n, x)| format!("{n} {x:.2}×")).collect::<Vec<_>>().join(", ");
    let verdict = |v: &[(String, f64)], ok: &dyn Fn(f64) -> bool| {
        if v.is_empty() {
            "not run"
        } else if v.iter().all(|x| ok(x.1)) {
            "**met**"
        } else {
            "**not met**"
        }
    };
    let pictures: Vec<(String, f64)> = rows
        .iter()
        .filter(|r| r.name == "ori_arc")
        .filter_map(|r| Some((r.name.clone(), median(r, 3)?)))
        .collect();
    let memory: Vec<(String, f64)> = rows
        .iter()
        .filter(|r| generated(r))
        .filter_map(|r| Some((r.name.clone(), r.rss[2]? * 100_000.0 / r.lines as f64)))
        .collect();
    let seconds =
        |v: &[(String, f64)]| v.iter().map(|(n, s)| format!("{n} {s:.2} s")).collect::<Vec<_>>().join(", ");
    let megabytes = |v: &[(String, f64)]| {
        format!("{} MB", v.iter().map(|(n, x)| format!("{n} {x:.0}")).collect::<Vec<_>>().join(", "))
    };
    type Values = Vec<(String, f64)>;
    type Shown<'a> = &'a dyn Fn(&[(String, f64)]) -> String;
    type Check = fn(f64) -> bool;
    // Each goal: what it says, the values it is checked on, how they are shown, the check.
    let checks: [(&str, Values, Shown<'_>, Check); 6] = [
        ("graph ≤ 1.5× parse-only, generated crates", ratios(&generated, 1, 5), &range, |x| x <= 1.5),
        ("report ≤ 2× parse-only, generated crates", ratios(&generated, 2, 0), &range, |x| x <= 2.0),
        ("graph ≤ 2.5× parse-only, tokio and libc", ratios(&real_big, 1, 5), &listed, |x| x <= 2.5),
        ("cargo-modules ≥ 10× the report, every crate it ran on", ratios(&every, 4, 2), &listed, |x| {
            x >= 10.0
        }),
        ("report with pictures ≤ 0.3 s, ori_arc", pictures, &seconds, |s| s <= 0.3),
        ("report's peak RSS ≤ 40 MB per 100K lines, generated crates", memory, &megabytes, |x| x <= 40.0),
    ];
    let mut out = String::from("## Against the goals\n\n| Goal | Measured | Result |\n|---|---|---|\n");
    for (goal, values, shown, ok) in checks {
        let _ = writeln!(out, "| {goal} | {} | {} |", shown(&values), verdict(&values, &ok));
    }
    out
}
