//! splitcheck keeps its own layering: run on its own source, its top-level modules form no
//! cycle (each stage imports only the stages below it, `data` at the bottom).

use splitcheck::analysis::analyze;
use splitcheck::graph::{GraphOptions, ModuleGraph};
use splitcheck::workspace::Selection;
use std::path::Path;

#[test]
fn splitcheck_top_level_modules_form_no_cycle() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let selection = Selection { krate: None, manifest_path: Some(manifest), offline: true };
    let analysis = analyze(&selection).unwrap();
    let graph = ModuleGraph::build(
        &analysis.tree,
        analysis.resolution(),
        GraphOptions { include_tests: false, depth: Some(1) },
    );
    let cycles: Vec<Vec<String>> =
        graph.sccs().iter().map(|c| c.iter().map(|n| graph.node(*n).path.clone()).collect()).collect();
    assert!(cycles.is_empty(), "cycles between top-level modules: {cycles:?}");
    // The data types sit at the bottom: `data` uses no other module of splitcheck.
    let data = graph.find("crate::data").expect("a data module");
    let uses: Vec<String> =
        graph.analysis_edges().filter(|e| e.from == data).map(|e| graph.node(e.to).path.clone()).collect();
    assert!(uses.is_empty(), "crate::data uses {uses:?}");
}
