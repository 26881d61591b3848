//! The prediction check: after `apply` proved a split, time real rebuilds after an edit of
//! each module on the original and on the split copy, interleaved, and set them beside what
//! the model predicted for the same modules.
//!
//! Per module m (its file edited with a body touch, `reps` times per side, the side that goes
//! first alternating): original `cargo build --lib` (lib) and then `cargo test --no-run`
//! (test), as `record` times them; split `cargo build --lib -p …` of all the split's crates in
//! one cargo run (m's crate and the re-runs of the crates above it), then `cargo test --no-run
//! -p …` of all of them (the workspace workflow), then, after a second edit and the library
//! build, `cargo test --no-run -p <m's crate>` (the crate workflow; on the original both
//! workflows are the one build). Downstream crates are timed on both sides for information (no
//! split changes them). `E` is the edit-probability-weighted sum over the measured modules, per
//! rep; the saving is the ratio within each rep.
//!
//! Owns: that loop (IO, every edit through the journal of its side), the predicted per-module
//! costs from the model (pure), the comparison and its Markdown/JSON. Must not: rewrite code.

use crate::analysis::CrateAnalysis;
use crate::apply::SplitPlan;
use crate::cargo::Cargo;
use crate::cost::spread;
use crate::data::graph::GraphReport;
use crate::data::partition::CandidateRow;
use crate::data::timings::{Spread, TouchKind};
use crate::error::Error;
use crate::measure::journal::{self, Journal};
use crate::measure::record::Restorer;
use crate::partition::{Profile, Shape};
use crate::pricing::Prices;
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

/// What a check (of rebuilds or of clean builds) is of, and what made it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckedSplit {
    #[serde(rename = "crate")]
    pub krate: String,
    pub split: String,
    /// `crate-on-top` or `facade`.
    pub shape: &'static str,
    pub parts: Vec<String>,
    /// splitcheck's version and the commit it was built from.
    pub tool: String,
    /// The analyzed repository's `HEAD` commit, and the date of the check.
    pub crate_commit: Option<String>,
    pub date: String,
    pub rustc: String,
}

impl CheckedSplit {
    /// `split` (a label) of `package` into the crates `parts`, checked today by this splitcheck.
    pub fn new(
        package: &crate::workspace::Package,
        split: &str,
        shape: &'static str,
        parts: Vec<String>,
    ) -> Self {
        CheckedSplit {
            krate: package.name.clone(),
            split: split.to_owned(),
            shape,
            parts,
            tool: crate::provenance::tool_and_commit(),
            crate_commit: crate::provenance::provenance(package).git_commit,
            date: crate::provenance::today(),
            rustc: crate::cargo::tool_version("rustc"),
        }
    }
}

/// `apply --measure`: a split's rebuilds after each edit measured beside its prediction.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PredictionCheck {
    pub schema_version: u32,
    #[serde(flatten)]
    pub checked: CheckedSplit,
    /// Which features were built (as the user's cargo flags say).
    #[serde(default)]
    pub features: String,
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

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Downstream {
    pub crates: Vec<String>,
    pub original_s: Spread,
    pub split_s: Spread,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ModuleCheck {
    pub module: String,
    /// Whether the module's src code or its test code was edited.
    pub edit: EditKind,
    pub file: String,
    /// The crate the module is in after the split.
    #[serde(rename = "crate")]
    pub krate: String,
    pub weight: f64,
    pub predicted: Pair<(f64, f64)>,
    /// Samples per rep: (original, split).
    pub samples: Pair<Vec<(f64, f64)>>,
}

/// One value per measure: the library build, and the test build in the workspace workflow
/// (every test binary of the crate's crates that sees the edit) and in the crate workflow
/// (only the test binary of the crate holding the edit).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Pair<T> {
    pub lib: T,
    pub test: T,
    pub test_crate: T,
}

/// What a check compares: one of the [`Pair`]'s measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Lib,
    Test,
    TestCrate,
}

impl Measure {
    const ALL: [Measure; 3] = [Measure::Lib, Measure::Test, Measure::TestCrate];

    fn name(self) -> &'static str {
        match self {
            Measure::Lib => "lib",
            Measure::Test => "test (workspace)",
            Measure::TestCrate => "test (crate)",
        }
    }

    fn of<T>(self, pair: &Pair<T>) -> &T {
        match self {
            Measure::Lib => &pair.lib,
            Measure::Test => &pair.test,
            Measure::TestCrate => &pair.test_crate,
        }
    }
}

/// A file to edit on both sides: a module's own file (a src edit) or its largest test
/// module's file (a test edit).
struct Target {
    module: String,
    edit: EditKind,
    original_file: PathBuf,
    copy_file: PathBuf,
    /// The crate the edited file is in after the split (a part, or the facade).
    krate: String,
    weight: f64,
    predicted: Pair<(f64, f64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EditKind {
    Src,
    Test,
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
    crate::cargo::install_interrupt_handler();
    let started = Instant::now();
    let package = &analysis.package;
    let mut targets = targets(analysis, graph, prices, plan, row, copy_root);
    let modules_total = graph.modules.len();
    // Every edit the model weighs: src and test code of every node.
    let total_weight: f64 =
        graph.modules.iter().map(|m| weight(m) + crate::partition::test_edit_weight(m)).sum();
    if let Some(top) = options.top {
        targets.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.module.cmp(&b.module)));
        targets.truncate(top);
        targets.sort_by(|a, b| a.module.cmp(&b.module));
    }
    if targets.is_empty() {
        return Err(Error::Measure("no module with a file of its own to edit".to_owned()));
    }
    let downstream = package.dependents.get().direct_normal().unwrap_or_default();
    let original = Cargo {
        manifest: package.manifest_path.clone(),
        offline: copy.offline,
        flags: copy.flags.clone(),
        ..Cargo::default()
    };
    let split = copy;
    let copy_target = copy.target_dir.clone().unwrap_or_else(|| copy_root.join("target"));
    let _owner = journal::claim(&package.target_dir)
        .map_err(|e| crate::measure::record::journal_error(&package.target_dir, e))?;
    let mut journal_o = Journal::open(&package.target_dir)
        .map_err(|e| crate::measure::record::journal_error(&package.target_dir, e))?;
    let mut journal_s =
        Journal::open(&copy_target).map_err(|e| crate::measure::record::journal_error(&copy_target, e))?;
    // The workspace workflow on both sides: every library of the crate's crates is built, then
    // every test binary of them (only the ones that see the edit rebuild).
    let facade = package.name.clone();
    let mut split_crates = plan.names.clone();
    split_crates.push(facade.clone());
    let with_packages = |args: &[&str], crates: &[String]| -> Vec<String> {
        let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        for c in crates {
            v.extend(["-p".to_owned(), c.clone()]);
        }
        v
    };
    let original_crates = std::slice::from_ref(&facade);
    let lib_args = |side: Side| match side {
        Side::Original => with_packages(&["build", "--lib"], original_crates),
        Side::Split => with_packages(&["build", "--lib"], &split_crates),
    };
    let test_args = |side: Side| match side {
        Side::Original => with_packages(&["test", "--no-run"], original_crates),
        Side::Split => with_packages(&["test", "--no-run"], &split_crates),
    };
    // The crate workflow: only the crate holding the edited file.
    let crate_test_args = |t: &Target| with_packages(&["test", "--no-run"], std::slice::from_ref(&t.krate));
    let down_args: Vec<String> = std::iter::once("build".to_owned())
        .chain(downstream.iter().flat_map(|d| ["-p".to_owned(), d.clone()]))
        .collect();
    let run = |cargo: &Cargo, args: &[String]| -> Result<f64, Error> {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        cargo.timed(&a, false)
    };
    let cargo_of = |side: Side| if side == Side::Original { &original } else { split };
    // Builds one side to the unedited state: libraries, test binaries, downstream crates.
    let settle = |side: Side| -> Result<(), Error> {
        run(cargo_of(side), &lib_args(side))?;
        run(cargo_of(side), &test_args(side))?;
        if !downstream.is_empty() {
            run(cargo_of(side), &down_args)?;
        }
        Ok(())
    };
    // Warm both sides once: every later build is incremental.
    settle(Side::Original)?;
    settle(Side::Split)?;
    let progress = crate::measure::record::progress_bar(
        options.progress,
        targets.len() as u64 * u64::from(options.reps),
    );
    let mut counter = 0u32;
    let mut checks = Vec::new();
    let mut down_o = Vec::new();
    let mut down_s = Vec::new();
    for t in &targets {
        progress.set_message(t.module.clone());
        let mut samples = Pair { lib: Vec::new(), test: Vec::new(), test_crate: Vec::new() };
        for rep in 0..options.reps {
            let mut sides = [Side::Original, Side::Split];
            if rep % 2 == 1 {
                sides.reverse();
            }
            let mut got: BTreeMap<Side, (f64, f64, f64, Option<f64>)> = BTreeMap::new();
            for side in sides {
                let (journal, file) = match side {
                    Side::Original => (&mut journal_o, &t.original_file),
                    Side::Split => (&mut journal_s, &t.copy_file),
                };
                let text = std::fs::read_to_string(file).map_err(Error::file("read", file))?;
                let guard = Restorer { journal };
                // Each edit differs from the last build: the `counter`-th body edit of the file.
                let edit = |journal: &mut Journal, counter: &mut u32| {
                    *counter += 1;
                    crate::measure::record::touch_journaled(journal, file, &text, TouchKind::Body, *counter)
                };
                edit(guard.journal, &mut counter)?;
                let cargo = cargo_of(side);
                let lib = run(cargo, &lib_args(side))?;
                let down = if downstream.is_empty() { None } else { Some(run(cargo, &down_args)?) };
                let test = run(cargo, &test_args(side))?;
                // On the original both workflows build the same test binaries. In the split even an
                // edit of the top crate differs: a crate below whose doc tests name the crate has it
                // as a dev-dependency, so the workspace workflow rebuilds that test binary too.
                let test_crate = if side == Side::Split {
                    edit(guard.journal, &mut counter)?;
                    run(cargo, &lib_args(side))?;
                    run(cargo, &crate_test_args(t))?
                } else {
                    test
                };
                drop(guard);
                got.insert(side, (lib, test, test_crate, down));
            }
            let (o, s) = (got[&Side::Original], got[&Side::Split]);
            samples.lib.push((o.0, s.0));
            samples.test.push((o.1, s.1));
            samples.test_crate.push((o.2, s.2));
            down_o.extend(o.3);
            down_s.extend(s.3);
            progress.inc(1);
        }
        // Back to the unedited state, untimed, on both sides.
        settle(Side::Original)?;
        settle(Side::Split)?;
        checks.push(ModuleCheck {
            module: t.module.clone(),
            edit: t.edit,
            file: crate::paths::relative(&package.root_dir, &t.original_file),
            krate: t.krate.clone(),
            weight: t.weight / total_weight,
            predicted: t.predicted.clone(),
            samples,
        });
    }
    progress.finish_and_clear();
    let measured_weight: f64 = targets.iter().map(|t| t.weight).sum();
    let profiles = Measure::ALL.map(|measure| profile_check(measure, &checks, options.reps)).to_vec();
    Ok(PredictionCheck {
        schema_version: PREDICTION_SCHEMA_VERSION,
        checked: CheckedSplit::new(package, label, row.shape, plan.names.clone()),
        features: copy.flags.describe(),
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

fn weight(m: &crate::data::graph::GraphModule) -> f64 {
    m.p_edit.unwrap_or(f64::from(m.src_lines))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Original,
    Split,
}

/// One edit the model weighs: a graph node's src or test code, its weight (the model's edit
/// probability, unnormalized) and its predicted cost per measure as (unsplit, split).
#[derive(Debug, Clone)]
pub struct PredictedEdit {
    pub module: String,
    pub edit: EditKind,
    pub weight: f64,
    pub predicted: Pair<(f64, f64)>,
}

/// Every edit of the model, priced by `Model::price` for `row`'s split: the check measures
/// those whose file it can edit. Over all of them, [`predicted_e`] is the report's `E`.
pub fn predicted_edits(graph: &GraphReport, prices: &Prices, row: &CandidateRow) -> Vec<PredictedEdit> {
    let lib = predicted_costs(prices, Profile::Lib, row);
    let test = predicted_costs(prices, Profile::Test, row);
    let mut out = Vec::new();
    for m in &graph.modules {
        let (Some(l), Some(t)) = (lib.get(&m.path), test.get(&m.path)) else { continue };
        out.push(PredictedEdit {
            module: m.path.clone(),
            edit: EditKind::Src,
            weight: weight(m),
            predicted: Pair { lib: l.src, test: t.src, test_crate: t.src_own },
        });
        out.push(PredictedEdit {
            module: m.path.clone(),
            edit: EditKind::Test,
            weight: crate::partition::test_edit_weight(m),
            predicted: Pair { lib: l.test, test: t.test, test_crate: t.test },
        });
    }
    out
}

/// The weighted mean of predicted costs, (unsplit, split): the check's predicted `E`.
pub fn predicted_e<'a>(edits: impl Iterator<Item = (f64, &'a (f64, f64))>) -> (f64, f64) {
    let (mut w, mut o, mut s) = (0.0, 0.0, 0.0);
    for (weight, (unsplit, split)) in edits {
        w += weight;
        o += weight * unsplit;
        s += weight * split;
    }
    if w > 0.0 { (o / w, s / w) } else { (0.0, 0.0) }
}

/// The files to edit: each graph node's own file (a src edit) and its largest test module's
/// file (a test edit), with the model's weight and predicted cost of each edit.
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
    let k = plan.names.len();
    let name = |d: usize| if d == k { analysis.package.name.clone() } else { plan.names[d].clone() };
    let has_file = |id: crate::modtree::ModuleId| {
        let m = tree.get(id);
        !m.inline && m.in_fn.is_none() && m.file.is_file()
    };
    let copy_file = |id: crate::modtree::ModuleId| {
        let owner = plan.layout.owner[id.index()];
        let dir = if owner == k { &plan.facade_dir } else { &plan.part_dirs[owner] };
        let file = &tree.get(id).file;
        let rel = file.strip_prefix(&analysis.package.root_dir).unwrap_or(file);
        (copy_root.join(dir).join(rel), name(owner))
    };
    let mut out = Vec::new();
    for e in predicted_edits(graph, prices, row).into_iter().filter(|e| e.weight > 0.0) {
        let Some(&id) = by_path.get(e.module.as_str()) else { continue };
        // A src edit edits the module's file; a test edit its test module with a file of its
        // own holding the most test lines.
        let file_of = match e.edit {
            EditKind::Src => Some(id).filter(|&id| has_file(id)),
            EditKind::Test => tree
                .get(id)
                .children
                .iter()
                .copied()
                .filter(|&c| tree.get(c).test_only && has_file(c))
                .max_by_key(|&c| (tree.get(c).subtree.test_code, std::cmp::Reverse(c.index()))),
        };
        let Some(f) = file_of else { continue };
        let (copy, krate) = copy_file(f);
        out.push(Target {
            module: tree.get(f).path.clone(),
            edit: e.edit,
            original_file: tree.get(f).file.clone(),
            copy_file: copy,
            krate,
            weight: e.weight,
            predicted: e.predicted,
        });
    }
    out
}

/// A module's predicted costs, each (unsplit, split): a src edit with the crates above re-run,
/// a src edit in its own crate only (the crate workflow), a test edit.
#[derive(Debug, Clone, Copy)]
pub struct Predicted {
    src: (f64, f64),
    src_own: (f64, f64),
    test: (f64, f64),
}

/// Per module path: the model's cost of an edit of its src and of its test code, each as
/// (unsplit, split), for `profile`, from [`crate::partition::Model::price`].
fn predicted_costs(prices: &Prices, profile: Profile, row: &CandidateRow) -> BTreeMap<String, Predicted> {
    let shape = if row.crate_part.is_some() { Shape::CrateOnTop } else { Shape::Facade };
    let pricing = prices.of(profile);
    let model = pricing.model(shape);
    let units = model.graph;
    let Some(parts) = crate::partition::parts_of_row(units, &row.parts) else { return BTreeMap::new() };
    let Some(priced) = model.price(&parts, row.parts.len()) else { return BTreeMap::new() };
    let mut out = BTreeMap::new();
    let mut add = |path: &str, u: usize| {
        let (src, test) = model.unsplit_unit_cost(u);
        out.insert(
            path.to_owned(),
            Predicted {
                src: (src, priced.unit_src_cost[u]),
                src_own: (src, priced.unit_src_cost_own[u]),
                test: (test, priced.unit_test_cost[u]),
            },
        );
    };
    for (path, &u) in &units.unit_of_module {
        add(path, u);
    }
    // The root's edits land in its shared items and its own ones in proportion to their src
    // lines (the model's two units); its tests are the facade unit's.
    if let Some(f) = units.facade_unit {
        add("crate", f);
        if let (Some(sh), Some(root)) = (units.shared_unit.filter(|&sh| sh != f), out.get_mut("crate")) {
            let (ps, pf) = (model.p[sh], model.p[f]);
            let (src, _) = model.unsplit_unit_cost(sh);
            let mix = |a: f64, b: f64| if ps + pf > 0.0 { (ps * a + pf * b) / (ps + pf) } else { b };
            root.src = (mix(src, root.src.0), mix(priced.unit_src_cost[sh], root.src.1));
            root.src_own = (mix(src, root.src_own.0), mix(priced.unit_src_cost_own[sh], root.src_own.1));
        }
    }
    out
}

fn profile_check(measure: Measure, checks: &[ModuleCheck], reps: u32) -> ProfileCheck {
    fn pick(measure: Measure, c: &ModuleCheck) -> &[(f64, f64)] {
        measure.of(&c.samples).as_slice()
    }
    let weight: f64 = checks.iter().map(|c| c.weight).sum();
    let (pred_o, pred_s) = predicted_e(checks.iter().map(|c| (c.weight, measure.of(&c.predicted))));
    let mut e_o = Vec::new();
    let mut e_s = Vec::new();
    let mut saving = Vec::new();
    for rep in 0..reps as usize {
        let o: f64 = checks.iter().map(|c| c.weight * pick(measure, c)[rep].0).sum::<f64>() / weight;
        let s: f64 = checks.iter().map(|c| c.weight * pick(measure, c)[rep].1).sum::<f64>() / weight;
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
        profile: measure.name(),
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

    let top = if c.checked.shape == "facade" { "the facade on top" } else { "the crate itself on top" };
    md.push_str(&format!(
        "Checked by {} on {}, `{}` at commit `{}`.\n\n",
        c.checked.tool,
        c.checked.date,
        c.checked.krate,
        c.checked.crate_commit.as_deref().map_or("(not in git)", |h| &h[..h.len().min(12)])
    ));
    md.push_str(&format!(
        "`splitcheck apply --measure` split `{}` into {} and {top} (shape `{}`), proved it builds and passes the \
         same tests, then timed rebuilds after a body edit on the original and on the split copy, \
         interleaved ({} reps per edit and side, {} cores, {}, {}). {} edits of the src and test code of the {} modules \
         were measured, carrying {:.0}% of the edit probability; `E` below is the probability-weighted mean over \
         them, per rep, and the saving is `1 - E split / E unsplit` within each rep (median, lowest to highest).\n\n",
        c.checked.krate,
        c.checked.parts.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
        c.checked.shape,
        c.reps,
        c.cores,
        c.checked.rustc,
        c.features,
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
        "\nEdits: a body edit of each module's own file (src) and of its largest test module's file (test), \
         weighted by the model's src and test edit probabilities. lib: `cargo build --lib -p …` of every crate \
         of the crate's split after the edit (the original: the crate); test (workspace): `cargo test --no-run \
         -p …` of the same crates after that (every test binary that sees the edit rebuilds); test (crate): \
         after a second edit of the same file and the library build, `cargo test --no-run -p` of the crate \
         holding the edited file only (on the original, the same build as the workspace workflow). Saving error = \
         measured − predicted saving.\n",
    );
    if !c.moved_tests.is_empty() {
        md.push_str(&format!(
            "\nTests placed above their module's crate (they use a crate above it; the model places them \
             there too): {}.\n",
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
    md.push_str("\n| Module | Edit | Crate after the split | Weight | lib predicted | lib measured | test predicted | test measured | test (crate) predicted | test (crate) measured |\n");
    md.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    let med = |v: &[(f64, f64)], side: bool| {
        let xs: Vec<f64> = v.iter().map(|x| if side { x.1 } else { x.0 }).collect();
        spread(&xs).map_or(0.0, |s| s.median)
    };
    for m in &c.modules {
        md.push_str(&format!(
            "| `{}` | {} | `{}` | {:.3} | {:.2} → {:.2} s | {:.2} → {:.2} s | {:.2} → {:.2} s | {:.2} → {:.2} s | {:.2} → {:.2} s | {:.2} → {:.2} s |\n",
            m.module,
            if m.edit == EditKind::Src { "src" } else { "test" },
            m.krate,
            m.weight,
            m.predicted.lib.0,
            m.predicted.lib.1,
            med(&m.samples.lib, false),
            med(&m.samples.lib, true),
            m.predicted.test.0,
            m.predicted.test.1,
            med(&m.samples.test, false),
            med(&m.samples.test, true),
            m.predicted.test_crate.0,
            m.predicted.test_crate.1,
            med(&m.samples.test_crate, false),
            med(&m.samples.test_crate, true)
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
    let text =
        format!("# {}: prediction check of {}\n\n{}", c.checked.krate, c.checked.split, check_markdown(c));
    std::fs::write(&md, text).map_err(Error::output_file(&md))?;
    let body = crate::data::json::pretty_json(c).map_err(Error::Output)?;
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
