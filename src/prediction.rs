//! The prediction check: after `apply` proved a split, time real rebuilds after an edit of
//! each module on the original and on the split copy, interleaved, and set them beside what
//! the model predicted for the same modules.
//!
//! Per module m (its file edited with a body touch, `reps` times per side, the side that goes
//! first alternating): original `cargo build --lib` (lib) and then `cargo test --no-run`
//! (test), as `record` times them; split `cargo build --lib -p <m's crate>`, then the re-runs
//! of the crates above it (`cargo build --lib -p <facade>`), then `cargo test --no-run -p
//! <m's crate>`. The split's lib time is its crate's build plus the re-runs, its test time the
//! test build plus the re-runs: the terms of the model's `E`. Downstream crates are timed on
//! both sides for information (no split changes them). `E` is the edit-probability-weighted
//! sum over the measured modules, per rep; the saving is the ratio within each rep.
//!
//! Owns: that loop (IO, every edit through the journal of its side), the predicted per-module
//! costs from the model (pure), the comparison and its Markdown/JSON. Must not: rewrite code.

use crate::analysis::CrateAnalysis;
use crate::apply::SplitPlan;
use crate::cost::{Spread, spread};
use crate::error::Error;
use crate::partition::{Model, Profile};
use crate::pricing::Prices;
use crate::record::journal::{self, Journal};
use crate::record::{Cargo, Restorer, TouchKind};
use crate::report::{CandidateRow, GraphReport};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub const PREDICTION_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone)]
pub struct MeasureOptions {
    pub reps: u32,
    pub top: Option<usize>,
    pub progress: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PredictionCheck {
    pub schema_version: u32,
    #[serde(rename = "crate")]
    pub krate: String,
    pub split: String,
    pub parts: Vec<String>,
    pub rustc: String,
    pub cores: usize,
    pub reps: u32,
    pub touch: &'static str,
    /// Share of the edit probability the measured modules carry.
    pub measured_share: f64,
    pub modules_measured: usize,
    pub modules_total: usize,
    pub profiles: Vec<ProfileCheck>,
    /// Downstream crates' re-runs after the lib build, per side (median over modules and reps).
    pub downstream: Option<Downstream>,
    /// Test modules placed in a crate above their module's: (module, crate).
    pub moved_tests: Vec<(String, String)>,
    pub modules: Vec<ModuleCheck>,
    pub total_s: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileCheck {
    pub profile: &'static str,
    pub predicted_unsplit_s: f64,
    pub predicted_split_s: f64,
    pub predicted_saving_pct: f64,
    /// `E` over the measured modules per rep: median, lowest, highest.
    pub measured_unsplit_s: Spread,
    pub measured_split_s: Spread,
    /// `1 - E_split / E_unsplit` within each rep.
    pub measured_saving_pct: Spread,
    /// Measured minus predicted saving, in percentage points.
    pub saving_error_pp: f64,
    /// Measured over predicted `E`, minus one, in percent.
    pub unsplit_error_pct: f64,
    pub split_error_pct: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Downstream {
    pub crates: Vec<String>,
    pub original_s: Spread,
    pub split_s: Spread,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModuleCheck {
    pub module: String,
    pub file: String,
    /// The crate the module is in after the split.
    #[serde(rename = "crate")]
    pub krate: String,
    pub weight: f64,
    pub predicted: Pair<(f64, f64)>,
    /// Samples per rep: (original, split).
    pub samples: Pair<Vec<(f64, f64)>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pair<T> {
    pub lib: T,
    pub test: T,
}

/// A module to edit on both sides.
struct Target {
    module: String,
    original_file: PathBuf,
    copy_file: PathBuf,
    /// The crate it is in after the split (a part, or the facade).
    krate: String,
    /// The crates holding its tests after the split (its own, and where its test modules went).
    test_crates: Vec<String>,
    facade: bool,
    weight: f64,
    predicted: Pair<(f64, f64)>,
}

#[allow(clippy::too_many_arguments)]
pub fn measure_and_compare(
    analysis: &CrateAnalysis,
    graph: &GraphReport,
    prices: &Prices,
    plan: &SplitPlan,
    row: &CandidateRow,
    label: &str,
    copy: &Cargo,
    copy_root: &Path,
    options: &MeasureOptions,
) -> Result<PredictionCheck, Error> {
    crate::record::install_interrupt_handler();
    let started = Instant::now();
    let package = &analysis.package;
    let mut targets = targets(analysis, graph, prices, plan, row, copy_root);
    let modules_total = graph.modules.len();
    let total_weight: f64 = graph.modules.iter().map(weight).sum();
    if let Some(top) = options.top {
        targets.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.module.cmp(&b.module)));
        targets.truncate(top);
        targets.sort_by(|a, b| a.module.cmp(&b.module));
    }
    if targets.is_empty() {
        return Err(Error::Record("no module with a file of its own to edit".to_owned()));
    }
    let downstream = package.dependents.direct_normal().unwrap_or_default();
    let original = Cargo { manifest: package.manifest_path.clone(), offline: copy.offline, target_dir: None };
    let split = copy;
    let copy_target = copy.target_dir.clone().unwrap_or_else(|| copy_root.join("target"));
    let _owner = journal::claim(&package.target_dir)
        .map_err(|e| crate::record::journal_error(&package.target_dir, e))?;
    let mut journal_o = Journal::open(&package.target_dir)
        .map_err(|e| crate::record::journal_error(&package.target_dir, e))?;
    let mut journal_s =
        Journal::open(&copy_target).map_err(|e| crate::record::journal_error(&copy_target, e))?;
    let p = |args: &[&str], name: &str| -> Vec<String> {
        let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        v.extend(["-p".to_owned(), name.to_owned()]);
        v
    };
    let down_args: Vec<String> = std::iter::once("build".to_owned())
        .chain(downstream.iter().flat_map(|d| ["-p".to_owned(), d.clone()]))
        .collect();
    let run = |cargo: &Cargo, args: &[String]| -> Result<f64, Error> {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        cargo.timed(&a, false)
    };
    let facade = package.name.clone();
    // Warm both sides once: every later build is incremental.
    for (cargo, test_pkg) in [(&original, &facade), (split, &facade)] {
        run(cargo, &p(&["build", "--lib"], &facade))?;
        run(cargo, &p(&["test", "--no-run"], test_pkg))?;
        if !downstream.is_empty() {
            run(cargo, &down_args)?;
        }
    }
    let progress =
        crate::record::progress_bar(options.progress, targets.len() as u64 * u64::from(options.reps));
    let mut counter = 0u32;
    let mut checks = Vec::new();
    let mut down_o = Vec::new();
    let mut down_s = Vec::new();
    for t in &targets {
        progress.set_message(t.module.clone());
        let mut samples = Pair { lib: Vec::new(), test: Vec::new() };
        for rep in 0..options.reps {
            counter += 1;
            let mut sides = [Side::Original, Side::Split];
            if rep % 2 == 1 {
                sides.reverse();
            }
            let mut got: BTreeMap<Side, (f64, f64, Option<f64>)> = BTreeMap::new();
            for side in sides {
                let (cargo, journal, file) = match side {
                    Side::Original => (&original, &mut journal_o, &t.original_file),
                    Side::Split => (split, &mut journal_s, &t.copy_file),
                };
                let text = std::fs::read_to_string(file)
                    .map_err(|e| Error::Record(format!("cannot read {}: {e}", file.display())))?;
                let guard = Restorer { journal };
                crate::record::touch_journaled(guard.journal, file, &text, TouchKind::Body, counter)?;
                // `rerun`: the crates above the edited one, which the model adds to both profiles.
                let (lib, rerun) = match side {
                    Side::Original => (run(cargo, &p(&["build", "--lib"], &facade))?, 0.0),
                    Side::Split if t.facade => (run(cargo, &p(&["build", "--lib"], &facade))?, 0.0),
                    Side::Split => {
                        let own = run(cargo, &p(&["build", "--lib"], &t.krate))?;
                        let above = run(cargo, &p(&["build", "--lib"], &facade))?;
                        (own + above, above)
                    }
                };
                let down = if downstream.is_empty() { None } else { Some(run(cargo, &down_args)?) };
                let test_args = match side {
                    Side::Original => p(&["test", "--no-run"], &facade),
                    Side::Split => test_args(&t.test_crates),
                };
                let test = run(cargo, &test_args)? + rerun;
                drop(guard);
                got.insert(side, (lib, test, down));
            }
            let (o, s) = (got[&Side::Original], got[&Side::Split]);
            samples.lib.push((o.0, s.0));
            samples.test.push((o.1, s.1));
            down_o.extend(o.2);
            down_s.extend(s.2);
            progress.inc(1);
        }
        // Back to the unedited state, untimed, on both sides.
        for (cargo, tests) in
            [(&original, p(&["test", "--no-run"], &facade)), (split, test_args(&t.test_crates))]
        {
            run(cargo, &p(&["build", "--lib"], &facade))?;
            run(cargo, &tests)?;
            if !downstream.is_empty() {
                run(cargo, &down_args)?;
            }
        }
        checks.push(ModuleCheck {
            module: t.module.clone(),
            file: crate::paths::relative(&package.root_dir, &t.original_file),
            krate: t.krate.clone(),
            weight: t.weight / total_weight,
            predicted: t.predicted.clone(),
            samples,
        });
    }
    progress.finish_and_clear();
    let measured_weight: f64 = targets.iter().map(|t| t.weight).sum();
    let profiles =
        [Profile::Lib, Profile::Test].map(|profile| profile_check(profile, &checks, options.reps)).to_vec();
    Ok(PredictionCheck {
        schema_version: PREDICTION_SCHEMA_VERSION,
        krate: package.name.clone(),
        split: label.to_owned(),
        parts: plan.names.clone(),
        rustc: crate::record::tool_version("rustc"),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        reps: options.reps,
        touch: "body",
        measured_share: measured_weight / total_weight,
        modules_measured: checks.len(),
        modules_total,
        profiles,
        downstream: match (spread(&down_o), spread(&down_s)) {
            (Some(o), Some(s)) => Some(Downstream { crates: downstream, original_s: o, split_s: s }),
            _ => None,
        },
        moved_tests: plan.moved_tests.clone(),
        modules: checks,
        total_s: started.elapsed().as_secs_f64(),
    })
}

fn weight(m: &crate::report::GraphModule) -> f64 {
    m.p_edit.unwrap_or(f64::from(m.src_lines))
}

/// `cargo test --no-run -p a -p b`.
fn test_args(crates: &[String]) -> Vec<String> {
    let mut args = vec!["test".to_owned(), "--no-run".to_owned()];
    for c in crates {
        args.extend(["-p".to_owned(), c.clone()]);
    }
    args
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Original,
    Split,
}

/// The modules to edit: graph nodes with a file of their own, with their weight (the model's
/// edit probability) and predicted costs.
fn targets(
    analysis: &CrateAnalysis,
    graph: &GraphReport,
    prices: &Prices,
    plan: &SplitPlan,
    row: &CandidateRow,
    copy_root: &Path,
) -> Vec<Target> {
    let tree = &analysis.tree;
    let by_path: BTreeMap<&str, crate::modtree::ModuleId> =
        tree.sorted().into_iter().map(|id| (tree.get(id).path.as_str(), id)).collect();
    let lib = predicted_costs(prices, Profile::Lib, row);
    let test = predicted_costs(prices, Profile::Test, row);
    let k = plan.names.len();
    let mut out = Vec::new();
    for m in &graph.modules {
        let Some(&id) = by_path.get(m.path.as_str()) else { continue };
        let module = tree.get(id);
        if module.inline || module.in_fn.is_some() || !module.file.is_file() {
            continue;
        }
        let owner = plan.layout.owner[id.index()];
        let dir = if owner == k { &plan.facade_dir } else { &plan.part_dirs[owner] };
        let rel = module.file.strip_prefix(&analysis.package.root_dir).unwrap_or(&module.file);
        let name = |d: usize| if d == k { analysis.package.name.clone() } else { plan.names[d].clone() };
        let mut test_crates = vec![name(owner)];
        let mut stack = module.children.clone();
        while let Some(c) = stack.pop() {
            let child = tree.get(c);
            if child.test_only {
                let n = name(plan.layout.owner[c.index()]);
                if !test_crates.contains(&n) {
                    test_crates.push(n);
                }
            }
            stack.extend(child.children.iter().copied());
        }
        let (Some(l), Some(t)) = (lib.get(&m.path), test.get(&m.path)) else { continue };
        out.push(Target {
            module: m.path.clone(),
            original_file: module.file.clone(),
            copy_file: copy_root.join(dir).join(rel),
            krate: name(owner),
            test_crates,
            facade: owner == k,
            weight: weight(m),
            predicted: Pair { lib: *l, test: *t },
        });
    }
    out
}

/// Per module path: the model's (unsplit, split) cost of an edit there, for `profile`.
fn predicted_costs(prices: &Prices, profile: Profile, row: &CandidateRow) -> BTreeMap<String, (f64, f64)> {
    let pricing = prices.of(profile);
    let units = &pricing.units;
    let model = Model::new(units, pricing.cost.clone(), profile);
    let k = row.parts.len();
    let part_of_module: BTreeMap<&str, usize> =
        row.parts.iter().enumerate().flat_map(|(i, p)| p.iter().map(move |m| (m.as_str(), i))).collect();
    let part_of_unit = |u: usize| -> usize {
        if Some(u) == units.facade {
            return k;
        }
        units.units[u].modules.iter().find_map(|m| part_of_module.get(m.as_str()).copied()).unwrap_or(k)
    };
    let mut lines = vec![0.0; k + 1];
    for u in 0..units.units.len() {
        lines[part_of_unit(u)] += model.lines[u];
    }
    let total: f64 = model.lines.iter().sum();
    // above[q]: parts that depend on q, directly or not.
    let reach = crate::graph::reachability(k, &row.part_dag);
    let mut out = BTreeMap::new();
    for (path, &u) in &units.unit_of_module {
        let r = if model.p[u] > 0.0 { model.pr[u] / model.p[u] } else { 1.0 };
        let part = part_of_unit(u);
        let split = if part == k {
            r * model.cost.rebuild(lines[k])
        } else {
            let above: f64 = (0..k).filter(|&a| reach[a][part]).map(|a| model.cost.rerun(lines[a])).sum();
            r * model.cost.rebuild(lines[part]) + above + model.cost.rerun(lines[k])
        };
        out.insert(path.clone(), (r * model.cost.rebuild(total), split));
    }
    if let Some(f) = units.facade {
        let r = if model.p[f] > 0.0 { model.pr[f] / model.p[f] } else { 1.0 };
        out.insert("crate".to_owned(), (r * model.cost.rebuild(total), r * model.cost.rebuild(lines[k])));
    }
    out
}

fn profile_check(profile: Profile, checks: &[ModuleCheck], reps: u32) -> ProfileCheck {
    fn pick(c: &ModuleCheck, profile: Profile) -> &[(f64, f64)] {
        if profile == Profile::Lib { &c.samples.lib } else { &c.samples.test }
    }
    let predicted =
        |c: &ModuleCheck| if profile == Profile::Lib { c.predicted.lib } else { c.predicted.test };
    let weight: f64 = checks.iter().map(|c| c.weight).sum();
    let pred_o: f64 = checks.iter().map(|c| c.weight * predicted(c).0).sum::<f64>() / weight;
    let pred_s: f64 = checks.iter().map(|c| c.weight * predicted(c).1).sum::<f64>() / weight;
    let mut e_o = Vec::new();
    let mut e_s = Vec::new();
    let mut saving = Vec::new();
    for rep in 0..reps as usize {
        let o: f64 = checks.iter().map(|c| c.weight * pick(c, profile)[rep].0).sum::<f64>() / weight;
        let s: f64 = checks.iter().map(|c| c.weight * pick(c, profile)[rep].1).sum::<f64>() / weight;
        e_o.push(o);
        e_s.push(s);
        saving.push(100.0 * (1.0 - s / o));
    }
    let zero = Spread { median: 0.0, min: 0.0, max: 0.0 };
    let measured_saving = spread(&saving).unwrap_or(zero);
    let measured_o = spread(&e_o).unwrap_or(zero);
    let measured_s = spread(&e_s).unwrap_or(zero);
    let predicted_saving = 100.0 * (1.0 - pred_s / pred_o);
    ProfileCheck {
        profile: profile.as_str(),
        predicted_unsplit_s: pred_o,
        predicted_split_s: pred_s,
        predicted_saving_pct: predicted_saving,
        saving_error_pp: measured_saving.median - predicted_saving,
        unsplit_error_pct: 100.0 * (measured_o.median / pred_o - 1.0),
        split_error_pct: 100.0 * (measured_s.median / pred_s - 1.0),
        measured_unsplit_s: measured_o,
        measured_split_s: measured_s,
        measured_saving_pct: measured_saving,
    }
}

/// The check as Markdown (under a heading the caller writes): the profiles' table, downstream,
/// then every module.
pub fn check_markdown(c: &PredictionCheck) -> String {
    let mut md = String::new();
    let s = |x: &Spread| format!("{:.2} s ({:.2}–{:.2})", x.median, x.min, x.max);
    let pct = |x: &Spread| format!("{:.1}% ({:.1} to {:.1})", x.median, x.min, x.max);

    md.push_str(&format!(
        "`splitcheck apply --measure` split `{}` into {} and the facade, proved it builds and passes the same tests, \
         then timed rebuilds after a body edit of each module on the original and on the split copy, \
         interleaved ({} reps per module and side, {} cores, {}). {} of {} modules were measured, carrying {:.0}% of \
         the edit probability; `E` below is the probability-weighted mean over them, per rep, and the saving is \
         `1 - E split / E unsplit` within each rep (median, lowest to highest).\n\n",
        c.krate,
        c.parts.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
        c.reps,
        c.cores,
        c.rustc,
        c.modules_measured,
        c.modules_total,
        100.0 * c.measured_share
    ));
    md.push_str("| Profile | Predicted E unsplit | Predicted E split | Predicted saving | Measured E unsplit | Measured E split | Measured saving | Saving error | E error unsplit / split |\n");
    md.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for p in &c.profiles {
        md.push_str(&format!(
            "| {} | {:.2} s | {:.2} s | {:.1}% | {} | {} | {} | {:+.1} pp | {:+.0}% / {:+.0}% |\n",
            p.profile,
            p.predicted_unsplit_s,
            p.predicted_split_s,
            p.predicted_saving_pct,
            s(&p.measured_unsplit_s),
            s(&p.measured_split_s),
            pct(&p.measured_saving_pct),
            p.saving_error_pp,
            p.unsplit_error_pct,
            p.split_error_pct
        ));
    }
    md.push_str(
        "\nlib: `cargo build --lib` after the edit (split: the edited crate, then the crates above it re-run). \
         test: `cargo test --no-run` after that (split: the tests of the edited crate and of the crates its \
         module's tests went to, plus the same re-runs). Saving error = measured − predicted saving.\n",
    );
    if !c.moved_tests.is_empty() {
        md.push_str(&format!(
            "\nTests placed above their module's crate (they use a crate above it), which the model does not \
             know: {}.\n",
            c.moved_tests.iter().map(|(m, to)| format!("`{m}` in `{to}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(d) = &c.downstream {
        md.push_str(&format!(
            "\nDownstream ({}), re-run after each lib build: original {}, split {} (the model counts them equal).\n",
            d.crates.join(", "),
            s(&d.original_s),
            s(&d.split_s)
        ));
    }
    md.push_str("\n| Module | Crate after the split | Weight | lib predicted | lib measured | test predicted | test measured |\n");
    md.push_str("|---|---|---|---|---|---|---|\n");
    let med = |v: &[(f64, f64)], side: bool| {
        let xs: Vec<f64> = v.iter().map(|x| if side { x.1 } else { x.0 }).collect();
        spread(&xs).map_or(0.0, |s| s.median)
    };
    for m in &c.modules {
        md.push_str(&format!(
            "| `{}` | `{}` | {:.3} | {:.2} → {:.2} s | {:.2} → {:.2} s | {:.2} → {:.2} s | {:.2} → {:.2} s |\n",
            m.module,
            m.krate,
            m.weight,
            m.predicted.lib.0,
            m.predicted.lib.1,
            med(&m.samples.lib, false),
            med(&m.samples.lib, true),
            m.predicted.test.0,
            m.predicted.test.1,
            med(&m.samples.test, false),
            med(&m.samples.test, true)
        ));
    }
    md.push_str("\nEach cell: unsplit → split, seconds (measured: median over the reps).\n");
    md
}

/// Writes `prediction-check.md` and `.json` into `dir`; returns the Markdown file.
pub fn write_check(c: &PredictionCheck, dir: &Path) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(dir).map_err(Error::output_file(dir))?;
    let md = dir.join("prediction-check.md");
    let json = dir.join("prediction-check.json");
    let text = format!("# {}: prediction check of {}\n\n{}", c.krate, c.split, check_markdown(c));
    std::fs::write(&md, text).map_err(Error::output_file(&md))?;
    let body = crate::report::pretty_json(c).map_err(Error::Output)?;
    std::fs::write(&json, body).map_err(Error::output_file(&json))?;
    Ok(md)
}

pub fn write_summary(c: &PredictionCheck, out: &mut dyn Write) -> std::io::Result<()> {
    for p in &c.profiles {
        writeln!(
            out,
            "{}: predicted saving {:.1}%, measured {:.1}% ({:.1} to {:.1}), error {:+.1} pp; E split predicted {:.2} s, measured {:.2} s",
            p.profile,
            p.predicted_saving_pct,
            p.measured_saving_pct.median,
            p.measured_saving_pct.min,
            p.measured_saving_pct.max,
            p.saving_error_pp,
            p.predicted_split_s,
            p.measured_split_s.median
        )?;
    }
    Ok(())
}
