//! The module tree of one crate target, read from source the way rustc finds its files.
//!
//! Owns: following `mod` declarations to files (`x.rs`, `x/mod.rs`, non-mod-rs directories,
//! `#[path]`, inline and block modules, `include!`), per-module line and test counts, and the
//! problems met on the way. Invariant: the walk never fails as a whole. A missing, unreadable or
//! unparsable file becomes a [`Problem`] on its module and everything else proceeds.
//! Must not: resolve names or build graphs (later stages do that from the tree).

mod collect;
mod lines;
mod walk;

use crate::items::ModuleItems;
use serde::Serialize;
use std::path::PathBuf;

pub use lines::LineMap;
pub use walk::{parse_in_global_pool, walk, walk_many};

/// Index of a module in [`ModuleTree::modules`]; the crate root is `ModuleId(0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ModuleId(pub u32);

impl ModuleId {
    pub const ROOT: ModuleId = ModuleId(0);

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Every module of one crate target. Modules are stored in discovery order, which is
/// deterministic (declaration order, one file layer at a time); use [`ModuleTree::sorted`] for
/// output.
#[derive(Debug, Clone)]
pub struct ModuleTree {
    pub modules: Vec<Module>,
}

impl ModuleTree {
    pub fn root(&self) -> &Module {
        &self.modules[0]
    }

    pub fn get(&self, id: ModuleId) -> &Module {
        &self.modules[id.index()]
    }

    /// Module ids sorted by path (the order every report uses).
    pub fn sorted(&self) -> Vec<ModuleId> {
        let mut ids: Vec<ModuleId> = (0..self.modules.len() as u32).map(ModuleId).collect();
        ids.sort_by(|a, b| self.get(*a).path.cmp(&self.get(*b).path));
        ids
    }

    /// Sizes of the whole crate (the root's subtree).
    pub fn totals(&self) -> Size {
        self.root().subtree
    }

    /// Every problem of every module, in path order.
    pub fn problems(&self) -> impl Iterator<Item = (&Module, &Problem)> {
        self.sorted().into_iter().map(|id| self.get(id)).flat_map(|m| m.problems.iter().map(move |p| (m, p)))
    }

    /// Every distinct file the tree read (module files and resolved `include!`s), sorted.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self.modules.iter().flat_map(|m| m.files.iter().cloned()).collect();
        files.sort();
        files.dedup();
        files
    }

    /// The `cfg` predicates that gate a module: its own and its ancestors', outermost first.
    pub fn effective_cfg(&self, id: ModuleId) -> Vec<String> {
        let mut chain = Vec::new();
        let mut cur = Some(id);
        while let Some(c) = cur {
            let m = self.get(c);
            chain.extend(m.cfg.iter().rev().cloned());
            cur = m.parent;
        }
        chain.reverse();
        chain
    }
}

/// One module: a file module, an inline `mod x { … }`, or a module declared inside a block.
#[derive(Debug, Clone)]
pub struct Module {
    /// `crate`, `crate::a::b`. Modules inside a function body show the function as
    /// `crate::a::{fn f}::inner`. A second module at the same path (declared twice under
    /// different `cfg`s) gets a `#2` suffix, so paths stay unique.
    pub path: String,
    pub name: String,
    pub parent: Option<ModuleId>,
    pub children: Vec<ModuleId>,
    /// The file that holds the module's items (for inline modules, the file they sit in).
    pub file: PathBuf,
    pub inline: bool,
    /// Where the module is declared (`mod x;` or `mod x {`); `None` for the crate root.
    pub decl: Option<Location>,
    /// First and last line of the module in `file` (whole file for file modules).
    pub span: (u32, u32),
    /// `cfg(...)` predicates written on the declaration, as text.
    pub cfg: Vec<String>,
    /// Compiled only for tests: under `#[cfg(test)]` itself or through an ancestor.
    pub test_only: bool,
    /// Set for modules declared inside a function body: that function's name.
    pub in_fn: Option<String>,
    /// Files whose lines count for this module: `file` (unless inline) and resolved `include!`s.
    pub files: Vec<PathBuf>,
    pub own: Size,
    pub subtree: Size,
    pub problems: Vec<Problem>,
    /// The module's items and the paths its code names; item `file` indices point into `files`
    /// (for a module whose file could not be read, nothing).
    pub items: ModuleItems,
}

/// Line and test counts. *Code* lines exclude blank and comment-only lines; *test* lines are
/// those compiled only for tests (`#[cfg(test)]` items and modules, `#[test]` functions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Size {
    pub src_lines: u32,
    pub src_code: u32,
    pub test_lines: u32,
    pub test_code: u32,
    pub tests: u32,
}

impl Size {
    pub fn add(&mut self, other: &Size) {
        self.src_lines += other.src_lines;
        self.src_code += other.src_code;
        self.test_lines += other.test_lines;
        self.test_code += other.test_code;
        self.tests += other.tests;
    }
}

/// A point in a source file; `line` is 1-based, `column` 1-based in characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Something the walk could not do for one module. Errors mean part of the module is unknown
/// (its file is missing or does not parse); warnings mean something was left out knowingly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
}
