//! The partitions of `splitcheck partition`: each candidate with its parts, its price in both
//! profiles, what crosses the cut, and what blocks it — as JSON (schema version 1) and as a
//! table. Numbers come from `partition`; this module only measures the cut in the graph report
//! (crossing references, items that must become `pub`, blockers with `file:line`).

use super::graph_json::{GraphItem, GraphReport};
use crate::partition::{Candidate, Model, Shape, pareto_frontier};
use crate::pricing::Prices;
use anstyle::Style;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

pub const PARTITION_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct PartitionReport {
    pub schema_version: u32,
    #[serde(rename = "crate")]
    pub krate: String,
    pub profile: &'static str,
    pub parts: usize,
    pub fixed_cost_s: f64,
    pub per_line_s: f64,
    pub dep_fixed_cost_s: f64,
    pub dep_per_line_s: f64,
    pub cost_source: String,
    /// Where edit probabilities came from.
    pub p_edit_source: String,
    pub unsplit: Unsplit,
    pub search: SearchInfo,
    /// The crate root stays as the facade crate; the items other modules use move down.
    pub facade: FacadeInfo,
    pub candidates: Vec<CandidateRow>,
}

#[derive(Debug, Serialize)]
pub struct Unsplit {
    pub expected_rebuild_s: f64,
    pub lib_expected_rebuild_s: f64,
    pub test_expected_rebuild_s: f64,
}

#[derive(Debug, Serialize)]
pub struct SearchInfo {
    pub modules: usize,
    /// Units: modules, with modules in a cycle merged (a cycle never splits).
    pub units: usize,
    /// The best candidate is proven optimal (exact enumeration), not found by the heuristic.
    pub exact: bool,
    pub candidates_found: usize,
    /// Candidates skipped for `--max-new-pub` before the shown ones were found.
    pub dropped_for_new_pub: usize,
}

#[derive(Debug, Serialize)]
pub struct FacadeInfo {
    pub stays: Vec<ItemLines>,
    pub moves_down: Vec<ItemLines>,
}

#[derive(Debug, Serialize)]
pub struct ItemLines {
    pub item: String,
    pub lines: u32,
}

#[derive(Debug, Serialize)]
pub struct CandidateRow {
    /// `k-rank`, e.g. `2-1`: the best candidate for 2 parts (as in `candidate-2-1.svg`).
    pub id: String,
    pub rank: usize,
    /// `crate-on-top` (the original crate is the top part) or `facade` (it becomes a thin
    /// facade crate on top of the parts).
    pub shape: &'static str,
    /// Crates after the split, the original crate included.
    pub crates: usize,
    /// The part that is the original crate (shape `crate-on-top`).
    pub crate_part: Option<usize>,
    /// Module paths of each part; parts are numbered from 1 in the text, base parts first.
    pub parts: Vec<Vec<String>>,
    pub part_sizes: Vec<PartSize>,
    /// `[a, b]`: part a uses part b (numbers as in `parts`, from 0).
    pub part_dag: Vec<(usize, usize)>,
    pub expected_rebuild_s: f64,
    pub saving_s: f64,
    pub saving_pct: f64,
    /// The saving (%) at the corners of the fitted cost intervals, lowest and highest; `null`
    /// when the costs were not fitted.
    pub saving_pct_range: Option<(f64, f64)>,
    pub lib: ProfilePrice,
    pub test: ProfilePrice,
    pub crossing_edges: usize,
    pub crossing_weight: u64,
    pub crossing: Vec<Crossing>,
    pub new_pub_items: usize,
    pub new_pub: Vec<String>,
    /// Root items moving down, and into which part.
    pub item_moves: Vec<ItemMove>,
    /// The saving as the crate grows, the same split with every module's lines scaled.
    pub growth: Growth,
    /// Test modules that must live above their module's part (they use a part it cannot see):
    /// the module whose tests move, and the part (or `parts.len()`: the facade) they go to.
    pub moved_tests: Vec<(String, usize)>,
    pub pareto: bool,
    /// `feasible`, `needs N edits` or `infeasible as is`.
    pub status: String,
    pub blockers: Vec<Blocker>,
}

#[derive(Debug, Serialize)]
pub struct PartSize {
    pub src_lines: f64,
    pub test_lines: f64,
    pub tests: u32,
}

#[derive(Debug, Serialize)]
pub struct ProfilePrice {
    pub expected_rebuild_s: f64,
    pub unsplit_s: f64,
    pub saving_pct: f64,
    /// `E` split by where the edit lands: (src code, test code), split and unsplit.
    pub src_edits_s: (f64, f64),
    pub test_edits_s: (f64, f64),
    /// Test profile only: `E` of the crate workflow (`cargo test -p` of the crate holding the
    /// edit, no crate above it rebuilt); the unsplit crate's is its `unsplit_s`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crate_workflow_s: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Crossing {
    pub from: String,
    pub to: String,
    pub weight: u32,
    pub test_only: bool,
    pub items: Vec<String>,
}

/// The saving (%) of a split at crate sizes ×`factors` of today's, per profile; for the ranking
/// profile with its range over the fitted cost intervals; and the smallest size (×, on a grid
/// of quarters up to ×8) at which each profile's saving turns positive.
#[derive(Debug, Serialize)]
pub struct Growth {
    pub factors: Vec<f64>,
    pub test_pct: Vec<f64>,
    pub lib_pct: Vec<f64>,
    /// Lowest and highest saving of the ranking profile at each factor (fitted costs only).
    pub range_pct: Option<Vec<(f64, f64)>>,
    pub test_pays_from: Option<f64>,
    pub lib_pays_from: Option<f64>,
}

/// The sizes a growth curve is drawn at.
pub const GROWTH_FACTORS: [f64; 7] = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0];

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

#[derive(Debug, Serialize)]
pub struct ItemMove {
    pub item: String,
    pub lines: u32,
    pub to_part: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Blocker {
    /// `infeasible` (cannot compile as separate crates as is) or `edit` (needs the edits counted).
    pub severity: &'static str,
    pub kind: &'static str,
    pub at: String,
    pub message: String,
    /// Edits it stands for.
    pub edits: usize,
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
    let primary = setup.prices.primary();
    let model = Model::new(&primary.units, primary.cost.clone(), primary.profile);
    let (l, t) = (&setup.prices.lib, &setup.prices.test);
    let lib = Model::new(&l.units, l.cost.clone(), l.profile);
    let test = Model::new(&t.units, t.cost.clone(), t.profile);
    let models = |shape| (primary.model(shape), l.model(shape), t.model(shape));
    let (facade_models, top_models) = (models(Shape::Facade), models(Shape::CrateOnTop));
    let items = item_index(setup.graph);
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
        let row = candidate_row(setup, model, (lib, test), &items, c, frontier.contains(&i));
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

/// Every item of the graph report by path.
fn item_index(graph: &GraphReport) -> BTreeMap<String, (&GraphItem, &str)> {
    let mut out = BTreeMap::new();
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
    items: &BTreeMap<String, (&GraphItem, &str)>,
    c: &Candidate,
    pareto: bool,
) -> CandidateRow {
    let units = model.graph;
    let k = c.k;
    let facade_part = k;
    let part_of_unit = |u: usize| if Some(u) == units.facade { facade_part } else { c.parts[u] };
    let part_of_item = |item: &str| units.unit_of_item(item).map(part_of_unit);
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
    let mut crossing: BTreeMap<(String, String, bool), (u32, BTreeSet<String>)> = BTreeMap::new();
    let mut new_pub: BTreeSet<String> = BTreeSet::new();
    let mut blockers: Vec<Blocker> = Vec::new();
    let mut crate_paths: Vec<String> = Vec::new();
    let mut seen_blocked: BTreeSet<(&'static str, String)> = BTreeSet::new();
    for edge in &setup.graph.edges {
        for r in &edge.refs {
            let (Some(from), Some(to)) = (part_of_item(&r.from), part_of_item(&r.item)) else { continue };
            if from == to || to == facade_part {
                continue;
            }
            let target = items.get(&r.item).map(|(i, _)| *i);
            if target.is_some_and(|t| t.vis != "pub") {
                new_pub.insert(r.item.clone());
            }
            if from == facade_part {
                continue;
            }
            let key = (
                units.module_of_item(&r.from).to_owned(),
                units.module_of_item(&r.item).to_owned(),
                edge.test_only,
            );
            let entry = crossing.entry(key).or_default();
            entry.0 += 1;
            entry.1.insert(r.item.clone());
            if r.crate_path {
                crate_paths.push(r.at.clone());
            }
            let Some(t) = target else { continue };
            let mut block = |severity, kind, message: String| {
                if seen_blocked.insert((kind, r.item.clone())) {
                    blockers.push(Blocker { severity, kind, at: r.at.clone(), message, edits: 1 });
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
            at: crate_paths[0].clone(),
            message: format!(
                "{} `crate::`/`super::` paths across the cut must name the new crate",
                crate_paths.len()
            ),
            edits: crate_paths.len(),
        });
    }
    // Impls that would land in another crate than their type or trait (coherence, orphan rule).
    for (path, (item, file)) in items {
        let Some(self_ty) = &item.impl_self else { continue };
        let Some(impl_part) = part_of_item(path) else { continue };
        let local = |p: &str| (p != "external").then(|| part_of_item(p)).flatten();
        let (self_part, trait_part) = (local(self_ty), item.impl_trait.as_deref().and_then(local));
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
            items: items.into_iter().collect(),
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
        new_pub: new_pub.into_iter().collect(),
        item_moves: moves,
        growth: growth(model, (lib, test), &c.parts, k),
        moved_tests,
        pareto,
        status,
        blockers,
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

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

/// The human table: one block per candidate.
pub fn write_partition_table(r: &PartitionReport, quiet: bool, out: &mut dyn Write) -> io::Result<()> {
    if !quiet {
        writeln!(
            out,
            "{BOLD}{}{BOLD:#}: {} modules in {} units (cycles merged), {} parts, profile {}",
            r.krate, r.search.modules, r.search.units, r.parts, r.profile
        )?;
        writeln!(
            out,
            "{DIM}cost per rebuilt crate: {:.2} s + {:.2} ms/line; per dependent re-run: {:.2} s + {:.2} ms/line ({}); edits: {}{DIM:#}",
            r.fixed_cost_s,
            r.per_line_s * 1000.0,
            r.dep_fixed_cost_s,
            r.dep_per_line_s * 1000.0,
            r.cost_source,
            r.p_edit_source
        )?;
        writeln!(
            out,
            "unsplit: expected rebuild {:.2} s per edit (lib {:.2} s, test {:.2} s); search {}",
            r.unsplit.expected_rebuild_s,
            r.unsplit.lib_expected_rebuild_s,
            r.unsplit.test_expected_rebuild_s,
            if r.search.exact {
                "exact (every valid split tried)"
            } else {
                "heuristic (min-cut + local search)"
            }
        )?;
        if !r.facade.moves_down.is_empty() {
            let moved: Vec<String> =
                r.facade.moves_down.iter().map(|m| format!("{} ({})", m.item, m.lines)).collect();
            writeln!(
                out,
                "facade: the crate root stays on top; its items used by other modules move down: {}",
                moved.join(", ")
            )?;
        }
        writeln!(out)?;
    }
    if r.candidates.is_empty() {
        writeln!(
            out,
            "no valid split into {} parts (everything sits in one cycle, or too few units)",
            r.parts
        )?;
        return Ok(());
    }
    for c in &r.candidates {
        write_candidate_block(c, &[], quiet, out)?;
    }
    Ok(())
}

/// One candidate: its price, its parts (named when `names` are given), moves and blockers.
pub fn write_candidate_block(
    c: &CandidateRow,
    names: &[String],
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let part_name = |i: usize| match names.get(i) {
        Some(name) => format!("part {} ({name})", i + 1),
        None => format!("part {}", i + 1),
    };
    {
        writeln!(
            out,
            "{BOLD}#{}{BOLD:#}  E {:.2} s  saving {:.2} s ({:.1}%{})  [lib {:.1}%, test {:.1}%]  crossing {} edges / weight {}  new pub {}  {}{}",
            c.rank,
            c.expected_rebuild_s,
            c.saving_s,
            c.saving_pct,
            c.saving_pct_range
                .map_or(String::new(), |(lo, hi)| format!(", {lo:.1}% to {hi:.1}% over the fit's intervals")),
            c.lib.saving_pct,
            c.test.saving_pct,
            c.crossing_edges,
            c.crossing_weight,
            c.new_pub_items,
            c.status,
            if c.pareto { "  (Pareto)" } else { "" }
        )?;
        for (i, (modules, size)) in c.parts.iter().zip(&c.part_sizes).enumerate() {
            let uses: Vec<String> =
                c.part_dag.iter().filter(|(a, _)| *a == i).map(|(_, b)| format!("{}", b + 1)).collect();
            let uses =
                if uses.is_empty() { String::new() } else { format!(", uses part {}", uses.join(", ")) };
            writeln!(
                out,
                "    {}: {:.0} src + {:.0} test lines, {} tests{uses}: {}",
                part_name(i),
                size.src_lines,
                size.test_lines,
                size.tests,
                short_list(modules, 8)
            )?;
        }
        for m in &c.item_moves {
            writeln!(out, "    move {} ({} lines) into {}", m.item, m.lines, part_name(m.to_part))?;
        }
        if !quiet {
            for b in &c.blockers {
                writeln!(out, "    {DIM}{}: {} ({}){DIM:#}", b.severity, b.message, b.at)?;
            }
        }
    }
    Ok(())
}

fn short_list(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(|s| s.strip_prefix("crate::").unwrap_or(s)).collect();
    if items.len() > max {
        format!("{}, … ({} more)", shown.join(", "), items.len() - max)
    } else {
        shown.join(", ")
    }
}
