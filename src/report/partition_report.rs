//! The partitions of `splitcheck partition` as a table, and one candidate's block.

use crate::data::partition::*;
use anstyle::Style;
use std::io::{self, Write};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

/// The human table: one block per candidate.
pub fn write_partition_table(r: &PartitionReport, quiet: bool, out: &mut dyn Write) -> io::Result<()> {
    if !quiet {
        writeln!(
            out,
            "{BOLD}{}{BOLD:#}: {} modules in {} units (cycles merged), {} parts, profile {}",
            r.krate, r.search.modules, r.search.units, r.parts, r.profile
        )?;
        writeln!(
            out,
            "{DIM}cost per rebuilt crate: {:.2} s + {:.2} ms/line; per dependent re-run: {:.2} s + {:.2} ms/line ({}); edits: {}{DIM:#}",
            r.fixed_cost_s,
            r.per_line_s * 1000.0,
            r.dep_fixed_cost_s,
            r.dep_per_line_s * 1000.0,
            r.cost_source,
            r.p_edit_source
        )?;
        writeln!(
            out,
            "unsplit: expected rebuild {:.2} s per edit (lib {:.2} s, test {:.2} s); search {}",
            r.unsplit.expected_rebuild_s,
            r.unsplit.lib_expected_rebuild_s,
            r.unsplit.test_expected_rebuild_s,
            if r.search.exact {
                "exact (every valid split tried)"
            } else {
                "heuristic (min-cut + local search)"
            }
        )?;
        if !r.facade.moves_down.is_empty() {
            let moved: Vec<String> =
                r.facade.moves_down.iter().map(|m| format!("{} ({})", m.item, m.lines)).collect();
            writeln!(
                out,
                "facade: the crate root stays on top; its items used by other modules move down: {}",
                moved.join(", ")
            )?;
        }
        writeln!(out)?;
    }
    if r.candidates.is_empty() {
        writeln!(
            out,
            "no valid split into {} parts (everything sits in one cycle, or too few units)",
            r.parts
        )?;
        return Ok(());
    }
    for c in &r.candidates {
        write_candidate_block(c, &[], quiet, out)?;
    }
    Ok(())
}

/// One candidate: its price, its parts (named when `names` are given), moves and blockers.
pub fn write_candidate_block(
    c: &CandidateRow,
    names: &[String],
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let part_name = |i: usize| match names.get(i) {
        Some(name) => format!("part {} ({name})", i + 1),
        None => format!("part {}", i + 1),
    };
    {
        writeln!(
            out,
            "{BOLD}#{}{BOLD:#}  E {:.2} s  saving {:.2} s ({:.1}%{})  [lib {:.1}%, test {:.1}%]  crossing {} edges / weight {}  new pub {}  {}{}",
            c.rank,
            c.expected_rebuild_s,
            c.saving_s,
            c.saving_pct,
            c.saving_pct_range
                .map_or(String::new(), |(lo, hi)| format!(", {lo:.1}% to {hi:.1}% over the fit's intervals")),
            c.lib.saving_pct,
            c.test.saving_pct,
            c.crossing_edges,
            c.crossing_weight,
            c.new_pub_items,
            c.status,
            if c.pareto { "  (Pareto)" } else { "" }
        )?;
        for (i, (modules, size)) in c.parts.iter().zip(&c.part_sizes).enumerate() {
            let uses: Vec<String> =
                c.part_dag.iter().filter(|(a, _)| *a == i).map(|(_, b)| format!("{}", b + 1)).collect();
            let uses =
                if uses.is_empty() { String::new() } else { format!(", uses part {}", uses.join(", ")) };
            writeln!(
                out,
                "    {}: {:.0} src + {:.0} test lines, {} tests{uses}: {}",
                part_name(i),
                size.src_lines,
                size.test_lines,
                size.tests,
                short_list(modules, 8)
            )?;
        }
        for m in &c.item_moves {
            writeln!(out, "    move {} ({} lines) into {}", m.item, m.lines, part_name(m.to_part))?;
        }
        if !quiet {
            for b in &c.blockers {
                writeln!(out, "    {DIM}{}: {} ({}){DIM:#}", b.severity, b.message, b.at)?;
            }
        }
    }
    Ok(())
}

fn short_list(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(|s| s.strip_prefix("crate::").unwrap_or(s)).collect();
    if items.len() > max {
        format!("{}, … ({} more)", shown.join(", "), items.len() - max)
    } else {
        shown.join(", ")
    }
}
