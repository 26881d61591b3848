//! The plain data every stage hands on and every renderer reads: the module graph, recordings,
//! candidates, the trade-off report and the workspace ranking, as serde types.
//!
//! Invariant: this module imports no other module of splitcheck; each stage imports it.
//! Must not: compute anything beyond serialization.

pub mod clean;
pub mod graph;
pub mod json;
pub mod layers;
pub mod name;
pub mod partition;
pub mod provenance;
pub mod timings;
pub mod trade_off;
pub mod workspace;
