//! The pipeline from a crate selection to everything known about the crate, as plain data.
//!
//! Owns: calling the stages in order (workspace → module tree → name resolution). Later stages (graph, partition,
//! cost) hang off [`CrateAnalysis`]. The library's tree is walked while cargo locates the
//! package, from the root file its manifest names; cargo's answer decides whether it is kept.
//! The integration tests are walked once cargo names them, beside it, and only for the
//! commands that read them (not `graph` or `check`).
//! Must not: format output.

use crate::error::Error;
use crate::modtree::{self, ModuleTree};
use crate::resolve::{self, Edition, Resolution};
use crate::workspace::{self, Package, Selection, Target};
use std::path::PathBuf;
use std::sync::OnceLock;

/// One analyzed library crate.
#[derive(Debug, Clone)]
pub struct CrateAnalysis {
    pub package: Package,
    pub tree: ModuleTree,
    /// What every path of the library resolves to: computed on first use (the module table
    /// does not need it).
    resolution: OnceLock<Resolution>,
    /// Each integration test target with its own module tree, sorted by target name (none from
    /// [`analyze_code`], which does not walk them).
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
/// workspace dependents, when they must be asked of cargo's full metadata (a workspace with
/// `[patch]`, `[replace]` or `paths`), are asked meanwhile, on a thread of their own (the query mostly waits for cargo),
/// and are known when this returns: nothing the caller times next competes with the query.
pub fn analyze(selection: &Selection) -> Result<CrateAnalysis, Error> {
    let analysis = analyze_beside_dependents(selection)?;
    analysis.package.dependents.get();
    Ok(analysis)
}

/// [`analyze`], returning while the dependents may still be asked of cargo: the first
/// `package.dependents.get()` waits for them. For the report, which reads them after its
/// search; never before a timed build.
pub fn analyze_beside_dependents(selection: &Selection) -> Result<CrateAnalysis, Error> {
    let (located, walked) = locate_while_walking(selection, true);
    let ((mut package, query), tests) = located?;
    if let Some(query) = query {
        package.dependents = workspace::DependentsCell::ask(query);
    }
    let tests = tests.unwrap_or_else(|| walk_tests(&package));
    Ok(analyze_walked(package, walked, tests))
}

/// The crate's library code alone, for commands that read neither its integration tests nor
/// who depends on it (the graph, the layering check): the tests are not walked
/// (`integration_tests` is empty; tokio's 248 test files were a sixth of its graph's time), and
/// the dependents query, cargo's full metadata, is not run: where it would be needed, the
/// package says its dependents are unknown.
pub fn analyze_code(selection: &Selection) -> Result<CrateAnalysis, Error> {
    let (located, walked) = locate_while_walking(selection, false);
    let ((mut package, query), _) = located?;
    if query.is_some() {
        package.dependents = workspace::DependentsCell::known(workspace::Dependents::Unknown(
            "not asked by this command".to_owned(),
        ));
    }
    Ok(analyze_walked(package, walked, Vec::new()))
}

/// The library's tree walked from its root file and package directory, the two as given.
type Walked = (PathBuf, PathBuf, ModuleTree);
/// What `workspace::locate` finds.
type Located = (Package, Option<workspace::DependentsQuery>);
/// The package located, with its integration tests' trees when they were walked beside the
/// library.
type LocatedWithTests = (Located, Option<Vec<ModuleTree>>);

/// Locates the package (on a thread of its own, which mostly waits for cargo) while the
/// library's tree is walked from where its manifest says the root file is: `cargo metadata`
/// took 44 ms for ori_arc (whose walk took 77 ms) and 67 ms for libc, time the walk would
/// otherwise wait (one run each, timed inside the run). With `tests`, that thread then walks
/// the integration tests cargo names, beside the library (their files share the workers the
/// library's layers leave idle; walked after it, tokio's took 75 ms more), unless the caller
/// is itself a rayon worker (`--workspace` analyzes members in parallel): it waits for that
/// thread without running pool work, and with every worker so waiting, the tests' walk would
/// never run. Then the caller walks them after ([`walk_tests`]).
fn locate_while_walking(
    selection: &Selection,
    tests: bool,
) -> (Result<LocatedWithTests, Error>, Option<Walked>) {
    let guess = workspace::guess_library_root(selection);
    let tests_beside = tests && rayon::current_thread_index().is_none();
    std::thread::scope(|s| {
        let located = s.spawn(|| {
            let located: Located = workspace::locate(selection)?;
            let test_trees = tests_beside.then(|| walk_tests(&located.0));
            Ok((located, test_trees))
        });
        let walked = guess.map(|(root, dir)| {
            let tree = modtree::walk(&root, &dir);
            (root, dir, tree)
        });
        let located = located.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (located, walked)
    })
}

/// The trees of a package's integration tests, one per test target, in order.
fn walk_tests(package: &Package) -> Vec<ModuleTree> {
    let roots: Vec<&std::path::Path> = package.test_targets.iter().map(|t| t.src_path.as_path()).collect();
    modtree::walk_many(&roots, &package.root_dir)
}

/// The analysis of a located package: its library's tree taken from `walked` when that started
/// from the root file and directory cargo gave (else walked now), its integration tests'
/// trees, one per test target in order (empty: none walked). Never fails: file
/// problems are data on the modules.
fn analyze_walked(package: Package, walked: Option<Walked>, tests: Vec<ModuleTree>) -> CrateAnalysis {
    let tree = walked
        .filter(|(root, dir, _)| *root == package.lib.src_path && *dir == package.root_dir)
        .map(|(_, _, tree)| tree)
        .unwrap_or_else(|| modtree::walk(&package.lib.src_path, &package.root_dir));
    let integration_tests = package.test_targets.iter().cloned().zip(tests).collect();
    CrateAnalysis { package, tree, resolution: OnceLock::new(), integration_tests }
}
