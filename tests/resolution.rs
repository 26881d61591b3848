//! Name resolution against hand-written expectations: `tests/fixtures/resolution` has one
//! module per way of naming an item (`case_*`), and `expected.edges` lists every edge splitcheck
//! must find there, no more, no fewer. `tests/fixtures/resolution_limits` pins what is knowingly
//! not resolved, each case named after its limitation.

use splitcheck::analysis::analyze;
use splitcheck::graph::{GraphOptions, ModuleGraph};
use splitcheck::workspace::Selection;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Every edge of the fixture's graph as `from -> to`, with `(test)` or `(facade)`, sorted.
fn edges(dir: &Path) -> Vec<String> {
    let selection = Selection { krate: None, manifest_path: Some(dir.join("Cargo.toml")), offline: true };
    let analysis = analyze(&selection).unwrap();
    let graph = ModuleGraph::build(&analysis.tree, analysis.resolution(), GraphOptions::default());
    let mut out: Vec<String> = graph
        .edges
        .iter()
        .map(|e| {
            let mark = match (e.test_only, e.facade) {
                (true, _) => " (test)",
                (false, true) => " (facade)",
                (false, false) => "",
            };
            format!("{} -> {}{mark}", graph.node(e.from).path, graph.node(e.to).path)
        })
        .collect();
    out.sort();
    out
}

fn expected(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("expected.edges")).unwrap();
    let mut lines: Vec<String> =
        text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(str::to_owned).collect();
    lines.sort();
    lines
}

fn assert_edges(name: &str) {
    let dir = fixture(name);
    let (found, want) = (edges(&dir), expected(&dir));
    let missing: Vec<&String> = want.iter().filter(|e| !found.contains(e)).collect();
    let extra: Vec<&String> = found.iter().filter(|e| !want.contains(e)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{name}: missing edges {missing:#?}\nunexpected edges {extra:#?}"
    );
}

#[test]
fn every_resolution_case_finds_exactly_its_edges() {
    assert_edges("resolution");
}

#[test]
fn known_limitations_behave_as_pinned() {
    assert_edges("resolution_limits");
}
