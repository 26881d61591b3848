//! The graph of `splitcheck graph` as plain data: the JSON layout (schema version 1), which the
//! DOT drawing and later commands also read. It can be read back with serde.

use crate::analysis::CrateAnalysis;
use crate::graph::{Cycle, ModuleGraph, NodeId};
use crate::paths::relative;
use crate::resolve::{ItemId, Target};
use serde::{Deserialize, Serialize};

pub const GRAPH_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphReport {
    pub schema_version: u32,
    #[serde(rename = "crate")]
    pub krate: String,
    pub options: GraphReportOptions,
    pub modules: Vec<GraphModule>,
    pub edges: Vec<GraphEdge>,
    pub item_edges: Vec<GraphItemEdge>,
    pub cycles: Vec<GraphCycle>,
    pub resolution: ResolutionSummary,
    /// Where `p_edit` came from when it was filled in (`partition --churn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_edit_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphReportOptions {
    pub include_tests: bool,
    pub depth: Option<u32>,
    pub focus: Option<String>,
}

/// A node. Lines are code lines (no blank or comment-only lines) of the module and of every
/// module folded into it (its test-only submodules; deeper modules under `--depth`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphModule {
    pub path: String,
    pub file: String,
    pub src_lines: u32,
    pub test_lines: u32,
    pub tests: u32,
    /// Probability that an edit lands here (any scale: partitions normalize); `null` means
    /// proportional to src lines.
    #[serde(default)]
    pub p_edit: Option<f64>,
    /// Probability that an edit lands in this node's test code, on the scale of `p_edit`;
    /// `null` means proportional to test lines (when `p_edit` is `null` too, else 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_test_edit: Option<f64>,
    /// How much costlier an edit here is than its size says (fitted from recordings); `null`
    /// means 1.
    #[serde(default)]
    pub edit_factor: Option<f64>,
    /// Modules folded into this node (test-only submodules, deeper modules under `--depth`).
    pub folded: Vec<String>,
    pub items: Vec<GraphItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphItem {
    pub name: String,
    pub kind: String,
    pub vis: String,
    pub lines: u32,
    /// First line of the item in the module's file.
    #[serde(default)]
    pub line: u32,
    pub test_only: bool,
    /// A struct with a field that is not `pub`.
    #[serde(default)]
    pub private_fields: bool,
    /// For an impl: the self type's item path, or `external` (another crate's type, a generic).
    #[serde(default)]
    pub impl_self: Option<String>,
    /// For a trait impl: the trait's item path, or `external`; `null` for inherent impls.
    #[serde(default)]
    pub impl_trait: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// Number of references.
    pub weight: u32,
    pub test_only: bool,
    pub facade: bool,
    /// The items of `to` that are referenced, sorted.
    pub items: Vec<String>,
    /// Every reference: the item referenced, the item referencing it and where (`file:line`).
    pub refs: Vec<GraphRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphRef {
    pub item: String,
    pub from: String,
    pub at: String,
    /// Written as a `crate::`/`self::`/`super::` path (to rewrite after a split).
    #[serde(default)]
    pub crate_path: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphItemEdge {
    pub from: String,
    pub to: String,
    pub weight: u32,
    pub test_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphCycle {
    pub modules: Vec<String>,
    /// The cheapest edges whose removal breaks the cycle.
    pub breaking_edges: Vec<WeightedEdge>,
    pub breaking_weight: u32,
    /// Whether `breaking_edges` is proven minimal (else found by a heuristic).
    pub exact: bool,
    pub straddling: Vec<StraddlingRow>,
    pub tangled_items: Vec<String>,
    pub breakable_by_moving_items: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightedEdge {
    pub from: String,
    pub to: String,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StraddlingRow {
    pub module: String,
    /// Used by the rest of the cycle, using none of it: could move down into a base part.
    pub base: Vec<String>,
    pub base_lines: u32,
    /// Using the rest of the cycle, used by none of it: could move up (into the facade).
    pub top: Vec<String>,
    pub top_lines: u32,
    /// Moving down what the rest of the cycle uses from this module alone breaks the cycle.
    pub breaks_cycle_alone: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolutionSummary {
    pub paths: u32,
    pub to_crate: u32,
    pub external: u32,
    pub unresolved: u32,
    /// `crate::`/`self::`/`super::` paths that could not be followed (`file:line path`).
    pub unresolved_crate_paths: Vec<String>,
}

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
    let item_path = |id: ItemId| ModuleGraph::item_path(tree, id);
    let at = |id: ItemId, line: u32| {
        let module = tree.get(id.module);
        let file_idx = crate::graph::item_def(tree, id).file as usize;
        let file = module.files.get(file_idx).unwrap_or(&module.file);
        format!("{}:{line}", relative(base, file))
    };
    let modules = shown
        .iter()
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
                file: relative(base, &module.file),
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
        .iter()
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
    let cycles = graph
        .cycles(tree)
        .iter()
        .filter(|c| c.nodes.iter().any(|n| is_shown(*n)))
        .map(|c| cycle_row(graph, tree, c))
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

fn cycle_row(graph: &ModuleGraph, tree: &crate::modtree::ModuleTree, c: &Cycle) -> GraphCycle {
    let path = |n: NodeId| graph.node(n).path.clone();
    let item_path = |id: &ItemId| ModuleGraph::item_path(tree, *id);
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
