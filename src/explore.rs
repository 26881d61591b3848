//! A split of the user's own, written as a spec:
//! `core=crate::ir,crate::graph; passes=crate::rc_*,crate::reset_reuse; rest=*`.
//!
//! Owns: reading the spec, assigning every module of the graph to a named part, and saying
//! exactly why a split is invalid (a glob that matches nothing, a module left out or claimed
//! twice, a cycle cut in two, parts that would depend on each other in a cycle). Must not:
//! price (the partition model does) or print.
//!
//! Matching: `*` in a glob matches any text, `::` included; a glob without `crate` in front gets
//! `crate::`. A module goes to the part whose glob matches it, else to the part of its nearest
//! matched ancestor (a module carries its submodules), else to the part written `*`. The crate
//! root stays on top as the facade; the root items other modules use go to the part a glob
//! `crate` names, else to the part that prices best.

use crate::data::graph::GraphReport;
use crate::partition::{Candidate, Model, SHARED_ROOT, UnitGraph};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitSpec {
    pub parts: Vec<PartSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSpec {
    pub name: String,
    /// Globs as written, `crate::` added where missing; `*` alone is the rest.
    pub globs: Vec<String>,
}

/// A valid split: part names in order and the candidate it makes.
#[derive(Debug, Clone)]
pub struct Explored {
    pub names: Vec<String>,
    pub candidate: Candidate,
    /// Where the root items other modules use went, and whether a glob chose it.
    pub shared_items_part: Option<(usize, bool)>,
}

/// What is wrong with a `--split` spec, quoting it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("`{0}` is not `name=glob,glob`")]
    NotAPart(String),
    #[error("`{0}` is not a part name (letters, digits, `_`, `-`)")]
    BadName(String),
    #[error("part `{0}` is named twice")]
    NamedTwice(String),
    #[error("part `{0}` has an empty glob")]
    EmptyGlob(String),
    #[error("glob `{glob}` has `{bad}`; globs are module paths with `*`")]
    BadCharacter { glob: String, bad: char },
    #[error("glob `{0}` is not a module path (`a::b`)")]
    NotAPath(String),
    #[error("no parts (write `name=glob,glob; name=glob`)")]
    NoParts,
    #[error("`*` (the rest) is in more than one part: {0}")]
    RestTwice(String),
}

/// Why a spec does not make a valid split of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// A glob names no module (with the closest module paths).
    #[error("glob `{glob}` of part `{part}` matches no module{closest}")]
    UnknownGlob { glob: String, part: String, closest: String },
    #[error("modules claimed by two parts: {0}")]
    ClaimedTwice(String),
    #[error("modules in no part: {0} (add them to a part, or give a part `*` for the rest)")]
    Unassigned(String),
    #[error("part `{0}` gets no module")]
    EmptyPart(String),
    /// An inherent impl away from its type, cut from it.
    #[error("{0}")]
    InherentImplCut(String),
    /// A dependency cycle of modules cut between parts (with the cheapest references to remove).
    #[error(
        "these modules are in one dependency cycle, which cannot be split between crates: {modules}{breaking}"
    )]
    CycleCut { modules: String, breaking: String },
    /// The parts depend on each other in a cycle.
    #[error("{0}")]
    PartCycle(String),
}

/// Reads a spec.
pub fn parse_spec(text: &str) -> Result<SplitSpec, SpecError> {
    let mut parts: Vec<PartSpec> = Vec::new();
    for chunk in text.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        let Some((name, globs)) = chunk.split_once('=') else {
            return Err(SpecError::NotAPart(chunk.to_owned()));
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(SpecError::BadName(name.to_owned()));
        }
        if parts.iter().any(|p| p.name == name) {
            return Err(SpecError::NamedTwice(name.to_owned()));
        }
        let mut list = Vec::new();
        for glob in globs.split(',').map(str::trim) {
            if glob.is_empty() {
                return Err(SpecError::EmptyGlob(name.to_owned()));
            }
            if let Some(bad) =
                glob.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '*')))
            {
                return Err(SpecError::BadCharacter { glob: glob.to_owned(), bad });
            }
            let full = if glob == "*" || glob == "crate" || glob.starts_with("crate::") {
                glob.to_owned()
            } else {
                format!("crate::{glob}")
            };
            if full != "*" && full.split("::").any(|seg| seg.is_empty()) {
                return Err(SpecError::NotAPath(glob.to_owned()));
            }
            list.push(full);
        }
        parts.push(PartSpec { name: name.to_owned(), globs: list });
    }
    if parts.is_empty() {
        return Err(SpecError::NoParts);
    }
    let rest: Vec<&str> =
        parts.iter().filter(|p| p.globs.iter().any(|g| g == "*")).map(|p| p.name.as_str()).collect();
    if rest.len() > 1 {
        return Err(SpecError::RestTwice(rest.join(", ")));
    }
    Ok(SplitSpec { parts })
}

/// Whether `glob` (with `*` for any text) matches all of `text`.
pub fn glob_matches(glob: &str, text: &str) -> bool {
    let pieces: Vec<&str> = glob.split('*').collect();
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if pieces.len() == 1 {
        return glob == text;
    }
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    // Greedy leftmost matching of the middle pieces is exact for `*`-only globs.
    let mut rest = &text[first.len()..text.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// The part named exactly like the crate (`-` read as `_`): the original crate itself, on top
/// of the others (shape crate-on-top); `None`: the crate becomes a facade on top of every part.
pub fn crate_part(spec: &SplitSpec, krate: &str) -> Option<usize> {
    let krate = krate.replace('-', "_");
    spec.parts.iter().position(|p| p.name.replace('-', "_") == krate)
}

/// Assigns the graph's modules to the spec's parts and checks the split. With a model of shape
/// crate-on-top, the root's own items go to `crate_part`.
pub fn explore(
    spec: &SplitSpec,
    graph: &GraphReport,
    model: &Model<'_>,
    crate_part: Option<usize>,
) -> Result<Explored, SplitError> {
    let units: &UnitGraph = model.graph;
    let modules: Vec<&str> =
        graph.modules.iter().map(|m| m.path.as_str()).filter(|p| *p != "crate").collect();
    let part_of = assign(spec, &modules)?;
    let k = spec.parts.len();
    // A part may hold only the root's shared items (its glob `crate`), when there are any.
    let has_shared = units.shared_unit.is_some();
    for (i, part) in spec.parts.iter().enumerate() {
        let shared_only = has_shared && part.globs.iter().any(|g| g == "crate");
        if !part_of.values().any(|p| *p == i) && !shared_only {
            return Err(SplitError::EmptyPart(part.name.clone()));
        }
    }
    // A unit is a module, or a cycle of modules: it must stay in one part.
    let mut parts = vec![0usize; units.units.len()];
    let mut shared_unit = None;
    for (u, unit) in units.units.iter().enumerate() {
        let placed: BTreeSet<usize> =
            unit.modules.iter().filter_map(|m| part_of.get(m.as_str()).copied()).collect();
        if placed.len() > 1 {
            let list: Vec<String> = unit
                .modules
                .iter()
                .filter_map(|m| part_of.get(m.as_str()).map(|p| format!("`{m}` in {}", spec.parts[*p].name)))
                .collect();
            if let Some(why) = inherent_impl_cut(graph, &unit.modules, &part_of, spec) {
                return Err(SplitError::InherentImplCut(why));
            }
            let cycle = graph.cycles.iter().find(|c| unit.modules.iter().any(|m| c.modules.contains(m)));
            let breaking = cycle.map_or(String::new(), |c| {
                let edges: Vec<String> = c
                    .breaking_edges
                    .iter()
                    .map(|e| format!("{} -> {} ({})", e.from, e.to, e.weight))
                    .collect();
                format!("; the cheapest references to remove to break it: {}", edges.join(", "))
            });
            return Err(SplitError::CycleCut { modules: list.join(", "), breaking });
        }
        match placed.first() {
            Some(p) => parts[u] = *p,
            None if unit.modules.iter().any(|m| m == SHARED_ROOT) => shared_unit = Some(u),
            None if unit.modules.iter().any(|m| m == crate::partition::FACADE_ROOT) => {
                parts[u] = crate_part.unwrap_or(0);
            }
            None => {}
        }
    }
    // The root's shared items: where a `crate` glob puts them, else the best valid part.
    let named = spec.parts.iter().position(|p| p.globs.iter().any(|g| g == "crate"));
    let choices: Vec<usize> = match (shared_unit, named) {
        (None, _) => vec![0],
        (Some(_), Some(p)) => vec![p],
        (Some(_), None) => (0..k).collect(),
    };
    let mut best: Option<(Candidate, usize)> = None;
    for choice in choices {
        if let Some(u) = shared_unit {
            parts[u] = choice;
        }
        if let Some(c) = Candidate::new(model, parts.clone(), k)
            && best.as_ref().is_none_or(|(b, _)| c.expected_rebuild < b.expected_rebuild)
        {
            best = Some((c, choice));
        }
    }
    match best {
        Some((candidate, choice)) => Ok(Explored {
            names: spec.parts.iter().map(|p| p.name.clone()).collect(),
            candidate,
            shared_items_part: shared_unit.map(|_| (choice, named.is_some())),
        }),
        None => {
            // Show the cycle where the shared root items were meant to go (or the first part).
            if let Some(u) = shared_unit {
                parts[u] = named.unwrap_or(0);
            }
            let reason = part_cycle(spec, graph, units, &parts);
            Err(SplitError::PartCycle(match (shared_unit, named) {
                (Some(_), None) => format!("{reason} (with the root items other modules use in any part)"),
                _ => reason,
            }))
        }
    }
}

/// Each of `modules` (paths, the root excluded) assigned to the part whose glob matches it or
/// its nearest ancestor, `*` taking the rest; every glob must match, no module may be claimed
/// twice or left out. The one assignment of `explore`, `apply --split` and `check --layers`.
pub fn assign<'m>(spec: &SplitSpec, modules: &[&'m str]) -> Result<BTreeMap<&'m str, usize>, SplitError> {
    for part in &spec.parts {
        for glob in part.globs.iter().filter(|g| *g != "*" && *g != "crate") {
            if !modules.iter().any(|m| glob_matches(glob, m)) {
                return Err(SplitError::UnknownGlob {
                    glob: glob.clone(),
                    part: part.name.clone(),
                    closest: crate::paths::closest_modules(glob, modules.iter().copied()),
                });
            }
        }
    }
    let rest = spec.parts.iter().position(|p| p.globs.iter().any(|g| g == "*"));
    let mut part_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unassigned = Vec::new();
    let mut doubly = Vec::new();
    for &m in modules {
        match claim(spec, m) {
            Claim::One(p) => {
                part_of.insert(m, p);
            }
            Claim::Many(list) => doubly.push(format!(
                "`{m}` ({})",
                list.iter().map(|p| spec.parts[*p].name.as_str()).collect::<Vec<_>>().join(" and ")
            )),
            Claim::None => match rest {
                Some(p) => {
                    part_of.insert(m, p);
                }
                None => unassigned.push(format!("`{m}`")),
            },
        }
    }
    if !doubly.is_empty() {
        return Err(SplitError::ClaimedTwice(doubly.join(", ")));
    }
    if !unassigned.is_empty() {
        return Err(SplitError::Unassigned(unassigned.join(", ")));
    }
    Ok(part_of)
}

enum Claim {
    None,
    One(usize),
    Many(Vec<usize>),
}

/// The parts whose globs match the module itself or, failing that, its nearest ancestor.
fn claim(spec: &SplitSpec, module: &str) -> Claim {
    let mut path = module;
    loop {
        let hits: BTreeSet<usize> = spec
            .parts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.globs.iter().any(|g| g != "*" && g != "crate" && glob_matches(g, path)))
            .map(|(i, _)| i)
            .collect();
        match hits.len() {
            0 => {}
            1 => return Claim::One(*hits.first().expect("one hit")),
            _ => return Claim::Many(hits.into_iter().collect()),
        }
        match path.rfind("::") {
            Some(at) if &path[..at] != "crate" => path = &path[..at],
            _ => return Claim::None,
        }
    }
}

/// The cycle between parts, with the references that make each step of it. `parts`: the part
/// of each unit, as tried. References from the root count only from its shared items (the
/// facade's own items sit on top of every part).
fn part_cycle(spec: &SplitSpec, graph: &GraphReport, units: &UnitGraph, parts: &[usize]) -> String {
    let part_of_item =
        |item: &str| units.unit_of_item(item).filter(|u| Some(*u) != units.facade).map(|u| parts[u]);
    let mut steps: BTreeMap<(usize, usize), BTreeMap<(String, String), u32>> = BTreeMap::new();
    for e in graph.edges.iter().filter(|e| !e.test_only && !e.facade) {
        for r in &e.refs {
            if let (Some(a), Some(b)) = (part_of_item(&r.from), part_of_item(&r.item))
                && a != b
            {
                *steps.entry((a, b)).or_default().entry((e.from.clone(), e.to.clone())).or_insert(0) += 1;
            }
        }
    }
    let k = spec.parts.len();
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); k];
    for &(a, b) in steps.keys() {
        next[a].push(b);
    }
    let cycle = find_cycle(&next).unwrap_or_default();
    let mut lines = Vec::new();
    for w in cycle.windows(2) {
        let mut evidence: Vec<(u32, String)> = steps
            .get(&(w[0], w[1]))
            .into_iter()
            .flatten()
            .map(|((from, to), n)| (*n, format!("{from} -> {to} ({n} refs)")))
            .collect();
        evidence.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let shown: Vec<String> = evidence.iter().take(3).map(|(_, t)| t.clone()).collect();
        lines.push(format!(
            "{} uses {} through {}",
            spec.parts[w[0]].name,
            spec.parts[w[1]].name,
            shown.join(", ")
        ));
    }
    let names: Vec<&str> = cycle.iter().map(|p| spec.parts[*p].name.as_str()).collect();
    format!("the parts depend on each other in a cycle ({}): {}", names.join(" -> "), lines.join("; "))
}

/// A cycle in a small directed graph, as nodes with the first repeated at the end.
fn find_cycle(next: &[Vec<usize>]) -> Option<Vec<usize>> {
    fn visit(v: usize, next: &[Vec<usize>], state: &mut [u8], stack: &mut Vec<usize>) -> Option<Vec<usize>> {
        state[v] = 1;
        stack.push(v);
        for &w in &next[v] {
            if state[w] == 1 {
                let from = stack.iter().position(|x| *x == w).expect("on the stack");
                let mut cycle = stack[from..].to_vec();
                cycle.push(w);
                return Some(cycle);
            }
            if state[w] == 0
                && let Some(c) = visit(w, next, state, stack)
            {
                return Some(c);
            }
        }
        stack.pop();
        state[v] = 2;
        None
    }
    let mut state = vec![0u8; next.len()];
    (0..next.len())
        .find_map(|v| if state[v] == 0 { visit(v, next, &mut state, &mut Vec::new()) } else { None })
}

/// An inherent impl the split would put in another part than its type: the clearest reason a
/// cycle cannot be cut (no crate may add methods to another crate's type).
fn inherent_impl_cut(
    graph: &GraphReport,
    modules: &[String],
    part_of: &BTreeMap<&str, usize>,
    spec: &SplitSpec,
) -> Option<String> {
    for m in graph.modules.iter().filter(|m| modules.contains(&m.path)) {
        for item in &m.items {
            let (Some(self_ty), None) = (&item.impl_self, &item.impl_trait) else { continue };
            let Some((ty_module, ty_name)) = self_ty.rsplit_once("::") else { continue };
            let (Some(&here), Some(&there)) = (part_of.get(m.path.as_str()), part_of.get(ty_module)) else {
                continue;
            };
            if here != there {
                return Some(format!(
                    "inherent `{}` ({}:{}) would be in {} but `{ty_name}` is in {}: an inherent impl cannot \
                     leave its type's crate; put `{}` in the part of `{ty_module}`",
                    item.name, m.file, item.line, spec.parts[here].name, spec.parts[there].name, m.path
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_matches("crate::rc_*", "crate::rc_insert"));
        assert!(glob_matches("crate::rc_*", "crate::rc_insert::tests"));
        assert!(!glob_matches("crate::rc_*", "crate::reset_reuse"));
        assert!(glob_matches("crate::*::emit", "crate::decision_tree::emit"));
        assert!(!glob_matches("crate::*::emit", "crate::emit"));
        assert!(glob_matches("crate::ir", "crate::ir"));
        assert!(!glob_matches("crate::ir", "crate::ir_extra"));
        assert!(glob_matches("*a*b*", "xaxbx"));
        assert!(!glob_matches("*ab*ab", "ab"));
    }

    #[test]
    fn specs() {
        let spec = parse_spec("core=ir, crate::graph; passes=crate::rc_*; rest=*").unwrap();
        assert_eq!(spec.parts.len(), 3);
        assert_eq!(spec.parts[0].globs, ["crate::ir", "crate::graph"]);
        assert_eq!(spec.parts[2].globs, ["*"]);
        assert_eq!(parse_spec("core").unwrap_err(), SpecError::NotAPart("core".to_owned()));
        assert_eq!(parse_spec("a=x; a=y").unwrap_err(), SpecError::NamedTwice("a".to_owned()));
        assert_eq!(parse_spec("a=*; b=*").unwrap_err(), SpecError::RestTwice("a, b".to_owned()));
        let bad = parse_spec("a=crate::[x]").unwrap_err();
        assert_eq!(bad, SpecError::BadCharacter { glob: "crate::[x]".to_owned(), bad: '[' });
        assert!(bad.to_string().contains("`[`"));
        assert_eq!(parse_spec("a=crate::::x").unwrap_err(), SpecError::NotAPath("crate::::x".to_owned()));
        assert_eq!(parse_spec(" ; ").unwrap_err(), SpecError::NoParts);
    }

    #[test]
    fn cycles_in_small_graphs() {
        assert_eq!(find_cycle(&[vec![1], vec![2], vec![0]]), Some(vec![0, 1, 2, 0]));
        assert_eq!(find_cycle(&[vec![1], vec![], vec![1]]), None);
    }
}
