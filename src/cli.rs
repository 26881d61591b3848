//! Command-line arguments (clap derive) and dispatch to the library; the binaries only call
//! [`main`]. Owns: the argument contract and mapping errors to exit codes. Must not: analyze.

use crate::analysis;
use crate::error::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, Error};
use crate::graph::{GraphOptions, ModuleGraph, NodeId};
use crate::partition::{self, CostModel, CostSource, Profile};
use crate::report;
use crate::workspace::Selection;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (problems found in single files are reported, not fatal)
  1  failure while working (cargo failed, output could not be written, Graphviz missing)
  2  bad input or usage (unknown crate, bad manifest, bad flag, command not available yet)
  130  interrupted during `record` (every edited file restored first)";

/// Would splitting this crate into smaller crates cut incremental rebuild time?
///
/// Reads a library crate's module tree from source and reports, per module, its size in code and
/// in tests. Later commands build the module dependency graph, propose splits and price them.
#[derive(Debug, Parser)]
#[command(name = "splitcheck", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,

    #[command(subcommand)]
    command: Option<Command>,

    /// The crate to analyze: a package (or library) name in the workspace, or a path to a crate
    /// directory. Default: the package of the current directory or of --manifest-path.
    #[arg(value_name = "CRATE")]
    krate: Option<String>,

    /// Output format of the module table.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Args)]
struct GlobalArgs {
    /// Path to a package or workspace Cargo.toml (default: found from the current directory).
    #[arg(long, value_name = "PATH", global = true)]
    manifest_path: Option<PathBuf>,

    /// Print only the results, no headers or notes.
    #[arg(short, long, global = true)]
    quiet: bool,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN", global = true)]
    color: ColorWhen,

    /// Run cargo without network access.
    #[arg(long, global = true)]
    offline: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The module dependency graph: DOT, SVG, PNG or JSON, with cycles and what breaks them.
    Graph(GraphArgs),
    /// Propose splits of the crate into crates: min-cut and exact search, priced and checked.
    Partition(PartitionArgs),
    /// Record real incremental rebuild times: edit each module, time cargo, restore the file.
    Record(RecordArgs),
    /// Price and draw a split of your own. Not available yet.
    Explore(CrateArg),
}

#[derive(Debug, Args)]
struct GraphArgs {
    /// The crate: a package name in the workspace, or a path to a crate directory.
    #[arg(value_name = "CRATE")]
    krate: Option<String>,

    /// Output format (default: from the --out extension, else dot). svg and png run the
    /// Graphviz `dot` program.
    #[arg(long, value_enum)]
    format: Option<GraphFormat>,

    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Merge modules deeper than N into their ancestor (1: top-level modules only).
    #[arg(long, value_name = "N")]
    depth: Option<u32>,

    /// Show only this module (e.g. `crate::ir`) and the modules it uses or is used by.
    #[arg(long, value_name = "MODULE")]
    focus: Option<String>,

    /// Count references from test-only code (`#[cfg(test)]`, `#[test]`) as edges of the analysis
    /// and draw them; by default they are listed in JSON but do not form cycles.
    #[arg(long)]
    include_tests: bool,

    /// Draw a graph saved earlier with `--format json` (possibly edited) instead of analyzing a
    /// crate.
    #[arg(long, value_name = "JSON", conflicts_with_all = ["krate", "depth", "focus", "include_tests"])]
    from: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct PartitionArgs {
    /// The crate: a package name in the workspace, or a path to a crate directory.
    #[arg(value_name = "CRATE")]
    krate: Option<String>,

    /// Number of parts (future crates; the crate root stays on top as a facade).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=6))]
    parts: u8,

    /// Drop candidates that need more than N items to become `pub`.
    #[arg(long, value_name = "N")]
    max_new_pub: Option<usize>,

    /// Price the library build alone or with its unit tests.
    #[arg(long, value_enum, default_value_t = ProfileArg::Lib)]
    profile: ProfileArg,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,

    /// Partition a graph saved with `splitcheck graph --format json` (optionally with `p_edit`
    /// and `edit_factor` per module) instead of analyzing a crate.
    #[arg(long, value_name = "FILE", conflicts_with = "krate")]
    graph_json: Option<PathBuf>,

    /// Seconds to rebuild any crate whose source changed, besides its lines (default 0.3,
    /// assumed).
    #[arg(long, value_name = "S", value_parser = non_negative)]
    fixed_cost: Option<f64>,

    /// Seconds per code line to rebuild a crate whose source changed (default 0.001, assumed).
    #[arg(long, value_name = "S", value_parser = non_negative)]
    per_line: Option<f64>,

    /// Seconds to re-run rustc on a dependent crate whose source did not change (default: as
    /// --fixed-cost).
    #[arg(long, value_name = "S", value_parser = non_negative)]
    dep_fixed_cost: Option<f64>,

    /// Seconds per code line of such a re-run (default: as --per-line).
    #[arg(long, value_name = "S", value_parser = non_negative)]
    dep_per_line: Option<f64>,

    /// How many candidates to show.
    #[arg(long, default_value_t = 5, value_name = "N")]
    top: usize,

    /// Edit probabilities from the lines changed per module in the last N commits (git), instead
    /// of module sizes (each module counts one line more, so untouched ones keep a chance).
    #[arg(long, value_name = "N", conflicts_with = "graph_json")]
    churn: Option<u32>,

    /// Price with a recording (`splitcheck record --workspace-fit`): its fitted `fixed` and
    /// `per_line`, and each recorded module's edit-cost factor (measured over predicted).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fixed_cost", "per_line"])]
    timings: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct RecordArgs {
    /// The crate: a package name in the workspace, or a path to a crate directory.
    #[arg(value_name = "CRATE")]
    krate: Option<String>,

    /// How each module file is edited before a timed rebuild.
    #[arg(long, value_enum, default_value_t = crate::record::TouchKind::Body)]
    touch: crate::record::TouchKind,

    /// Timed rebuilds per module and profile (after a warm-up build).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=50))]
    reps: u32,

    /// Only these modules (comma-separated paths, e.g. `crate::ir,crate::lower`).
    #[arg(long, value_delimiter = ',', value_name = "PATHS")]
    modules: Vec<String>,

    /// Only the N largest modules.
    #[arg(long, value_name = "N")]
    top: Option<usize>,

    /// Where to write the recording (default: reports/<crate>/timings.json).
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Also time an edit in every library crate of the workspace, and fit
    /// `fixed + per_line × lines` across their sizes (with R² and a bootstrap interval).
    #[arg(long)]
    workspace_fit: bool,

    /// Also time, after each edit, the rustc re-run of every workspace crate depending on this
    /// one directly, and fit the dependent re-run cost `d` over their sizes.
    #[arg(long)]
    with_dependents: bool,

    /// Only restore files an interrupted recording left edited, then exit.
    #[arg(long, conflicts_with_all = ["touch", "reps", "modules", "top", "out", "workspace_fit", "with_dependents"])]
    restore: bool,

    /// Read whole-crate timings from a `cargo build --timings` report instead of building
    /// (shows every unit; with --out, writes them as JSON).
    #[arg(long, value_name = "HTML", conflicts_with_all = ["krate", "touch", "reps", "modules", "top", "restore"])]
    from_cargo_timings: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProfileArg {
    Lib,
    Test,
}

fn non_negative(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a number of seconds (>= 0)")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    Dot,
    Json,
    Svg,
    Png,
}

#[derive(Debug, Args)]
struct CrateArg {
    /// The crate: a package name in the workspace, or a path to a crate directory.
    #[arg(value_name = "CRATE")]
    krate: Option<String>,
}

/// Runs splitcheck with the process arguments. `as_cargo_subcommand`: invoked as
/// `cargo-splitcheck`, whose first argument cargo sets to `splitcheck`.
pub fn main(as_cargo_subcommand: bool) -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if as_cargo_subcommand && args.get(1).is_some_and(|a| a == "splitcheck") {
        args.remove(1);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_BAD_INPUT } else { EXIT_OK });
        }
    };
    let color = match cli.global.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    color.write_global();
    match run(&cli) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(err) => {
            if let Error::Output(io) = &err
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::from(EXIT_OK);
            }
            let red = anstyle::AnsiColor::Red.on_default().bold();
            let _ = writeln!(anstream::stderr(), "{red}error{red:#}: {err}");
            ExitCode::from(match err.exit_code() {
                0 => EXIT_FAILURE,
                code => code,
            })
        }
    }
}

fn run(cli: &Cli) -> Result<(), Error> {
    let selection = |krate: &Option<String>| Selection {
        krate: krate.clone(),
        manifest_path: cli.global.manifest_path.clone(),
        offline: cli.global.offline,
    };
    if let (Some(krate), Some(_)) = (&cli.krate, &cli.command) {
        return Err(Error::Usage(format!(
            "`{krate}` stands before the subcommand; write the crate after it (e.g. `splitcheck graph {krate}`)"
        )));
    }
    match &cli.command {
        None => analyze(cli, &selection(&cli.krate)),
        Some(Command::Graph(args)) => graph(args, &selection(&args.krate)),
        Some(Command::Partition(args)) => partition(args, &selection(&args.krate)),
        Some(Command::Record(args)) => record(cli, args, &selection(&args.krate)),
        Some(Command::Explore(_)) => not_available("explore", "exploring your own split is planned"),
    }
}

fn not_available(command: &'static str, what: &'static str) -> Result<(), Error> {
    Err(Error::NotAvailable { command, what })
}

fn analyze(cli: &Cli, selection: &Selection) -> Result<(), Error> {
    let analysis = analysis::analyze(selection)?;
    recover_edits(&analysis)?;
    let report = report::module_report(&analysis);
    let mut out = anstream::stdout().lock();
    match cli.format {
        Format::Table => report::write_module_table(&report, cli.global.quiet, &mut out),
        Format::Json => serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
    }
    .map_err(Error::Output)
}

fn graph(args: &GraphArgs, selection: &Selection) -> Result<(), Error> {
    let format = match (args.format, &args.out) {
        (Some(f), _) => f,
        (None, Some(out)) => match out.extension().and_then(|e| e.to_str()) {
            Some("svg") => GraphFormat::Svg,
            Some("png") => GraphFormat::Png,
            Some("json") => GraphFormat::Json,
            _ => GraphFormat::Dot,
        },
        (None, None) => GraphFormat::Dot,
    };
    if format == GraphFormat::Png && args.out.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::Usage("not writing PNG to a terminal; give --out FILE".to_owned()));
    }
    let report = match &args.from {
        Some(path) => read_graph_report(path, "--from")?,
        None => {
            let analysis = analysis::analyze(selection)?;
            recover_edits(&analysis)?;
            let options = GraphOptions { include_tests: args.include_tests, depth: args.depth };
            let module_graph = ModuleGraph::build(&analysis.tree, analysis.resolution(), options);
            let focus = match &args.focus {
                None => None,
                Some(path) => Some(find_module(&module_graph, path)?),
            };
            report::graph_report(&analysis, &module_graph, focus)
        }
    };
    let bytes: Vec<u8> = match format {
        GraphFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(&report).map_err(std::io::Error::from).map_err(Error::Output)?;
            text.push('\n');
            text.into_bytes()
        }
        GraphFormat::Dot => report::to_dot(&report).into_bytes(),
        GraphFormat::Svg => {
            report::render_with_dot(&report::to_dot(&report), "svg").map_err(Error::Graphviz)?
        }
        GraphFormat::Png => {
            report::render_with_dot(&report::to_dot(&report), "png").map_err(Error::Graphviz)?
        }
    };
    match &args.out {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| Error::OutputFile { path: path.display().to_string(), source: e }),
        None => std::io::stdout().lock().write_all(&bytes).map_err(Error::Output),
    }
}

fn read_graph_report(path: &Path, flag: &str) -> Result<report::GraphReport, Error> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| Error::Usage(format!("{flag} {shown}: {e}")))?;
    let version: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::Usage(format!("{flag} {shown}: not JSON: {e}")))?;
    if version["schema_version"] != report::GRAPH_SCHEMA_VERSION {
        return Err(Error::Usage(format!(
            "{flag} {shown}: expected a graph with schema_version {}, found {}",
            report::GRAPH_SCHEMA_VERSION,
            version["schema_version"]
        )));
    }
    serde_json::from_value(version)
        .map_err(|e| Error::Usage(format!("{flag} {shown}: not a splitcheck graph: {e}")))
}

/// A module of the graph by path; `ir` and `crate::ir` both work.
fn find_module(graph: &ModuleGraph, path: &str) -> Result<NodeId, Error> {
    let full = if path == "crate" || path.starts_with("crate::") {
        path.to_owned()
    } else {
        format!("crate::{path}")
    };
    if let Some(id) = graph.find(&full) {
        return Ok(id);
    }
    // Compare without the `crate::` every path shares, or everything looks alike.
    let tail = |p: &str| p.strip_prefix("crate::").unwrap_or(p).to_owned();
    let mut scored: Vec<(f64, &str)> = graph
        .nodes
        .iter()
        .map(|n| (strsim::jaro_winkler(&tail(&full), &tail(&n.path)), n.path.as_str()))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let close: Vec<String> =
        scored.iter().take(3).filter(|s| s.0 > 0.8).map(|s| format!("`{}`", s.1)).collect();
    let hint = if close.is_empty() { String::new() } else { format!("; did you mean {}?", close.join(", ")) };
    Err(Error::Usage(format!("--focus: no module `{full}` in the graph{hint}")))
}

fn partition(args: &PartitionArgs, selection: &Selection) -> Result<(), Error> {
    let graph_report = match &args.graph_json {
        Some(path) => read_graph_report(path, "--graph-json")?,
        None => {
            let analysis = analysis::analyze(selection)?;
            recover_edits(&analysis)?;
            let module_graph =
                ModuleGraph::build(&analysis.tree, analysis.resolution(), GraphOptions::default());
            let mut graph = report::graph_report(&analysis, &module_graph, None);
            if let Some(commits) = args.churn {
                apply_churn(&analysis, &module_graph, commits, &mut graph)?;
            }
            graph
        }
    };
    let given = [args.fixed_cost, args.per_line, args.dep_fixed_cost, args.dep_per_line];
    // Flags for d untie it from c.
    let mut cost = CostModel::assumed();
    if given.iter().any(Option::is_some) {
        cost.source = CostSource::Flags;
    }
    let profile = match args.profile {
        ProfileArg::Lib => Profile::Lib,
        ProfileArg::Test => Profile::Test,
    };
    let mut graph_report = graph_report;
    if let Some(path) = &args.timings {
        apply_recording(path, profile, &mut cost, &mut graph_report)?;
    }
    let recorded_dep = args.timings.is_some();
    cost.fixed = args.fixed_cost.unwrap_or(cost.fixed);
    cost.per_line = args.per_line.unwrap_or(cost.per_line);
    cost.dep_fixed = args.dep_fixed_cost.unwrap_or(if recorded_dep { cost.dep_fixed } else { cost.fixed });
    cost.dep_per_line =
        args.dep_per_line.unwrap_or(if recorded_dep { cost.dep_per_line } else { cost.per_line });
    let units = partition::units_from_graph(&graph_report, false);
    let model = partition::Model::new(&units, cost.clone(), profile);
    let k = usize::from(args.parts);
    let result = partition::best_partitions(&model, &partition::SearchOptions { k, ..Default::default() });
    let setup = report::PartitionSetup {
        graph: &graph_report,
        units: &units,
        cost,
        profile,
        k,
        max_new_pub: args.max_new_pub,
        shown: args.top,
    };
    let partition_report = report::partition_report(&setup, &result.candidates, result.exact);
    let mut out = anstream::stdout().lock();
    match args.format {
        Format::Table => report::write_partition_table(&partition_report, false, &mut out),
        Format::Json => serde_json::to_writer_pretty(&mut out, &partition_report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
    }
    .map_err(Error::Output)
}

fn record(cli: &Cli, args: &RecordArgs, selection: &Selection) -> Result<(), Error> {
    if let Some(html) = &args.from_cargo_timings {
        return cargo_timings(html, args.out.as_deref());
    }
    let analysis = analysis::analyze(selection)?;
    recover_edits(&analysis)?;
    if args.restore {
        return Ok(());
    }
    let options = crate::record::RecordOptions {
        touch: args.touch,
        reps: args.reps,
        modules: args.modules.clone(),
        top: args.top,
        offline: cli.global.offline,
        progress: !cli.global.quiet && std::io::stderr().is_terminal(),
        workspace_fit: args.workspace_fit,
        with_dependents: args.with_dependents,
    };
    let timings = crate::record::record(&analysis, &options)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&analysis.package.name).join("timings.json"));
    let shown = out.display().to_string();
    let write = || -> std::io::Result<()> {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut text = serde_json::to_string_pretty(&timings).map_err(std::io::Error::from)?;
        text.push('\n');
        std::fs::write(&out, text)
    };
    write().map_err(|source| Error::OutputFile { path: shown.clone(), source })?;
    let mut stdout = anstream::stdout().lock();
    report::write_timings_table(&timings, &shown, cli.global.quiet, &mut stdout).map_err(Error::Output)
}

/// Restores files a killed `splitcheck record` left edited, and says so.
fn recover_edits(analysis: &analysis::CrateAnalysis) -> Result<(), Error> {
    let restored = crate::record::recover(&analysis.package.target_dir)?;
    if !restored.is_empty() {
        let base = &analysis.package.root_dir;
        let files: Vec<String> = restored.iter().map(|f| crate::paths::relative(base, f)).collect();
        let yellow = anstyle::AnsiColor::Yellow.on_default().bold();
        let _ = writeln!(
            anstream::stderr(),
            "{yellow}note{yellow:#}: restored {} file(s) an interrupted `splitcheck record` left edited: {}",
            files.len(),
            files.join(", ")
        );
    }
    Ok(())
}

fn cargo_timings(html: &Path, out: Option<&Path>) -> Result<(), Error> {
    let shown = html.display();
    let text = std::fs::read_to_string(html)
        .map_err(|e| Error::Usage(format!("--from-cargo-timings {shown}: {e}")))?;
    let mut units = crate::record::cargo_timings::parse(&text)
        .map_err(|e| Error::Usage(format!("--from-cargo-timings {shown}: {e}")))?;
    units.sort_by(|a, b| b.duration.total_cmp(&a.duration).then(a.name.cmp(&b.name)));
    if let Some(out) = out {
        let mut json = serde_json::to_string_pretty(&serde_json::json!({
            "schema_version": 1,
            "source": "cargo build --timings",
            "units": units,
        }))
        .map_err(std::io::Error::from)
        .map_err(Error::Output)?;
        json.push('\n');
        std::fs::write(out, json)
            .map_err(|source| Error::OutputFile { path: out.display().to_string(), source })?;
    }
    let mut stdout = anstream::stdout().lock();
    let width = units.iter().map(|u| u.name.len() + u.version.len() + 1).max().unwrap_or(4).max(4);
    let mut write = || -> std::io::Result<()> {
        writeln!(stdout, "{:<width$}  {:>10}  {:>10}  TARGET", "UNIT", "SECONDS", "FRONTEND")?;
        for u in &units {
            let frontend = u.sections.iter().find(|(n, _)| n == "frontend").map(|(_, p)| p.end - p.start);
            writeln!(
                stdout,
                "{:<width$}  {:>10.2}  {:>10}  {}",
                format!("{} {}", u.name, u.version),
                u.duration,
                frontend.map_or("-".to_owned(), |f| format!("{f:.2}")),
                if u.target.is_empty() { "lib".to_owned() } else { u.target.trim().to_owned() }
            )?;
        }
        Ok(())
    };
    write().map_err(Error::Output)
}

/// Prices with a recording: the fitted cost of the profile, and each recorded module's factor.
fn apply_recording(
    path: &Path,
    profile: Profile,
    cost: &mut CostModel,
    graph: &mut report::GraphReport,
) -> Result<(), Error> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| Error::Usage(format!("--timings {shown}: {e}")))?;
    let timings: crate::record::Timings = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("--timings {shown}: not a splitcheck recording: {e}")))?;
    if timings.krate.replace('-', "_") != graph.krate.replace('-', "_") {
        return Err(Error::Usage(format!(
            "--timings {shown}: a recording of `{}`, not of `{}`",
            timings.krate, graph.krate
        )));
    }
    // A fit from fewer samples than the cost module trusts (older recordings) is not used.
    let trusted = |f: &&crate::record::FitRow| f.samples >= crate::cost::MIN_SAMPLES;
    let fit = timings
        .workspace_fit
        .as_ref()
        .and_then(|w| match profile {
            Profile::Lib => w.lib.as_ref(),
            Profile::Test => w.test.as_ref(),
        })
        .filter(trusted);
    let Some(fit) = fit else {
        return Err(Error::Usage(format!(
            "--timings {shown}: no {} fit in it (record with --workspace-fit, in a workspace of crates of different sizes)",
            profile.as_str()
        )));
    };
    cost.fixed = fit.fixed_s.max(0.0);
    cost.per_line = fit.per_line_s.max(0.0);
    cost.intervals =
        Some(partition::CostIntervals { fixed: fit.fixed_interval_s, per_line: fit.per_line_interval_s });
    let dep_fit = timings.dependents.as_ref().and_then(|d| d.lib.as_ref()).filter(trusted);
    let dependents = match dep_fit {
        Some(d) => {
            cost.dep_fixed = d.fixed_s.max(0.0);
            cost.dep_per_line = d.per_line_s.max(0.0);
            cost.dep_tied = false;
            format!("dependent re-runs fitted from {} recorded crates, R² {:.2}", d.samples, d.r2)
        }
        None => match timings.workspace_fit.as_ref().and_then(|w| w.rerun.as_ref()).filter(trusted) {
            Some(r) => {
                cost.dep_fixed = r.fixed_s.max(0.0);
                cost.dep_per_line = r.per_line_s.max(0.0);
                cost.dep_tied = false;
                format!(
                    "dependent re-runs estimated from re-runs on unchanged code (comment touches) of {} crates, R² {:.2}",
                    r.samples, r.r2
                )
            }
            None => {
                cost.dep_fixed = cost.fixed;
                cost.dep_per_line = cost.per_line;
                "dependent re-runs not recorded, taken equal to an edit".to_owned()
            }
        },
    };
    cost.source = CostSource::Recorded(format!(
        "fitted from {} recorded crates, R² {:.2}; {dependents}",
        fit.samples, fit.r2
    ));
    // The fit is across crates; this crate's own recorded edits calibrate its level (its code
    // may compile slower or faster per line than the workspace's average): the median of its
    // modules' measured rebuild over the fit's prediction scales every cost of its parts. Each
    // module's factor `r_m` is then its own residual against that level.
    let crate_lines: f64 = graph
        .modules
        .iter()
        .map(|m| {
            f64::from(m.src_lines) + if profile == Profile::Test { f64::from(m.test_lines) } else { 0.0 }
        })
        .sum();
    let predicted = cost.rebuild(crate_lines);
    let measured: Vec<(String, f64)> = timings
        .modules
        .iter()
        .filter(|t| !t.test_only)
        .filter_map(|t| {
            let s = match profile {
                Profile::Lib => t.spread_s.lib,
                Profile::Test => t.spread_s.test,
            }?;
            Some((t.path.clone(), s.median))
        })
        .collect();
    let level = match crate::cost::spread(&measured.iter().map(|m| m.1).collect::<Vec<_>>()) {
        Some(s) if predicted > 0.0 => s.median / predicted,
        _ => 1.0,
    };
    cost.fixed *= level;
    cost.per_line *= level;
    if let Some(iv) = &mut cost.intervals {
        iv.fixed = (iv.fixed.0 * level, iv.fixed.1 * level);
        iv.per_line = (iv.per_line.0 * level, iv.per_line.1 * level);
    }
    if cost.dep_tied {
        cost.dep_fixed = cost.fixed;
        cost.dep_per_line = cost.per_line;
    }
    if let CostSource::Recorded(text) = &mut cost.source {
        text.push_str(&format!(
            "; calibrated ×{level:.2} to this crate's {} recorded module edits",
            measured.len()
        ));
    }
    for m in &mut graph.modules {
        if let Some((_, seconds)) = measured.iter().find(|(path, _)| *path == m.path)
            && predicted > 0.0
        {
            m.edit_factor = Some(seconds / (predicted * level));
        }
    }
    Ok(())
}

/// Sets each module's `p_edit` to the lines changed in its files over the last commits (+1).
fn apply_churn(
    analysis: &analysis::CrateAnalysis,
    module_graph: &ModuleGraph,
    commits: u32,
    graph: &mut report::GraphReport,
) -> Result<(), Error> {
    let changed = crate::record::churn::lines_changed(&analysis.package.root_dir, commits)
        .map_err(|e| Error::Usage(format!("--churn: {e}")))?;
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let changed: std::collections::BTreeMap<PathBuf, u64> =
        changed.into_iter().map(|(path, n)| (canonical(&path), n)).collect();
    for m in &mut graph.modules {
        let Some(node) = module_graph.find(&m.path) else { continue };
        let lines: u64 = module_graph
            .node(node)
            .members
            .iter()
            .flat_map(|id| analysis.tree.get(*id).files.iter())
            .map(|f| changed.get(&canonical(f)).copied().unwrap_or(0))
            .sum();
        m.p_edit = Some(lines as f64 + 1.0);
    }
    graph.p_edit_note = Some(format!("lines changed in the last {commits} commits (git), +1 per module"));
    Ok(())
}
