//! The module graph as plain data: the JSON layout of `splitcheck graph` (schema version 1),
//! which the partition reads and the DOT drawing renders. It can be read back with serde; a
//! hand-written one needs only `schema_version`, `crate`, modules with `path` and `src_lines`,
//! and edges with `from` and `to` (see `graph::export::reconcile`). Its JSON Schema is
//! `schemas/graph.schema.json`.

use crate::data::name::{Name, Site};
use serde::{Deserialize, Serialize};

pub const GRAPH_SCHEMA_VERSION: u32 = 1;

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GraphReport {
    pub schema_version: u32,
    #[serde(rename = "crate")]
    pub krate: String,
    #[serde(default)]
    pub options: GraphReportOptions,
    pub modules: Vec<GraphModule>,
    #[serde(default)]
    pub edges: Vec<GraphEdge>,
    /// Item-level references: what the partition reads. Absent from a hand-written graph, they
    /// are made from `edges`; when both are given they must agree.
    #[serde(default)]
    pub item_edges: Vec<GraphItemEdge>,
    #[serde(default)]
    pub cycles: Vec<GraphCycle>,
    #[serde(default)]
    pub resolution: ResolutionSummary,
    /// Where `p_edit` came from when it was filled in (`partition --churn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_edit_note: Option<String>,
}

impl GraphReport {
    /// The graph as pretty JSON, the bytes of [`write_pretty_json`](crate::data::json::write_pretty_json)
    /// of the whole, its long arrays rendered in parallel (libc's graph is 76 MB of JSON).
    pub fn write_json(&self, out: impl std::io::Write) -> std::io::Result<()> {
        let mut o = crate::data::json::PrettyObject::new(out)?;
        o.field("schema_version", &self.schema_version)?;
        o.field("crate", &self.krate)?;
        o.field("options", &self.options)?;
        o.array_field("modules", &self.modules)?;
        o.array_field("edges", &self.edges)?;
        o.array_field("item_edges", &self.item_edges)?;
        o.array_field("cycles", &self.cycles)?;
        o.field("resolution", &self.resolution)?;
        if let Some(note) = &self.p_edit_note {
            o.field("p_edit_note", note)?;
        }
        o.finish()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GraphReportOptions {
    pub include_tests: bool,
    pub depth: Option<u32>,
    pub focus: Option<String>,
}

/// A node. Lines are code lines (no blank or comment-only lines) of the module and of every
/// module folded into it (its test-only submodules; deeper modules under `--depth`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GraphModule {
    pub path: String,
    #[serde(default)]
    pub file: String,
    pub src_lines: u32,
    #[serde(default)]
    pub test_lines: u32,
    #[serde(default)]
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
    #[serde(default)]
    pub folded: Vec<String>,
    #[serde(default)]
    pub items: Vec<GraphItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// Number of references (1 when not given).
    #[serde(default = "one")]
    pub weight: u32,
    #[serde(default)]
    pub test_only: bool,
    #[serde(default)]
    pub facade: bool,
    /// The items of `to` that are referenced, sorted.
    #[serde(default)]
    pub items: Vec<Name>,
    /// Every reference: the item referenced, the item referencing it and where (`file:line`).
    #[serde(default)]
    pub refs: Vec<GraphRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GraphRef {
    pub item: Name,
    pub from: Name,
    pub at: Site,
    /// Written as a `crate::`/`self::`/`super::` path (to rewrite after a split).
    #[serde(default)]
    pub crate_path: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GraphItemEdge {
    pub from: Name,
    pub to: Name,
    #[serde(default = "one")]
    pub weight: u32,
    #[serde(default)]
    pub test_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WeightedEdge {
    pub from: String,
    pub to: String,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResolutionSummary {
    pub paths: u32,
    pub to_crate: u32,
    pub external: u32,
    pub unresolved: u32,
    /// `crate::`/`self::`/`super::` paths that could not be followed (`file:line path`).
    pub unresolved_crate_paths: Vec<String>,
}
