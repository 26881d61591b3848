//! Each candidate measured and priced: its parts' sizes, its price in both profiles and as the
//! crate grows, the references that cross the cut, the items that must become `pub`, and what
//! blocks it (with `file:line`), from the graph data and the prices.
//!
//! Owns: turning searched [`Candidate`]s into [`CandidateRow`]s and a [`PartitionReport`].
//! Must not: search (that is `partition`), read files or format text (that is `report`).

use crate::data::graph::{GraphItem, GraphReport};
use crate::data::name::Site;
use crate::data::partition::*;
use crate::partition::{Candidate, Model, Shape, UnitGraph, pareto_frontier};
use crate::pricing::Prices;
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn growth(model: &Model<'_>, (lib, test): (&Model<'_>, &Model<'_>), parts: &[usize], k: usize) -> Growth {
    let saving = |m: &Model<'_>, f: f64| {
        let m = m.scaled(f);
        let base = m.unsplit();
        m.expected_rebuild(parts, k).map_or(f64::NAN, |e| 100.0 * (base - e) / base)
    };
    let pays_from = |m: &Model<'_>| (1..=32).map(|q| f64::from(q) / 4.0).find(|&f| saving(m, f) > 0.0);
    let corners = model.cost.corners();
    let range_pct = (!corners.is_empty()).then(|| {
        GROWTH_FACTORS
            .iter()
            .map(|&f| {
                corners.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), cost| {
                    let mut m = model.clone();
                    m.cost = cost.clone();
                    let v = saving(&m, f);
                    (lo.min(v), hi.max(v))
                })
            })
            .collect()
    });
    Growth {
        factors: GROWTH_FACTORS.to_vec(),
        test_pct: GROWTH_FACTORS.iter().map(|&f| saving(test, f)).collect(),
        lib_pct: GROWTH_FACTORS.iter().map(|&f| saving(lib, f)).collect(),
        range_pct,
        test_pays_from: pays_from(test),
        lib_pays_from: pays_from(lib),
    }
}

/// How the report was asked for.
pub struct PartitionSetup<'a> {
    pub graph: &'a GraphReport,
    /// Both profiles' costs; candidates are ranked by the primary one.
    pub prices: &'a Prices,
    pub k: usize,
    pub max_new_pub: Option<usize>,
    pub shown: usize,
}

pub fn partition_report(
    setup: &PartitionSetup<'_>,
    candidates: &[Candidate],
    exact: bool,
) -> PartitionReport {
    partition_report_indexed(setup, &CutIndex::new(setup.graph, setup.prices), candidates, exact)
}

/// What [`partition_report`] looks up in the graph, made once for every `k` of a report.
pub struct CutIndex<'g> {
    items: ItemIndex<'g>,
    places: ItemPlaces<'g>,
    impls: Vec<ImplPlace<'g>>,
}

impl<'g> CutIndex<'g> {
    pub fn new(graph: &'g GraphReport, prices: &Prices) -> Self {
        let units = &prices.primary().units;
        let items = item_index(graph);
        let unit = |path: &str| (path != "external").then(|| units.unit_of_item(path)).flatten();
        let impls = items
            .iter()
            .filter_map(|(path, (item, file))| {
                let self_ty = item.impl_self.as_deref()?;
                Some(ImplPlace {
                    item,
                    file,
                    unit: units.unit_of_item(path)?,
                    self_ty,
                    self_unit: unit(self_ty),
                    trait_unit: item.impl_trait.as_deref().and_then(unit),
                })
            })
            .collect();
        CutIndex { items, places: ItemPlaces::new(graph, units), impls }
    }
}

/// An impl block and the units of it, its self type and its trait (when they are the crate's),
/// found once: every candidate checks each impl against its parts.
struct ImplPlace<'g> {
    item: &'g GraphItem,
    file: &'g str,
    unit: usize,
    self_ty: &'g str,
    self_unit: Option<usize>,
    trait_unit: Option<usize>,
}

/// [`partition_report`] with the graph's index made by the caller (`index` must be of
/// `setup.graph` and `setup.prices`).
pub fn partition_report_indexed(
    setup: &PartitionSetup<'_>,
    index: &CutIndex<'_>,
    candidates: &[Candidate],
    exact: bool,
) -> PartitionReport {
    let primary = setup.prices.primary();
    let model = Model::new(&primary.units, primary.cost.clone(), primary.profile);
    let (l, t) = (&setup.prices.lib, &setup.prices.test);
    let lib = Model::new(&l.units, l.cost.clone(), l.profile);
    let test = Model::new(&t.units, t.cost.clone(), t.profile);
    let models = |shape| (primary.model(shape), l.model(shape), t.model(shape));
    let (facade_models, top_models) = (models(Shape::Facade), models(Shape::CrateOnTop));
    let mut rows: Vec<CandidateRow> = Vec::new();
    let mut dropped = 0;
    let frontier: BTreeSet<usize> = pareto_frontier(candidates).into_iter().collect();
    // Best E first; rows are measured only until enough pass the `--max-new-pub` filter.
    for (i, c) in candidates.iter().enumerate() {
        if rows.len() == setup.shown {
            break;
        }
        let (model, lib, test) = match c.shape {
            Shape::Facade => &facade_models,
            Shape::CrateOnTop => &top_models,
        };
        let row = candidate_row(setup, model, (lib, test), index, c, frontier.contains(&i));
        if setup.max_new_pub.is_some_and(|max| row.new_pub_items > max) {
            dropped += 1;
            continue;
        }
        rows.push(row);
    }
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
        r.id = format!("{}-{}", setup.k, i + 1);
    }
    let p_given = setup.graph.modules.iter().any(|m| m.p_edit.is_some());
    let split = &primary.units.facade_split;
    let lines = |list: &[(String, u32)]| -> Vec<ItemLines> {
        list.iter().map(|(item, lines)| ItemLines { item: item.clone(), lines: *lines }).collect()
    };
    PartitionReport {
        schema_version: PARTITION_SCHEMA_VERSION,
        krate: setup.graph.krate.clone(),
        profile: primary.profile.as_str(),
        parts: setup.k,
        fixed_cost_s: primary.cost.fixed,
        per_line_s: primary.cost.per_line,
        dep_fixed_cost_s: primary.cost.dep_fixed,
        dep_per_line_s: primary.cost.dep_per_line,
        cost_source: primary.cost.source.describe(),
        p_edit_source: match (&setup.graph.p_edit_note, p_given) {
            (Some(note), _) => note.clone(),
            (None, true) => "p_edit of the graph JSON".to_owned(),
            (None, false) => "src edits proportional to src lines, test edits to test lines".to_owned(),
        },
        unsplit: Unsplit {
            expected_rebuild_s: model.unsplit(),
            lib_expected_rebuild_s: lib.unsplit(),
            test_expected_rebuild_s: test.unsplit(),
        },
        search: SearchInfo {
            modules: setup.graph.modules.len(),
            units: primary.units.units.len(),
            exact,
            candidates_found: candidates.len(),
            dropped_for_new_pub: dropped,
        },
        facade: FacadeInfo { stays: lines(&split.kept), moves_down: lines(&split.moved) },
        candidates: rows,
    }
}

/// The unit and module of every item a reference names, found once for all candidates (the
/// longest-module-prefix search per reference and candidate was most of the report's time on
/// crates with many references). Units are the same in both shapes.
struct ItemPlaces<'g> {
    known: HashMap<&'g str, (Option<usize>, &'g str), foldhash::fast::FixedState>,
}

impl<'g> ItemPlaces<'g> {
    fn new(graph: &'g GraphReport, units: &UnitGraph) -> Self {
        let mut known = HashMap::default();
        for r in graph.edges.iter().flat_map(|e| &e.refs) {
            for item in [r.from.as_str(), r.item.as_str()] {
                known.entry(item).or_insert_with(|| (units.unit_of_item(item), units.module_of_item(item)));
            }
        }
        ItemPlaces { known }
    }

    fn unit(&self, units: &UnitGraph, item: &str) -> Option<usize> {
        self.known.get(item).map_or_else(|| units.unit_of_item(item), |p| p.0)
    }

    fn module<'s>(&'s self, units: &UnitGraph, item: &'s str) -> &'s str {
        self.known.get(item).map_or_else(|| units.module_of_item(item), |p| p.1)
    }
}

/// Looked up once per crossing reference and candidate, never walked in order.
type ItemIndex<'g> = HashMap<String, (&'g GraphItem, &'g str), foldhash::fast::FixedState>;

/// Every item of the graph report by path.
fn item_index(graph: &GraphReport) -> ItemIndex<'_> {
    let mut out = ItemIndex::default();
    for m in &graph.modules {
        for item in &m.items {
            out.insert(format!("{}::{}", m.path, item.name), (item, m.file.as_str()));
        }
    }
    out
}

fn candidate_row(
    setup: &PartitionSetup<'_>,
    model: &Model<'_>,
    (lib, test): (&Model<'_>, &Model<'_>),
    index: &CutIndex<'_>,
    c: &Candidate,
    pareto: bool,
) -> CandidateRow {
    let (items, places) = (&index.items, &index.places);
    let units = model.graph;
    let k = c.k;
    let facade_part = k;
    let part_of_unit = |u: usize| if Some(u) == units.facade { facade_part } else { c.parts[u] };
    let part_of_item = |item: &str| places.unit(units, item).map(part_of_unit);
    // Parts as module lists, with sizes.
    let mut parts: Vec<Vec<String>> = vec![Vec::new(); k];
    let mut sizes: Vec<PartSize> =
        (0..k).map(|_| PartSize { src_lines: 0.0, test_lines: 0.0, tests: 0 }).collect();
    for (u, unit) in units.units.iter().enumerate() {
        let p = part_of_unit(u);
        if p == facade_part {
            continue;
        }
        parts[p].extend(unit.modules.iter().cloned());
        sizes[p].src_lines += unit.src_lines;
        sizes[p].test_lines += unit.test_lines;
    }
    for m in &setup.graph.modules {
        if let Some(&u) = units.unit_of_module.get(&m.path)
            && part_of_unit(u) != facade_part
        {
            sizes[part_of_unit(u)].tests += m.tests;
        }
    }
    parts.iter_mut().for_each(|p| p.sort());
    let mut dag: BTreeSet<(usize, usize)> = BTreeSet::new();
    for &(a, b, _) in &units.edges {
        let (pa, pb) = (part_of_unit(a), part_of_unit(b));
        if pa != pb && pa != facade_part && pb != facade_part {
            dag.insert((pa, pb));
        }
    }

    // What crosses: every reference between two parts (the facade's into parts only need pub).
    let mut crossing: BTreeMap<(String, String, bool), (u32, BTreeSet<&str>)> = BTreeMap::new();
    let mut new_pub: BTreeSet<&str> = BTreeSet::new();
    let mut blockers: Vec<Blocker> = Vec::new();
    let mut crate_paths: Vec<&Site> = Vec::new();
    let mut seen_blocked: BTreeSet<(&'static str, &str)> = BTreeSet::new();
    for edge in &setup.graph.edges {
        for r in &edge.refs {
            let (Some(from), Some(to)) = (part_of_item(&r.from), part_of_item(&r.item)) else { continue };
            if from == to || to == facade_part {
                continue;
            }
            let target = items.get(r.item.as_str()).map(|(i, _)| *i);
            if target.is_some_and(|t| t.vis != "pub") {
                new_pub.insert(&r.item);
            }
            if from == facade_part {
                continue;
            }
            let key = (
                places.module(units, &r.from).to_owned(),
                places.module(units, &r.item).to_owned(),
                edge.test_only,
            );
            let entry = crossing.entry(key).or_default();
            entry.0 += 1;
            entry.1.insert(&r.item);
            if r.crate_path {
                crate_paths.push(&r.at);
            }
            let Some(t) = target else { continue };
            let mut block = |severity, kind, message: String| {
                if seen_blocked.insert((kind, &r.item)) {
                    blockers.push(Blocker { severity, kind, at: r.at.to_string(), message, edits: 1 });
                }
            };
            if t.kind == "macro" && t.vis != "pub" {
                block(
                    "edit",
                    "macro",
                    format!("macro `{}` is used across the cut without #[macro_export]", r.item),
                );
            }
            if edge.test_only && t.test_only {
                block(
                    "edit",
                    "test-helper",
                    format!(
                        "#[cfg(test)] item `{}` is used by tests in another part, where it is not compiled",
                        r.item
                    ),
                );
            } else if edge.test_only && reaches(&dag, to, from) {
                block(
                    "edit",
                    "test-cycle",
                    format!(
                        "tests use `{}` from a part that depends on theirs (a dev-dependency cycle)",
                        r.item
                    ),
                );
            }
            if t.private_fields && !edge.test_only {
                block(
                    "edit",
                    "private-fields",
                    format!(
                        "struct `{}` has private fields and is used across the cut (check construction and field access)",
                        r.item
                    ),
                );
            }
        }
    }
    if !crate_paths.is_empty() {
        blockers.push(Blocker {
            severity: "edit",
            kind: "crate-paths",
            at: crate_paths[0].to_string(),
            message: format!(
                "{} `crate::`/`super::` paths across the cut must name the new crate",
                crate_paths.len()
            ),
            edits: crate_paths.len(),
        });
    }
    // Impls that would land in another crate than their type or trait (coherence, orphan rule).
    for &ImplPlace { item, file, unit, self_ty, self_unit, trait_unit } in &index.impls {
        let impl_part = part_of_unit(unit);
        let (self_part, trait_part) = (self_unit.map(part_of_unit), trait_unit.map(part_of_unit));
        let message = match (item.impl_trait.as_deref(), self_part, trait_part) {
            (None, Some(sp), _) if sp != impl_part => Some(format!(
                "inherent `{}` is in another part than `{self_ty}`: impossible across crates",
                item.name
            )),
            (Some(_), sp, tp)
                if sp != Some(impl_part) && tp != Some(impl_part) && (sp.is_some() || tp.is_some()) =>
            {
                Some(format!(
                    "`{}` would be in a crate that has neither the trait nor the type (orphan rule)",
                    item.name
                ))
            }
            _ => None,
        };
        if let Some(message) = message {
            blockers.push(Blocker {
                severity: "infeasible",
                kind: "impl",
                at: format!("{file}:{}", item.line),
                message,
                edits: 0,
            });
        }
    }
    blockers.sort();
    let infeasible = blockers.iter().any(|b| b.severity == "infeasible");
    let moves: Vec<ItemMove> = units
        .facade_split
        .moved
        .iter()
        .filter_map(|(item, lines)| {
            let to = part_of_item(item)?;
            // Into the part that stays the original crate is no move.
            let home = units.facade_unit.map(&part_of_unit).filter(|_| c.shape == Shape::CrateOnTop);
            (to != facade_part && Some(to) != home).then(|| ItemMove {
                item: item.clone(),
                lines: *lines,
                to_part: to,
            })
        })
        .collect();
    let edits = new_pub.len() + blockers.iter().map(|b| b.edits).sum::<usize>() + moves.len();
    let status = if infeasible {
        "infeasible as is".to_owned()
    } else if edits == 0 {
        "feasible".to_owned()
    } else {
        format!("needs {edits} edits")
    };
    let price = |m: &Model<'_>| {
        let priced = m.price(&c.parts, k);
        let e = priced.as_ref().map_or(f64::NAN, |p| p.expected_rebuild);
        let unsplit = m.unsplit();
        let (src, tests) = m.unsplit_by_kind();
        ProfilePrice {
            expected_rebuild_s: e,
            unsplit_s: unsplit,
            saving_pct: 100.0 * (unsplit - e) / unsplit,
            src_edits_s: (priced.as_ref().map_or(f64::NAN, |p| p.src_edits), src),
            test_edits_s: (priced.as_ref().map_or(f64::NAN, |p| p.test_edits), tests),
            crate_workflow_s: (m.profile == crate::partition::Profile::Test)
                .then(|| priced.as_ref().map_or(f64::NAN, |p| p.crate_workflow)),
        }
    };
    // Where tests must live: the test profile's placement (it has the test lines).
    let moved_tests: Vec<(String, usize)> = test
        .price(&c.parts, k)
        .map(|p| {
            (0..units.units.len())
                .filter(|&u| p.test_home[u] != part_of_unit(u) && units.units[u].test_lines > 0.0)
                .flat_map(|u| {
                    let home = p.test_home[u];
                    units.units[u].modules.iter().map(move |m| (m.clone(), home))
                })
                .collect()
        })
        .unwrap_or_default();
    let crate_part = units.facade_unit.map(part_of_unit).filter(|_| c.shape == Shape::CrateOnTop);
    let unsplit = model.unsplit();
    let corners: Vec<f64> = model
        .cost
        .corners()
        .into_iter()
        .filter_map(|cost| {
            let m = Model::new(units, cost, model.profile);
            let (e, base) = (m.expected_rebuild(&c.parts, k)?, m.unsplit());
            Some(100.0 * (base - e) / base)
        })
        .collect();
    let saving_pct_range = (!corners.is_empty()).then(|| {
        corners.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)))
    });
    let crossing: Vec<Crossing> = crossing
        .into_iter()
        .map(|((from, to, test_only), (weight, items))| Crossing {
            from,
            to,
            weight,
            test_only,
            items: items.into_iter().map(str::to_owned).collect(),
        })
        .collect();
    CandidateRow {
        id: String::new(),
        rank: 0,
        shape: c.shape.as_str(),
        crates: c.shape.crates_for(k),
        crate_part,
        parts,
        part_sizes: sizes,
        part_dag: dag.into_iter().collect(),
        expected_rebuild_s: c.expected_rebuild,
        saving_s: unsplit - c.expected_rebuild,
        saving_pct: 100.0 * (unsplit - c.expected_rebuild) / unsplit,
        saving_pct_range,
        lib: price(lib),
        test: price(test),
        crossing_edges: c.crossing_edges,
        crossing_weight: c.crossing_weight,
        crossing,
        new_pub_items: new_pub.len(),
        new_pub: new_pub.into_iter().map(str::to_owned).collect(),
        item_moves: moves,
        growth: growth(model, (lib, test), &c.parts, k),
        moved_tests,
        pareto,
        status,
        blockers,
        clean: None,
    }
}

/// Whether part `a` reaches part `b` in the part graph.
fn reaches(dag: &BTreeSet<(usize, usize)>, a: usize, b: usize) -> bool {
    let mut stack = vec![a];
    let mut seen = BTreeSet::from([a]);
    while let Some(x) = stack.pop() {
        if x == b {
            return true;
        }
        for &(p, q) in dag.range((x, 0)..(x + 1, 0)) {
            if p == x && seen.insert(q) {
                stack.push(q);
            }
        }
    }
    false
}
