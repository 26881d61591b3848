//! The terminal summary of `splitcheck <CRATE>`: the crate in one line, where the timings came
//! from, the baseline, one row per candidate, and where the full report is.

use crate::data::trade_off::TradeOffReport;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();

/// `written`: the report's main file and how many files were written beside it.
pub fn write_trade_off_summary(
    r: &TradeOffReport,
    written: Option<(&str, usize)>,
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let g = &r.glance;
    if !quiet {
        let commit = r
            .analyzed
            .git_commit
            .as_deref()
            .map_or(String::new(), |c| format!(" at {}", &c[..c.len().min(12)]));
        writeln!(
            out,
            "{BOLD}{}{BOLD:#} {}{commit}: {} modules ({} in the source), {} src + {} test lines, {} unit tests, {} cycle(s)",
            r.analyzed.krate,
            r.analyzed.version,
            g.graph_modules,
            g.modules,
            g.src_lines,
            g.test_lines,
            g.unit_tests,
            g.cycles.len()
        )?;
        match (&r.timings.warning, &r.timings.file) {
            (Some(warning), _) => writeln!(
                out,
                "{YELLOW}warning{YELLOW:#}: {warning} Record with `splitcheck record {} --workspace-fit --with-dependents`.",
                r.analyzed.krate
            )?,
            (None, Some(file)) => writeln!(out, "{DIM}timings: recorded in {file}{DIM:#}")?,
            (None, None) => {}
        }
        writeln!(
            out,
            "unsplit: expected rebuild per edit {:.2} s (lib), {:.2} s (test); ranked by the {} profile\n",
            r.baseline.lib_s, r.baseline.test_s, r.ranked_by
        )?;
        writeln!(out, "{BOLD}answer{BOLD:#}: {}\n", super::trade_off_md::answer(r))?;
    }
    writeln!(
        out,
        "{BOLD}{:<9}  {:>6}  {:<12}  {:<22}  {:<22}  {:>14}  {:>7}  STATUS{BOLD:#}",
        "CANDIDATE", "CRATES", "SHAPE", "TEST SAVING", "LIB SAVING", "CROSSING", "NEW PUB"
    )?;
    for split in &r.splits {
        if let Some(note) = &split.note {
            writeln!(out, "{:<9}  {:>6}  {DIM}{note}{DIM:#}", "-", split.crates)?;
        }
        for c in &split.candidates {
            let saving = |unsplit: f64, e: f64, pct: f64| format!("{:.2} s ({pct:.1}%)", unsplit - e);
            writeln!(
                out,
                "{:<9}  {:>6}  {:<12}  {:<22}  {:<22}  {:>14}  {:>7}  {}",
                c.id,
                c.crates,
                c.shape,
                saving(c.test.unsplit_s, c.test.expected_rebuild_s, c.test.saving_pct),
                saving(c.lib.unsplit_s, c.lib.expected_rebuild_s, c.lib.saving_pct),
                format!("{} / {}", c.crossing_edges, c.crossing_weight),
                c.new_pub_items,
                c.status
            )?;
        }
    }
    if let Some((main, others)) = written {
        writeln!(out, "\nreport: {main} (and {others} more files beside it)")?;
    }
    Ok(())
}
