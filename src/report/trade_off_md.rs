//! `report.md`: the trade-off report a team reads — the crate at a glance, where the timings came
//! from, the unsplit baseline, every candidate with what it saves and what it takes, and what a
//! split costs beyond the numbers. `report.html` is this text with its pictures inlined.

use crate::data::partition::CandidateRow;
use crate::data::trade_off::{CostParams, TradeOffReport};
use std::collections::BTreeMap;
use std::fmt::Write;

/// How many items a list shows before "… and N more" (report.json has them all).
const LIST: usize = 12;

/// The report as Markdown. Pictures are `<name>.svg` beside it, except those in `missing`
/// (`graph`, `candidate-2-1`, …), written as DOT only, with the reason.
pub fn trade_off_markdown(r: &TradeOffReport, missing: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let w = &mut out;
    let a = &r.analyzed;
    let _ = writeln!(w, "# Splitting `{}`: trade-off report\n", a.krate);
    let changed = match &a.crate_commit {
        Some(c) if Some(c) != a.git_commit.as_ref() => {
            format!(", whose files last changed in `{}`", short(c))
        }
        _ => String::new(),
    };
    let commit = match &a.git_commit {
        Some(c) => format!(
            " at commit `{}`{changed}{}",
            short(c),
            if a.git_dirty { ", with uncommitted changes" } else { "" }
        ),
        None => " (not in a git repository)".to_owned(),
    };
    let _ = writeln!(
        w,
        "`{}` {} (edition {}){commit}, analyzed on {} by {}.\n",
        a.krate, a.version, a.edition, a.date, a.tool
    );
    let _ = writeln!(
        w,
        "Would splitting this crate into smaller crates cut its rebuild time after an edit? This report \
         prices the best splits it found and lists what each one takes. It is a trade-off, not a \
         recommendation: every number says where it came from.\n"
    );
    let _ = writeln!(w, "**Answer.** {}\n", answer(r));
    glance(w, r);
    let _ = writeln!(w, "## The module graph\n");
    picture(w, "graph", "The module graph", missing);
    timings(w, r);
    baseline(w, r);
    candidates_table(w, r);
    clean_builds(w, r);
    for split in &r.splits {
        for c in &split.candidates {
            candidate(w, r, c, missing);
        }
    }
    costs(w, r);
    method(w, r);
    out
}

fn glance(w: &mut String, r: &TradeOffReport) {
    let g = &r.glance;
    let _ = writeln!(w, "## The crate at a glance\n");
    let _ = writeln!(w, "| Aspect | Value |\n|---|---|");
    let _ = writeln!(
        w,
        "| Modules | {} in the source; {} in the graph (test-only modules count with their parent) |",
        g.modules, g.graph_modules
    );
    let _ = writeln!(
        w,
        "| Code lines | {} src, {} test (blank and comment lines not counted) |",
        g.src_lines, g.test_lines
    );
    let integration = match g.integration_test_targets {
        0 => String::new(),
        n => format!(
            "; {} in {n} integration test target(s), which a split does not change",
            g.integration_tests
        ),
    };
    let _ = writeln!(w, "| Tests | {} unit tests (`#[test]` in the library){integration} |", g.unit_tests);
    let _ = writeln!(
        w,
        "| Dependencies between modules | {} in code, {} only from tests, {} facade re-exports of the root |",
        g.edges.src, g.edges.test_only, g.edges.facade
    );
    let cycles = if g.cycles.is_empty() {
        "none: every module can go to any part that holds what it uses".to_owned()
    } else {
        let list: Vec<String> = g
            .cycles
            .iter()
            .map(|c| {
                format!(
                    "{{{}}} ({} src lines, broken by removing references of weight {})",
                    list(&c.modules, 8, "`"),
                    c.src_lines,
                    c.breaking_weight
                )
            })
            .collect();
        format!(
            "{}: {}. A cycle cannot be split between crates; each moves as one unit",
            g.cycles.len(),
            list.join("; ")
        )
    };
    let _ = writeln!(w, "| Cycles (strongly connected modules) | {cycles} |");
    if g.unresolved_crate_paths > 0 {
        let _ = writeln!(
            w,
            "| Unresolved paths into the crate | {} (listed by `splitcheck graph --format json`); their edges are missing |",
            g.unresolved_crate_paths
        );
    }
    let _ = writeln!(w);
}

fn timings(w: &mut String, r: &TradeOffReport) {
    let t = &r.timings;
    let _ = writeln!(w, "## Where the timings come from\n");
    if let Some(warning) = &t.warning {
        let _ = writeln!(w, "> **Warning: {warning}**");
        let _ = writeln!(w, ">");
        let _ = writeln!(
            w,
            "> To price with this crate's real rebuilds, record them (it edits each module, times cargo, and \
             restores every file), then run the analysis again:"
        );
        let _ = writeln!(w, ">");
        let _ = writeln!(
            w,
            "> ```sh\n> splitcheck record {} --workspace-fit --with-dependents\n> splitcheck {}\n> ```\n",
            r.analyzed.krate, r.analyzed.krate
        );
    }
    if let (Some(file), Some(rec)) = (&t.file, &t.recording) {
        let commit =
            rec.git_commit.as_deref().map_or(String::new(), |c| format!(" at commit `{}`", short(c)));
        let _ = writeln!(
            w,
            "Recorded in `{file}`{commit} with {}, {} cores{}: {} module edits (touch `{}`, {} timed rebuilds each), \
             an edit in each of {} workspace crates for the fit across sizes, and {} dependent crate(s) re-run after each edit.\n",
            rec.rustc,
            rec.cores,
            if rec.features.is_empty() { String::new() } else { format!(", {}", rec.features) },
            rec.modules_recorded,
            rec.touch,
            rec.reps,
            rec.crates_fitted,
            rec.dependents_recorded
        );
        if let Some(other) = &rec.other_machine {
            let _ = writeln!(w, "> **Note: {other}.**\n");
        }
    }
    let _ = writeln!(
        w,
        "| Profile | What runs | Rebuild of an edited crate `c` | Re-run of a dependent `d` | Source |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|");
    let row = |w: &mut String, name: &str, what: &str, c: &CostParams| {
        let _ = writeln!(
            w,
            "| {name} | {what} | {:.3} s + {:.3} ms/line | {:.3} s + {:.3} ms/line | {} |",
            c.fixed_s,
            c.per_line_s * 1000.0,
            c.dep_fixed_s,
            c.dep_per_line_s * 1000.0,
            c.source
        );
    };
    row(w, "lib", "`cargo build --lib`", &t.lib);
    row(w, "test", "`cargo test --no-run` (library with its unit tests)", &t.test);
    let _ = writeln!(w);
}

fn baseline(w: &mut String, r: &TradeOffReport) {
    let b = &r.baseline;
    let _ = writeln!(w, "## Baseline: the crate unsplit\n");
    let _ = writeln!(
        w,
        "Expected rebuild after one edit, with edits landing in modules' src and test code in proportion to \
         their code lines (each recorded module weighted by its own measured cost; a test edit rebuilds no \
         library, only the test binary):\n"
    );
    let _ = writeln!(w, "| Profile | Expected rebuild per edit |\n|---|---|");
    let _ = writeln!(w, "| lib | {:.2} s |", b.lib_s);
    let _ = writeln!(w, "| test | {:.2} s |", b.test_s);
    if let Some(run) = b.test_run_s {
        let _ =
            writeln!(w, "| running the unit tests once (recorded, not changed by a split) | {run:.2} s |");
    }
    let _ = writeln!(w);
    match (b.downstream_status, b.downstream.is_empty()) {
        ("unknown", _) => {
            let _ = writeln!(
                w,
                "Downstream crates: unknown (the workspace's full metadata could not be read).\n"
            );
        }
        (_, true) => {
            let _ = writeln!(w, "Downstream crates: no other crate of the workspace depends on it.\n");
        }
        _ => {
            let names: Vec<String> = b
                .downstream
                .iter()
                .map(|d| {
                    let how = if d.direct.is_empty() {
                        "through other crates".to_owned()
                    } else {
                        d.direct.join("+")
                    };
                    match d.rerun_s {
                        Some(s) => format!("`{}` ({how}, re-run {s:.2} s recorded)", d.name),
                        None => format!("`{}` ({how})", d.name),
                    }
                })
                .collect();
            let total = b.downstream_rerun_s.map_or(String::new(), |s| {
                format!(" The recorded re-runs of the direct ones add {s:.2} s to every edit.")
            });
            let _ = writeln!(
                w,
                "Downstream crates: every edit also makes cargo re-run rustc on {} workspace crate(s): {}.{total} \
                 No split changes this: the facade crate re-exports every part, so they depend on all of them.\n",
                b.downstream.len(),
                names.join(", ")
            );
        }
    }
}

fn candidates_table(w: &mut String, r: &TradeOffReport) {
    let _ = writeln!(w, "## Candidates\n");
    let _ = writeln!(
        w,
        "Ranked by the expected rebuild of the **{}** profile. A saving is the baseline minus the split's \
         expected rebuild; the range (when the costs were fitted) spans the fit's 95% intervals. *Crates* \
         counts every crate after the split, the original one included. Shape `crate-on-top`: the original \
         crate keeps its name, its root and the top part's modules, and re-exports the crates below it; \
         `facade`: it becomes a thin facade crate on top of the new ones.\n",
        r.ranked_by
    );
    let (clean_head, clean_rule) = if r.clean.is_some() { (" Clean build |", "---|") } else { ("", "") };
    let _ = writeln!(
        w,
        "| Candidate | Crates | Shape | Test saving | Lib saving |{clean_head} Crossing edges (references) | New `pub` items | Status |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|{clean_rule}---|---|---|");
    for split in &r.splits {
        if let Some(note) = &split.note {
            let _ = writeln!(
                w,
                "| – | {} | | {note} | |{} | | |",
                split.crates,
                if r.clean.is_some() { " |" } else { "" }
            );
        }
        for c in &split.candidates {
            let clean = match (&r.clean, &c.clean) {
                (None, _) => String::new(),
                (Some(_), None) => " – |".to_owned(),
                (Some(_), Some(b)) => {
                    let p = b.test.as_ref().unwrap_or(&b.lib);
                    format!(" {:.2} s ({:+.1}%) |", p.split_s, -p.saving_pct)
                }
            };
            let _ = writeln!(
                w,
                "| [{}](#candidate-{}) | {} | {} | {} | {} |{clean} {} ({}) | {} | {} |",
                c.id,
                c.id,
                c.crates,
                c.shape,
                saving(c.test.unsplit_s - c.test.expected_rebuild_s, c.test.saving_pct, range(r, c, "test")),
                saving(c.lib.unsplit_s - c.lib.expected_rebuild_s, c.lib.saving_pct, range(r, c, "lib")),
                c.crossing_edges,
                c.crossing_weight,
                c.new_pub_items,
                c.status
            );
        }
    }
    let _ = writeln!(w);
}

/// Where the clean-build predictions come from, and what they model.
fn clean_builds(w: &mut String, r: &TradeOffReport) {
    let Some(info) = &r.clean else { return };
    let _ = writeln!(w, "## Clean builds\n");
    let commit = info.git_commit.as_deref().map_or(String::new(), |c| format!(" at commit `{}`", short(c)));
    let test = info.crate_test_s.map_or(String::new(), |t| format!(", its unit-test binary {t:.2} s"));
    let _ = writeln!(
        w,
        "A clean build (CI, a fresh checkout, a toolchain bump) gains nothing from reuse; a split changes it \
         through parallelism: crates that do not depend on each other compile at the same time, a crate \
         starts once the crates it uses have written their metadata (cargo's pipelining), a test binary once \
         they have ended, and every crate adds its own fixed cost. The *Clean build* column is the predicted \
         wall time of `cargo test --no-run` of the crate's crates (every library and unit-test binary, their \
         dependencies already built) on **{} cores**, and its change against the unsplit crate (+: slower).\n",
        info.cores
    );
    let fitted = if info.fitted {
        format!(
            "fitted across the {} recorded crates of the workspace and scaled so the unsplit crate costs what was measured for it",
            info.crates
        )
    } else {
        "the crate alone with a prior fixed cost per crate (no fit across crates)".to_owned()
    };
    let cores = if !info.throughput_measured {
        "Each unit holds one core (the recording did not time the crate on every core)".to_owned()
    } else {
        let machine = if info.machine_fitted {
            format!(
                "with every core busy the machine gets through {:.2} cores' work (fitted so the crate's library beside \
                 its test binary takes what it took)",
                info.full_throughput
            )
        } else {
            "cores are taken to be independent (the recording did not time the library beside the test binary)"
                .to_owned()
        };
        format!(
            "Each unit holds a core and the cores no unit holds speed up the codegen of running units: on every core a \
             unit's codegen runs {:.2}× as fast as on one (from the crate built alone on one job and on every core); \
             {machine}",
            info.unit_speedup
        )
    };
    let _ = writeln!(
        w,
        "Costs from `{}` ({}{commit}, {} cores): the unsplit library {:.2} s{test}, clean; each part's costs {fitted}. \
         {cores}; the ready unit that most others wait for starts first, as cargo orders its queue.\n",
        info.file, info.source, info.recorded_cores, info.crate_lib_s
    );
    if let Some(note) = &info.note {
        let _ = writeln!(w, "> **Note: {note}.**\n");
    }
}

/// A candidate's clean build: both profiles and its picture.
fn clean_paragraph(w: &mut String, c: &CandidateRow) {
    let Some(b) = &c.clean else { return };
    let change = |name: &str, p: &crate::data::clean::CleanProfile| {
        format!("{name} {:.2} s → {:.2} s ({:+.1}%)", p.unsplit_s, p.split_s, -p.saving_pct)
    };
    let mut parts = vec![format!(
        "{}, crates depending on the crate may start at {:.2} s (unsplit {:.2} s)",
        change("`cargo build --lib`", &b.lib),
        b.lib.downstream_start_s.0,
        b.lib.downstream_start_s.1
    )];
    if let Some(test) = &b.test {
        parts.push(change("`cargo test --no-run`", test));
    }
    let _ = writeln!(w, "Clean build on {} cores, predicted: {}.\n", b.cores, parts.join("; "));
    let _ = writeln!(w, "![Candidate {} clean build schedule](clean-{}.svg)\n", c.id, c.id);
}

/// The fitted range belongs to the ranking profile only.
fn range(r: &TradeOffReport, c: &CandidateRow, profile: &str) -> Option<(f64, f64)> {
    (r.ranked_by == profile).then_some(c.saving_pct_range).flatten()
}

fn saving(seconds: f64, pct: f64, range: Option<(f64, f64)>) -> String {
    let range = range.map_or(String::new(), |(lo, hi)| format!(", {lo:.0}% to {hi:.0}%"));
    format!("{seconds:.2} s ({pct:.1}%{range})")
}

/// `![alt](name.svg)`, or a link to `name.dot` with the reason there is no SVG.
fn picture(w: &mut String, name: &str, alt: &str, missing: &BTreeMap<String, String>) {
    let _ = match missing.get(name) {
        None => writeln!(w, "![{alt}]({name}.svg)\n"),
        Some(why) => writeln!(w, "Picture: [{name}.dot]({name}.dot) (no SVG: {why}).\n"),
    };
}

fn candidate(w: &mut String, r: &TradeOffReport, c: &CandidateRow, missing: &BTreeMap<String, String>) {
    let _ = writeln!(w, "### Candidate {}\n", c.id);
    let _ = writeln!(w, "<a id=\"candidate-{}\"></a>\n", c.id);
    let krate = &r.analyzed.krate;
    let shape = match c.crate_part {
        Some(top) => format!(
            "{} crates: `{krate}` keeps part {} and re-exports the {} below it",
            c.crates,
            top + 1,
            c.crates - 1
        ),
        None => format!("{} new crates and `{krate}` as a facade on top", c.parts.len()),
    };
    let _ = writeln!(
        w,
        "{shape}. Expected rebuild per edit: test {:.2} s (unsplit {:.2} s), lib {:.2} s \
         (unsplit {:.2} s).{}\n",
        c.test.expected_rebuild_s,
        c.test.unsplit_s,
        c.lib.expected_rebuild_s,
        c.lib.unsplit_s,
        if c.pareto {
            " On the Pareto frontier: no other candidate saves more with fewer crossing references."
        } else {
            ""
        }
    );
    picture(
        w,
        &format!("candidate-{}", c.id),
        &format!("Candidate {} drawn on the module graph", c.id),
        missing,
    );
    let _ = writeln!(
        w,
        "By where the edit lands (split ← unsplit): src edits {:.2} ← {:.2} s (test profile), {:.2} ← {:.2} s \
         (lib); test edits {:.2} ← {:.2} s (test profile; a test edit rebuilds no library). In the crate \
         workflow (`cargo test -p` of the edited crate only) the test profile's expected rebuild is {:.2} s \
         ({:.1}% saved).\n",
        c.test.src_edits_s.0,
        c.test.src_edits_s.1,
        c.lib.src_edits_s.0,
        c.lib.src_edits_s.1,
        c.test.test_edits_s.0,
        c.test.test_edits_s.1,
        c.test.crate_workflow_s.unwrap_or(f64::NAN),
        c.test.crate_workflow_s.map_or(f64::NAN, |e| 100.0 * (c.test.unsplit_s - e) / c.test.unsplit_s)
    );
    let g = &c.growth;
    let at = |pcts: &[f64]| -> String {
        g.factors
            .iter()
            .zip(pcts)
            .filter(|(f, _)| f.fract() == 0.0)
            .map(|(f, v)| format!("×{f:.0} {v:.0}%"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let from = |f: Option<f64>| f.map_or("not by ×8".to_owned(), |f| format!("from ×{f}"));
    let _ = writeln!(
        w,
        "As the crate grows (every module's lines scaled, the same split): test saving {} (pays {}); lib \
         saving {} (pays {}).\n",
        at(&g.test_pct),
        from(g.test_pays_from),
        at(&g.lib_pct),
        from(g.lib_pays_from)
    );
    let _ = writeln!(w, "![Candidate {} as the crate grows](growth-{}.svg)\n", c.id, c.id);
    clean_paragraph(w, c);
    let _ = writeln!(w, "| Part | Modules | Src lines | Test lines | Tests | Uses parts |");
    let _ = writeln!(w, "|---|---|---|---|---|---|");
    for (i, (modules, size)) in c.parts.iter().zip(&c.part_sizes).enumerate() {
        let uses: Vec<String> =
            c.part_dag.iter().filter(|(a, _)| *a == i).map(|(_, b)| (b + 1).to_string()).collect();
        let name =
            if c.crate_part == Some(i) { format!("{} (`{krate}`)", i + 1) } else { (i + 1).to_string() };
        let _ = writeln!(
            w,
            "| {} | {} | {:.0} | {:.0} | {} | {} |",
            name,
            list(modules, 10, "`"),
            size.src_lines,
            size.test_lines,
            size.tests,
            if uses.is_empty() { "–".to_owned() } else { uses.join(", ") }
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "What a team would have to do:\n");
    let stays: Vec<String> =
        r.facade.stays.iter().map(|i| format!("`{}` ({} lines)", tail(&i.item), i.lines)).collect();
    let own = if stays.is_empty() {
        String::new()
    } else {
        format!(" Its own items stay in it: {}.", list(&stays, LIST, ""))
    };
    let _ = match c.crate_part {
        Some(top) => writeln!(
            w,
            "- Keep `{krate}` as part {}: it depends on the {} new crates and re-exports their public paths, so \
             downstream code compiles unchanged.{own}",
            top + 1,
            c.crates - 1
        ),
        None => writeln!(
            w,
            "- Make the crate a facade: it depends on the {} new crates and re-exports their public paths, so \
             downstream code compiles unchanged.{own}",
            c.parts.len()
        ),
    };
    if !c.moved_tests.is_empty() {
        let moved: Vec<String> = c
            .moved_tests
            .iter()
            .map(|(m, to)| {
                let to = if *to == c.parts.len() { format!("`{krate}`") } else { format!("part {}", to + 1) };
                format!("`{}` into {to}", tail(m))
            })
            .collect();
        let _ = writeln!(
            w,
            "- Move tests up (they use a part their module's part cannot see; priced where they go): {}.",
            list(&moved, LIST, "")
        );
    }
    if !c.item_moves.is_empty() {
        let moves: Vec<String> = c
            .item_moves
            .iter()
            .map(|m| format!("`{}` ({} lines) into part {}", tail(&m.item), m.lines, m.to_part + 1))
            .collect();
        let _ = writeln!(
            w,
            "- Move the root items other modules use down, with their impls: {}.",
            list(&moves, LIST, "")
        );
    }
    if !c.new_pub.is_empty() {
        let _ = writeln!(
            w,
            "- Make {} item(s) `pub` (used across the cut; `#[doc(hidden)]` keeps them out of the docs): {}.",
            c.new_pub.len(),
            list(&c.new_pub.iter().map(|p| pub_item(p)).collect::<Vec<_>>(), LIST, "")
        );
    }
    for b in &c.blockers {
        let what = if b.severity == "infeasible" { "**Blocker**" } else { "Edit" };
        let _ = writeln!(w, "- {what}: {} (`{}`).", b.message, b.at);
    }
    if c.blockers.is_empty() && c.new_pub.is_empty() && c.item_moves.is_empty() {
        let _ = writeln!(w, "- Nothing else: no item crosses the cut that is not already public.");
    }
    let _ = writeln!(w);
    if !c.crossing.is_empty() {
        let _ = writeln!(w, "Dependencies that cross between parts (heaviest first):\n");
        let _ = writeln!(w, "| From | To | References | Items used |\n|---|---|---|---|");
        let mut crossing: Vec<_> = c.crossing.iter().collect();
        crossing.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.from.cmp(&b.from)).then(a.to.cmp(&b.to)));
        for x in crossing.iter().take(LIST) {
            let items: Vec<String> = x.items.iter().map(|i| tail(i)).collect();
            let _ = writeln!(
                w,
                "| `{}` | `{}` | {}{} | {} |",
                x.from,
                x.to,
                x.weight,
                if x.test_only { " (tests)" } else { "" },
                list(&items, 6, "`")
            );
        }
        if crossing.len() > LIST {
            let _ = writeln!(w, "| … | {} more in report.json | | |", crossing.len() - LIST);
        }
        let _ = writeln!(w);
    }
}

fn costs(w: &mut String, r: &TradeOffReport) {
    let most = r.splits.iter().flat_map(|s| s.candidates.first()).map(|c| c.new_pub_items).max().unwrap_or(0);
    let _ = writeln!(w, "## What a split costs beyond these numbers\n");
    let _ = writeln!(
        w,
        "- **More crates to maintain**: each part needs its own `Cargo.toml`, dependency list, and a place in \
         the workspace; the facade crate must keep re-exporting their public paths."
    );
    let _ = writeln!(
        w,
        "- **Public API surface**: items used across the cut must become `pub` (up to {most} in the best \
         candidates above); they are then reachable by other crates unless hidden or kept in a private crate."
    );
    let _ = writeln!(
        w,
        "- **Inlining across crates**: without LTO, a non-generic function is not inlined into another crate \
         unless marked `#[inline]`; hot calls that cross the cut may get slower in release builds. Measure \
         before and after."
    );
    let _ = writeln!(
        w,
        "- **Full builds** may get slower (more rustc invocations, less parallelism inside one crate) or \
         faster (crates compile in parallel); this report prices incremental rebuilds after an edit only."
    );
    let _ = writeln!(
        w,
        "- **Tests move with their modules**: a part's unit tests build and run only when that part or a \
         part it uses changes; tests that use items of several parts become integration tests or move up.\n"
    );
}

fn method(w: &mut String, r: &TradeOffReport) {
    let _ = writeln!(w, "## How the numbers are made\n");
    let _ = writeln!(
        w,
        "An edit of module `m`'s src code rebuilds its crate, at `r_m × c(lines)`, and makes cargo re-run rustc \
         on every crate that depends on it, directly or not, at `d(lines)` each; an edit of its test code \
         rebuilds only the test binary of the crate holding those tests (`c` of that crate in the test profile, \
         nothing in the lib profile). Tests live with their module unless they use a crate their module's \
         crate cannot see: then in the lowest crate that sees all they use, as `splitcheck apply` puts them. \
         The expected rebuild is `E = Σ p_m (r_m c(P(m)) + Σ d(Q)) + Σ q_m c_test(T(m))` over modules, with \
         `p_m` and `q_m` proportional to src and test code lines (together 1). The test profile is \
         `cargo test --workspace --no-run` after the library build: the test binaries of the edited crate and \
         of every crate above it. `r_m` is the \
         module's measured cost over the fit's prediction (1 when not recorded). Splits are searched exactly \
         where the number of candidate splits allows, else by repeated min-cuts and local moves; modules in a \
         cycle stay together, and parts never depend on each other in a cycle. All of it is in `report.json` \
         (schema version {}).",
        r.schema_version
    );
}

/// The report's answer in one sentence: the best candidate per profile and what it rests on.
pub fn answer(r: &TradeOffReport) -> String {
    let rests_on = match r.timings.source {
        "recorded" => "priced with this crate's recorded rebuilds".to_owned(),
        "flags" => "priced with costs given by flags, not measured".to_owned(),
        _ => {
            "priced with priors measured on other crates (nothing recorded here): record before trusting the \
              seconds"
                .to_owned()
        }
    };
    let all: Vec<&CandidateRow> = r.splits.iter().flat_map(|s| &s.candidates).collect();
    let best = |pick: fn(&CandidateRow) -> f64| {
        all.iter()
            .copied()
            .filter(|c| pick(c) > 0.0)
            .max_by(|a, b| pick(a).total_cmp(&pick(b)).then(b.id.cmp(&a.id)))
    };
    let one = |profile: &str, c: Option<&CandidateRow>, pct: fn(&CandidateRow) -> f64| match c {
        Some(c) => {
            let range = match (r.ranked_by == profile, c.saving_pct_range) {
                (true, Some((lo, hi))) => format!(", {lo:.0}% to {hi:.0}%"),
                _ => String::new(),
            };
            format!(
                "for `{}` the best is candidate {} ({} crates, {}), saving {:.1}%{range}",
                if profile == "lib" { "cargo build" } else { "cargo test" },
                c.id,
                c.crates,
                c.shape,
                pct(c)
            )
        }
        None => {
            format!("no split pays for `{}`", if profile == "lib" { "cargo build" } else { "cargo test" })
        }
    };
    let test = one("test", best(|c| c.test.saving_pct), |c| c.test.saving_pct);
    let lib = one("lib", best(|c| c.lib.saving_pct), |c| c.lib.saving_pct);
    let mut first = test;
    if let Some(f) = first.get_mut(0..1) {
        f.make_ascii_uppercase();
    }
    format!(
        "{first}; {lib}. Predicted, {rests_on}; a split's measured check (`splitcheck apply --measure`) is the number to trust."
    )
}

/// A comma-separated list of at most `max` entries, each wrapped in `quote`.
fn list<S: AsRef<str>>(items: &[S], max: usize, quote: &str) -> String {
    let shown: Vec<String> =
        items.iter().take(max).map(|s| format!("{quote}{}{quote}", s.as_ref())).collect();
    if items.len() > max {
        format!("{}, … and {} more", shown.join(", "), items.len() - max)
    } else {
        shown.join(", ")
    }
}

/// An item to make `pub`, as a reader acts on it: an impl block has no visibility of its own,
/// its methods used across the cut do.
fn pub_item(path: &str) -> String {
    if path.contains("::<impl ") {
        format!("the methods used from `{}`", tail(path))
    } else {
        format!("`{}`", tail(path))
    }
}

/// `crate::a::b` as `a::b`.
fn tail(path: &str) -> String {
    path.strip_prefix("crate::").unwrap_or(path).to_owned()
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}
