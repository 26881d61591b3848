//! The typed graph API on a crate whose edges are known by hand (`tests/fixtures/resolution`,
//! see its `expected.edges`): cycles, breaking edges, dependents, neighbourhoods, condensation
//! order, collapsing to a depth, and the JSON report read back.

use splitcheck::analysis::{CrateAnalysis, analyze};
use splitcheck::data::graph::GraphReport;
use splitcheck::graph::export::graph_report;
use splitcheck::graph::{GraphOptions, ModuleGraph, NodeId};
use splitcheck::workspace::Selection;
use std::path::Path;

fn fixture() -> CrateAnalysis {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/resolution");
    let selection = Selection { krate: None, manifest_path: Some(dir.join("Cargo.toml")), offline: true };
    analyze(&selection).unwrap()
}

fn paths(graph: &ModuleGraph, ids: &[NodeId]) -> Vec<String> {
    ids.iter().map(|n| graph.node(*n).path.clone()).collect()
}

fn build(analysis: &CrateAnalysis, options: GraphOptions) -> ModuleGraph {
    ModuleGraph::build(&analysis.tree, analysis.resolution(), options)
}

#[test]
fn cycles_and_their_cheapest_cut() {
    let analysis = fixture();
    let graph = build(&analysis, GraphOptions::default());
    let sccs: Vec<Vec<String>> = graph.sccs().iter().map(|c| paths(&graph, c)).collect();
    assert_eq!(
        sccs,
        vec![
            vec!["crate::case_use_self_super".to_owned(), "crate::case_use_self_super::child".to_owned()],
            vec!["crate::ext".to_owned(), "crate::target".to_owned()],
        ]
    );
    for cycle in graph.cycles(&analysis.tree) {
        assert!(cycle.breaking.exact);
        // In a two-node cycle the cheaper direction is cut.
        let weight = |a: NodeId, b: NodeId| -> u32 {
            graph.analysis_edges().filter(|e| e.from == a && e.to == b).map(|e| e.weight).sum()
        };
        let (a, b) = (cycle.nodes[0], cycle.nodes[1]);
        assert_eq!(cycle.breaking.total, weight(a, b).min(weight(b, a)));
        assert_eq!(cycle.breaking.edges.len(), 1);
    }
}

#[test]
fn dependents_and_neighbourhood() {
    let analysis = fixture();
    let graph = build(&analysis, GraphOptions::default());
    let prelude = graph.find("crate::prelude").unwrap();
    assert_eq!(paths(&graph, &graph.dependents(prelude)), vec!["crate::case_prelude_glob"]);
    let ext = graph.find("crate::ext").unwrap();
    let dependents = paths(&graph, &graph.dependents(ext));
    // ext <-> target, so everything that uses target depends on ext too; the facade edge of the
    // root does not count, nor the test-only use.
    assert!(dependents.contains(&"crate::target".to_owned()));
    assert!(dependents.contains(&"crate::case_body".to_owned()));
    assert!(!dependents.contains(&"crate".to_owned()));
    assert!(!dependents.contains(&"crate::case_tests".to_owned()));
    let reexp = graph.find("crate::reexp").unwrap();
    assert_eq!(
        paths(&graph, &graph.neighbourhood(reexp)),
        vec!["crate::case_reexport_chain", "crate::reexp", "crate::reexp::inner"]
    );
}

#[test]
fn test_edges_count_only_when_asked() {
    let analysis = fixture();
    let tests = build(&analysis, GraphOptions { include_tests: true, depth: None });
    let ext = tests.find("crate::ext").unwrap();
    assert!(paths(&tests, &tests.dependents(ext)).contains(&"crate::case_tests".to_owned()));
}

#[test]
fn condensation_puts_what_is_used_first() {
    let analysis = fixture();
    let graph = build(&analysis, GraphOptions::default());
    let order: Vec<Vec<String>> = graph.condensation_order().iter().map(|c| paths(&graph, c)).collect();
    let position = |path: &str| order.iter().position(|c| c.iter().any(|p| p == path)).unwrap();
    assert!(position("crate::target") < position("crate::case_body"));
    assert!(position("crate::reexp::inner") < position("crate::reexp"));
    assert!(position("crate::reexp") < position("crate::case_reexport_chain"));
    assert_eq!(position("crate::ext"), position("crate::target"));
}

#[test]
fn collapsing_to_depth_one_merges_submodules() {
    let analysis = fixture();
    let graph = build(&analysis, GraphOptions { include_tests: false, depth: Some(1) });
    assert!(graph.nodes.iter().all(|n| n.path.matches("::").count() <= 1));
    let parent = graph.find("crate::case_use_self_super").unwrap();
    assert_eq!(graph.node(parent).members.len(), 2, "the child module is folded into its parent");
    // The parent <-> child cycle is inside one node now; `reexp::inner` is folded into `reexp`.
    let sccs: Vec<Vec<String>> = graph.sccs().iter().map(|c| paths(&graph, c)).collect();
    assert_eq!(sccs, vec![vec!["crate::ext".to_owned(), "crate::target".to_owned()]]);
    assert!(graph.find("crate::reexp::inner").is_none());
}

#[test]
fn the_json_report_reads_back() {
    let analysis = fixture();
    let graph = build(&analysis, GraphOptions::default());
    let report = graph_report(&analysis, &graph, None);
    let text = serde_json::to_string(&report).unwrap();
    let back: GraphReport = serde_json::from_str(&text).unwrap();
    assert_eq!(back, report);
    assert_eq!(report.schema_version, 1);
    let target = report.modules.iter().find(|m| m.path == "crate::target").unwrap();
    assert!(target.items.iter().any(|i| i.name == "Point" && i.kind == "struct" && i.vis == "pub"));
    let edge = report.edges.iter().find(|e| e.from == "crate::case_body" && e.to == "crate::target").unwrap();
    assert!(edge.items.iter().any(|i| i == "crate::target::LIMIT"));
    assert!(edge.refs.iter().all(|r| r.at.to_string().starts_with("src/case_body.rs:")));
}

/// `graph --format json` writes the graph field by field, its long arrays rendered in
/// parallel: the bytes are serde_json's pretty JSON of the whole.
#[test]
fn the_json_written_in_parallel_is_serdes_pretty_json() {
    let analysis = fixture();
    let graph = build(&analysis, GraphOptions::default());
    let mut report = graph_report(&analysis, &graph, None);
    assert!(!report.cycles.is_empty() && !report.item_edges.is_empty());
    for note in [None, Some("from git log".to_owned())] {
        report.p_edit_note = note;
        let mut whole = Vec::new();
        splitcheck::data::json::write_pretty_json(&report, &mut whole).unwrap();
        let mut by_fields = Vec::new();
        report.write_json(&mut by_fields).unwrap();
        assert_eq!(String::from_utf8(by_fields).unwrap(), String::from_utf8(whole).unwrap());
    }
}

/// The orphan rule as the partition sees it: an impl of a crate's trait for a foreign type
/// lives with the trait, so its module never lands in another crate than the trait's; an impl
/// for a local type, and a mere use of the trait, leave their modules free.
#[test]
fn an_impl_for_a_foreign_type_stays_with_its_trait() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/coherence");
    let selection = Selection { krate: None, manifest_path: Some(dir.join("Cargo.toml")), offline: true };
    let analysis = analyze(&selection).unwrap();
    let units = splitcheck::partition::units_from_graph(
        &splitcheck::graph::export::crate_graph_report(&analysis),
        false,
    );
    let unit = |m: &str| units.unit_of_module[m];
    assert_eq!(unit("crate::square"), unit("crate::shape"));
    assert_ne!(unit("crate::circle"), unit("crate::shape"));
    assert_ne!(unit("crate::report"), unit("crate::shape"));
}
