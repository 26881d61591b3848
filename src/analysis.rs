//! The pipeline from a crate selection to everything known about the crate, as plain data.
//!
//! Owns: calling the stages in order (workspace → module tree → name resolution). Later stages (graph, partition,
//! cost) hang off [`CrateAnalysis`]. Must not: format output.

use crate::error::Error;
use crate::modtree::{self, ModuleTree};
use crate::resolve::{self, Edition, Resolution};
use crate::workspace::{self, Package, Selection, Target};
use std::sync::OnceLock;

/// One analyzed library crate.
#[derive(Debug, Clone)]
pub struct CrateAnalysis {
    pub package: Package,
    pub tree: ModuleTree,
    /// What every path of the library resolves to: computed on first use (the module table
    /// does not need it).
    resolution: OnceLock<Resolution>,
    /// Each integration test target with its own module tree, sorted by target name.
    pub integration_tests: Vec<(Target, ModuleTree)>,
}

impl CrateAnalysis {
    /// What every path of the library resolves to (resolved once, on first call).
    pub fn resolution(&self) -> &Resolution {
        self.resolution.get_or_init(|| {
            resolve::resolve(
                &self.tree,
                Edition::parse(&self.package.lib.edition),
                &self.package.extern_crates,
            )
        })
    }
}

/// Locates the crate and walks its module tree and those of its integration tests; the
/// workspace dependents are asked of cargo meanwhile, on a thread of their own (the query mostly
/// waits for cargo).
pub fn analyze(selection: &Selection) -> Result<CrateAnalysis, Error> {
    let (package, query) = workspace::locate(selection)?;
    let Some(query) = query else { return Ok(analyze_package(package)) };
    let (dependents, mut analysis) = std::thread::scope(|scope| {
        let dependents = scope.spawn(|| query.run());
        let analysis = analyze_package(package);
        let dependents = dependents
            .join()
            .unwrap_or_else(|_| workspace::Dependents::Unknown("the dependents query failed".to_owned()));
        (dependents, analysis)
    });
    analysis.package.dependents = dependents;
    Ok(analysis)
}

/// The crate's code alone, for commands that never ask who depends on it (the graph, the
/// layering check): the dependents query, cargo's full metadata, is not run, and the package
/// says its dependents are unknown.
pub fn analyze_code(selection: &Selection) -> Result<CrateAnalysis, Error> {
    let (mut package, query) = workspace::locate(selection)?;
    if query.is_some() {
        package.dependents = workspace::Dependents::Unknown("not asked by this command".to_owned());
    }
    Ok(analyze_package(package))
}

/// Walks an already located package. Never fails: file problems are data on the modules.
pub fn analyze_package(package: Package) -> CrateAnalysis {
    let tree = modtree::walk(&package.lib.src_path, &package.root_dir);
    let integration_tests = package
        .test_targets
        .iter()
        .map(|t| (t.clone(), modtree::walk(&t.src_path, &package.root_dir)))
        .collect();
    CrateAnalysis { package, tree, resolution: OnceLock::new(), integration_tests }
}
