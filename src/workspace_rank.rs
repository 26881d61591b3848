//! `splitcheck --workspace`: every library crate of the workspace analyzed in parallel and
//! ranked by what its best split into two crates would save, so a team sees which crate is worth
//! splitting at all before reading one report.
//!
//! Owns: the pipeline per member (locate, analyze, graph, price, search k = 2) and the ranking.
//! Reads each member's recording from `<reports>/<crate>/timings.json` when there is a usable
//! one; a member without one is priced with any recording's fit across the workspace's crates,
//! else with assumed costs (said per row). A member that cannot be analyzed is listed
//! with its error instead of sinking the rest.

use crate::analysis;
use crate::data::timings::Timings;
use crate::data::workspace::*;
use crate::error::Error;
use crate::partition::{Profile, Shape};
use crate::pipeline::PriceOptions;
use crate::pricing;
use crate::tradeoff::{candidates_for, search_all};
use crate::workspace::{self, Dependents, Selection};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Ranks every library crate of the selection's workspace.
pub fn rank_workspace(
    selection: &Selection,
    reports: &Path,
    primary: Profile,
) -> Result<WorkspaceRanking, Error> {
    let (root, members) = workspace::selected_workspace_libraries(selection)?;
    let recordings: BTreeMap<String, Timings> = members
        .iter()
        .filter_map(|m| {
            let text = std::fs::read_to_string(reports.join(&m.name).join("timings.json")).ok()?;
            Some((m.name.clone(), serde_json::from_str::<Timings>(&text).ok()?))
        })
        .collect();
    // Any recording's fit across the workspace's crates prices the crates not recorded.
    let fit = recordings.values().find(|t| pricing::workspace_cost(t, primary).is_ok());
    let results: Vec<Result<CrateRank, CrateFailure>> = members
        .par_iter()
        .map(|member| {
            // The member's own manifest names it; its name alone may match several packages.
            let member_selection = Selection {
                krate: None,
                manifest_path: Some(member.manifest_path.clone()),
                offline: selection.offline,
            };
            let failure = |e: Error| CrateFailure { krate: member.name.clone(), error: e.to_string() };
            let analysis = analysis::analyze(&member_selection).map_err(failure)?;
            let own = reports.join(&member.name).join("timings.json");
            rank_crate(&analysis, &own, fit, primary).map_err(failure)
        })
        .collect();
    let (mut crates, mut failed) = (Vec::new(), Vec::new());
    for r in results {
        match r {
            Ok(row) => crates.push(row),
            Err(f) => failed.push(f),
        }
    }
    let key = |r: &CrateRank| {
        let best = match primary {
            Profile::Lib => &r.lib,
            Profile::Test => &r.test,
        };
        best.as_ref().map_or(f64::NEG_INFINITY, |b| b.saving_s)
    };
    crates.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.krate.cmp(&b.krate)));
    Ok(WorkspaceRanking {
        schema_version: WORKSPACE_SCHEMA_VERSION,
        workspace: root.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned()),
        date: crate::provenance::today(),
        tool: crate::provenance::tool(),
        ranked_by: primary.as_str(),
        crates,
        failed,
    })
}

/// One member ranked: priced with its own recording (`recording`, where `record` writes it)
/// when usable, else with `fit`, another crate's fit across the workspace, else the priors.
fn rank_crate(
    analysis: &analysis::CrateAnalysis,
    recording: &Path,
    fit: Option<&Timings>,
    primary: Profile,
) -> Result<CrateRank, Error> {
    let graph = crate::graph::export::crate_graph_report(analysis);
    let options = PriceOptions {
        profile: primary,
        beside: Some(recording.to_path_buf()),
        workspace_fit: fit,
        ..Default::default()
    };
    let priced = crate::pipeline::price(&graph, &options)?;
    let (prices, timings) = (priced.prices, priced.source.as_str());
    let (candidates, _) = candidates_for(&prices, 2, &search_all(&prices, 2..=2));
    let best = |profile: Profile| -> Option<BestSaving> {
        let pricing = prices.of(profile);
        let unsplit = pricing.model(Shape::CrateOnTop).unsplit();
        let e = candidates
            .iter()
            .filter_map(|c| pricing.model(c.shape).expected_rebuild(&c.parts, c.k))
            .min_by(f64::total_cmp)?;
        Some(BestSaving {
            unsplit_s: unsplit,
            saving_s: unsplit - e,
            saving_pct: 100.0 * (unsplit - e) / unsplit,
        })
    };
    let total_weight: u64 = prices.primary().top_units.edges.iter().map(|e| u64::from(e.2)).sum();
    let totals = analysis.tree.totals();
    Ok(CrateRank {
        krate: analysis.package.name.clone(),
        version: analysis.package.version.clone(),
        modules: graph.modules.len(),
        src_lines: graph.modules.iter().map(|m| m.src_lines).sum(),
        test_lines: graph.modules.iter().map(|m| m.test_lines).sum(),
        unit_tests: totals.tests,
        dependents: match analysis.package.dependents.get() {
            Dependents::Known(list) => list.len(),
            _ => 0,
        },
        cycles: graph.cycles.len(),
        timings,
        lib: best(Profile::Lib),
        test: best(Profile::Test),
        coupling_pct: candidates
            .first()
            .filter(|_| total_weight > 0)
            .map(|c| 100.0 * c.crossing_weight as f64 / total_weight as f64),
    })
}
