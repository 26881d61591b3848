//! The workspace ranking of `splitcheck --workspace`: `reports/workspace.md` and the terminal
//! table, one row per library crate, best candidate for splitting first.

use crate::data::workspace::{BestSaving, WorkspaceRanking};
use anstyle::Style;
use std::fmt::Write as _;
use std::io::{self, Write};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

fn saving(best: &Option<BestSaving>) -> String {
    match best {
        Some(b) => format!("{:.2} s ({:.1}%)", b.saving_s, b.saving_pct),
        None => "no split".to_owned(),
    }
}

fn coupling(pct: Option<f64>) -> String {
    pct.map_or("–".to_owned(), |c| format!("{c:.1}%"))
}

pub fn workspace_markdown(r: &WorkspaceRanking) -> String {
    let mut w = String::new();
    let _ = writeln!(w, "# Which crate of `{}` is worth splitting?\n", r.workspace);
    let _ = writeln!(
        w,
        "Every library crate of the workspace, analyzed on {} by {}, ranked by what its best split into \
         two crates (the crate on top of one new crate below it) would save per edit in the **{}** profile, in seconds. Timings: \
         `recorded`, the crate's own recording (`reports/<crate>/timings.json`); `workspace fit`, the \
         cost per line fitted across the workspace's crates in another crate's recording; `assumed`, \
         the priors measured on generated crates (`reports/model-check.md`), which rank but promise no \
         seconds. Coupling: the references the best \
         split cuts, as a share of all references between the crate's modules.\n",
        r.date, r.tool, r.ranked_by
    );
    let _ = writeln!(
        w,
        "| Crate | Modules | Src lines | Test lines | Unit tests | Dependents | Cycles | Test saving (k=2) | Lib saving (k=2) | Coupling | Timings |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|---|---|---|---|---|---|");
    for c in &r.crates {
        let _ = writeln!(
            w,
            "| `{}` {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            c.krate,
            c.version,
            c.modules,
            c.src_lines,
            c.test_lines,
            c.unit_tests,
            c.dependents,
            c.cycles,
            saving(&c.test),
            saving(&c.lib),
            coupling(c.coupling_pct),
            c.timings
        );
    }
    if !r.failed.is_empty() {
        let _ = writeln!(w, "\nNot analyzed:\n");
        for f in &r.failed {
            let _ = writeln!(w, "- `{}`: {}", f.krate, f.error);
        }
    }
    let _ = writeln!(w, "\nRun `splitcheck <crate>` for the full trade-off report of one crate.");
    w
}

pub fn write_workspace_table(
    r: &WorkspaceRanking,
    written: Option<&str>,
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if !quiet {
        writeln!(
            out,
            "{BOLD}{}{BOLD:#}: {} library crates, ranked by the best two-crate saving ({} profile)",
            r.workspace,
            r.crates.len(),
            r.ranked_by
        )?;
    }
    let width = r.crates.iter().map(|c| c.krate.len()).max().unwrap_or(5).max(5);
    writeln!(
        out,
        "{BOLD}{:<width$}  {:>9}  {:>6}  {:>10}  {:<20}  {:<20}  {:>8}  TIMINGS{BOLD:#}",
        "CRATE", "SRC LINES", "TESTS", "DEPENDENTS", "TEST SAVING (K=2)", "LIB SAVING (K=2)", "COUPLING"
    )?;
    for c in &r.crates {
        writeln!(
            out,
            "{:<width$}  {:>9}  {:>6}  {:>10}  {:<20}  {:<20}  {:>8}  {}",
            c.krate,
            c.src_lines,
            c.unit_tests,
            c.dependents,
            saving(&c.test),
            saving(&c.lib),
            coupling(c.coupling_pct),
            c.timings
        )?;
    }
    for f in &r.failed {
        writeln!(out, "{DIM}{}: not analyzed: {}{DIM:#}", f.krate, f.error)?;
    }
    if let Some(path) = written {
        writeln!(out, "\nranking: {path}")?;
    }
    Ok(())
}
