//! How long `partition --parts 4` takes on a generated crate of 2,000 modules and 20,000
//! dependency edges (an acyclic unit graph, as after collapsing cycles). A bench binary: run
//! with `cargo bench --bench partition`; it prints the median and spread of a few runs.

use splitcheck::cut::{PartitionSetup, partition_report};
use splitcheck::data::graph::{
    GraphEdge, GraphItem, GraphItemEdge, GraphModule, GraphRef, GraphReport, GraphReportOptions,
    ResolutionSummary,
};
use splitcheck::partition::{CostModel, Model, Profile, SearchOptions, Unit, UnitGraph, best_partitions};
use splitcheck::pricing::{CostFlags, without_recording};
use std::collections::BTreeMap;
use std::time::Instant;

/// A small deterministic generator (xorshift), so every run prices the same graph.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn generated(units: usize, edges: usize, seed: u64) -> UnitGraph {
    let mut rng = Rng(seed);
    let units_vec: Vec<Unit> = (0..units)
        .map(|i| {
            let src = 20.0 + rng.below(600) as f64;
            Unit {
                modules: vec![format!("crate::m{i}")],
                src_lines: src,
                test_lines: rng.below(500) as f64,
                p_edit: src,
                pr_edit: src,
                ..Unit::default()
            }
        })
        .collect();
    // Layered like real crates: a module mostly uses modules a little below it.
    let mut merged: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    while merged.len() < edges {
        let a = 1 + rng.below(units as u64 - 1) as usize;
        let reach = (a as u64).min(200);
        let b = a - 1 - rng.below(reach) as usize;
        *merged.entry((a, b)).or_insert(0) += 1 + rng.below(5) as u32;
    }
    UnitGraph {
        units: units_vec,
        edges: merged.into_iter().map(|((a, b), w)| (a, b, w)).collect(),
        facade: None,
        facade_split: Default::default(),
        unit_of_module: BTreeMap::new(),
        shared_items: Default::default(),
        shared_unit: None,
        facade_unit: None,
        ..UnitGraph::default()
    }
}

/// The same graph as `splitcheck graph --format json` would write it (one item per module), so
/// the whole `partition --graph-json` path is timed: units, search and report.
fn as_report(graph: &UnitGraph) -> GraphReport {
    let path = |u: usize| format!("crate::m{u}");
    let item = |u: usize| splitcheck::data::name::Name::from(format!("crate::m{u}::f"));
    GraphReport {
        schema_version: 1,
        krate: "generated".into(),
        options: GraphReportOptions { include_tests: false, depth: None, focus: None },
        modules: graph
            .units
            .iter()
            .enumerate()
            .map(|(u, unit)| GraphModule {
                path: path(u),
                file: format!("src/m{u}.rs"),
                src_lines: unit.src_lines as u32,
                test_lines: unit.test_lines as u32,
                tests: 1,
                p_edit: None,
                p_test_edit: None,
                edit_factor: None,
                folded: Vec::new(),
                items: vec![GraphItem {
                    name: "f".into(),
                    kind: "fn".into(),
                    vis: "pub(crate)".into(),
                    lines: unit.src_lines as u32,
                    line: 1,
                    test_only: false,
                    private_fields: false,
                    impl_self: None,
                    impl_trait: None,
                }],
            })
            .collect(),
        edges: graph
            .edges
            .iter()
            .map(|&(a, b, w)| GraphEdge {
                from: path(a),
                to: path(b),
                weight: w,
                test_only: false,
                facade: false,
                items: vec![item(b)],
                refs: vec![GraphRef {
                    item: item(b),
                    from: item(a),
                    at: splitcheck::data::name::Site::from(format!("src/m{a}.rs:1").as_str()),
                    crate_path: true,
                }],
            })
            .collect(),
        item_edges: graph
            .edges
            .iter()
            .map(|&(a, b, w)| GraphItemEdge { from: item(a), to: item(b), weight: w, test_only: false })
            .collect(),
        cycles: Vec::new(),
        p_edit_note: None,
        resolution: ResolutionSummary {
            paths: 0,
            to_crate: 0,
            external: 0,
            unresolved: 0,
            unresolved_crate_paths: Vec::new(),
        },
    }
}

fn main() {
    // `cargo bench` passes `--bench`; under `cargo test --all-targets` a small graph and one run
    // only check that the bench works.
    let full = std::env::args().any(|a| a == "--bench");
    let (modules, edge_count, runs) = if full { (2000, 20_000, 5) } else { (200, 2_000, 1) };
    let graph = generated(modules, edge_count, 0x5eed);
    let report = as_report(&graph);
    let mut whole = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        // As `splitcheck partition --graph-json` does: both profiles' units, the search, the report.
        let prices = without_recording(&report, CostFlags::default(), Profile::Lib);
        let model = Model::new(&prices.lib.units, prices.lib.cost.clone(), Profile::Lib);
        let result = best_partitions(&model, &SearchOptions { k: 4, ..SearchOptions::default() });
        let setup = PartitionSetup { graph: &report, prices: &prices, k: 4, max_new_pub: None, shown: 5 };
        let out = partition_report(&setup, &result.candidates, result.exact);
        assert!(!out.candidates.is_empty());
        whole.push(start.elapsed().as_secs_f64());
    }
    whole.sort_by(f64::total_cmp);
    let median = |t: &[f64]| t[t.len() / 2];
    println!(
        "partition --graph-json --parts 4 (units, search, report), {modules} modules / {} edges: median {:.2} s (min {:.2}, max {:.2}, {runs} runs)",
        graph.edges.len(),
        median(&whole),
        whole[0],
        whole[whole.len() - 1]
    );
    let model = Model::new(&graph, CostModel::assumed(), Profile::Lib);
    let mut times = Vec::new();
    let mut best = f64::NAN;
    for _ in 0..runs {
        let start = Instant::now();
        let result = best_partitions(&model, &SearchOptions { k: 4, ..SearchOptions::default() });
        times.push(start.elapsed().as_secs_f64());
        best = result.candidates.first().map_or(f64::NAN, |c| c.expected_rebuild);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "partition --parts 4, {modules} modules / {} edges: median {:.2} s (min {:.2}, max {:.2}, {runs} runs); E {:.2} s vs unsplit {:.2} s",
        graph.edges.len(),
        median(&times),
        times[0],
        times[times.len() - 1],
        best,
        model.unsplit()
    );
}
