//! Who owns what after a split: every module and root item gets a *destination* (a part crate,
//! or the facade that the original crate becomes), and every crate knows which others it may
//! name (the parts it depends on, directly or not; the facade names them all).
//!
//! Owns: destinations (with test modules moved up when their tests need a part their parent's
//! part cannot see), the items that must become `pub` and the macros that must be exported,
//! and the places where a crate needs a *skeleton* of a module it does not own (an inline
//! module re-exporting the owner's items, holding the descendants this crate owns or sees).
//! Must not: read files or format text.

use crate::analysis::CrateAnalysis;
use crate::items::{ItemKind, Visibility};
use crate::modtree::{ModuleId, ModuleTree};
use crate::resolve::item_def;
use crate::resolve::{ItemId, Target};
use std::collections::{BTreeMap, BTreeSet};

/// A crate of the split: a part `0..k`, or the facade (`k`).
pub type Dest = usize;

/// The split as the planner needs it.
#[derive(Debug, Clone)]
pub struct SplitInput {
    /// Crate names of the parts, in part order.
    pub names: Vec<String>,
    /// Node path (as in the graph, test modules folded) → part.
    pub module_part: BTreeMap<String, usize>,
    /// Root items moving down (`crate::Name`, impls as `crate::<impl …>`) → part.
    pub root_item_part: BTreeMap<String, usize>,
    /// `(a, b)`: part a uses part b.
    pub uses: Vec<(usize, usize)>,
}

/// A test module placed above its parent's part, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedTests {
    pub module: String,
    pub to: Dest,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub k: usize,
    /// Per module (by `ModuleId` index).
    pub owner: Vec<Dest>,
    /// Per module: the destinations owning a strict descendant.
    pub below: Vec<BTreeSet<Dest>>,
    /// `sees[a][b]`: crate a depends on crate b, directly or not (a != b).
    pub sees: Vec<Vec<bool>>,
    /// Root items (by item index) that move down, with their part.
    pub root_items: BTreeMap<u32, Dest>,
    /// Items that must become `pub`: used from another crate.
    pub raise: BTreeSet<ItemId>,
    /// Modules whose private fields and methods must become `pub`: a descendant is in another crate.
    pub open_modules: BTreeSet<ModuleId>,
    /// `#[cfg(test)]` items that tests in another crate use, and the test-only items they use
    /// in turn: compiled always.
    pub uncfg: BTreeSet<ItemId>,
    /// `macro_rules!` used from another crate: exported.
    pub export_macros: BTreeSet<ItemId>,
    /// Per destination: the parts whose exported macros it uses.
    pub macro_deps: Vec<BTreeSet<Dest>>,
    /// Items used from another crate than their own.
    pub used_across: BTreeSet<ItemId>,
    pub moved_tests: Vec<MovedTests>,
}

impl Layout {
    pub fn facade(&self) -> Dest {
        self.k
    }

    /// Crate `a` may name crate `b`'s items.
    pub fn sees(&self, a: Dest, b: Dest) -> bool {
        a != b && self.sees[a][b]
    }

    pub fn item_owner(&self, id: ItemId) -> Dest {
        if id.module == ModuleId::ROOT {
            return self.root_items.get(&id.item).copied().unwrap_or(self.k);
        }
        self.owner[id.module.index()]
    }

    /// Whether `dest` needs its own inline copy of module `m` (not its own): it owns or sees a
    /// descendant of `m` that the owner of `m` cannot hand over by re-exporting `m` whole.
    pub fn needs_skeleton(&self, dest: Dest, m: ModuleId) -> bool {
        let owner = self.owner[m.index()];
        if owner == dest {
            return false;
        }
        if m == ModuleId::ROOT {
            return true;
        }
        self.below[m.index()].iter().any(|&r| {
            (r == dest || self.sees(dest, r))
                && r != owner
                && !(self.sees(dest, owner) && (self.sees(owner, r)))
        })
    }
}

/// Destinations for every module and root item of `analysis`.
pub fn layout(analysis: &CrateAnalysis, input: &SplitInput) -> Layout {
    let tree = &analysis.tree;
    let k = input.names.len();
    let facade = k;
    let mut owner = vec![facade; tree.modules.len()];
    for id in tree.sorted() {
        let m = tree.get(id);
        owner[id.index()] = match input.module_part.get(&m.path) {
            Some(&p) => p,
            None => m.parent.map_or(facade, |p| owner[p.index()]),
        };
    }
    let mut sees = crate::graph::reachability(k + 1, &input.uses);
    (0..k).for_each(|p| sees[facade][p] = true);
    let root = tree.root();
    let mut root_items = BTreeMap::new();
    for (i, item) in root.items.items.iter().enumerate() {
        if let Some(&p) = input.root_item_part.get(&format!("crate::{}", item.name)) {
            root_items.insert(i as u32, p);
        }
    }
    let mut layout = Layout {
        k,
        owner,
        below: Vec::new(),
        sees,
        root_items,
        raise: BTreeSet::new(),
        open_modules: BTreeSet::new(),
        uncfg: BTreeSet::new(),
        export_macros: BTreeSet::new(),
        macro_deps: vec![BTreeSet::new(); k + 1],
        used_across: BTreeSet::new(),
        moved_tests: Vec::new(),
    };
    move_tests_up(analysis, &mut layout);
    layout.below = below(tree, &layout.owner);
    let refs = &analysis.resolution().refs;
    for r in refs {
        let (from, to) = (layout.item_owner(r.from), layout.item_owner(r.to));
        if from == to {
            continue;
        }
        layout.used_across.insert(r.to);
        let def = item_def(tree, r.to);
        if def.vis != Visibility::Public {
            layout.raise.insert(r.to);
        }
        if def.kind == ItemKind::Macro {
            layout.export_macros.insert(r.to);
            layout.macro_deps[from].insert(to);
        }
    }
    let mut uses: BTreeMap<ItemId, Vec<ItemId>> = BTreeMap::new();
    for r in refs {
        uses.entry(r.from).or_default().push(r.to);
    }
    // An exported macro expands where it is called: the macros it calls must be exported too,
    // or they are not in scope in the calling crate.
    let mut stack: Vec<ItemId> = layout.export_macros.iter().copied().collect();
    while let Some(id) = stack.pop() {
        for &to in uses.get(&id).into_iter().flatten() {
            if item_def(tree, to).kind == ItemKind::Macro && layout.export_macros.insert(to) {
                stack.push(to);
            }
        }
    }
    let mut stack: Vec<ItemId> =
        layout.raise.iter().copied().filter(|&id| item_def(tree, id).test_only).collect();
    while let Some(id) = stack.pop() {
        if !layout.uncfg.insert(id) {
            continue;
        }
        let owner = layout.item_owner(id);
        for &to in uses.get(&id).into_iter().flatten() {
            if item_def(tree, to).test_only && layout.item_owner(to) == owner {
                stack.push(to);
            }
        }
    }
    // Items moving down are re-exported by every crate above: they must be `pub`.
    let moved: Vec<u32> = layout.root_items.keys().copied().collect();
    layout.raise.extend(moved.into_iter().map(|item| ItemId { module: ModuleId::ROOT, item }));
    for id in tree.sorted() {
        if layout.below[id.index()].iter().any(|&d| d != layout.owner[id.index()]) {
            layout.open_modules.insert(id);
        }
    }
    layout
}

/// Places each top test module (test-only, parent not) in the lowest crate that sees every
/// crate its tests use, when its parent's crate does not: tests can use the crates above
/// their module only through a dev-dependency cycle, which would compile the crate twice.
fn move_tests_up(analysis: &CrateAnalysis, layout: &mut Layout) {
    let tree = &analysis.tree;
    // The top test module each module is in, if any (parents come before children in `sorted`).
    let mut top_of: Vec<Option<ModuleId>> = vec![None; tree.modules.len()];
    for id in tree.sorted() {
        let m = tree.get(id);
        top_of[id.index()] = match m.parent {
            Some(p) if top_of[p.index()].is_some() => top_of[p.index()],
            Some(p) if m.test_only && !tree.get(p).test_only && m.in_fn.is_none() => Some(id),
            _ => None,
        };
    }
    if top_of.iter().all(Option::is_none) {
        return;
    }
    let mut needs: BTreeMap<ModuleId, BTreeSet<Dest>> = BTreeMap::new();
    for r in &analysis.resolution().refs {
        if let Some(t) = top_of[r.from.module.index()] {
            needs.entry(t).or_default().insert(layout.item_owner(r.to));
        }
    }
    for (t, needed) in needs {
        let here = layout.owner[t.index()];
        let needed: Vec<Dest> = needed.into_iter().collect();
        // The model's rule: the crate that sees all it needs with the fewest crates below it.
        let to = crate::partition::test_home(here, &needed, &layout.sees, layout.k + 1);
        if to == here {
            continue;
        }
        let mut stack = vec![t];
        while let Some(m) = stack.pop() {
            layout.owner[m.index()] = to;
            stack.extend(tree.get(m).children.iter().copied());
        }
        layout.moved_tests.push(MovedTests { module: tree.get(t).path.clone(), to });
    }
}

fn below(tree: &ModuleTree, owner: &[Dest]) -> Vec<BTreeSet<Dest>> {
    let mut below = vec![BTreeSet::new(); tree.modules.len()];
    // Children after parents in `sorted`: walk it backwards to fold children into parents.
    for id in tree.sorted().into_iter().rev() {
        if let Some(p) = tree.get(id).parent {
            let mut mine = below[id.index()].clone();
            mine.insert(owner[id.index()]);
            below[p.index()].extend(mine);
        }
    }
    below
}

/// An impl that cannot compile where the split puts it: an inherent impl away from its type,
/// or a trait impl in a crate that has neither the trait nor the type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImplBlocker {
    pub item: ItemId,
    pub message: String,
}

pub fn impl_blockers(analysis: &CrateAnalysis, layout: &Layout, names: &[String]) -> Vec<ImplBlocker> {
    let tree = &analysis.tree;
    let name = |d: Dest| names.get(d).cloned().unwrap_or_else(|| "the facade".to_owned());
    let mut out = Vec::new();
    for (&id, targets) in &analysis.resolution().impl_headers {
        let here = layout.item_owner(id);
        let of = |t: Target| match t {
            Target::Local(i) => Some((layout.item_owner(i), i)),
            Target::Other => None,
        };
        let def = item_def(tree, id);
        let inherent = def.impl_of.as_ref().is_some_and(|h| h.trait_.is_none());
        let (ty, tr) = (of(targets.self_ty), of(targets.trait_));
        let message = if inherent {
            ty.filter(|(d, _)| *d != here).map(|(d, i)| {
                format!(
                    "inherent `{}` would be in `{}` but `{}` is in `{}`: move the impl next to its type by hand",
                    def.name,
                    name(here),
                    item_def(tree, i).name,
                    name(d)
                )
            })
        } else {
            let local = |x: Option<(Dest, ItemId)>| x.is_some_and(|(d, _)| d == here);
            ((ty.is_some() || tr.is_some()) && !local(ty) && !local(tr)).then(|| {
                format!(
                    "`{}` would be in `{}`, which has neither the trait nor the type (orphan rule)",
                    def.name,
                    name(here)
                )
            })
        };
        if let Some(message) = message {
            out.push(ImplBlocker { item: id, message });
        }
    }
    out.sort();
    out
}
