//! The library's entry point: from an analysed crate's graph and the user's options to prices
//! and the trade-off report. The report, `explore`, `partition`, `apply` and `--workspace` all
//! come through here.
//!
//! Owns: choosing the recording — one given by flag (must be usable), else `timings.json`
//! where `record` writes it (used when usable, else a note), else another crate's fit across
//! the workspace (`--workspace`), else the priors — and saying which was used.
//! Must not: print (notes are returned) or decide anything about the partitions themselves.

use crate::analysis::CrateCounts;
use crate::data::clean::CleanRecording;
use crate::data::graph::GraphReport;
use crate::data::timings::Timings;
use crate::data::trade_off::TradeOffReport;
use crate::error::Error;
use crate::partition::Profile;
use crate::pricing::{self, CostFlags, Prices};
use crate::tradeoff::{RecordingSource, TradeOffOptions};
use crate::workspace::Package;
use std::path::{Path, PathBuf};

/// How to price a crate.
#[derive(Debug, Clone, Default)]
pub struct PriceOptions<'a> {
    pub profile: Profile,
    /// Cost parameters given on the command line (each overrides the recording's).
    pub flags: CostFlags,
    /// `--timings FILE`: the recording to use; an error when it cannot price this crate.
    pub given: Option<&'a Path>,
    /// Where `record` writes this crate's recording (`<report dir>/timings.json`): used when it
    /// is there and usable.
    pub beside: Option<PathBuf>,
    /// Another crate's recording whose fit across the workspace prices this crate when it has
    /// no recording of its own (`--workspace`).
    pub workspace_fit: Option<&'a Timings>,
    /// A clean-build recording and its file as shown: every candidate gets its clean build on
    /// `cores` cores.
    pub clean: Option<(&'a CleanRecording, String)>,
    /// Cores for the clean-build schedule (default: this machine's).
    pub cores: Option<usize>,
}

/// Where the prices came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceSource {
    /// This crate's own recording.
    Recorded,
    /// Another crate's recording, its fit across the workspace.
    WorkspaceFit,
    /// Priors (or cost flags): nothing recorded.
    Assumed,
}

impl PriceSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PriceSource::Recorded => "recorded",
            PriceSource::WorkspaceFit => "workspace fit",
            PriceSource::Assumed => "assumed",
        }
    }
}

/// Both profiles' prices, the recording behind them, and what the user should be told.
#[derive(Debug)]
pub struct Priced {
    pub prices: Prices,
    /// This crate's recording and its path as shown (`timings.json` when found beside the report).
    pub recording: Option<(Timings, String)>,
    pub source: PriceSource,
    /// Recordings found but not used, and why.
    pub notes: Vec<String>,
}

/// Reads a clean-build recording (`clean.json`); `flag` names where it came from in errors.
pub fn read_clean(path: &Path, flag: &str) -> Result<CleanRecording, Error> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| Error::Usage(format!("{flag} {shown}: {e}")))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{flag} {shown}: not a splitcheck clean-build recording: {e}")))
}

/// Reads a recording (`flag` names it in errors: `--timings`).
pub fn read_timings(path: &Path) -> Result<Timings, Error> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| Error::Usage(format!("--timings {shown}: {e}")))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("--timings {shown}: not a splitcheck recording: {e}")))
}

/// Prices `graph` as `options` say (see the module doc for the order).
pub fn price(graph: &GraphReport, options: &PriceOptions<'_>) -> Result<Priced, Error> {
    let (profile, flags) = (options.profile, options.flags);
    if let Some(path) = options.given {
        let timings = read_timings(path)?;
        let prices = pricing::prices(graph, Some(&timings), flags, profile)
            .map_err(|why| Error::Usage(format!("--timings {}: {why}", path.display())))?;
        let shown = path.display().to_string();
        return Ok(Priced {
            prices,
            recording: Some((timings, shown)),
            source: PriceSource::Recorded,
            notes: Vec::new(),
        });
    }
    let mut notes = Vec::new();
    if let Some(found) = options.beside.as_deref().filter(|f| f.is_file()) {
        let priced = read_timings(found).and_then(|timings| {
            pricing::prices(graph, Some(&timings), flags, profile)
                .map(|prices| (prices, timings))
                .map_err(|e| Error::Usage(e.to_string()))
        });
        match priced {
            Ok((prices, timings)) => {
                let recording = Some((timings, "timings.json".to_owned()));
                return Ok(Priced { prices, recording, source: PriceSource::Recorded, notes });
            }
            Err(e) => notes.push(format!("not using {}: {e}", found.display())),
        }
    }
    if let Some(prices) = options.workspace_fit.and_then(|t| pricing::from_workspace_fit(graph, t, profile)) {
        return Ok(Priced { prices, recording: None, source: PriceSource::WorkspaceFit, notes });
    }
    let prices = pricing::without_recording(graph, flags, profile);
    Ok(Priced { prices, recording: None, source: PriceSource::Assumed, notes })
}

/// The trade-off report of an analyzed crate (`package` and `counts` of its analysis, `graph`
/// its graph data), priced as `options` say.
pub fn trade_off(
    package: &Package,
    counts: CrateCounts,
    graph: &GraphReport,
    options: &PriceOptions<'_>,
    report: &TradeOffOptions,
) -> Result<(TradeOffReport, Priced), Error> {
    let priced = price(graph, options)?;
    let recording = priced.recording.as_ref().map(|(timings, shown)| RecordingSource {
        shown: shown.clone(),
        timings,
        this_machine: (
            crate::provenance::cpu_model(),
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        ),
    });
    // Git's runs for the commits (10 ms on the Ori checkout) wait beside the search, not before it.
    let mut trade_off = std::thread::scope(|s| {
        let provenance = s.spawn(|| crate::provenance::provenance(package));
        let provenance = || provenance.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        crate::tradeoff::trade_off(package, counts, graph, &priced.prices, provenance, recording, report)
    });
    if let Some((clean, shown)) = &options.clean {
        let cores =
            options.cores.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let cpu = crate::provenance::cpu_model();
        crate::clean_build::attach(&mut trade_off, clean, shown, cores, cpu.as_deref())
            .map_err(|e| Error::Usage(format!("{shown}: {e}")))?;
    }
    Ok((trade_off, priced))
}
