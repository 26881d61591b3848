//! Fuzzing the resolver and the partitioner with generated crates (proptest): random module
//! trees, file and inline modules, items that use each other by `crate::`, `super::`, `self::`
//! and glob paths, re-exports, impls of other modules' types, cycles, and now and then a file that
//! does not parse. Each crate goes through the whole analysis (walk, resolution, graph, pricing,
//! the search for k = 2 and 3, the report data and its Markdown and DOT); nothing may panic,
//! every candidate must be a valid split, and a second run must give the same bytes.
//!
//! Bounded: `PROPTEST_CASES` cases (default 48) with a fixed seed, a few seconds in CI.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use splitcheck::analysis::analyze;
use splitcheck::data::provenance::Provenance;
use splitcheck::partition::{Model, Profile};
use splitcheck::pricing::{CostFlags, without_recording};
use splitcheck::report;
use splitcheck::tradeoff::{TradeOffOptions, trade_off};
use splitcheck::workspace::Selection;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// A module of the generated crate: its children, whether it lives in its own file, its items.
#[derive(Debug, Clone)]
struct GenModule {
    own_file: bool,
    items: Vec<GenItem>,
    children: Vec<GenModule>,
}

#[derive(Debug, Clone)]
enum GenItem {
    /// `pub struct S{n}` with a field of another module's struct (by path index).
    Struct(u8, Option<u16>),
    /// `pub fn f{n}()` calling or naming another module's items.
    Fn(u8, Vec<u16>),
    /// `use <path>::*;` or `pub use <path>::S0;`.
    Use(u16, bool),
    /// `impl <path>::S0 { pub fn m{n}(&self) {} }`.
    Impl(u16, u8),
    /// A line that does not parse.
    Garbage,
}

fn item() -> impl Strategy<Value = GenItem> {
    prop_oneof![
        4 => (0u8..4, proptest::option::of(any::<u16>())).prop_map(|(n, t)| GenItem::Struct(n, t)),
        4 => (0u8..4, proptest::collection::vec(any::<u16>(), 0..4)).prop_map(|(n, c)| GenItem::Fn(n, c)),
        2 => (any::<u16>(), any::<bool>()).prop_map(|(p, g)| GenItem::Use(p, g)),
        1 => (any::<u16>(), 0u8..4).prop_map(|(p, n)| GenItem::Impl(p, n)),
        1 => Just(GenItem::Garbage),
    ]
}

fn module() -> impl Strategy<Value = GenModule> {
    let leaf = (any::<bool>(), proptest::collection::vec(item(), 0..6))
        .prop_map(|(own_file, items)| GenModule { own_file, items, children: Vec::new() });
    leaf.prop_recursive(3, 24, 4, |inner| {
        (any::<bool>(), proptest::collection::vec(item(), 0..6), proptest::collection::vec(inner, 0..4))
            .prop_map(|(own_file, items, children)| GenModule { own_file, items, children })
    })
}

/// Module paths in declaration order (`crate` first), to pick targets from.
fn paths(m: &GenModule, path: &str, out: &mut Vec<String>) {
    out.push(path.to_owned());
    for (i, c) in m.children.iter().enumerate() {
        paths(c, &format!("{path}::m{i}"), out);
    }
}

/// Writes module `m` (at `path`, in `dir`) and its children; returns its inline text.
fn write_module(m: &GenModule, path: &str, dir: &Path, all: &[String], depth: usize) -> String {
    let pick = |k: u16| all[usize::from(k) % all.len()].clone();
    let mut s = String::new();
    for item in &m.items {
        match item {
            GenItem::Struct(n, Some(t)) => {
                let _ = writeln!(s, "pub struct S{n} {{ pub inner: Option<Box<{}::S0>> }}", pick(*t));
            }
            GenItem::Struct(n, None) => {
                let _ = writeln!(s, "pub struct S{n};");
            }
            GenItem::Fn(n, calls) => {
                let body: String = calls.iter().map(|c| format!("let _ = {}::f0; ", pick(*c))).collect();
                let _ = writeln!(s, "pub fn f{n}() {{ {body}}}");
            }
            GenItem::Use(p, true) => {
                let _ = writeln!(s, "#[allow(unused_imports)] use {}::*;", pick(*p));
            }
            GenItem::Use(p, false) => {
                let _ = writeln!(s, "pub use {}::S0 as Reexported{p};", pick(*p));
            }
            GenItem::Impl(p, n) => {
                let _ =
                    writeln!(s, "impl {}::S0 {{ pub fn m{n}_{depth}(&self) {{ super::f0(); }} }}", pick(*p));
            }
            GenItem::Garbage => {
                let _ = writeln!(s, "fn broken( {{ let = ;");
            }
        }
    }
    let my_dir =
        if path == "crate" { dir.to_path_buf() } else { dir.join(path.rsplit("::").next().unwrap()) };
    for (i, c) in m.children.iter().enumerate() {
        let child = format!("{path}::m{i}");
        let text = write_module(c, &child, &my_dir, all, depth + 1);
        if c.own_file {
            let _ = writeln!(s, "pub mod m{i};");
            std::fs::create_dir_all(&my_dir).unwrap();
            std::fs::write(my_dir.join(format!("m{i}.rs")), text).unwrap();
        } else {
            let _ = writeln!(s, "pub mod m{i} {{\n{text}}}");
        }
    }
    s
}

/// Everything the analysis produces for the crate, as text.
fn analyze_crate(dir: &Path) -> String {
    let selection = Selection { krate: None, manifest_path: Some(dir.join("Cargo.toml")), offline: true };
    let analysis = analyze(&selection).expect("a generated crate is found");
    let graph = splitcheck::graph::export::crate_graph_report(&analysis);
    let prices = without_recording(&graph, CostFlags::default(), Profile::Test);
    let provenance = Provenance {
        krate: "fuzzed".into(),
        version: "0.1.0".into(),
        edition: "2021".into(),
        git_commit: None,
        crate_commit: None,
        git_dirty: false,
        date: "2000-01-01".into(),
        tool: "splitcheck".into(),
    };
    let options = TradeOffOptions { min_parts: 2, max_parts: 3, per_k: 3, max_new_pub: None };
    let report =
        trade_off(&analysis.package, analysis.counts(), &graph, &prices, || provenance, None, &options);
    // Every candidate is a split into its number of parts, each module in one part, and the
    // parts use each other without a cycle.
    let modules: BTreeSet<&str> =
        graph.modules.iter().map(|m| m.path.as_str()).filter(|p| *p != "crate").collect();
    for split in &report.splits {
        for c in &split.candidates {
            assert_eq!(c.crates, split.crates);
            let facade = usize::from(c.crate_part.is_none());
            assert_eq!(c.parts.len() + facade, split.crates, "{} parts, shape {}", c.parts.len(), c.shape);
            let placed: Vec<&str> = c.parts.iter().flatten().map(String::as_str).collect();
            let unique: BTreeSet<&str> = placed.iter().copied().collect();
            assert_eq!(placed.len(), unique.len(), "a module in two parts: {placed:?}");
            let listed: BTreeSet<&str> = unique.into_iter().filter(|m| !m.starts_with("crate (")).collect();
            assert_eq!(listed, modules, "parts do not cover the modules");
            let model = Model::new(&prices.test.units, prices.test.cost.clone(), Profile::Test);
            assert!(c.test.expected_rebuild_s.is_finite() && model.unsplit() > 0.0);
            assert!(!has_cycle(c.parts.len(), &c.part_dag), "parts in a cycle: {:?}", c.part_dag);
        }
    }
    let mut out = splitcheck::data::json::pretty_json(&report).unwrap();
    out.push_str(&report::trade_off_markdown(&report, &Default::default()));
    out.push_str(&report::to_dot(&graph));
    for split in &report.splits {
        for c in &split.candidates {
            out.push_str(&report::candidate_to_dot(&graph, c, &[], &c.id));
        }
    }
    out
}

fn has_cycle(k: usize, dag: &[(usize, usize)]) -> bool {
    // Repeatedly remove parts nothing left points into.
    let mut alive: BTreeSet<usize> = (0..k).collect();
    loop {
        let pointed: BTreeSet<usize> =
            dag.iter().filter(|(a, b)| alive.contains(a) && alive.contains(b)).map(|(_, b)| *b).collect();
        let free: Vec<usize> = alive.iter().copied().filter(|p| !pointed.contains(p)).collect();
        if free.is_empty() {
            return !alive.is_empty();
        }
        free.iter().for_each(|p| {
            alive.remove(p);
        });
    }
}

#[test]
fn generated_crates_never_break_the_analysis() {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    runner
        .run(&module(), |root| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join("Cargo.toml"),
                "[package]\nname = \"fuzzed\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
            )
            .unwrap();
            let mut all = Vec::new();
            paths(&root, "crate", &mut all);
            let src = dir.path().join("src");
            std::fs::create_dir_all(&src).unwrap();
            let text = write_module(&root, "crate", &src, &all, 0);
            std::fs::write(src.join("lib.rs"), text).unwrap();
            let first = analyze_crate(dir.path());
            let second = analyze_crate(dir.path());
            prop_assert!(first == second, "two runs differ");
            Ok(())
        })
        .unwrap();
}
