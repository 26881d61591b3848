//! `splitcheck apply`: the arguments, and the steps in order (plan, copy, verify, measure),
//! each printed as it finishes.

use super::ProfileArg;
use crate::analysis::{self, CrateAnalysis};
use crate::apply::layout::SplitInput;
use crate::apply::verify;
use crate::cargo::Cargo;
use crate::data::graph::GraphReport;
use crate::data::partition::CandidateRow;
use crate::error::Error;
use crate::workspace::Selection;
use clap::Args;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub(super) struct ApplyArgs {
    /// The crate: a package name in the workspace, or a path to a crate directory.
    #[arg(value_name = "CRATE")]
    pub(super) krate: Option<String>,

    /// The report's candidate to carry out, by id (`2-1`: the best for 2 parts).
    #[arg(long, value_name = "ID", required_unless_present = "split", conflicts_with = "split")]
    candidate: Option<String>,

    /// A split of your own, as `explore --split` reads it: `core=crate::ir; rest=*`.
    #[arg(long, value_name = "SPEC")]
    split: Option<String>,

    /// Directory for the copy of the workspace (must not exist, or be empty).
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,

    /// Crate names of the parts, in part order (default: `<crate>_<part>`, the part named
    /// after its largest top-level module, or as --split names it).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    names: Vec<String>,

    /// Price with this recording (default: reports/<crate>/timings.json when it is there), so
    /// the candidate ids are the report's.
    #[arg(long, value_name = "FILE")]
    timings: Option<PathBuf>,

    /// The profile candidates are ranked by, as for the report.
    #[arg(long, value_enum, default_value_t = ProfileArg::Test)]
    profile: ProfileArg,

    /// Only write the copy: no `cargo check`, no tests.
    #[arg(long)]
    no_verify: bool,

    /// Also time rebuilds after an edit of every module, on the original and on the copy
    /// (interleaved), and write the prediction check into the report directory.
    #[arg(long, conflicts_with = "no_verify")]
    measure: bool,

    /// Timed rebuilds per module and side with --measure.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    reps: u32,

    /// With --measure: only the N modules most likely to be edited.
    #[arg(long, value_name = "N")]
    top: Option<usize>,

    /// Also (or only, without --measure) time clean builds of the original and of the copy
    /// (`CARGO_INCREMENTAL=0`, interleaved, --reps each) beside the clean-build prediction, into
    /// clean-check.md/.json in the report directory. Needs a clean-build recording.
    #[arg(long, conflicts_with = "no_verify")]
    clean: bool,

    /// The clean-build recording for --clean (default: reports/<crate>/clean.json).
    #[arg(long, value_name = "FILE")]
    clean_timings: Option<PathBuf>,

    /// Cores the clean-build prediction schedules on (default: this machine's); the check also
    /// predicts 8 cores.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    cores: Option<u32>,

    /// Where --measure writes prediction-check.md/.json (default: reports/<crate>).
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
}

/// The split to carry out: its priced row, the parts' names, and the prices it was chosen by
/// (the prediction check compares with them).
struct Chosen {
    row: CandidateRow,
    label: String,
    names: Vec<String>,
    prices: crate::pricing::Prices,
}

pub(super) fn apply(cli: &super::Cli, args: &ApplyArgs, selection: &Selection) -> Result<(), Error> {
    let quiet = cli.global.quiet;
    let analysis = analysis::analyze(selection)?;
    super::recover_edits(&analysis)?;
    let graph = crate::graph::export::crate_graph_report(&analysis);
    let chosen = choose(&analysis, &graph, args, quiet)?;
    let input = split_input(&chosen);
    let package = &analysis.package;
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    let manifest = std::fs::read_to_string(&package.manifest_path)
        .map_err(|e| Error::Usage(format!("{}: {e}", package.manifest_path.display())))?;
    let ws_manifest_path = package.workspace_root.join("Cargo.toml");
    let workspace_manifest = (ws_manifest_path != package.manifest_path)
        .then(|| std::fs::read_to_string(&ws_manifest_path).ok())
        .flatten();
    let src_dir = package.lib.src_path.parent().unwrap_or(&package.root_dir).to_path_buf();
    let sources = crate::apply::PlanSources {
        text: &read,
        manifest,
        workspace_manifest,
        data_files: data_files(&src_dir),
    };
    let plan = crate::apply::plan(&analysis, &input, &sources).map_err(|e| Error::Usage(e.to_string()))?;
    crate::apply::copy::write_copy(&plan, &package.workspace_root, &args.out)?;
    let mut out = anstream::stdout().lock();
    write_plan_summary(&plan, &chosen, &args.out, quiet, &mut out).map_err(Error::Output)?;
    if args.no_verify {
        return Ok(());
    }
    let copy_manifest = args.out.join(&plan.facade_dir).join("Cargo.toml");
    let copy = Cargo {
        manifest: copy_manifest,
        target_dir: Some(
            std::path::absolute(args.out.join("target")).unwrap_or_else(|_| args.out.join("target")),
        ),
        offline: cli.global.offline,
        flags: cli.global.cargo_flags(),
    };
    let original = Cargo {
        manifest: package.manifest_path.clone(),
        offline: cli.global.offline,
        flags: cli.global.cargo_flags(),
        ..Cargo::default()
    };
    let rel = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let original_dir = rel(package.root_dir.strip_prefix(&package.workspace_root).unwrap_or(Path::new("")));
    let mut dirs: Vec<String> = plan.part_dirs.iter().map(|d| rel(d)).collect();
    dirs.push(rel(&plan.facade_dir));
    let checked = verify::check_copy(&copy, &dirs, &original, &original_dir)?;
    let (check, new_errors) = (&checked.copy, &checked.new_errors);
    let compiles = new_errors.is_empty();
    let mut verdict_ok = compiles;
    let command = "`cargo check --workspace --all-targets`";
    if check.ok {
        writeln!(out, "check: {command} on the copy passed ({:.1} s)", check.seconds)
    } else if compiles {
        writeln!(
            out,
            "check: {command} fails on the original too, with the same {} error(s) (e.g. {}); the copy adds none",
            check.errors.len(),
            check.errors[0]
        )
    } else {
        writeln!(
            out,
            "check: {command} on the copy failed with {} new error(s) (the original has {}):",
            new_errors.len(),
            checked.original_errors
        )
        .and_then(|_| new_errors.iter().take(12).try_for_each(|e| writeln!(out, "  {e}")))
    }
    .map_err(Error::Output)?;
    let tests = if compiles {
        let before = verify::run_tests(
            &original,
            std::slice::from_ref(&package.name),
            std::slice::from_ref(&original_dir),
        )?;
        let mut packages = plan.names.clone();
        packages.push(package.name.clone());
        let after = verify::run_tests(&copy, &packages, &dirs)?;
        let cmp = verify::compare(&before.outcomes, &after.outcomes);
        write_tests(&before, &after, &cmp, &mut out).map_err(Error::Output)?;
        verdict_ok &= cmp.identical() && after.built;
        Some(cmp)
    } else {
        None
    };
    let verdict = match (&tests, verdict_ok) {
        (Some(c), true) => {
            format!("verdict: the split compiles and passes the same {} tests with the same outcomes", c.same)
        }
        (Some(_), false) => {
            "verdict: the split compiles, but its tests differ from the original's (above)".to_owned()
        }
        (None, _) => format!(
            "verdict: the split does not compile yet; {} edit(s) are listed above to make by hand",
            plan.hand_edits.len()
        ),
    };
    writeln!(out, "{verdict}").map_err(Error::Output)?;
    if !verdict_ok {
        return Err(Error::Verify(format!(
            "the split of `{}` in {} is written, but not proven (see above)",
            package.name,
            args.out.display()
        )));
    }
    // Read before anything is timed: a missing recording should not cost a measurement.
    let clean = if args.clean {
        let file = args
            .clean_timings
            .clone()
            .unwrap_or_else(|| PathBuf::from("reports").join(&package.name).join("clean.json"));
        let flag = if args.clean_timings.is_some() { "--clean-timings" } else { "--clean: reading" };
        Some((crate::pipeline::read_clean(&file, flag)?, file))
    } else {
        None
    };
    if args.measure {
        let dir = args.report.clone().unwrap_or_else(|| PathBuf::from("reports").join(&package.name));
        let options = crate::measure::prediction::MeasureOptions {
            reps: args.reps,
            top: args.top,
            progress: !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        };
        let check = crate::measure::prediction::measure_and_compare(
            &analysis,
            &graph,
            &chosen.prices,
            &plan,
            &chosen.row,
            &chosen.label,
            &copy,
            &args.out,
            &options,
        )?;
        let written = crate::measure::prediction::write_check(&check, &dir)?;
        crate::measure::prediction::write_summary(&check, &mut out).map_err(Error::Output)?;
        writeln!(out, "prediction check: {}", written.display()).map_err(Error::Output)?;
    }
    if let Some((recording, file)) = clean {
        let dir = args.report.clone().unwrap_or_else(|| PathBuf::from("reports").join(&package.name));
        let written =
            clean_check(&analysis, &chosen, &plan, &copy, &original, (&recording, &file), args, &dir)?;
        writeln!(out, "clean-build check: {}", written.display()).map_err(Error::Output)?;
    }
    Ok(())
}

/// `--clean`: the chosen split's predicted clean build, then clean builds of both sides timed.
#[allow(clippy::too_many_arguments)]
fn clean_check(
    analysis: &CrateAnalysis,
    chosen: &Chosen,
    plan: &crate::apply::SplitPlan,
    copy: &Cargo,
    original: &Cargo,
    (recording, file): (&crate::data::clean::CleanRecording, &Path),
    args: &ApplyArgs,
    dir: &Path,
) -> Result<PathBuf, Error> {
    use crate::measure::clean::{self, CleanTarget};
    let package = &analysis.package;
    let shown = file.display().to_string();
    let costs = crate::clean_build::CleanCosts::of(recording, &package.name)
        .map_err(|e| Error::Usage(format!("--clean {shown}: {e}")))?;
    let totals = analysis.tree.totals();
    let totals = (f64::from(totals.src_code), f64::from(totals.test_code));
    let parts = crate::clean_build::Parts::of(&chosen.row);
    let cores = args
        .cores
        .map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), |c| c as usize);
    let predict = |cores: usize| {
        crate::clean_build::clean_build(&parts, &package.name, totals, &costs, cores)
            .ok_or_else(|| Error::Measure("the split's crates depend on each other in a cycle".to_owned()))
    };
    let predicted = predict(cores)?;
    let other_cores = [8usize]
        .into_iter()
        .filter(|&c| c != cores)
        .map(|c| {
            predict(c).map(|b| clean::OtherCores {
                cores: c,
                lib_s: (b.lib.unsplit_s, b.lib.split_s),
                test_s: b.test.as_ref().map(|t| (t.unsplit_s, t.split_s)),
                full_throughput: b.full_throughput,
                unit_speedup: b.unit_speedup,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    // Each side builds clean in a target directory of its own.
    let clean_dir = |base: &Path| base.join("splitcheck-clean");
    let original = Cargo { target_dir: Some(clean_dir(&package.target_dir)), ..original.clone() };
    let copy_target = copy.target_dir.clone().unwrap_or_else(|| args.out.join("target"));
    let split = Cargo { target_dir: Some(clean_dir(&copy_target)), ..copy.clone() };
    let lib_rel = package.lib.src_path.strip_prefix(&package.root_dir).unwrap_or(Path::new("src/lib.rs"));
    let target = |name: &str, root_file: PathBuf| CleanTarget {
        name: name.to_owned(),
        root_file,
        src_lines: 0,
        test_lines: 0,
    };
    let original_targets = vec![target(&package.name, package.lib.src_path.clone())];
    let mut split_targets: Vec<CleanTarget> = plan
        .names
        .iter()
        .zip(&plan.part_dirs)
        .map(|(name, d)| target(name, args.out.join(d).join("src").join("lib.rs")))
        .collect();
    split_targets.push(target(&package.name, args.out.join(&plan.facade_dir).join(lib_rel)));
    let _owner = crate::measure::journal::claim(&package.target_dir)
        .map_err(|e| crate::measure::record::journal_error(&package.target_dir, e))?;
    let mut journal_o = crate::measure::journal::Journal::open(&package.target_dir)
        .map_err(|e| crate::measure::record::journal_error(&package.target_dir, e))?;
    let mut journal_s = crate::measure::journal::Journal::open(&copy_target)
        .map_err(|e| crate::measure::record::journal_error(&copy_target, e))?;
    crate::cargo::install_interrupt_handler();
    let measured = clean::measure_clean(
        clean::CleanSides { original: (&original, original_targets), split: (&split, split_targets) },
        (&mut journal_o, &mut journal_s),
        args.reps,
    )?;
    let header = clean::CleanCheckHeader {
        checked: crate::measure::prediction::CheckedSplit::new(
            package,
            &chosen.label,
            chosen.row.shape,
            plan.names.clone(),
        ),
        reps: args.reps,
        // Relative to the check, so the check names no machine's paths.
        recording: std::path::absolute(file)
            .ok()
            .zip(std::path::absolute(dir).ok())
            .map_or(shown, |(file, dir)| crate::paths::relative(&dir, &file)),
    };
    let check = clean::clean_check(header, &predicted, measured, other_cores);
    std::fs::create_dir_all(dir).map_err(Error::output_file(dir))?;
    let (md, json) = (dir.join("clean-check.md"), dir.join("clean-check.json"));
    std::fs::write(&md, clean::clean_check_markdown(&check)).map_err(Error::output_file(&md))?;
    let body = crate::data::json::pretty_json(&check).map_err(Error::Output)?;
    std::fs::write(&json, body).map_err(Error::output_file(&json))?;
    Ok(md)
}

fn choose(
    analysis: &CrateAnalysis,
    graph: &GraphReport,
    args: &ApplyArgs,
    quiet: bool,
) -> Result<Chosen, Error> {
    let chosen = if let Some(spec) = &args.split {
        let spec = crate::explore::parse_spec(spec).map_err(|e| Error::Usage(format!("--split: {e}")))?;
        let prices = super::explore_prices(analysis, graph, args.timings.as_deref(), args.profile, quiet)?;
        let (mut report, explored) = super::explore_split(&spec, graph, &prices)?;
        let names = explored
            .names
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != report.candidates[0].crate_part)
            .map(|(_, n)| format!("{}_{n}", analysis.package.name.replace('-', "_")))
            .collect();
        Chosen { row: report.candidates.remove(0), label: "your split".to_owned(), names, prices }
    } else {
        let id = args.candidate.as_deref().unwrap_or_default();
        let rank: u32 = id
            .split_once('-')
            .and_then(|(k, r)| k.parse::<u32>().ok().and(r.parse().ok()))
            .ok_or_else(|| Error::Usage(format!("--candidate {id}: not an id like `2-1` (parts-rank)")))?;
        let options = crate::pipeline::PriceOptions {
            profile: args.profile.profile(),
            given: args.timings.as_deref(),
            beside: Some(PathBuf::from("reports").join(&analysis.package.name).join("timings.json")),
            ..Default::default()
        };
        let report = crate::tradeoff::TradeOffOptions { per_k: rank.max(3) as usize, ..Default::default() };
        let (trade_off, priced) =
            crate::pipeline::trade_off(&analysis.package, analysis.counts(), graph, &options, &report)?;
        super::notes(&priced.notes, quiet);
        let prices = priced.prices;
        let mut all: Vec<CandidateRow> = trade_off.splits.into_iter().flat_map(|s| s.candidates).collect();
        let ids: Vec<String> = all.iter().map(|c| c.id.clone()).collect();
        let Some(i) = all.iter().position(|c| c.id == id) else {
            return Err(Error::Usage(format!(
                "--candidate {id}: no such candidate of `{}`; there are {}",
                analysis.package.name,
                ids.join(", ")
            )));
        };
        let row = all.swap_remove(i);
        let names = default_names(&row, graph, &analysis.package.name);
        Chosen { row, label: format!("candidate {id}"), names, prices }
    };
    if args.names.is_empty() {
        return Ok(chosen);
    }
    if args.names.len() != chosen.names.len() {
        return Err(Error::Usage(format!(
            "--names: {} names for {} parts",
            args.names.len(),
            chosen.names.len()
        )));
    }
    if let Some(bad) = args.names.iter().find(|n| !valid_crate_name(n)) {
        return Err(Error::Usage(format!("--names: `{bad}` is not a crate name (letters, digits, `_`)")));
    }
    Ok(Chosen { names: args.names.clone(), ..chosen })
}

fn valid_crate_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `<crate>_<m>`, `m` the part's largest top-level module not naming an earlier part.
fn default_names(row: &CandidateRow, graph: &GraphReport, krate: &str) -> Vec<String> {
    let lines: BTreeMap<&str, u32> = graph.modules.iter().map(|m| (m.path.as_str(), m.src_lines)).collect();
    let base = krate.replace('-', "_");
    let mut names: Vec<String> = Vec::new();
    for (i, part) in row.parts.iter().enumerate().filter(|(i, _)| Some(*i) != row.crate_part) {
        let mut tops: BTreeMap<String, u32> = BTreeMap::new();
        for m in part {
            if let Some(top) = m.strip_prefix("crate::").map(|r| r.split("::").next().unwrap_or(r)) {
                *tops.entry(top.trim_start_matches("r#").to_owned()).or_default() +=
                    lines.get(m.as_str()).copied().unwrap_or(0);
            }
        }
        let mut ranked: Vec<(String, u32)> = tops.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let name = ranked
            .into_iter()
            .map(|(t, _)| format!("{base}_{t}"))
            .find(|n| !names.contains(n) && valid_crate_name(n))
            .unwrap_or_else(|| format!("{base}_part{}", i + 1));
        names.push(name);
    }
    names
}

fn split_input(chosen: &Chosen) -> SplitInput {
    let row = &chosen.row;
    // Shape crate-on-top: the crate's own part is the facade destination (the original crate),
    // the other parts are numbered below it in order.
    let dest: Vec<usize> = (0..row.parts.len())
        .map(|i| match row.crate_part {
            Some(top) if i == top => row.parts.len() - 1,
            Some(top) if i > top => i - 1,
            _ => i,
        })
        .collect();
    let mut module_part = BTreeMap::new();
    for (i, part) in row.parts.iter().enumerate() {
        for m in part.iter().filter(|m| m.starts_with("crate::")) {
            module_part.insert(m.clone(), dest[i]);
        }
    }
    let root_item_part = row.item_moves.iter().map(|m| (m.item.clone(), dest[m.to_part])).collect();
    let uses = row
        .part_dag
        .iter()
        .filter(|(a, b)| Some(*a) != row.crate_part && Some(*b) != row.crate_part)
        .map(|&(a, b)| (dest[a], dest[b]))
        .collect();
    SplitInput { names: chosen.names.clone(), module_part, root_item_part, uses }
}

/// Non-Rust files under `dir` (not in build directories): data a part's code may include.
fn data_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                if !crate::apply::copy::skipped(&path) {
                    stack.push(path);
                }
            } else if path.extension().is_none_or(|x| x != "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn write_plan_summary(
    plan: &crate::apply::SplitPlan,
    chosen: &Chosen,
    out_dir: &Path,
    quiet: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "{}: {} written to {}", plan.krate, chosen.label, out_dir.display())?;
    if quiet {
        return Ok(());
    }
    for (i, name) in plan.names.iter().enumerate() {
        let uses: Vec<&str> = (0..plan.names.len())
            .filter(|&p| plan.layout.sees(i, p))
            .map(|p| plan.names[p].as_str())
            .collect();
        writeln!(
            out,
            "  {name} ({}): {} modules{}",
            plan.part_dirs[i].display(),
            plan.part_modules[i].len(),
            if uses.is_empty() { String::new() } else { format!(", uses {}", uses.join(", ")) }
        )?;
    }
    let facade_dir = if plan.facade_dir.as_os_str().is_empty() { Path::new(".") } else { &plan.facade_dir };
    let own = plan.layout.owner.iter().filter(|&&d| d == plan.layout.facade()).count();
    match chosen.row.crate_part {
        Some(_) => writeln!(
            out,
            "  {} ({}): the crate itself, on top: {own} modules, re-exporting the crates below",
            plan.krate,
            facade_dir.display()
        )?,
        None => {
            writeln!(out, "  {} ({}): the facade, re-exporting the parts", plan.krate, facade_dir.display())?
        }
    }
    writeln!(
        out,
        "  {} item(s) made pub, {} macro(s) exported, {} root item(s) moved down",
        plan.layout.raise.len(),
        plan.layout.export_macros.len(),
        plan.layout.root_items.len()
    )?;
    for (at, name) in &plan.dropped_non_exhaustive {
        writeln!(
            out,
            "  `{name}` ({at}) is used across crates: its #[non_exhaustive] is dropped (the crate's own exhaustive matches need it; keep it and add `_` arms instead if downstream must not match exhaustively)"
        )?;
    }
    for part in &plan.dev_dependent_parts {
        writeln!(
            out,
            "  `{part}` has `{krate}` as a dev-dependency (its doc tests name `{krate}::`): in `cargo test --workspace` every edit of `{krate}` also rebuilds `{part}`'s test binary, which the prediction does not price",
            krate = plan.krate
        )?;
    }
    // The layering this split makes, for `splitcheck check` to keep it: each layer named by
    // its crate (the parts' names are in part order, the crate's own part left out).
    let mut names = plan.names.clone();
    if let Some(own) = chosen.row.crate_part.filter(|_| names.len() < chosen.row.parts.len()) {
        names.insert(own.min(names.len()), plan.krate.clone());
    }
    writeln!(out, "  layers = {:?}", crate::layers::layers_line(&chosen.row, &plan.krate, &names))?;
    for (module, to) in &plan.moved_tests {
        writeln!(out, "  tests `{module}` use a part above their module's: placed in {to}")?;
    }
    if !plan.hand_edits.is_empty() {
        writeln!(out, "  to do by hand ({}):", plan.hand_edits.len())?;
        for h in &plan.hand_edits {
            writeln!(out, "    {}:{}: {}", h.file.display(), h.line, h.message)?;
        }
    }
    Ok(())
}

fn write_tests(
    before: &verify::TestRun,
    after: &verify::TestRun,
    cmp: &verify::TestComparison,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let line = |r: &verify::TestRun| {
        format!("{} passed, {} failed, {} ignored ({:.1} s)", r.passed, r.failed, r.ignored, r.seconds)
    };
    writeln!(out, "tests: original {}; split {}", line(before), line(after))?;
    for m in cmp.missing.iter().take(10) {
        writeln!(out, "  missing in the split: {m}")?;
    }
    for e in cmp.extra.iter().take(10) {
        writeln!(out, "  only in the split: {e}")?;
    }
    for (t, b, a) in cmp.changed.iter().take(10) {
        writeln!(out, "  {t}: {b} before, {a} after")?;
    }
    Ok(())
}
