//! From a graph report to the units a partition moves: modules, with every cycle collapsed into
//! one unit, and the crate root split into the facade and the items other modules use.

use crate::data::graph::{GraphModule, GraphReport};
use crate::graph::strongly_connected;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// What a partition assigns to a part: a module, or modules in a cycle (never split).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unit {
    /// Module paths, sorted; `crate (shared items)` and `crate (facade)` for the root's halves.
    pub modules: Vec<String>,
    pub src_lines: f64,
    pub test_lines: f64,
    /// Unnormalized edit probability (`p_edit`, default: src lines).
    pub p_edit: f64,
    /// Σ p_edit · edit_factor.
    pub pr_edit: f64,
    /// Unnormalized probability that an edit lands in the unit's test code (`p_test_edit`,
    /// default: test lines). Such an edit rebuilds no library, only the test binary of the
    /// crate that holds those tests.
    pub p_test_edit: f64,
}

/// How the crate root divides: items other modules use (directly or through other root items)
/// move down into a unit of their own; the rest stays in the facade crate on top.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacadeSplit {
    /// Root items that move into a part, with their lines.
    pub moved: Vec<(String, u32)>,
    /// Root items that stay in the facade (re-exports excluded), with their lines.
    pub kept: Vec<(String, u32)>,
}

/// What the original crate becomes in a split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shape {
    /// The original crate keeps its root, its name and the top part's modules, and re-exports
    /// the crates below it: k crates are k parts, one of them the crate itself.
    #[default]
    CrateOnTop,
    /// The original crate becomes a thin facade on top of k - 1 new crates.
    Facade,
}

impl Shape {
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::CrateOnTop => "crate-on-top",
            Shape::Facade => "facade",
        }
    }

    /// Parts the search assigns modules to, for `crates` crates after the split.
    pub fn parts_for(self, crates: usize) -> usize {
        match self {
            Shape::CrateOnTop => crates,
            Shape::Facade => crates.saturating_sub(1),
        }
    }

    /// Crates after the split of a partition into `parts` parts.
    pub fn crates_for(self, parts: usize) -> usize {
        match self {
            Shape::CrateOnTop => parts,
            Shape::Facade => parts + 1,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitGraph {
    pub units: Vec<Unit>,
    /// `(a, b, weight)`: unit a uses unit b; merged, sorted, no self-loops.
    pub edges: Vec<(usize, usize, u32)>,
    /// The facade unit: the root's items nothing else uses. Priced on top of every part.
    pub facade: Option<usize>,
    pub facade_split: FacadeSplit,
    /// The unit of each module path (the root maps to its shared unit if it has one).
    pub unit_of_module: BTreeMap<String, usize>,
    /// Root items that move down (paths), and the units of the root's two halves.
    pub shared_items: BTreeSet<String>,
    pub shared_unit: Option<usize>,
    pub facade_unit: Option<usize>,
    /// Per unit: the other units its test code uses (test-only references). Its tests must live
    /// in a crate that sees all of them ([`crate::partition::test_home`]).
    pub test_uses: Vec<Vec<usize>>,
    pub shape: Shape,
}

impl UnitGraph {
    /// The same units priced as [`Shape::CrateOnTop`]: the unit holding the crate root is an
    /// ordinary unit, and it uses every other unit (the crate re-exports all the crates below
    /// it), so whichever part holds it is the top part and sees every other part. Those
    /// structural edges have weight 0: they cross no reference.
    pub fn crate_on_top(&self) -> UnitGraph {
        let mut g = self.clone();
        g.shape = Shape::CrateOnTop;
        g.facade = None;
        if let Some(top) = self.facade_unit {
            let mut edges: BTreeMap<(usize, usize), u32> =
                self.edges.iter().map(|&(a, b, w)| ((a, b), w)).collect();
            for u in (0..self.units.len()).filter(|u| *u != top) {
                edges.entry((top, u)).or_insert(0);
            }
            g.edges = edges.into_iter().map(|((a, b), w)| (a, b, w)).collect();
        }
        g
    }

    /// The module an item path belongs to: the longest known module path that prefixes it.
    pub fn module_of_item<'a>(&self, item: &'a str) -> &'a str {
        crate::paths::longest_module_prefix(item, |prefix| {
            prefix == "crate" || self.unit_of_module.contains_key(prefix)
        })
    }

    /// The unit an item is in: its module's, or for the root's items the shared or facade unit.
    pub fn unit_of_item(&self, item: &str) -> Option<usize> {
        match self.module_of_item(item) {
            "crate" => {
                if self.shared_items.contains(item) {
                    self.shared_unit
                } else {
                    self.facade_unit
                }
            }
            "" => None,
            module => self.unit_of_module.get(module).copied(),
        }
    }
}

pub const SHARED_ROOT: &str = "crate (shared items)";
pub const FACADE_ROOT: &str = "crate (facade)";

/// The module an item path belongs to: the longest module path that prefixes it. An item of no
/// known module (a folded test module's) counts as the root's.
fn module_in<'a>(module_paths: &ModulePaths<'_>, item: &'a str) -> &'a str {
    match crate::paths::longest_module_prefix(item, |prefix| module_paths.contains(prefix)) {
        "" => "crate",
        module => module,
    }
}

/// The graph's module paths, asked for every `::`-prefix of every item path (hashed: looked up,
/// never walked).
type ModulePaths<'g> = std::collections::HashSet<&'g str, foldhash::fast::FixedState>;

/// Builds the units of a graph report. `include_tests`: test-only references constrain too.
pub fn units_from_graph(report: &GraphReport, include_tests: bool) -> UnitGraph {
    units_with_factors(report, include_tests, &BTreeMap::new())
}

/// [`units_from_graph`] with edit factors (by module path) that take the place of the graph's
/// own: a recording's fitted factors, read here rather than written into a copy of the graph.
pub fn units_with_factors<'r>(
    report: &'r GraphReport,
    include_tests: bool,
    edit_factors: &BTreeMap<String, f64>,
) -> UnitGraph {
    let edit_factor = |m: &GraphModule| edit_factors.get(&m.path).copied().or(m.edit_factor).unwrap_or(1.0);
    let module_paths: ModulePaths<'_> = report.modules.iter().map(|m| m.path.as_str()).collect();
    // Found once per item path: the edges name the same items many times over.
    let mut known: HashMap<&str, &str, foldhash::fast::FixedState> = HashMap::default();
    // Each item edge's two modules, found once: every pass below reads them.
    let modules_of: Vec<(&str, &str)> = report
        .item_edges
        .iter()
        .map(|e| {
            let mut module_of =
                |item: &'r str| *known.entry(item).or_insert_with(|| module_in(&module_paths, item));
            (module_of(e.from.as_str()), module_of(e.to.as_str()))
        })
        .collect();
    let module_of = |item: &'r str| -> &'r str {
        known.get(item).copied().unwrap_or_else(|| module_in(&module_paths, item))
    };
    // (from, to, weight, from's module, to's module) of the edges that constrain the split.
    let counted: Vec<(&str, &str, u32, &str, &str)> = report
        .item_edges
        .iter()
        .zip(&modules_of)
        .filter(|(e, _)| include_tests || !e.test_only)
        .map(|(e, &(a, b))| (e.from.as_str(), e.to.as_str(), e.weight, a, b))
        .collect();

    // Root items other modules need, closed under what those items use in the root.
    let mut shared: BTreeSet<&str> = BTreeSet::new();
    let mut queue: VecDeque<&str> = VecDeque::new();
    for &(_, to, _, from_module, to_module) in &counted {
        if from_module != "crate" && to_module == "crate" && shared.insert(to) {
            queue.push_back(to);
        }
    }
    let mut root_uses: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &(from, to, _, from_module, to_module) in &counted {
        if from_module == "crate" && to_module == "crate" && !to.starts_with("crate::{use ") {
            root_uses.entry(from).or_default().push(to);
        }
    }
    // An impl goes where its type goes: a root type moving down takes its root impls along (left
    // in the facade, an impl of another crate's trait for it would break the orphan rule). So
    // does a root trait, for its impls on types that are not the root's (`impl Tr for (A, B)`).
    let root = report.modules.iter().find(|m| m.path == "crate");
    let root_impls: Vec<(&str, String)> = root
        .into_iter()
        .flat_map(|r| &r.items)
        .filter_map(|i| {
            let self_ty = i.impl_self.as_deref().filter(|t| *t != "external");
            let trait_ = i.impl_trait.as_deref().filter(|t| *t != "external");
            let anchor = match (self_ty, trait_) {
                (Some(ty), _) if module_of(ty) == "crate" => ty,
                (_, Some(tr)) if module_of(tr) == "crate" => tr,
                (Some(ty), _) => ty,
                (None, _) => return None,
            };
            Some((anchor, format!("crate::{}", i.name)))
        })
        .collect();
    for (self_ty, path) in &root_impls {
        root_uses.entry(self_ty).or_default().push(path);
    }
    while let Some(item) = queue.pop_front() {
        for &to in root_uses.get(item).into_iter().flatten() {
            if shared.insert(to) {
                queue.push_back(to);
            }
        }
    }

    // Nodes before collapsing cycles: every module, the root as shared + facade.
    let mut names: Vec<String> = Vec::new();
    let mut node_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut nodes: Vec<Unit> = Vec::new();
    for m in &report.modules {
        if m.path == "crate" {
            continue;
        }
        node_of.insert(m.path.clone(), nodes.len());
        names.push(m.path.clone());
        let p = m.p_edit.unwrap_or(f64::from(m.src_lines));
        nodes.push(Unit {
            modules: vec![m.path.clone()],
            src_lines: f64::from(m.src_lines),
            test_lines: f64::from(m.test_lines),
            p_edit: p,
            pr_edit: p * edit_factor(m),
            p_test_edit: test_edit_weight(m),
        });
    }
    let mut facade_split = FacadeSplit::default();
    let (mut shared_node, mut facade_node) = (None, None);
    if let Some(root) = root {
        let item_lines: BTreeMap<String, u32> =
            root.items.iter().map(|i| (format!("crate::{}", i.name), i.lines)).collect();
        let total: u32 = item_lines.values().sum::<u32>().max(1);
        // `mod x;` lines are the tree itself, not items a facade keeps.
        let module_decls: BTreeSet<String> =
            root.items.iter().filter(|i| i.kind == "mod").map(|i| format!("crate::{}", i.name)).collect();
        for (path, lines) in &item_lines {
            if shared.contains(path.as_str()) {
                facade_split.moved.push((path.clone(), *lines));
            } else if !module_decls.contains(path.as_str()) {
                facade_split.kept.push((path.clone(), *lines));
            }
        }
        let moved: u32 = facade_split.moved.iter().map(|m| m.1).sum();
        let share = f64::from(moved) / f64::from(total);
        let p = root.p_edit.unwrap_or(f64::from(root.src_lines));
        let r = edit_factor(root);
        if moved > 0 {
            shared_node = Some(nodes.len());
            names.push(SHARED_ROOT.to_owned());
            nodes.push(Unit {
                modules: vec![SHARED_ROOT.to_owned()],
                src_lines: f64::from(root.src_lines) * share,
                test_lines: 0.0,
                p_edit: p * share,
                pr_edit: p * share * r,
                p_test_edit: 0.0,
            });
        }
        facade_node = Some(nodes.len());
        names.push(FACADE_ROOT.to_owned());
        nodes.push(Unit {
            modules: vec![FACADE_ROOT.to_owned()],
            src_lines: f64::from(root.src_lines) * (1.0 - share),
            test_lines: f64::from(root.test_lines),
            p_edit: p * (1.0 - share),
            pr_edit: p * (1.0 - share) * r,
            p_test_edit: test_edit_weight(root),
        });
    }
    // The node of an item in `module`.
    let node_in = |item: &str, module: &str| -> Option<usize> {
        if module == "crate" {
            if shared.contains(item) { shared_node } else { facade_node }
        } else {
            node_of.get(module).copied()
        }
    };
    // What each node's test code uses, whether or not test references constrain the split.
    let mut node_test_uses: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (e, &(from_module, to_module)) in
        report.item_edges.iter().zip(&modules_of).filter(|(e, _)| e.test_only)
    {
        if let (Some(a), Some(b)) = (node_in(&e.from, from_module), node_in(&e.to, to_module))
            && a != b
        {
            node_test_uses.insert((a, b));
        }
    }
    let mut node_edges: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for &(from, to, w, from_module, to_module) in &counted {
        if let (Some(a), Some(b)) = (node_in(from, from_module), node_in(to, to_module))
            && a != b
        {
            *node_edges.entry((a, b)).or_insert(0) += w;
        }
    }
    let node_for = |item: &'r str| node_in(item, module_of(item));

    // Coherence: an impl must live in the crate of its type or of its trait. An impl outside
    // both modules is glued to the one local side it can live with (the type's when both are
    // local, the type's for an inherent impl), by edges both ways: one unit, never cut apart.
    for m in report.modules.iter().filter(|m| m.path != "crate") {
        let Some(&impl_node) = node_of.get(&m.path) else { continue };
        for item in &m.items {
            let local = |p: Option<&'r str>| p.filter(|p| *p != "external").and_then(node_for);
            let (self_node, trait_node) =
                (local(item.impl_self.as_deref()), local(item.impl_trait.as_deref()));
            if item.impl_self.is_none() || self_node == Some(impl_node) || trait_node == Some(impl_node) {
                continue;
            }
            if let Some(anchor) = self_node.or(trait_node) {
                node_edges.entry((impl_node, anchor)).or_insert(0);
                node_edges.entry((anchor, impl_node)).or_insert(0);
            }
        }
    }

    // Collapse cycles: a cycle can never be split between crates.
    let pairs: Vec<(usize, usize)> = node_edges.keys().copied().collect();
    let mut comps = strongly_connected(nodes.len(), &pairs);
    comps.iter_mut().for_each(|c| c.sort_by(|a, b| names[*a].cmp(&names[*b])));
    comps.sort_by(|a, b| names[a[0]].cmp(&names[b[0]]));
    let mut unit_of_node = vec![0usize; nodes.len()];
    let mut units = Vec::with_capacity(comps.len());
    for (u, comp) in comps.iter().enumerate() {
        let mut unit = Unit::default();
        for &n in comp {
            unit_of_node[n] = u;
            unit.modules.extend(nodes[n].modules.iter().cloned());
            unit.src_lines += nodes[n].src_lines;
            unit.test_lines += nodes[n].test_lines;
            unit.p_edit += nodes[n].p_edit;
            unit.pr_edit += nodes[n].pr_edit;
            unit.p_test_edit += nodes[n].p_test_edit;
        }
        unit.modules.sort();
        units.push(unit);
    }
    let mut edges: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for (&(a, b), &w) in &node_edges {
        let (ua, ub) = (unit_of_node[a], unit_of_node[b]);
        if ua != ub {
            *edges.entry((ua, ub)).or_insert(0) += w;
        }
    }
    let mut test_uses: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); units.len()];
    for &(a, b) in &node_test_uses {
        let (ua, ub) = (unit_of_node[a], unit_of_node[b]);
        if ua != ub {
            test_uses[ua].insert(ub);
        }
    }
    let mut unit_of_module: BTreeMap<String, usize> =
        node_of.iter().map(|(path, n)| (path.clone(), unit_of_node[*n])).collect();
    if let Some(n) = shared_node.or(facade_node) {
        unit_of_module.insert("crate".to_owned(), unit_of_node[n]);
    }
    // The facade is on top only if nothing depends on it; otherwise (a cycle through root items
    // nobody else uses cannot happen) it is an ordinary unit.
    let facade = facade_node
        .map(|n| unit_of_node[n])
        .filter(|f| units[*f].modules == [FACADE_ROOT.to_owned()] && !edges.keys().any(|(_, b)| b == f));
    UnitGraph {
        units,
        edges: edges.into_iter().map(|((a, b), w)| (a, b, w)).collect(),
        facade,
        facade_split,
        unit_of_module,
        shared_items: shared.iter().map(|s| (*s).to_owned()).collect(),
        shared_unit: shared_node.map(|n| unit_of_node[n]),
        facade_unit: facade_node.map(|n| unit_of_node[n]),
        test_uses: test_uses.into_iter().map(|s| s.into_iter().collect()).collect(),
        shape: Shape::Facade,
    }
}

/// A module's unnormalized probability of a test edit: `p_test_edit` when given; else its test
/// lines when the src edit probability is the default (lines), and 0 when `p_edit` was given
/// (churn or a hand-written JSON then covers every edit as a src edit).
pub fn test_edit_weight(m: &crate::data::graph::GraphModule) -> f64 {
    match (m.p_test_edit, m.p_edit) {
        (Some(p), _) => p,
        (None, None) => f64::from(m.test_lines),
        (None, Some(_)) => 0.0,
    }
}
