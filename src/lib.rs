//! splitcheck: would splitting a Rust crate into smaller crates cut its incremental rebuild time,
//! where should the cuts go, and what would they cost?
//!
//! The library is a pipeline of plain data: [`workspace`] finds the crate, [`modtree`] reads its
//! module tree, [`report`] shows it. See `ARCHITECTURE.md` for the map and its invariants.

pub mod analysis;
pub mod apply;
pub mod cargo;
pub mod clean_build;
pub mod cli;
pub mod cost;
pub mod cut;
pub mod data;
pub mod error;
pub mod explore;
pub mod git;
pub mod graph;
pub mod huge_pages;
pub mod items;
pub mod layers;
pub mod measure;
pub mod memory;
pub mod modtree;
pub mod partition;
pub mod paths;
pub mod pipeline;
pub mod pricing;
pub mod provenance;
pub mod report;
pub mod report_dir;
pub mod resolve;
pub mod schedule;
pub mod soundness;
pub mod text;
pub mod tradeoff;
pub mod workspace;
pub mod workspace_rank;

pub use error::Error;
