//! The result of `splitcheck check` as plain data (`--format json`, schema version 1): the
//! layers, each module's layer, and every reference that breaks the layering.

use serde::Serialize;

pub const LAYERS_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LayerCheck {
    pub schema_version: u32,
    #[serde(rename = "crate")]
    pub krate: String,
    /// Bottom first: a module may use its own layer and the layers before it.
    pub layers: Vec<Layer>,
    pub include_tests: bool,
    /// References from a layer to one above it, sorted by file and line.
    pub violations: Vec<Violation>,
    /// Module cycles of the crate, and the budget `--max-cycles` gives, when given.
    pub cycles: usize,
    pub max_cycles: Option<usize>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Layer {
    pub name: String,
    pub modules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Violation {
    /// Relative to the package, as the graph has it.
    pub file: String,
    pub line: u32,
    pub from_module: String,
    /// The item whose code holds the reference.
    pub from_item: String,
    /// The item referenced, in a higher layer.
    pub item: String,
    pub to_module: String,
    pub from_layer: String,
    pub to_layer: String,
}

impl LayerCheck {
    /// The layering holds and the cycles are within budget.
    pub fn holds(&self) -> bool {
        self.violations.is_empty() && self.max_cycles.is_none_or(|max| self.cycles <= max)
    }
}
