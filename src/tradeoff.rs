//! The trade-off analysis of `splitcheck <CRATE>` as plain data (`report.json`): what was
//! analyzed, the crate at a glance, where the timings came from, the unsplit baseline, and the
//! best candidates for each number of parts, priced in both profiles.
//!
//! Owns: choosing the candidates a report shows (both profiles' searches, merged and ranked by
//! the primary profile) and the numbers beside them. Must not: read files, run programs or
//! format text (the caller gathers [`Provenance`] and the recording; `report` renders).

use crate::analysis::CrateCounts;
use crate::cut::{CutIndex, PartitionSetup, partition_report_indexed};
use crate::data::graph::GraphReport;
use crate::data::partition::FacadeInfo;
use crate::data::provenance::Provenance;
use crate::data::timings::Timings;
use crate::data::trade_off::*;
use crate::partition::{self, Candidate, CostModel, CostSource, Model, SearchOptions, SearchResult, Shape};
use crate::pricing::Prices;
use crate::workspace::{Dependents, Package};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Where the recording came from, as the report names it.
pub struct RecordingSource<'a> {
    /// The path shown: as given, or `timings.json` when found beside the report.
    pub shown: String,
    pub timings: &'a Timings,
    /// The machine this run is on (processor, cores), to say when the recording was made on
    /// another.
    pub this_machine: (Option<String>, usize),
}

#[derive(Debug, Clone, Copy)]
pub struct TradeOffOptions {
    /// Numbers of parts to try, each a section of the report.
    pub min_parts: usize,
    pub max_parts: usize,
    /// Candidates shown per number of parts.
    pub per_k: usize,
    pub max_new_pub: Option<usize>,
}

impl Default for TradeOffOptions {
    fn default() -> Self {
        TradeOffOptions { min_parts: 2, max_parts: 4, per_k: 3, max_new_pub: None }
    }
}

/// Builds the report: candidates for each k in `options`, from both profiles' searches.
/// `package` and `counts` are of the analysis `graph` was made from; `provenance` is asked for
/// once the searches are done (it may wait for git).
pub fn trade_off(
    package: &Package,
    counts: CrateCounts,
    graph: &GraphReport,
    prices: &Prices,
    provenance: impl FnOnce() -> Provenance,
    recording: Option<RecordingSource<'_>>,
    options: &TradeOffOptions,
) -> TradeOffReport {
    let primary = prices.primary();
    // The searches and the graph's index for measuring cuts do not depend on each other.
    let (searches, index) = rayon::join(
        || search_all(prices, options.min_parts..=options.max_parts),
        || CutIndex::new(graph, prices),
    );
    // Each k is measured on its own; rayon keeps the order of k.
    let searched: Vec<_> = (options.min_parts..=options.max_parts)
        .into_par_iter()
        .map(|k| {
            let (candidates, exact) = candidates_for(prices, k, &searches);
            let setup =
                PartitionSetup { graph, prices, k, max_new_pub: options.max_new_pub, shown: options.per_k };
            (k, candidates.len(), exact, partition_report_indexed(&setup, &index, &candidates, exact))
        })
        .collect();
    let mut facade = None;
    let mut splits = Vec::new();
    for (k, candidates_found, exact, partition) in searched {
        facade.get_or_insert(partition.facade);
        let note = partition.candidates.is_empty().then(|| {
            if primary.top_units.units.len() < k {
                format!(
                    "{} units (modules, cycles merged, the crate root) cannot make {k} crates",
                    primary.top_units.units.len()
                )
            } else {
                format!("no split into {k} crates without a cycle between them")
            }
        });
        splits.push(SplitsForK {
            crates: k,
            exact,
            candidates_found,
            note,
            candidates: partition.candidates,
        });
    }
    let lib = Model::new(&prices.lib.units, prices.lib.cost.clone(), prices.lib.profile);
    let test = Model::new(&prices.test.units, prices.test.cost.clone(), prices.test.profile);
    TradeOffReport {
        schema_version: TRADE_OFF_SCHEMA_VERSION,
        analyzed: provenance(),
        glance: glance(counts, graph),
        timings: timings_info(prices, recording.as_ref()),
        baseline: baseline(package, lib.unsplit(), test.unsplit(), recording.as_ref().map(|r| r.timings)),
        ranked_by: primary.profile.as_str(),
        facade: facade.unwrap_or(FacadeInfo { stays: Vec::new(), moves_down: Vec::new() }),
        splits,
        clean: None,
    }
}

/// Every search a report needs: per shape and profile, one run for all the numbers of crates
/// asked (the heuristic passes through each smaller number of parts on its way to the largest),
/// the runs side by side.
pub struct Searches {
    results: BTreeMap<(Shape, bool, usize), SearchResult>,
}

/// The searches for `crates` crates in `range`, in both shapes and both profiles.
pub fn search_all(prices: &Prices, range: std::ops::RangeInclusive<usize>) -> Searches {
    let primary = prices.primary();
    let mut jobs = Vec::new();
    for shape in [Shape::CrateOnTop, Shape::Facade] {
        // One part under a facade only moves the whole crate down a level.
        let mut ks: Vec<usize> = range.clone().map(|c| shape.parts_for(c)).filter(|k| *k >= 2).collect();
        ks.dedup();
        if !ks.is_empty() {
            jobs.push((shape, true, primary, ks.clone()));
            jobs.push((shape, false, prices.of(primary.profile.other()), ks));
        }
    }
    let limit = SearchOptions::default().exact_limit;
    // Per shape: its two profiles' searches enumerate the same ideals.
    let ideals: [partition::SharedIdeals; 2] = Default::default();
    let found: Vec<Vec<SearchResult>> = jobs
        .par_iter()
        .map(|(shape, _, pricing, ks)| {
            let shared = &ideals[usize::from(*shape == Shape::Facade)];
            partition::best_partitions_sharing(&pricing.model(*shape), ks, limit, shared)
        })
        .collect();
    let mut results = BTreeMap::new();
    for ((shape, is_primary, _, ks), found) in jobs.into_iter().zip(found) {
        for (k, result) in ks.into_iter().zip(found) {
            results.insert((shape, is_primary, k), result);
        }
    }
    Searches { results }
}

/// Candidates for `crates` crates after the split, of both shapes (the original crate as the
/// top part; or k - 1 parts under a facade), from both profiles' searches, each once (parts
/// compared as sets), ranked by the primary profile; and whether the best of each shape's
/// search is proven optimal.
pub fn candidates_for(prices: &Prices, crates: usize, searches: &Searches) -> (Vec<Candidate>, bool) {
    let primary = prices.primary();
    let mut exact = true;
    let mut seen: BTreeSet<(Shape, Vec<usize>)> = BTreeSet::new();
    let mut out: Vec<Candidate> = Vec::new();
    // Merged in a fixed order (each shape, the primary profile first), whichever search
    // finished first.
    for shape in [Shape::CrateOnTop, Shape::Facade] {
        let k = shape.parts_for(crates);
        let model = primary.model(shape);
        let facade = primary.units_for(shape).facade;
        for is_primary in [true, false] {
            let Some(result) = searches.results.get(&(shape, is_primary, k)) else { continue };
            if is_primary {
                exact &= result.exact;
            }
            for c in &result.candidates {
                if c.k != k || !seen.insert((shape, partition::canonical_parts(&c.parts, facade))) {
                    continue;
                }
                out.extend(Candidate::new(&model, c.parts.clone(), k));
            }
        }
    }
    out.sort_by(|a, b| {
        a.expected_rebuild
            .total_cmp(&b.expected_rebuild)
            .then(a.crossing_weight.cmp(&b.crossing_weight))
            .then(a.shape.cmp(&b.shape))
            .then_with(|| a.parts.cmp(&b.parts))
    });
    (out, exact)
}

fn glance(counts: CrateCounts, graph: &GraphReport) -> Glance {
    let count = |f: fn(&crate::data::graph::GraphEdge) -> bool| graph.edges.iter().filter(|e| f(e)).count();
    let src_lines: std::collections::BTreeMap<&str, u32> =
        graph.modules.iter().map(|m| (m.path.as_str(), m.src_lines)).collect();
    let lines_of = |path: &String| src_lines.get(path.as_str()).copied().unwrap_or(0);
    Glance {
        modules: counts.modules,
        graph_modules: graph.modules.len(),
        src_lines: graph.modules.iter().map(|m| m.src_lines).sum(),
        test_lines: graph.modules.iter().map(|m| m.test_lines).sum(),
        unit_tests: counts.unit_tests,
        integration_test_targets: counts.integration_test_targets,
        integration_tests: counts.integration_tests,
        edges: EdgeCounts {
            src: count(|e| !e.test_only && !e.facade),
            test_only: count(|e| e.test_only),
            facade: count(|e| e.facade && !e.test_only),
        },
        cycles: graph
            .cycles
            .iter()
            .map(|c| CycleInfo {
                modules: c.modules.clone(),
                src_lines: c.modules.iter().map(lines_of).sum(),
                breaking_weight: c.breaking_weight,
            })
            .collect(),
        unresolved_crate_paths: graph.resolution.unresolved_crate_paths.len(),
    }
}

fn cost_params(cost: &CostModel) -> CostParams {
    CostParams {
        fixed_s: cost.fixed,
        per_line_s: cost.per_line,
        dep_fixed_s: cost.dep_fixed,
        dep_per_line_s: cost.dep_per_line,
        source: cost.source.describe(),
    }
}

fn timings_info(prices: &Prices, recording: Option<&RecordingSource<'_>>) -> TimingsInfo {
    let source = match &prices.primary().cost.source {
        CostSource::Recorded(_) => "recorded",
        CostSource::Flags => "flags",
        CostSource::Assumed => "assumed",
    };
    let warning = (source != "recorded").then(|| {
        format!(
            "nothing was recorded: the seconds below come from {}, not from this crate's builds. \
             They rank candidates but promise no seconds.",
            if source == "flags" { "costs given by flags" } else { "priors measured on generated crates" }
        )
    });
    TimingsInfo {
        source,
        file: recording.map(|r| r.shown.clone()),
        recording: recording.map(|r| {
            let t = r.timings;
            RecordingInfo {
                git_commit: t.git_commit.clone(),
                rustc: t.rustc.clone(),
                cores: t.cores,
                touch: format!("{:?}", t.touch).to_lowercase(),
                reps: t.reps,
                modules_recorded: t.modules.len(),
                crates_fitted: t.workspace_fit.as_ref().map_or(0, |w| w.crates.len()),
                dependents_recorded: t.dependents.as_ref().map_or(0, |d| d.crates.len()),
                test_run_s: t.test_run_s,
                cpu: t.cpu.clone(),
                features: t.features.clone(),
                other_machine: {
                    let (cpu, cores) = &r.this_machine;
                    let differs = *cores != t.cores || (t.cpu.is_some() && cpu.is_some() && *cpu != t.cpu);
                    differs.then(|| {
                        format!(
                            "recorded on {} with {} cores; this run is on {} with {cores}: the same build can take another time there (record again to price this machine)",
                            t.cpu.as_deref().unwrap_or("an unnamed processor"),
                            t.cores,
                            cpu.as_deref().unwrap_or("an unnamed processor")
                        )
                    })
                },
            }
        }),
        lib: cost_params(&prices.lib.cost),
        test: cost_params(&prices.test.cost),
        warning,
    }
}

fn baseline(package: &Package, lib_s: f64, test_s: f64, timings: Option<&Timings>) -> Baseline {
    let recorded = |name: &str| -> Option<f64> {
        let crates = &timings?.dependents.as_ref()?.crates;
        crates.iter().find(|c| c.name == name).and_then(|c| c.spread_s.map(|s| s.median))
    };
    let (status, downstream): (&'static str, Vec<Downstream>) = match package.dependents.get() {
        Dependents::NoOtherMembers => ("none", Vec::new()),
        Dependents::Unknown(_) => ("unknown", Vec::new()),
        Dependents::Known(list) => (
            "known",
            list.iter()
                .map(|d| Downstream {
                    name: d.name.clone(),
                    direct: d.direct.iter().map(|k| k.as_str().to_owned()).collect(),
                    rerun_s: recorded(&d.name),
                })
                .collect(),
        ),
    };
    // Only direct, non-dev dependents are re-run by a library edit in the recordings.
    let rerun: Vec<&Downstream> = downstream.iter().filter(|d| d.direct.iter().any(|k| k != "dev")).collect();
    let downstream_rerun_s = (!rerun.is_empty() && rerun.iter().all(|d| d.rerun_s.is_some()))
        .then(|| rerun.iter().filter_map(|d| d.rerun_s).sum());
    Baseline {
        lib_s,
        test_s,
        test_run_s: timings.and_then(|t| t.test_run_s),
        downstream_status: status,
        downstream,
        downstream_rerun_s,
    }
}
