//! Writing the report directory of `splitcheck <CRATE>`: `report.md`, `report.json`,
//! `report.html`, `graph.dot` and one `candidate-<id>.dot` per candidate, each DOT also as SVG
//! when Graphviz is installed.
//!
//! Owns: the files and their names; a `prediction-check.md` found in the directory (written by
//! `apply --measure`) is added to `report.md` as its last section. Pictures are rendered in
//! parallel, the graph's from before the search ([`Pictures::start`]). Must not: compute
//! numbers (everything comes from the [`TradeOffReport`]). Without Graphviz the report is still
//! written, with DOT files only, and the caller is told why.

use crate::data::graph::GraphReport;
use crate::data::partition::CandidateRow;
use crate::data::trade_off::TradeOffReport;
use crate::error::Error;
use crate::report;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Graphs with more modules get DOT files only.
const MAX_LAID_OUT_MODULES: usize = 200;
/// Most `dot` processes at once: a report's pictures (12 with the default `--top`) all start
/// together, a long `--top` list does not start hundreds.
const AT_ONCE: usize = 16;
/// How long Graphviz may take for one picture before the report keeps its DOT file only (a
/// safety net: the size limit above keeps layouts to seconds).
const PICTURE_TIME_LIMIT: Duration = Duration::from_secs(60);

/// What was written.
#[derive(Debug)]
pub struct Written {
    pub markdown: PathBuf,
    /// Every file written, the Markdown report included, sorted by name.
    pub files: Vec<PathBuf>,
    /// Why some or all SVG pictures are missing (the first reason), when they are.
    pub no_pictures: Option<String>,
}

/// The report's pictures, begun before its search: the graph's DOT is known as soon as the
/// graph is, and Graphviz draws it (on a thread of its own, in a process of its own) while the
/// search runs; the candidates' are drawn when the report is written.
pub struct Pictures {
    graph_dot: String,
    /// Graphviz drawing the graph, or why there are no SVG pictures.
    graph_svg: Result<std::thread::JoinHandle<Result<Vec<u8>, String>>, String>,
}

impl Pictures {
    /// `wanted`: render the SVGs (else DOT files only, as without Graphviz).
    pub fn start(graph: &GraphReport, wanted: bool) -> Pictures {
        let graph_dot = report::to_dot(graph);
        // A layout's time grows fast with the modules; past a size Graphviz takes minutes per
        // picture. Decided by size, not by a clock, so the same crate always gets the same files.
        let graph_svg = if !wanted {
            Err("--no-pictures".to_owned())
        } else if graph.modules.len() > MAX_LAID_OUT_MODULES {
            Err(format!(
                "{} modules are more than splitcheck lays out ({MAX_LAID_OUT_MODULES}); render the DOT file by hand, or draw a part with `splitcheck graph --depth` or `--focus`",
                graph.modules.len()
            ))
        } else {
            let dot = graph_dot.clone();
            Ok(std::thread::spawn(move || draw(&dot)))
        };
        Pictures { graph_dot, graph_svg }
    }
}

fn draw(dot: &str) -> Result<Vec<u8>, String> {
    report::render_with_dot_within(dot, "svg", Some(PICTURE_TIME_LIMIT)).map_err(|e| e.to_string())
}

/// Writes the report of `trade_off` on `graph`, with the `pictures` begun for that graph.
pub fn write_report_dir(
    dir: &Path,
    trade_off: &TradeOffReport,
    graph: &GraphReport,
    pictures: Pictures,
) -> Result<Written, Error> {
    std::fs::create_dir_all(dir).map_err(Error::output_file(dir))?;
    remove_stale_pictures(dir).map_err(Error::output_file(dir))?;

    let Pictures { graph_dot, graph_svg } = pictures;
    let candidates: Vec<&CandidateRow> = trade_off.splits.iter().flat_map(|s| &s.candidates).collect();
    // Made in parallel: on a crate of 600 modules each is half a megabyte of text.
    let candidate_dots: Vec<(String, String)> = candidates
        .par_iter()
        .map(|c| {
            let title = format!(
                "{} candidate {}: test saving {:.1}%, lib saving {:.1}%, {} crossing edges",
                trade_off.analyzed.krate, c.id, c.test.saving_pct, c.lib.saving_pct, c.crossing_edges
            );
            (format!("candidate-{}", c.id), report::candidate_to_dot(graph, c, &[], &title))
        })
        .collect();
    let dots: Vec<(String, String)> =
        std::iter::once(("graph".to_owned(), graph_dot)).chain(candidate_dots).collect();
    let rendered: Vec<Result<Vec<u8>, String>> = match graph_svg {
        Ok(graph_svg) => {
            // Every picture at once (up to `AT_ONCE`), each `dot` on a thread that waits for it:
            // the time of one layout cannot be told from its size (one of ori_arc's takes 4 times
            // the others, in spline routing), and started last it would run alone at the end.
            let candidates = &dots[1..];
            let draw_all = || -> Vec<Result<Vec<u8>, String>> {
                candidates.par_iter().with_max_len(1).map(|(_, dot)| draw(dot)).collect()
            };
            let waiting =
                rayon::ThreadPoolBuilder::new().num_threads(candidates.len().clamp(1, AT_ONCE)).build();
            // Without threads of its own, the pictures share the common pool.
            let candidates = match waiting {
                Ok(pool) => pool.install(draw_all),
                Err(_) => draw_all(),
            };
            let graph_svg =
                graph_svg.join().unwrap_or_else(|_| Err("the thread waiting for Graphviz failed".to_owned()));
            std::iter::once(graph_svg).chain(candidates).collect()
        }
        Err(why) => dots.iter().map(|_| Err(why.clone())).collect(),
    };
    let no_pictures = rendered.iter().find_map(|r| r.as_ref().err().cloned());

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut svgs: BTreeMap<String, String> = BTreeMap::new();
    let mut missing: BTreeMap<String, String> = BTreeMap::new();
    for ((name, dot), svg) in dots.into_iter().zip(rendered) {
        match svg {
            Ok(svg) => {
                svgs.insert(format!("{name}.svg"), String::from_utf8_lossy(&svg).into_owned());
                files.insert(format!("{name}.svg"), svg);
            }
            Err(why) => {
                missing.insert(name.clone(), why);
            }
        }
        files.insert(format!("{name}.dot"), dot.into_bytes());
    }
    // The growth plots are plain SVG: written with or without Graphviz.
    for c in candidates {
        let svg = report::growth_svg(c);
        svgs.insert(format!("growth-{}.svg", c.id), svg.clone());
        files.insert(format!("growth-{}.svg", c.id), svg.into_bytes());
        if let Some(svg) = report::clean_svg(c) {
            svgs.insert(format!("clean-{}.svg", c.id), svg.clone());
            files.insert(format!("clean-{}.svg", c.id), svg.into_bytes());
        }
    }
    let mut markdown = report::trade_off_markdown(trade_off, &missing);
    // A prediction check `apply --measure` wrote here becomes the report's last section.
    if let Ok(check) = std::fs::read_to_string(dir.join("prediction-check.md")) {
        let body = check.split_once('\n').map_or("", |(_, rest)| rest);
        markdown.push_str(&format!(
            "\n## Prediction check\n\nFrom `prediction-check.md` (`splitcheck apply --measure`).\n{body}"
        ));
    }
    let title = format!("Splitting {}: trade-off report", trade_off.analyzed.krate);
    files.insert("report.html".to_owned(), report::trade_off_html(&title, &markdown, &svgs).into_bytes());
    files.insert(
        "report.json".to_owned(),
        crate::data::json::pretty_json(trade_off).map_err(Error::Output)?.into_bytes(),
    );
    files.insert("report.md".to_owned(), markdown.into_bytes());

    let mut written = Vec::new();
    for (name, bytes) in &files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(Error::output_file(&path))?;
        written.push(path);
    }
    Ok(Written { markdown: dir.join("report.md"), files: written, no_pictures })
}

/// Candidate pictures of an earlier run (which may have had more candidates).
fn remove_stale_pictures(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ours = (name.starts_with("candidate-") && (name.ends_with(".dot") || name.ends_with(".svg")))
            || ((name.starts_with("growth-") || name.starts_with("clean-")) && name.ends_with(".svg"));
        if ours && path.is_file() {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}
