//! Keeping a chosen layering (`splitcheck check --layers`): the layers of a spec, bottom first,
//! each module in one of them, and every reference from a layer to one above it, with the
//! file and line that makes it.
//!
//! Owns: assigning modules to layers (as `explore` assigns them to parts) and finding the
//! upward references in the graph data. References through re-exports count at the item's
//! definition (the graph resolves them there); the root's own `pub use` re-exports do not count.
//! Must not: read files or print.

use crate::data::graph::GraphReport;
use crate::data::layers::{LAYERS_SCHEMA_VERSION, Layer, LayerCheck, Violation};
use crate::explore::{SplitError, SplitSpec, assign};

/// Checks `graph` against `spec` (layers bottom first). Test-only references count with
/// `include_tests`. The root's own items belong to the layer with `*` (else the top one); the
/// root items other modules use (the partition's shared items, which a split moves down) to
/// the layer with a `crate` glob, else to the root's.
pub fn check(
    graph: &GraphReport,
    spec: &SplitSpec,
    include_tests: bool,
    max_cycles: Option<usize>,
) -> Result<LayerCheck, SplitError> {
    let modules: Vec<&str> =
        graph.modules.iter().map(|m| m.path.as_str()).filter(|p| *p != "crate").collect();
    let mut layer_of = assign(spec, &modules)?;
    let root_layer =
        spec.parts.iter().position(|p| p.globs.iter().any(|g| g == "*")).unwrap_or(spec.parts.len() - 1);
    let shared_layer =
        spec.parts.iter().position(|p| p.globs.iter().any(|g| g == "crate")).unwrap_or(root_layer);
    let shared: std::collections::BTreeSet<String> =
        crate::partition::units_from_graph(graph, include_tests).shared_items.into_iter().collect();
    layer_of.insert("crate", root_layer);
    // A root item's layer: the shared items' layer for the items other modules use.
    let item_layer = |module: &str, item: &str| -> Option<usize> {
        if module == "crate" && shared.contains(item) {
            Some(shared_layer)
        } else {
            layer_of.get(module).copied()
        }
    };
    for (i, part) in spec.parts.iter().enumerate() {
        if !layer_of.values().any(|l| *l == i) {
            return Err(SplitError::EmptyPart(part.name.clone()));
        }
    }
    let name = |l: usize| spec.parts[l].name.clone();
    let mut violations = Vec::new();
    for e in graph.edges.iter().filter(|e| !e.facade && (include_tests || !e.test_only)) {
        for r in &e.refs {
            let (Some(from), Some(to)) = (item_layer(&e.from, &r.from), item_layer(&e.to, &r.item)) else {
                continue;
            };
            if to <= from {
                continue;
            }
            let at = r.at.to_string();
            let (file, line) = match at.rsplit_once(':') {
                Some((file, line)) => (file.to_owned(), line.parse().unwrap_or(0)),
                None => (at.clone(), 0),
            };
            violations.push(Violation {
                file,
                line,
                from_module: e.from.clone(),
                from_item: r.from.to_string(),
                item: r.item.to_string(),
                to_module: e.to.clone(),
                from_layer: name(from),
                to_layer: name(to),
            });
        }
    }
    violations.sort();
    violations.dedup();
    let layers = spec
        .parts
        .iter()
        .enumerate()
        .map(|(i, p)| Layer {
            name: p.name.clone(),
            modules: layer_of
                .iter()
                .filter(|(_, l)| **l == i)
                .map(|(m, _)| (*m).to_owned())
                .chain((i == shared_layer && !shared.is_empty()).then(|| "crate (shared items)".to_owned()))
                .collect(),
        })
        .collect();
    Ok(LayerCheck {
        schema_version: LAYERS_SCHEMA_VERSION,
        krate: graph.krate.clone(),
        layers,
        include_tests,
        violations,
        cycles: graph.cycles.len(),
        max_cycles,
    })
}

/// The `--layers` spec a candidate corresponds to, ready to paste: its parts bottom first (in
/// the order of their dependencies), each listing only the modules whose nearest listed
/// ancestor is in another part, the top part (the crate, or the last) taking the rest with `*`.
/// `names`: the part names (default `part1`, … and the crate's name for its part).
pub fn layers_line(row: &crate::data::partition::CandidateRow, krate: &str, names: &[String]) -> String {
    let k = row.parts.len();
    // Bottom first: a part comes after every part it uses (`part_dag`: a uses b).
    let mut order: Vec<usize> = Vec::with_capacity(k);
    while order.len() < k {
        let next = (0..k)
            .filter(|p| !order.contains(p))
            .find(|&p| row.part_dag.iter().all(|&(a, b)| a != p || order.contains(&b)))
            .unwrap_or_else(|| (0..k).find(|p| !order.contains(p)).unwrap_or(0));
        order.push(next);
    }
    let top = row.crate_part.unwrap_or(order[k - 1]);
    let is_module = |m: &str| m == "crate" || m.starts_with("crate::");
    let mut part_of: Vec<(&str, usize)> =
        row.parts.iter().enumerate().flat_map(|(p, ms)| ms.iter().map(move |m| (m.as_str(), p))).collect();
    part_of.retain(|(m, _)| is_module(m) && *m != "crate");
    part_of.sort();
    let mut listed: Vec<Vec<&str>> = vec![Vec::new(); k];
    let mut listed_part: std::collections::BTreeMap<&str, usize> = Default::default();
    for &(m, p) in &part_of {
        let ancestor = std::iter::successors(m.rsplit_once("::").map(|(a, _)| a), |a| {
            a.rsplit_once("::").map(|(b, _)| b)
        })
        .find_map(|a| listed_part.get(a).copied());
        let covered = match ancestor {
            Some(a) => a == p,
            None => p == top,
        };
        if !covered {
            listed[p].push(m);
            listed_part.insert(m, p);
        }
    }
    let name = |p: usize| {
        names.get(p).cloned().unwrap_or_else(|| {
            if Some(p) == row.crate_part { krate.replace('-', "_") } else { format!("part{}", p + 1) }
        })
    };
    order
        .iter()
        .map(|&p| {
            let mut globs: Vec<String> = listed[p].iter().map(|m| m.to_string()).collect();
            // The root items other modules use, where the split moves them.
            if row.parts[p].iter().any(|m| m == crate::partition::SHARED_ROOT) && p != top {
                globs.push("crate".to_owned());
            }
            if p == top {
                globs.push("*".to_owned());
            }
            format!("{}={}", name(p), globs.join(","))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
