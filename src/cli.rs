//! Command-line arguments (clap derive) and dispatch to the library; the binaries only call
//! [`main`]. Owns: the argument contract and mapping errors to exit codes. Must not: analyze.

mod apply;

use crate::analysis;
use crate::error::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, Error};
use crate::graph::{GraphOptions, ModuleGraph, NodeId};
use crate::partition::{self, Profile};
use crate::pricing::{self, CostFlags};
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
  1  failure while working (cargo failed, output could not be written, Graphviz missing;
     `apply`: the copy is written but does not compile or its tests differ; `check`: the
     layering is broken or there are more cycles than --max-cycles)
  2  bad input or usage (unknown crate, bad manifest, bad flag, invalid --split or --layers)
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

    #[command(flatten)]
    report: ReportArgs,
}

/// `splitcheck [CRATE]`: the whole pipeline, written as a report directory.
#[derive(Debug, Args)]
struct ReportArgs {
    /// The crate to analyze: a package (or library) name in the workspace, or a path to a crate
    /// directory. Default: the package of the current directory or of --manifest-path.
    #[arg(value_name = "CRATE")]
    krate: Option<String>,

    /// What to print: a summary table, or the whole report as JSON (report.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,

    /// Directory to write the report into (default: reports/<crate>; with --workspace: reports).
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Price with this recording (default: timings.json in the report directory, where
    /// `splitcheck record` writes, when it is there).
    #[arg(long, value_name = "FILE")]
    timings: Option<PathBuf>,

    /// Rank candidates by the library build alone, or by the library with its unit tests
    /// (`cargo test` after an edit).
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,

    /// Candidates shown for each number of parts (2, 3 and 4).
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    top: u32,

    /// Drop candidates that need more than N items to become `pub`.
    #[arg(long, value_name = "N")]
    max_new_pub: Option<usize>,

    /// Write the pictures as DOT only, without running Graphviz (big graphs take it seconds each).
    #[arg(long)]
    no_pictures: bool,

    /// Predict clean builds with this recording of `splitcheck record --clean` (default:
    /// clean.json in the report directory, when it is there).
    #[arg(long, value_name = "FILE")]
    clean_timings: Option<PathBuf>,

    /// Cores the clean-build prediction schedules on (default: this machine's).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    cores: Option<u32>,

    /// Analyze every library crate of the workspace and rank them: which one is worth splitting?
    #[arg(long, conflicts_with_all = ["krate", "timings"])]
    workspace: bool,
}

#[derive(Debug, Args)]
struct ModulesArgs {
    /// The crate: a package name in the workspace, or a path to a crate directory.
    #[arg(value_name = "CRATE")]
    krate: Option<String>,

    /// Output format.
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

    /// The crate, as cargo names it (the same as the CRATE argument).
    #[arg(short, long, value_name = "NAME", global = true)]
    package: Option<String>,

    /// Features to build with when splitcheck runs cargo (`record`, `apply`'s checks and
    /// measurements): comma- or space-separated, or repeated.
    #[arg(long, value_name = "FEATURES", global = true, value_delimiter = ',')]
    features: Vec<String>,

    /// Build with every feature when splitcheck runs cargo.
    #[arg(long, global = true)]
    all_features: bool,

    /// Build without the default features when splitcheck runs cargo.
    #[arg(long, global = true)]
    no_default_features: bool,

    /// Pass `--locked` to cargo: fail rather than change `Cargo.lock`.
    #[arg(long, global = true)]
    locked: bool,
}

impl GlobalArgs {
    /// The cargo flags for the analyzed crate's builds.
    fn cargo_flags(&self) -> crate::cargo::CargoFlags {
        crate::cargo::CargoFlags {
            features: self.features.iter().flat_map(|f| f.split_whitespace()).map(str::to_owned).collect(),
            all_features: self.all_features,
            no_default_features: self.no_default_features,
            locked: self.locked,
        }
    }
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
    /// The module table: every module with its file, code and test lines, and problems.
    Modules(ModulesArgs),
    /// The module dependency graph: DOT, SVG, PNG or JSON, with cycles and what breaks them.
    Graph(GraphArgs),
    /// Propose splits of the crate into crates: min-cut and exact search, priced and checked.
    Partition(PartitionArgs),
    /// Record real incremental rebuild times: edit each module, time cargo, restore the file.
    Record(RecordArgs),
    /// Price and draw a split of your own: `--split 'core=crate::ir; rest=*'`.
    Explore(ExploreArgs),
    /// Carry out a split on a copy of the workspace, prove it builds and passes the same tests,
    /// and (with --measure) time the real saving against the prediction.
    Apply(apply::ApplyArgs),
    /// Keep a chosen layering: fail when a module uses a layer above its own (for CI).
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The crate: a package name in the workspace, or a path to a crate directory.
    #[arg(value_name = "CRATE")]
    krate: Option<String>,

    /// The layers, bottom first, in explore's syntax: `ir=crate::ir*; passes=crate::rc_*;
    /// ori_arc=*`. A module may use its own layer and those before it. Default: `layers` of
    /// `[package.metadata.splitcheck]` (or `[workspace.metadata.splitcheck]`).
    #[arg(long, value_name = "SPEC")]
    layers: Option<String>,

    /// Also check references written in test-only code.
    #[arg(long)]
    include_tests: bool,

    /// Also fail when the crate has more module cycles than N.
    #[arg(long, value_name = "N")]
    max_cycles: Option<usize>,

    /// Check every library crate of the workspace that has `layers` configured.
    #[arg(long, conflicts_with_all = ["krate", "layers"])]
    workspace: bool,

    /// human: grouped and counted; json: everything (schema_version 1); github: workflow
    /// commands (`::error file=…,line=…::…`) for GitHub Actions.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Github,
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
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=6))]
    parts: Option<u8>,

    /// Drop candidates that need more than N items to become `pub`.
    #[arg(long, value_name = "N")]
    max_new_pub: Option<usize>,

    /// Price the library build alone or with its unit tests.
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,

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
    #[arg(long, value_enum, default_value_t = TouchArg::Body)]
    touch: TouchArg,

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

    /// A quick recording (about a minute): edits of the crate itself and of a tiny scratch crate
    /// give the fixed and per-line cost of an edit and of a re-run, each fitted over the two
    /// sizes. No module is recorded alone and no other crate is built: works on a single crate.
    #[arg(long, conflicts_with_all = ["modules", "top", "workspace_fit", "with_dependents"])]
    quick: bool,

    /// Record clean builds instead (for the clean-build prediction): every library of the
    /// workspace rebuilt from nothing (`CARGO_INCREMENTAL=0`, its own target directory), its
    /// library and unit-test binary timed by cargo's `--timings`. Written to clean.json.
    /// With --from-cargo-timings, read them from that report instead of building.
    #[arg(long, conflicts_with_all = ["modules", "top", "workspace_fit", "with_dependents", "quick"])]
    clean: bool,

    /// Only restore files an interrupted recording left edited, then exit.
    #[arg(long, conflicts_with_all = ["touch", "reps", "modules", "top", "out", "workspace_fit", "with_dependents", "quick"])]
    restore: bool,

    /// Read whole-crate timings from a `cargo build --timings` report instead of building
    /// (shows every unit; with --out, writes them as JSON).
    #[arg(long, value_name = "HTML", conflicts_with_all = ["krate", "touch", "reps", "modules", "top", "restore"])]
    from_cargo_timings: Option<PathBuf>,
}

/// `--touch`: how `record` edits a module file before a timed rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TouchArg {
    /// Add a statement to the body of the file's first function, as a real edit would.
    Body,
    /// Append a comment line: cheap for rustc's incremental cache.
    Comment,
    /// Only bump the modification time.
    Mtime,
    /// Append a comment and rebuild with `CARGO_INCREMENTAL=0`: everything recompiles.
    Full,
}

impl TouchArg {
    fn touch(self) -> crate::data::timings::TouchKind {
        use crate::data::timings::TouchKind;
        match self {
            TouchArg::Body => TouchKind::Body,
            TouchArg::Comment => TouchKind::Comment,
            TouchArg::Mtime => TouchKind::Mtime,
            TouchArg::Full => TouchKind::Full,
        }
    }
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
struct ExploreArgs {
    /// The crate: a package name in the workspace, or a path to a crate directory.
    #[arg(value_name = "CRATE")]
    krate: Option<String>,

    /// The split: `name=glob,glob; name=glob; rest=*`. Globs are module paths with `*` (any
    /// text); a module goes with its nearest matched ancestor; `*` alone takes the rest; a glob
    /// `crate` places the root items other modules use.
    #[arg(long, value_name = "SPEC")]
    split: String,

    /// table or json: print the numbers (and write the picture to --out, if given, in the
    /// format of its extension). dot, svg or png: the picture, to --out or standard output.
    #[arg(long, value_enum, default_value_t = ExploreFormat::Table)]
    format: ExploreFormat,

    /// Write the picture to this file.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,

    /// The profile the numbers lead with (both are printed).
    #[arg(long, value_enum, default_value_t = ProfileArg::Test)]
    profile: ProfileArg,

    /// Price with this recording (default: reports/<crate>/timings.json, where
    /// `splitcheck record` writes, when it is there).
    #[arg(long, value_name = "FILE")]
    timings: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExploreFormat {
    Table,
    Json,
    Dot,
    Svg,
    Png,
}

/// Runs splitcheck with the process arguments. `as_cargo_subcommand`: invoked as
/// `cargo-splitcheck`, whose first argument cargo sets to `splitcheck`.
pub fn main(as_cargo_subcommand: bool) -> ExitCode {
    crate::huge_pages::disable_for_this_process();
    crate::modtree::parse_in_global_pool();
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
        krate: krate.clone().or_else(|| cli.global.package.clone()),
        manifest_path: cli.global.manifest_path.clone(),
        offline: cli.global.offline,
    };
    let named = [
        &cli.report.krate,
        match &cli.command {
            Some(Command::Modules(a)) => &a.krate,
            Some(Command::Graph(a)) => &a.krate,
            Some(Command::Partition(a)) => &a.krate,
            Some(Command::Record(a)) => &a.krate,
            Some(Command::Explore(a)) => &a.krate,
            Some(Command::Apply(a)) => &a.krate,
            Some(Command::Check(a)) => &a.krate,
            None => &None,
        },
    ];
    if let (Some(package), Some(krate)) = (&cli.global.package, named.iter().find_map(|k| k.as_ref()))
        && package != krate
    {
        return Err(Error::Usage(format!(
            "-p {package} and the crate `{krate}` name different crates; give one"
        )));
    }
    if let (Some(krate), Some(_)) = (&cli.report.krate, &cli.command) {
        return Err(Error::Usage(format!(
            "`{krate}` stands before the subcommand; write the crate after it (e.g. `splitcheck graph {krate}`)"
        )));
    }
    match &cli.command {
        None if cli.report.workspace => workspace_report(cli, &selection(&None)),
        None => trade_off_report(cli, &selection(&cli.report.krate)),
        Some(Command::Modules(args)) => modules(cli, args, &selection(&args.krate)),
        Some(Command::Graph(args)) => graph(args, &selection(&args.krate)),
        Some(Command::Partition(args)) => partition(args, &selection(&args.krate)),
        Some(Command::Record(args)) => record(cli, args, &selection(&args.krate)),
        Some(Command::Explore(args)) => explore(cli, args, &selection(&args.krate)),
        Some(Command::Apply(args)) => apply::apply(cli, args, &selection(&args.krate)),
        Some(Command::Check(args)) if args.workspace => check_workspace(args, &selection(&None)),
        Some(Command::Check(args)) => check(args, &selection(&args.krate)),
    }
}

/// `splitcheck [CRATE]`: tree → graph → partitions → cost, written to the report directory.
fn trade_off_report(cli: &Cli, selection: &Selection) -> Result<(), Error> {
    let args = &cli.report;
    // The dependents are first read by the baseline, after the search.
    let analysis = analysis::analyze_beside_dependents(selection)?;
    recover_edits(&analysis)?;
    let configured = analysis.package.config.out.as_ref().map(PathBuf::from);
    let dir = args
        .out
        .clone()
        .or(configured)
        .unwrap_or_else(|| PathBuf::from("reports").join(&analysis.package.name));
    let graph = crate::graph::export::crate_graph_report(&analysis);
    // From here on the report reads the package, the graph and a few counts: the module trees
    // and the resolution go before the search, and the memory they held goes back to the OS.
    let counts = analysis.counts();
    let package = analysis.into_package();
    crate::memory::release_freed();
    let pictures = crate::report_dir::Pictures::start(&graph, !args.no_pictures);
    let (trade_off, _) = build_trade_off(&package, counts, &graph, args, &dir, cli.global.quiet)?;
    let written = crate::report_dir::write_report_dir(&dir, &trade_off, &graph, pictures)?;
    if let Some(why) = &written.no_pictures
        && !cli.global.quiet
        && !args.no_pictures
    {
        note(&format!("wrote DOT files only: {why}"));
    }
    let mut out = anstream::stdout().lock();
    match args.format {
        Format::Table => {
            let main = written.markdown.display().to_string();
            let shown = Some((main.as_str(), written.files.len() - 1));
            report::write_trade_off_summary(&trade_off, shown, cli.global.quiet, &mut out)
        }
        Format::Json => {
            crate::data::json::pretty_json(&trade_off).and_then(|text| out.write_all(text.as_bytes()))
        }
    }
    .map_err(Error::Output)
}

/// The trade-off report of one analyzed crate (`package` and `counts` of its analysis, `graph`
/// its graph data), priced with its recording when there is one (`--timings`, else
/// `timings.json` in `dir`); and its prices.
fn build_trade_off(
    package: &crate::workspace::Package,
    counts: analysis::CrateCounts,
    graph: &crate::data::graph::GraphReport,
    args: &ReportArgs,
    dir: &Path,
    quiet: bool,
) -> Result<(crate::data::trade_off::TradeOffReport, pricing::Prices), Error> {
    let config = &package.config;
    let beside = dir.join("clean.json");
    let clean = match &args.clean_timings {
        Some(file) => {
            Some((crate::pipeline::read_clean(file, "--clean-timings")?, file.display().to_string()))
        }
        None if beside.is_file() => {
            Some((crate::pipeline::read_clean(&beside, "reading")?, "clean.json".to_owned()))
        }
        None => None,
    };
    let options = crate::pipeline::PriceOptions {
        profile: configured_profile(args.profile, config, Profile::Test)?,
        given: args.timings.as_deref(),
        beside: Some(dir.join("timings.json")),
        clean: clean.as_ref().map(|(c, shown)| (c, shown.clone())),
        cores: args.cores.map(|c| c as usize),
        ..Default::default()
    };
    let report = crate::tradeoff::TradeOffOptions {
        per_k: args.top as usize,
        max_new_pub: args.max_new_pub.or(config.max_new_pub),
        ..Default::default()
    };
    let (trade_off, priced) = crate::pipeline::trade_off(package, counts, graph, &options, &report)?;
    notes(&priced.notes, quiet);
    Ok((trade_off, priced.prices))
}

fn notes(notes: &[String], quiet: bool) {
    if !quiet {
        notes.iter().for_each(|n| note(n));
    }
}

/// `splitcheck --workspace`: every library crate ranked, written to `reports/workspace.md`/`.json`.
fn workspace_report(cli: &Cli, selection: &Selection) -> Result<(), Error> {
    let args = &cli.report;
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("reports"));
    let profile = args.profile.map_or(Profile::Test, ProfileArg::profile);
    let ranking = crate::workspace_rank::rank_workspace(selection, &dir, profile)?;
    std::fs::create_dir_all(&dir).map_err(Error::output_file(&dir))?;
    let (md, json) = (dir.join("workspace.md"), dir.join("workspace.json"));
    let json_text = crate::data::json::pretty_json(&ranking).map_err(Error::Output)?;
    std::fs::write(&md, report::workspace_markdown(&ranking)).map_err(Error::output_file(&md))?;
    std::fs::write(&json, &json_text).map_err(Error::output_file(&json))?;
    let mut out = anstream::stdout().lock();
    match args.format {
        Format::Table => report::write_workspace_table(
            &ranking,
            Some(&md.display().to_string()),
            cli.global.quiet,
            &mut out,
        ),
        Format::Json => out.write_all(json_text.as_bytes()),
    }
    .map_err(Error::Output)
}

#[derive(serde::Serialize)]
struct ExploreReport<'a> {
    schema_version: u32,
    /// Part names in order: part 1 is the first.
    names: &'a [String],
    /// The part the root items other modules use went to (from 0), and whether a glob chose it.
    shared_items_part: Option<(usize, bool)>,
    #[serde(flatten)]
    partition: &'a crate::data::partition::PartitionReport,
}

/// `splitcheck explore --split SPEC`: the user's split, priced and drawn like a candidate.
fn explore(cli: &Cli, args: &ExploreArgs, selection: &Selection) -> Result<(), Error> {
    let spec = crate::explore::parse_spec(&args.split).map_err(|e| Error::Usage(format!("--split: {e}")))?;
    let picture = match (args.format, &args.out) {
        (ExploreFormat::Dot, _) => Some("dot"),
        (ExploreFormat::Svg, _) => Some("svg"),
        (ExploreFormat::Png, _) => Some("png"),
        (_, Some(out)) => Some(match out.extension().and_then(|e| e.to_str()) {
            Some("dot") => "dot",
            Some("png") => "png",
            _ => "svg",
        }),
        (_, None) => None,
    };
    let picture_only = matches!(args.format, ExploreFormat::Dot | ExploreFormat::Svg | ExploreFormat::Png);
    if picture == Some("png") && args.out.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::Usage("not writing PNG to a terminal; give --out FILE".to_owned()));
    }
    let analysis = analysis::analyze(selection)?;
    recover_edits(&analysis)?;
    let graph = crate::graph::export::crate_graph_report(&analysis);
    let prices = explore_prices(&analysis, &graph, args.timings.as_deref(), args.profile, cli.global.quiet)?;
    let (partition_report, explored) = explore_split(&spec, &graph, &prices)?;
    let row = &partition_report.candidates[0];
    if let Some(format) = picture {
        let title = format!(
            "{}: your split ({}), test saving {:.1}%, lib saving {:.1}%",
            graph.krate,
            explored.names.join(", "),
            row.test.saving_pct,
            row.lib.saving_pct
        );
        let dot = report::candidate_to_dot(&graph, row, &explored.names, &title);
        let bytes = match format {
            "dot" => dot.into_bytes(),
            other => report::render_with_dot(&dot, other).map_err(|e| Error::Graphviz(e.to_string()))?,
        };
        match &args.out {
            Some(path) => std::fs::write(path, &bytes).map_err(Error::output_file(path))?,
            None => return std::io::stdout().lock().write_all(&bytes).map_err(Error::Output),
        }
    }
    let mut out = anstream::stdout().lock();
    if picture_only && args.out.is_none() {
        return Ok(());
    }
    match args.format {
        ExploreFormat::Json => {
            let report = ExploreReport {
                schema_version: 1,
                names: &explored.names,
                shared_items_part: explored.shared_items_part,
                partition: &partition_report,
            };
            crate::data::json::pretty_json(&report).and_then(|text| out.write_all(text.as_bytes()))
        }
        _ => write_explored(&partition_report, &explored, cli.global.quiet, &mut out),
    }
    .map_err(Error::Output)
}

/// `splitcheck check --workspace`: every member with `layers` configured, checked in turn; exit 1
/// when any is broken.
fn check_workspace(args: &CheckArgs, selection: &Selection) -> Result<(), Error> {
    let (_, members) = crate::workspace::selected_workspace_libraries(selection)?;
    let (mut checked, mut broken) = (0, Vec::new());
    for member in members {
        let member_selection = Selection {
            krate: None,
            manifest_path: Some(member.manifest_path.clone()),
            offline: selection.offline,
        };
        let analysis = analysis::analyze_code(&member_selection)?;
        if analysis.package.config.layers.is_none() {
            continue;
        }
        checked += 1;
        match check_analysis(args, &analysis) {
            Err(Error::Layering { krate, .. }) => broken.push(krate),
            other => other?,
        }
    }
    if checked == 0 {
        return Err(Error::Usage(
            "--workspace: no library crate of the workspace has `layers` in its splitcheck table".to_owned(),
        ));
    }
    if broken.is_empty() {
        return Ok(());
    }
    Err(Error::LayeringBroken(broken))
}

/// `splitcheck check`: the layering from `--layers` or the manifest, checked; exit 1 when broken.
fn check(args: &CheckArgs, selection: &Selection) -> Result<(), Error> {
    check_analysis(args, &analysis::analyze_code(selection)?)
}

/// `check` of one analysed crate.
fn check_analysis(args: &CheckArgs, analysis: &analysis::CrateAnalysis) -> Result<(), Error> {
    let config = &analysis.package.config;
    let (text, from) = match (&args.layers, &config.layers) {
        (Some(flag), _) => (flag.clone(), "--layers".to_owned()),
        (None, Some(configured)) => {
            (configured.clone(), format!("layers in {}", config.layers_from.unwrap_or("the manifest")))
        }
        (None, None) => {
            return Err(Error::Usage(format!(
                "no layers for `{}`: give --layers 'low=crate::a*; high=*' or set `layers` in [package.metadata.splitcheck]",
                analysis.package.name
            )));
        }
    };
    let spec = crate::explore::parse_spec(&text).map_err(|e| Error::Usage(format!("{from}: {e}")))?;
    let graph = crate::graph::export::crate_graph_report(analysis);
    let checked = crate::layers::check(&graph, &spec, args.include_tests, args.max_cycles)
        .map_err(|e| Error::Usage(format!("{from}: {e}")))?;
    let mut out = anstream::stdout().lock();
    match args.format {
        CheckFormat::Human => report::write_layer_check(&checked, &mut out),
        CheckFormat::Json => {
            crate::data::json::pretty_json(&checked).and_then(|t| out.write_all(t.as_bytes()))
        }
        CheckFormat::Github => {
            let package = &analysis.package;
            let dir = crate::paths::relative(&package.workspace_root, &package.root_dir);
            report::write_layer_check_github(&checked, &dir, &mut out)
        }
    }
    .map_err(Error::Output)?;
    if checked.holds() {
        return Ok(());
    }
    Err(Error::Layering {
        krate: checked.krate.clone(),
        violations: checked.violations.len(),
        cycles_over: checked.max_cycles.filter(|max| checked.cycles > *max).map(|max| (checked.cycles, max)),
    })
}

/// Prices as the report does: a recording given by flag, else the one `record` wrote by default.
fn explore_prices(
    analysis: &analysis::CrateAnalysis,
    graph: &crate::data::graph::GraphReport,
    timings: Option<&Path>,
    profile: ProfileArg,
    quiet: bool,
) -> Result<pricing::Prices, Error> {
    let options = crate::pipeline::PriceOptions {
        profile: profile.profile(),
        given: timings,
        beside: Some(PathBuf::from("reports").join(&analysis.package.name).join("timings.json")),
        ..Default::default()
    };
    let priced = crate::pipeline::price(graph, &options)?;
    notes(&priced.notes, quiet);
    Ok(priced.prices)
}

/// A user's split as one priced candidate (the report's only row).
fn explore_split(
    spec: &crate::explore::SplitSpec,
    graph: &crate::data::graph::GraphReport,
    prices: &pricing::Prices,
) -> Result<(crate::data::partition::PartitionReport, crate::explore::Explored), Error> {
    let primary = prices.primary();
    let crate_part = crate::explore::crate_part(spec, &graph.krate);
    let shape = if crate_part.is_some() { partition::Shape::CrateOnTop } else { partition::Shape::Facade };
    let model = primary.model(shape);
    let explored = crate::explore::explore(spec, graph, &model, crate_part)
        .map_err(|e| Error::Usage(format!("--split: {e}")))?;
    let k = explored.names.len();
    let setup = crate::cut::PartitionSetup { graph, prices, k, max_new_pub: None, shown: 1 };
    let partition_report =
        crate::cut::partition_report(&setup, std::slice::from_ref(&explored.candidate), false);
    if partition_report.candidates.is_empty() {
        return Err(Error::Usage("--split: the split could not be priced".to_owned()));
    }
    Ok((partition_report, explored))
}

fn write_explored(
    r: &crate::data::partition::PartitionReport,
    explored: &crate::explore::Explored,
    quiet: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if !quiet {
        writeln!(
            out,
            "{}: your split into {} parts ({}), priced by the {} profile",
            r.krate,
            explored.names.len(),
            explored.names.join(", "),
            r.profile
        )?;
        writeln!(out, "costs: {}", r.cost_source)?;
        writeln!(
            out,
            "unsplit: expected rebuild {:.2} s per edit (lib {:.2} s, test {:.2} s)",
            r.unsplit.expected_rebuild_s, r.unsplit.lib_expected_rebuild_s, r.unsplit.test_expected_rebuild_s
        )?;
        if let Some((part, chosen)) = explored.shared_items_part {
            writeln!(
                out,
                "the root items other modules use go to {} ({})",
                explored.names[part],
                if chosen { "as the split says" } else { "where the split prices best" }
            )?;
        }
        writeln!(out)?;
    }
    for c in &r.candidates {
        report::write_candidate_block(c, &explored.names, quiet, out)?;
        // Ready to paste into `splitcheck check --layers` or `[package.metadata.splitcheck]`.
        writeln!(out, "layers = {:?}", crate::layers::layers_line(c, &r.krate, &explored.names))?;
    }
    Ok(())
}

fn note(text: &str) {
    let yellow = anstyle::AnsiColor::Yellow.on_default().bold();
    let _ = writeln!(anstream::stderr(), "{yellow}note{yellow:#}: {text}");
}

fn modules(cli: &Cli, args: &ModulesArgs, selection: &Selection) -> Result<(), Error> {
    let analysis = analysis::analyze(selection)?;
    recover_edits(&analysis)?;
    let report = report::module_report(&analysis);
    let mut out = anstream::stdout().lock();
    match args.format {
        Format::Table => report::write_module_table(&report, cli.global.quiet, &mut out),
        Format::Json => {
            crate::data::json::pretty_json(&report).and_then(|text| out.write_all(text.as_bytes()))
        }
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
            let analysis = analysis::analyze_code(selection)?;
            recover_edits(&analysis)?;
            let options = GraphOptions { include_tests: args.include_tests, depth: args.depth };
            let module_graph = ModuleGraph::build(&analysis.tree, analysis.resolution(), options);
            let focus = match &args.focus {
                None => None,
                Some(path) => Some(find_module(&module_graph, path)?),
            };
            crate::graph::export::graph_report(&analysis, &module_graph, focus)
        }
    };
    let bytes: Vec<u8> = match format {
        // Written as it is made: tens of megabytes on large crates.
        GraphFormat::Json => {
            return match &args.out {
                Some(path) => std::fs::File::create(path)
                    .and_then(|file| report.write_json(file))
                    .map_err(Error::output_file(path)),
                None => report.write_json(std::io::stdout().lock()).map_err(Error::Output),
            };
        }
        GraphFormat::Dot => report::to_dot(&report).into_bytes(),
        GraphFormat::Svg => report::render_with_dot(&report::to_dot(&report), "svg")
            .map_err(|e| Error::Graphviz(e.to_string()))?,
        GraphFormat::Png => report::render_with_dot(&report::to_dot(&report), "png")
            .map_err(|e| Error::Graphviz(e.to_string()))?,
    };
    match &args.out {
        Some(path) => std::fs::write(path, &bytes).map_err(Error::output_file(path)),
        None => std::io::stdout().lock().write_all(&bytes).map_err(Error::Output),
    }
}

fn read_graph_report(path: &Path, flag: &str) -> Result<crate::data::graph::GraphReport, Error> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| Error::Usage(format!("{flag} {shown}: {e}")))?;
    let version: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::Usage(format!("{flag} {shown}: not JSON: {e}")))?;
    if version["schema_version"] != crate::data::graph::GRAPH_SCHEMA_VERSION {
        return Err(Error::Usage(format!(
            "{flag} {shown}: expected a graph with schema_version {}, found {}",
            crate::data::graph::GRAPH_SCHEMA_VERSION,
            version["schema_version"]
        )));
    }
    let mut graph: crate::data::graph::GraphReport = serde_json::from_value(version)
        .map_err(|e| Error::Usage(format!("{flag} {shown}: not a splitcheck graph: {e}")))?;
    crate::graph::export::reconcile(&mut graph).map_err(|e| Error::Usage(format!("{flag} {shown}: {e}")))?;
    Ok(graph)
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
    let hint = crate::paths::closest_modules(&full, graph.nodes.iter().map(|n| n.path.as_str()));
    Err(Error::Usage(format!("--focus: no module `{full}` in the graph{hint}")))
}

fn partition(args: &PartitionArgs, selection: &Selection) -> Result<(), Error> {
    let mut config = crate::workspace::Config::default();
    let graph_report = match &args.graph_json {
        Some(path) => read_graph_report(path, "--graph-json")?,
        None => {
            let analysis = analysis::analyze(selection)?;
            config = analysis.package.config.clone();
            recover_edits(&analysis)?;
            let module_graph =
                ModuleGraph::build(&analysis.tree, analysis.resolution(), GraphOptions::default());
            let mut graph = crate::graph::export::graph_report(&analysis, &module_graph, None);
            if let Some(commits) = args.churn {
                apply_churn(&analysis, &module_graph, commits, &mut graph)?;
            }
            graph
        }
    };
    let flags = CostFlags {
        fixed: args.fixed_cost,
        per_line: args.per_line,
        dep_fixed: args.dep_fixed_cost,
        dep_per_line: args.dep_per_line,
    };
    let options = crate::pipeline::PriceOptions {
        profile: configured_profile(args.profile, &config, Profile::Lib)?,
        flags,
        given: args.timings.as_deref(),
        ..Default::default()
    };
    let prices = crate::pipeline::price(&graph_report, &options)?.prices;
    let primary = prices.primary();
    let model = partition::Model::new(&primary.units, primary.cost.clone(), primary.profile);
    let k = usize::from(args.parts.or(config.parts).unwrap_or(2));
    let free = primary.units.units.len() - usize::from(primary.units.facade.is_some());
    if k > free {
        return Err(Error::Usage(format!(
            "--parts {k}: `{}` has {free} unit(s) to split (modules, with each cycle as one, besides the facade)",
            graph_report.krate
        )));
    }
    let result = partition::best_partitions(&model, &partition::SearchOptions { k, ..Default::default() });
    let setup = crate::cut::PartitionSetup {
        graph: &graph_report,
        prices: &prices,
        k,
        max_new_pub: args.max_new_pub.or(config.max_new_pub),
        shown: args.top,
    };
    let partition_report = crate::cut::partition_report(&setup, &result.candidates, result.exact);
    let mut out = anstream::stdout().lock();
    match args.format {
        Format::Table => report::write_partition_table(&partition_report, false, &mut out),
        Format::Json => {
            crate::data::json::pretty_json(&partition_report).and_then(|text| out.write_all(text.as_bytes()))
        }
    }
    .map_err(Error::Output)
}

fn record(cli: &Cli, args: &RecordArgs, selection: &Selection) -> Result<(), Error> {
    if args.clean {
        return record_clean(cli, args, selection);
    }
    if let Some(html) = &args.from_cargo_timings {
        return cargo_timings(html, args.out.as_deref());
    }
    let analysis = analysis::analyze(selection)?;
    recover_edits(&analysis)?;
    if args.restore {
        return Ok(());
    }
    let options = crate::measure::record::RecordOptions {
        touch: args.touch.touch(),
        reps: args.reps,
        modules: args.modules.clone(),
        top: args.top,
        offline: cli.global.offline,
        progress: !cli.global.quiet && std::io::stderr().is_terminal(),
        workspace_fit: args.workspace_fit,
        with_dependents: args.with_dependents,
        cargo: cli.global.cargo_flags(),
    };
    let timings = if args.quick {
        if args.reps < 2 {
            return Err(Error::Usage(
                "--quick needs --reps 2 or more (a fit needs three timed edits)".to_owned(),
            ));
        }
        crate::measure::quick::record_quick(&analysis, &options)?
    } else {
        crate::measure::record::record(&analysis, &options)?
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&analysis.package.name).join("timings.json"));
    let shown = out.display().to_string();
    let write = || -> std::io::Result<()> {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&out, crate::data::json::pretty_json(&timings)?)
    };
    write().map_err(Error::output_file(&out))?;
    let mut stdout = anstream::stdout().lock();
    report::write_timings_table(&timings, &shown, cli.global.quiet, &mut stdout).map_err(Error::Output)
}

/// `record --clean`: the clean-build recording, measured or read from cargo's report.
fn record_clean(cli: &Cli, args: &RecordArgs, selection: &Selection) -> Result<(), Error> {
    let analysis = analysis::analyze(selection)?;
    recover_edits(&analysis)?;
    let recording = match &args.from_cargo_timings {
        Some(html) => crate::measure::clean::from_cargo_timings(&analysis, html, cli.global.offline)?,
        None => {
            let options = crate::measure::record::RecordOptions {
                touch: TouchArg::Comment.touch(),
                reps: args.reps,
                modules: Vec::new(),
                top: None,
                offline: cli.global.offline,
                progress: !cli.global.quiet && std::io::stderr().is_terminal(),
                workspace_fit: false,
                with_dependents: false,
                cargo: cli.global.cargo_flags(),
            };
            crate::measure::clean::record_clean(&analysis, &options)?
        }
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&analysis.package.name).join("clean.json"));
    let write = || -> std::io::Result<()> {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&out, crate::data::json::pretty_json(&recording)?)
    };
    write().map_err(Error::output_file(&out))?;
    let mut stdout = anstream::stdout().lock();
    report::write_clean_table(&recording, &out.display().to_string(), cli.global.quiet, &mut stdout)
        .map_err(Error::Output)
}

/// Restores files a killed `splitcheck record` left edited, and says so.
fn recover_edits(analysis: &analysis::CrateAnalysis) -> Result<(), Error> {
    let restored = crate::measure::record::recover(&analysis.package.target_dir)?;
    if !restored.is_empty() {
        let base = &analysis.package.root_dir;
        let files: Vec<String> = restored.iter().map(|f| crate::paths::relative(base, f)).collect();
        note(&format!(
            "restored {} file(s) an interrupted `splitcheck record` left edited: {}",
            files.len(),
            files.join(", ")
        ));
    }
    Ok(())
}

fn cargo_timings(html: &Path, out: Option<&Path>) -> Result<(), Error> {
    let shown = html.display();
    let text = std::fs::read_to_string(html)
        .map_err(|e| Error::Usage(format!("--from-cargo-timings {shown}: {e}")))?;
    let mut units = crate::measure::cargo_timings::parse(&text)
        .map_err(|e| Error::Usage(format!("--from-cargo-timings {shown}: {e}")))?;
    units.sort_by(|a, b| b.duration.total_cmp(&a.duration).then(a.name.cmp(&b.name)));
    if let Some(out) = out {
        let json = crate::data::json::pretty_json(&serde_json::json!({
            "schema_version": 1,
            "source": "cargo build --timings",
            "units": units,
        }))
        .map_err(Error::Output)?;
        std::fs::write(out, json).map_err(Error::output_file(out))?;
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

/// The profile: the flag, else `profile` of the manifest's splitcheck table, else `default`.
fn configured_profile(
    flag: Option<ProfileArg>,
    config: &crate::workspace::Config,
    default: Profile,
) -> Result<Profile, Error> {
    match (flag, config.profile.as_deref()) {
        (Some(p), _) => Ok(p.profile()),
        (None, Some("lib")) => Ok(Profile::Lib),
        (None, Some("test")) => Ok(Profile::Test),
        (None, Some(other)) => Err(Error::Usage(format!(
            "profile = \"{other}\" in the manifest's splitcheck table: expected \"lib\" or \"test\""
        ))),
        (None, None) => Ok(default),
    }
}

impl ProfileArg {
    /// The library's profile. (A method of the flag, not a `From` impl for `Profile`: an impl of
    /// the library's type here would make the analysis see the library depend on the CLI.)
    fn profile(self) -> Profile {
        match self {
            ProfileArg::Lib => Profile::Lib,
            ProfileArg::Test => Profile::Test,
        }
    }
}

/// Sets each module's `p_edit` to the lines changed in its files over the last commits (+1).
fn apply_churn(
    analysis: &analysis::CrateAnalysis,
    module_graph: &ModuleGraph,
    commits: u32,
    graph: &mut crate::data::graph::GraphReport,
) -> Result<(), Error> {
    let changed = crate::measure::churn::lines_changed(&analysis.package.root_dir, commits)
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
