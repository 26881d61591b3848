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

/// What the trade-off report reads of an analysis besides its graph: counts of its trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrateCounts {
    /// Modules of the library, test-only ones included.
    pub modules: usize,
    /// `#[test]` functions in the library's unit tests.
    pub unit_tests: u32,
    pub integration_test_targets: usize,
    pub integration_tests: u32,
}

impl CrateAnalysis {
    pub fn counts(&self) -> CrateCounts {
        CrateCounts {
            modules: self.tree.modules.len(),
            unit_tests: self.tree.totals().tests,
            integration_test_targets: self.integration_tests.len(),
            integration_tests: self.integration_tests.iter().map(|(_, t)| t.totals().tests).sum(),
        }
    }

    /// The package alone: the module trees and the resolution (every item and path of the
    /// crate, most of the memory of a large one) are freed.
    pub fn into_package(self) -> Package {
        self.package
    }

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
/// waits for cargo), and are known when this returns: nothing the caller times next competes
/// with the query.
pub fn analyze(selection: &Selection) -> Result<CrateAnalysis, Error> {
    let analysis = analyze_beside_dependents(selection)?;
    analysis.package.dependents.get();
    Ok(analysis)
}

/// [`analyze`], returning while the dependents may still be asked of cargo: the first
/// `package.dependents.get()` waits for them. For the report, which reads them after its
/// search; never before a timed build.
pub fn analyze_beside_dependents(selection: &Selection) -> Result<CrateAnalysis, Error> {
    let (mut package, query) = workspace::locate(selection)?;
    if let Some(query) = query {
        package.dependents = workspace::DependentsCell::ask(query);
    }
    Ok(analyze_package(package))
}

/// The crate's code alone, for commands that never ask who depends on it (the graph, the
/// layering check): the dependents query, cargo's full metadata, is not run, and the package
/// says its dependents are unknown.
pub fn analyze_code(selection: &Selection) -> Result<CrateAnalysis, Error> {
    let (mut package, query) = workspace::locate(selection)?;
    if query.is_some() {
        package.dependents = workspace::DependentsCell::known(workspace::Dependents::Unknown(
            "not asked by this command".to_owned(),
        ));
    }
    Ok(analyze_package(package))
}

/// Walks an already located package. Never fails: file problems are data on the modules.
pub fn analyze_package(package: Package) -> CrateAnalysis {
    let roots: Vec<&std::path::Path> = std::iter::once(&package.lib.src_path)
        .chain(package.test_targets.iter().map(|t| &t.src_path))
        .map(|p| p.as_path())
        .collect();
    let mut trees = modtree::walk_many(&roots, &package.root_dir).into_iter();
    let tree = trees.next().expect("the library's tree comes first");
    let integration_tests = package.test_targets.iter().cloned().zip(trees).collect();
    CrateAnalysis { package, tree, resolution: OnceLock::new(), integration_tests }
}
