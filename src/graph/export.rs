//! The module graph as data ([`crate::data::graph`]): the graph of an analysis, its paths
//! relative to the package, sorted so the same crate gives the same bytes.

use crate::analysis::CrateAnalysis;
use crate::data::graph::*;
use crate::data::name::{Name, Site};
use crate::graph::{Cycle, ModuleGraph, NodeId};
use crate::paths::relative;
use crate::resolve::{ItemId, Target};
use rayon::prelude::*;

/// The report of the crate's whole module graph, as partitions and reports price it (default
/// options: no `--depth`, test-only references kept aside).
pub fn crate_graph_report(analysis: &CrateAnalysis) -> GraphReport {
    let graph =
        ModuleGraph::build(&analysis.tree, analysis.resolution(), crate::graph::GraphOptions::default());
    graph_report(analysis, &graph, None)
}

/// Builds the report of `graph`, restricted to `focus` (a node and its neighbours) when given.
pub fn graph_report(analysis: &CrateAnalysis, graph: &ModuleGraph, focus: Option<NodeId>) -> GraphReport {
    let tree = &analysis.tree;
    let base = &analysis.package.root_dir;
    let shown: Vec<NodeId> = match focus {
        Some(f) => graph.neighbourhood(f),
        None => (0..graph.nodes.len() as u32).map(NodeId).collect(),
    };
    let is_shown = |n: NodeId| shown.binary_search(&n).is_ok();
    // The cycles' analysis (feedback edges, straddling items) needs no names: it runs beside
    // the rest (libc: 38 ms, two cycles of hundreds of modules).
    let (cycles, (item_names, modules, edges, item_edges)) =
        rayon::join(|| graph.cycles(tree), || named_rows(analysis, graph, &shown));
    let item_path = |id: ItemId| item_names[id.module.index()][id.item as usize].clone();
    let cycles = cycles
        .iter()
        .filter(|c| c.nodes.iter().any(|n| is_shown(*n)))
        .map(|c| cycle_row(graph, &item_path, c))
        .collect();
    let stats = &analysis.resolution().stats;
    GraphReport {
        schema_version: GRAPH_SCHEMA_VERSION,
        krate: analysis.package.lib.name.clone(),
        options: GraphReportOptions {
            include_tests: graph.options.include_tests,
            depth: graph.options.depth,
            focus: focus.map(|f| graph.node(f).path.clone()),
        },
        modules,
        edges,
        item_edges,
        cycles,
        p_edit_note: None,
        resolution: ResolutionSummary {
            paths: stats.paths,
            to_crate: stats.to_crate,
            external: stats.external,
            unresolved: stats.unresolved,
            unresolved_crate_paths: stats
                .unresolved_crate_paths
                .iter()
                .map(|(m, line, path)| format!("{}:{line} {path}", relative(base, &tree.get(*m).file)))
                .collect(),
        },
    }
}

/// Every item's name (by module, then item), and the modules, edges and item edges of the
/// `shown` nodes.
type NamedRows = (Vec<Vec<Name>>, Vec<GraphModule>, Vec<GraphEdge>, Vec<GraphItemEdge>);

fn named_rows(analysis: &CrateAnalysis, graph: &ModuleGraph, shown: &[NodeId]) -> NamedRows {
    let tree = &analysis.tree;
    let base = &analysis.package.root_dir;
    let is_shown = |n: NodeId| shown.binary_search(&n).is_ok();
    // Every item's path, made once: edges and reference sites name the same items many times.
    // Item by item in parallel: a module can hold thousands (libc's largest).
    let item_names: Vec<Vec<Name>> = tree
        .modules
        .par_iter()
        .enumerate()
        .map(|(m, module)| {
            let module_id = crate::modtree::ModuleId(m as u32);
            (0..module.items.items.len() as u32)
                .into_par_iter()
                .map(|item| ModuleGraph::item_path(tree, ItemId { module: module_id, item }).into())
                .collect()
        })
        .collect();
    let item_path = |id: ItemId| item_names[id.module.index()][id.item as usize].clone();
    // Each module's files relative to the package, once: a site is a file and a line.
    let shown_files: Vec<(Name, Vec<Name>)> = tree
        .modules
        .par_iter()
        .map(|m| (relative(base, &m.file).into(), m.files.iter().map(|f| relative(base, f).into()).collect()))
        .collect();
    let at = |id: ItemId, line: u32| {
        let (file, files) = &shown_files[id.module.index()];
        let file_idx = crate::resolve::item_def(tree, id).file as usize;
        Site { file: files.get(file_idx).unwrap_or(file).clone(), line: Some(line) }
    };
    let modules = shown
        .par_iter()
        .map(|&n| {
            let node = graph.node(n);
            let module = tree.get(node.module);
            let own_items = &module.items.items;
            let headers = &analysis.resolution().impl_headers;
            let target = |t: Target| match t {
                Target::Local(id) => ModuleGraph::item_path(tree, id),
                Target::Other => "external".to_owned(),
            };
            GraphModule {
                path: node.path.clone(),
                file: shown_files[node.module.index()].0.to_string(),
                src_lines: node.size.src_code,
                test_lines: node.size.test_code,
                tests: node.size.tests,
                p_edit: None,
                p_test_edit: None,
                edit_factor: None,
                folded: node.members.iter().skip(1).map(|m| tree.get(*m).path.clone()).collect(),
                items: own_items
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.kind != crate::items::ItemKind::Use)
                    .map(|(idx, i)| {
                        let header = headers.get(&ItemId { module: node.module, item: idx as u32 });
                        let has_trait = i.impl_of.as_ref().is_some_and(|h| h.trait_.is_some());
                        GraphItem {
                            name: i.name.clone(),
                            kind: i.kind.as_str().to_owned(),
                            vis: i.vis.as_str(),
                            lines: i.lines(),
                            line: i.span.0.0,
                            test_only: i.test_only || module.test_only,
                            private_fields: i.private_fields,
                            impl_self: header.map(|h| target(h.self_ty)),
                            impl_trait: header.filter(|_| has_trait).map(|h| target(h.trait_)),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let edges = graph
        .edges
        .par_iter()
        .filter(|e| is_shown(e.from) && is_shown(e.to))
        .map(|e| GraphEdge {
            from: graph.node(e.from).path.clone(),
            to: graph.node(e.to).path.clone(),
            weight: e.weight,
            test_only: e.test_only,
            facade: e.facade,
            items: e.items.keys().map(|id| item_path(*id)).collect(),
            refs: e
                .items
                .iter()
                .flat_map(|(to, sites)| {
                    sites.iter().map(move |s| GraphRef {
                        item: item_path(*to),
                        from: item_path(s.from),
                        at: at(s.from, s.line),
                        crate_path: s.crate_path,
                    })
                })
                .collect(),
        })
        .collect();
    let item_edges = graph
        .item_edges
        .iter()
        .filter(|e| is_shown(graph.node_of(e.from.module)) && is_shown(graph.node_of(e.to.module)))
        .map(|e| GraphItemEdge {
            from: item_path(e.from),
            to: item_path(e.to),
            weight: e.weight,
            test_only: e.test_only,
        })
        .collect();
    (item_names, modules, edges, item_edges)
}

/// A cycle's row; `item_path` gives the export's one name of each item.
fn cycle_row(graph: &ModuleGraph, item_path: &impl Fn(ItemId) -> Name, c: &Cycle) -> GraphCycle {
    let path = |n: NodeId| graph.node(n).path.clone();
    let item_path = |id: &ItemId| item_path(*id).to_string();
    GraphCycle {
        modules: c.nodes.iter().map(|n| path(*n)).collect(),
        breaking_edges: c
            .breaking
            .edges
            .iter()
            .map(|(a, b, w)| WeightedEdge { from: path(*a), to: path(*b), weight: *w })
            .collect(),
        breaking_weight: c.breaking.total,
        exact: c.breaking.exact,
        straddling: c
            .items
            .straddling
            .iter()
            .map(|s| StraddlingRow {
                module: path(s.node),
                base: s.base.iter().map(item_path).collect(),
                base_lines: s.base_lines,
                top: s.top.iter().map(item_path).collect(),
                top_lines: s.top_lines,
                breaks_cycle_alone: s.breaks_cycle_alone,
            })
            .collect(),
        tangled_items: c.items.tangled.iter().map(item_path).collect(),
        breakable_by_moving_items: c.items.breakable_by_moving_items,
    }
}

/// Why a graph JSON cannot be partitioned as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphJsonError {
    #[error("edge {from} -> {to}: no module `{missing}` in `modules`")]
    UnknownModule { from: String, to: String, missing: String },
    /// `edges` and `item_edges` say different things: one was edited, not the other.
    #[error(
        "`edges` and `item_edges` disagree on {from} -> {to}{tests}: weight {edges} in edges, {items} in item_edges \
         (edit both, or drop `item_edges` to partition by `edges`)"
    )]
    Disagree { from: String, to: String, tests: &'static str, edges: u32, items: u32 },
}

/// Makes a graph read from JSON one source of truth for the partition, which reads
/// `item_edges`: a graph without them gets one per edge (an item edge between the two modules,
/// of the edge's weight); a graph with both must have them agree, module pair by module pair.
pub fn reconcile(graph: &mut GraphReport) -> Result<(), GraphJsonError> {
    let modules: std::collections::BTreeSet<&str> = graph.modules.iter().map(|m| m.path.as_str()).collect();
    for e in &graph.edges {
        for end in [&e.from, &e.to] {
            if !modules.contains(end.as_str()) {
                return Err(GraphJsonError::UnknownModule {
                    from: e.from.clone(),
                    to: e.to.clone(),
                    missing: end.clone(),
                });
            }
        }
    }
    if graph.item_edges.is_empty() {
        graph.item_edges = graph
            .edges
            .iter()
            .map(|e| GraphItemEdge {
                from: format!("{}::{{module}}", e.from).into(),
                to: format!("{}::{{module}}", e.to).into(),
                weight: e.weight,
                test_only: e.test_only,
            })
            .collect();
        return Ok(());
    }
    let module_of = |item: &str| -> String {
        match crate::paths::longest_module_prefix(item, |prefix| modules.contains(prefix)) {
            "" => "crate".to_owned(),
            module => module.to_owned(),
        }
    };
    type Pair = (String, String, bool);
    let mut from_items: std::collections::BTreeMap<Pair, u32> = Default::default();
    for e in &graph.item_edges {
        let (a, b) = (module_of(&e.from), module_of(&e.to));
        if a != b {
            *from_items.entry((a, b, e.test_only)).or_default() += e.weight;
        }
    }
    let mut from_edges: std::collections::BTreeMap<Pair, u32> = Default::default();
    for e in &graph.edges {
        *from_edges.entry((e.from.clone(), e.to.clone(), e.test_only)).or_default() += e.weight;
    }
    let pairs: std::collections::BTreeSet<&Pair> = from_items.keys().chain(from_edges.keys()).collect();
    for pair in pairs {
        let (edges, items) =
            (from_edges.get(pair).copied().unwrap_or(0), from_items.get(pair).copied().unwrap_or(0));
        if edges != items {
            return Err(GraphJsonError::Disagree {
                from: pair.0.clone(),
                to: pair.1.clone(),
                tests: if pair.2 { " (test code)" } else { "" },
                edges,
                items,
            });
        }
    }
    Ok(())
}
