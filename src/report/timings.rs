//! The summary `splitcheck record` prints after a recording (the JSON file holds every sample).

use crate::data::timings::Timings;
use anstyle::Style;
use std::io::{self, Write};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

pub fn write_timings_table(
    t: &Timings,
    written_to: &str,
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if !quiet {
        writeln!(
            out,
            "{BOLD}{} {}{BOLD:#}: {}, touch `{:?}`, {} rep(s); {}; {} cores",
            t.krate,
            t.version,
            if t.quick { "quick recording".to_owned() } else { format!("{} module(s)", t.modules.len()) },
            t.touch,
            t.reps,
            t.rustc,
            t.cores
        )?;
        writeln!(
            out,
            "{DIM}seconds per rebuild after the edit: median (min–max); lib = {}, test = {}{DIM:#}",
            t.commands.lib, t.commands.test
        )?;
        writeln!(out, "warm-up: lib {:.2} s, test {:.2} s", t.warmup_s.lib, t.warmup_s.test)?;
        let run = |v: Option<f64>| v.map_or("-".to_owned(), |s| format!("{s:.2} s"));
        if !t.quick {
            writeln!(
                out,
                "running the built tests: cargo test {}, cargo nextest run {}",
                run(t.test_run_s),
                run(t.nextest_run_s)
            )?;
        }
        writeln!(out)?;
    }
    if !t.modules.is_empty() {
        write_module_rows(t, out)?;
    }
    if let Some(w) = &t.workspace_fit {
        write_fits(t, w, out)?;
    }
    if let Some(d) = &t.dependents {
        write_dependents(d, out)?;
    }
    if !quiet {
        writeln!(out)?;
        writeln!(out, "recorded in {:.1} s; every sample in {written_to}", t.total_s)?;
    }
    Ok(())
}

fn write_module_rows(t: &Timings, out: &mut dyn Write) -> io::Result<()> {
    let width = t.modules.iter().map(|m| m.path.len()).max().unwrap_or(6).max(6);
    writeln!(out, "{:<width$}  {:>6}  {:>6}  {:>22}  {:>22}", "MODULE", "SRC", "TEST", "LIB S", "TEST S")?;
    for m in &t.modules {
        let cell = |s: &Option<crate::data::timings::Spread>| match s {
            Some(s) => format!("{:.2} ({:.2}–{:.2})", s.median, s.min, s.max),
            None => "-".to_owned(),
        };
        let note = if m.touch != t.touch {
            format!("  (touch {:?}: no function body)", m.touch)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{:<width$}  {:>6}  {:>6}  {:>22}  {:>22}{note}",
            m.path,
            m.src_lines,
            m.test_lines,
            cell(&m.spread_s.lib),
            cell(&m.spread_s.test)
        )?;
    }
    Ok(())
}

fn write_fits(t: &Timings, w: &crate::data::timings::WorkspaceFit, out: &mut dyn Write) -> io::Result<()> {
    if !t.modules.is_empty() {
        writeln!(out)?;
    }
    let (title, what, unit) = if t.quick {
        (
            "the crate and a scratch crate",
            "a body edit of the crate's root file, or of its largest module when the root has no function; a comment edit for the re-run",
            "timed edits of two sizes: the spread of the reps, not the fit of a line",
        )
    } else {
        (
            "workspace crates",
            "a body edit of each crate's root file, or of its largest module when the root has no function",
            "crates",
        )
    };
    writeln!(out, "{BOLD}{title}{BOLD:#} ({what}):")?;
    let cell =
        |s: &Option<crate::data::timings::Spread>| s.map_or("-".to_owned(), |s| format!("{:.2}", s.median));
    let width = w.crates.iter().map(|c| c.name.len()).max().unwrap_or(0).max(24);
    for c in &w.crates {
        writeln!(
            out,
            "  {:<width$} {:>7} src {:>7} test lines   lib {:>6} s   test {:>6} s   re-run {:>6} s",
            c.name,
            c.src_lines,
            c.test_lines,
            cell(&c.spread_s.lib),
            cell(&c.spread_s.test),
            cell(&c.rerun_spread_s)
        )?;
    }
    for s in &w.skipped {
        writeln!(out, "  skipped {s}")?;
    }
    for (profile, fit) in [("lib", &w.lib), ("test", &w.test), ("re-run", &w.rerun)] {
        match fit {
            Some(f) => writeln!(
                out,
                "  fit {profile}: {:.3} s + {:.3} ms/line (R² {:.2}, {} {unit}; 95% intervals {:.3}–{:.3} s, {:.3}–{:.3} ms/line)",
                f.fixed_s,
                f.per_line_s * 1000.0,
                f.r2,
                f.samples,
                f.fixed_interval_s.0,
                f.fixed_interval_s.1,
                f.per_line_interval_s.0 * 1000.0,
                f.per_line_interval_s.1 * 1000.0
            )?,
            None => {
                writeln!(out, "  fit {profile}: not possible (fewer than three crates of different sizes)")?
            }
        }
    }
    Ok(())
}

fn write_dependents(d: &crate::data::timings::DependentFit, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{BOLD}direct dependents{BOLD:#} (rustc re-run right after each edit):")?;
    for c in &d.crates {
        let median =
            c.spread_s.map_or("-".to_owned(), |s| format!("{:.2} ({:.2}–{:.2})", s.median, s.min, s.max));
        writeln!(out, "  {:<24} {:>7} src lines   lib {median} s", c.name, c.src_lines)?;
    }
    match &d.lib {
        Some(f) => writeln!(
            out,
            "  fit d: {:.3} s + {:.3} ms/line (R² {:.2}, {} crates)",
            f.fixed_s,
            f.per_line_s * 1000.0,
            f.r2,
            f.samples
        )?,
        None => writeln!(out, "  fit d: not possible (fewer than three dependents of different sizes)")?,
    }
    Ok(())
}

/// The summary `splitcheck record --clean` prints.
pub fn write_clean_table(
    r: &crate::data::clean::CleanRecording,
    written_to: &str,
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if !quiet {
        writeln!(
            out,
            "{BOLD}{}{BOLD:#}: clean builds ({}), {} rep(s); {}; {} cores",
            r.krate, r.source, r.reps, r.rustc, r.cores
        )?;
        let alone = if r.source == "record --clean" { "; each crate built alone on one job" } else { "" };
        writeln!(
            out,
            "{DIM}seconds per compiled unit, as cargo's --timings reports them: median (min–max){alone}{DIM:#}"
        )?;
        writeln!(out)?;
    }
    let width = r.crates.iter().map(|c| c.name.len()).max().unwrap_or(5).max(5);
    let cell = |s: Option<crate::data::timings::Spread>| {
        s.map_or("-".to_owned(), |s| format!("{:.2} ({:.2}–{:.2})", s.median, s.min, s.max))
    };
    writeln!(
        out,
        "{:<width$}  {:>6}  {:>6}  {:>20}  {:>20}  {:>20}",
        "CRATE", "SRC", "TEST", "LIB S", "METADATA S", "TEST S"
    )?;
    for c in &r.crates {
        writeln!(
            out,
            "{:<width$}  {:>6}  {:>6}  {:>20}  {:>20}  {:>20}",
            c.name,
            c.src_lines,
            c.test_lines,
            cell(Some(c.lib_s)),
            cell(c.metadata_s),
            cell(c.test_s)
        )?;
    }
    for c in &r.crates {
        if let Some(p) = &c.parallel {
            let together = p
                .together_s
                .map_or(String::new(), |t| format!(", library and test binary together {}", cell(Some(t))));
            writeln!(
                out,
                "{} on {} jobs: library {}, test binary {}{together}",
                c.name,
                p.jobs,
                cell(Some(p.lib_s)),
                cell(p.test_s)
            )?;
        }
    }
    for s in &r.skipped {
        writeln!(out, "skipped {s}")?;
    }
    for (profile, fit) in [("lib", &r.lib), ("test", &r.test)] {
        match fit {
            Some(f) => writeln!(
                out,
                "fit {profile}: {:.3} s + {:.3} ms/line (R² {:.2}, {} crates)",
                f.fixed_s,
                f.per_line_s * 1000.0,
                f.r2,
                f.samples
            )?,
            None => {
                writeln!(out, "fit {profile}: not possible (fewer than three crates of different sizes)")?
            }
        }
    }
    if !quiet {
        writeln!(out)?;
        writeln!(out, "every sample in {written_to}")?;
    }
    Ok(())
}
