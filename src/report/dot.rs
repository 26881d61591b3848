//! Drawing a [`GraphReport`] as Graphviz DOT (built with graphviz-rust, which prints it), and
//! turning DOT into SVG or PNG with the `dot` program when it is installed.
//!
//! The picture: one box per module labelled with its path and code lines, shaded by size; an
//! arrow `a -> b` when `a` uses `b`, thicker with more references; each cycle drawn as a red
//! cluster with its edges in red and its cheapest breaking edges bold and marked "cut";
//! test-only edges dashed grey; the root's facade re-exports are left out (counted in the
//! caption), as they constrain no split.

use crate::data::graph::GraphReport;
use crate::data::partition::CandidateRow;
use crate::partition::SHARED_ROOT;
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

/// The DOT text of the graph.
pub fn to_dot(report: &GraphReport) -> String {
    let cut = breaking_edges(report);
    let drawn: Vec<(usize, u32)> = report
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| is_drawn(report, e))
        .map(|(i, e)| (i, e.weight))
        .collect();
    let labelled = heaviest(&drawn, drawn.len());
    let mut caption = caption(report);
    if labelled.len() < drawn.len() {
        caption.push_str(&format!(", numbers on the {} heaviest arrows", labelled.len()));
    }
    let mut stmts = header(rankdir(report, &cut), &caption, drawn.len());
    let number_key = number_key(drawn.len());

    let max_lines = report.modules.iter().map(|m| m.src_lines + m.test_lines).max().unwrap_or(1).max(1);
    let mut cycle_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in report.cycles.iter().enumerate() {
        for m in &c.modules {
            cycle_of.insert(m, i);
        }
    }
    let mut clusters: Vec<Vec<Stmt>> = vec![Vec::new(); report.cycles.len()];
    for m in &report.modules {
        let mut label = format!("{}\n{} src", m.path, m.src_lines);
        if m.test_lines > 0 {
            label.push_str(&format!(" · {} test", m.test_lines));
        }
        let node = Node::new(
            node_id(&m.path),
            vec![
                attr("label", quoted(&label)),
                attr("fillcolor", quoted(&shade(m.src_lines + m.test_lines, max_lines))),
            ],
        );
        match cycle_of.get(m.path.as_str()) {
            Some(i) => clusters[*i].push(Stmt::Node(node)),
            None => stmts.push(Stmt::Node(node)),
        }
    }
    for (i, (c, members)) in report.cycles.iter().zip(clusters).enumerate() {
        let mut label =
            format!("cycle {}: {} modules, cut weight {}", i + 1, c.modules.len(), c.breaking_weight);
        // The cheapest single-module split that breaks the whole cycle, if there is one.
        if let Some(s) =
            c.straddling.iter().filter(|s| s.breaks_cycle_alone).min_by_key(|s| (s.base_lines, &s.module))
        {
            let short = |p: &String| p.rsplit("::").next().unwrap_or(p).to_owned();
            let what = match s.base.len() {
                1..=3 => s.base.iter().map(short).collect::<Vec<_>>().join(", "),
                n => format!("{n} items"),
            };
            label.push_str(&format!("\nor split {}: move {what} ({} lines) down", s.module, s.base_lines));
        }
        let mut sub = vec![Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("label", quoted(&label)),
            attr("color", plain("red")),
            attr("fontcolor", plain("red")),
            attr("style", plain("dashed")),
        ]))];
        sub.extend(members);
        stmts
            .push(Stmt::Subgraph(Subgraph { id: Id::Plain(format!("cluster_cycle_{}", i + 1)), stmts: sub }));
    }

    for (i, e) in report.edges.iter().enumerate() {
        let same_cycle = match (cycle_of.get(e.from.as_str()), cycle_of.get(e.to.as_str())) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        };
        if !is_drawn(report, e) {
            continue;
        }
        let mut attrs = vec![attr("penwidth", plain(&pen_width(e.weight)))];
        if labelled.contains(&i) {
            attrs.push(attr(number_key, quoted(&e.weight.to_string())));
            attrs.push(attr("fontsize", plain("9")));
        }
        if e.test_only {
            attrs.push(attr("style", plain("dashed")));
            attrs.push(attr("color", plain("gray50")));
        } else if same_cycle {
            attrs.push(attr("color", plain("red")));
            if cut.contains(&(e.from.as_str(), e.to.as_str())) {
                attrs.push(attr("style", plain("bold")));
                if labelled.contains(&i) {
                    attrs.push(attr(number_key, quoted(&format!("cut {}", e.weight))));
                    attrs.push(attr("fontcolor", plain("red")));
                }
            }
        }
        // The later `label` wins in Graphviz; keep one.
        dedup_last(&mut attrs);
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(node_id(&e.from)), Vertex::N(node_id(&e.to))),
            attributes: attrs,
        }));
    }
    print(&report.krate, stmts)
}

/// In a big picture the heaviest arrows get their number; more would only pile up.
const LABELLED_EDGES: usize = 120;
/// Above this many arrows a picture is big: edge numbers become `xlabel`s, placed after the
/// layout (a `label` makes Graphviz double every rank and lay out a node per label: syn's 744
/// edges took 55 s instead of 2 s), and the x-coordinate placement is cut short (`nslimit`).
const BIG_PICTURE_EDGES: usize = 150;

/// The attribute edge numbers go in: `label` lays them out best, `xlabel` lays out fast.
fn number_key(edges: usize) -> &'static str {
    if edges > BIG_PICTURE_EDGES { "xlabel" } else { "label" }
}

/// The indices of `(index, weight)` to number: all of them in a small picture, else the heaviest
/// `LABELLED_EDGES`, ties to the first.
fn heaviest(edges: &[(usize, u32)], drawn: usize) -> BTreeSet<usize> {
    if drawn <= BIG_PICTURE_EDGES {
        return edges.iter().map(|(i, _)| *i).collect();
    }
    let mut sorted = edges.to_vec();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    sorted.into_iter().take(LABELLED_EDGES).map(|(i, _)| i).collect()
}

/// The graph, node and edge defaults every picture shares.
fn header(rankdir: &str, caption: &str, edges: usize) -> Vec<Stmt> {
    let mut graph = vec![
        attr("rankdir", plain(rankdir)),
        attr("label", quoted(caption)),
        attr("labelloc", plain("t")),
        attr("fontname", quoted("Helvetica")),
        attr("nodesep", plain("0.3")),
        attr("ranksep", plain("0.5")),
    ];
    if edges > BIG_PICTURE_EDGES {
        graph.push(attr("nslimit", plain("2")));
    }
    vec![
        Stmt::GAttribute(GraphAttributes::Graph(graph)),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("shape", plain("box")),
            attr("style", quoted("rounded,filled")),
            attr("fontname", quoted("Helvetica")),
            attr("fontsize", plain("11")),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![attr("arrowsize", plain("0.6"))])),
    ]
}

fn print(name: &str, stmts: Vec<Stmt>) -> String {
    let graph = Graph::DiGraph { id: quoted_id(name), strict: false, stmts };
    let mut ctx = PrinterContext::default();
    let mut text = graph.print(&mut ctx);
    text.push('\n');
    text
}

/// Fill colours of the parts of a candidate (light, so labels stay readable), in part order.
const PART_COLOURS: [&str; 6] = ["#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#ccfbf1"];
const PART_BORDERS: [&str; 6] = ["#2563eb", "#16a34a", "#d97706", "#db2777", "#7c3aed", "#0d9488"];

/// A candidate split drawn on the module graph: each part a coloured cluster labelled with its
/// size, the facade (the crate root) on its own, edges that cross between parts bold and
/// labelled with their weight, edges inside a part thin and grey. `title` heads the picture.
/// `names` name the parts (`part 1 (core)`) when given.
pub fn candidate_to_dot(
    report: &GraphReport,
    candidate: &CandidateRow,
    names: &[String],
    title: &str,
) -> String {
    let mut part_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, modules) in candidate.parts.iter().enumerate() {
        for m in modules {
            part_of.insert(m.as_str(), i);
        }
    }
    // Shape crate-on-top: the root is drawn in the part that stays the crate.
    if let Some(p) = candidate.crate_part {
        part_of.insert("crate", p);
    }
    // The root is drawn twice when its shared items move down: the facade on top, the shared
    // items in their part. Uses of the root are uses of the shared items.
    // (Kept in the crate's own part, they did not move: no second node.)
    let shared_part = part_of.get(SHARED_ROOT).copied().filter(|p| Some(*p) != candidate.crate_part);
    let target = |path: &str| -> String {
        match (path, shared_part) {
            ("crate", Some(_)) => SHARED_ROOT.to_owned(),
            _ => path.to_owned(),
        }
    };
    let part_of_node = |node: &str| part_of.get(node).copied();
    let drawn: Vec<&crate::data::graph::GraphEdge> =
        report.edges.iter().filter(|e| is_drawn(report, e)).collect();
    let crossing: Vec<(usize, u32)> = drawn
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let (a, b) = (part_of_node(&e.from), part_of_node(&target(&e.to)));
            a.is_some() && b.is_some() && a != b
        })
        .map(|(i, e)| (i, e.weight))
        .collect();
    let labelled = heaviest(&crossing, drawn.len());
    let numbers = if labelled.len() < crossing.len() {
        format!("numbers: references, on the {} heaviest", labelled.len())
    } else {
        "numbers: references".to_owned()
    };
    let root = match candidate.crate_part {
        Some(p) => format!("part {} is the crate itself, on top", p + 1),
        None => "the crate root stays on top as the facade".to_owned(),
    };
    let caption =
        format!("{title}\nparts are coloured boxes, {root}; bold arrows cross between parts ({numbers})");
    // Top to bottom: the facade above the parts, users above what they use.
    let mut stmts = header("TB", &caption, drawn.len());
    let number_key = number_key(drawn.len());
    let max_lines = report.modules.iter().map(|m| m.src_lines + m.test_lines).max().unwrap_or(1).max(1);
    let mut clusters: Vec<Vec<Stmt>> = vec![Vec::new(); candidate.parts.len()];
    for m in &report.modules {
        let mut label = format!("{}\n{} src", m.path, m.src_lines);
        if m.test_lines > 0 {
            label.push_str(&format!(" · {} test", m.test_lines));
        }
        let (id, label) = if m.path == "crate" {
            let role = if candidate.crate_part.is_some() { "(the crate's root)" } else { "(facade)" };
            ("crate".to_owned(), format!("{label}\n{role}"))
        } else {
            (m.path.clone(), label)
        };
        let node = Node::new(
            node_id(&id),
            vec![
                attr("label", quoted(&label)),
                attr("fillcolor", quoted(&shade(m.src_lines + m.test_lines, max_lines))),
            ],
        );
        match part_of_node(&id) {
            Some(p) => clusters[p].push(Stmt::Node(node)),
            None => stmts.push(Stmt::Node(node)),
        }
    }
    if let Some(p) = shared_part {
        let lines: u32 = candidate.item_moves.iter().map(|m| m.lines).sum();
        clusters[p].push(Stmt::Node(Node::new(
            node_id(SHARED_ROOT),
            vec![
                attr("label", quoted(&format!("root items moved down\n{lines} lines"))),
                attr("fillcolor", quoted("white")),
                attr("style", quoted("rounded,filled,dashed")),
            ],
        )));
    }
    for (i, (members, size)) in clusters.into_iter().zip(&candidate.part_sizes).enumerate() {
        let name = match names.get(i) {
            Some(n) => format!(" ({n})"),
            None if candidate.crate_part == Some(i) => " (the crate)".to_owned(),
            None => String::new(),
        };
        let label = format!(
            "part {}{name}: {:.0} src + {:.0} test lines, {} tests",
            i + 1,
            size.src_lines,
            size.test_lines,
            size.tests
        );
        let mut sub = vec![Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("label", quoted(&label)),
            attr("style", quoted("filled,rounded")),
            attr("fillcolor", quoted(PART_COLOURS[i % PART_COLOURS.len()])),
            attr("color", quoted(PART_BORDERS[i % PART_BORDERS.len()])),
            attr("fontcolor", quoted(PART_BORDERS[i % PART_BORDERS.len()])),
        ]))];
        sub.extend(members);
        stmts.push(Stmt::Subgraph(Subgraph { id: Id::Plain(format!("cluster_part_{}", i + 1)), stmts: sub }));
    }
    let crossing: BTreeSet<usize> = crossing.into_iter().map(|(i, _)| i).collect();
    for (i, e) in drawn.iter().enumerate() {
        let to = target(&e.to);
        let attrs = if crossing.contains(&i) {
            let mut attrs = vec![
                attr("penwidth", plain(&pen_width(e.weight))),
                attr("color", quoted("#dc2626")),
                attr("fontcolor", quoted("#dc2626")),
                attr("style", plain("bold")),
            ];
            if labelled.contains(&i) {
                attrs.push(attr(number_key, quoted(&e.weight.to_string())));
                attrs.push(attr("fontsize", plain("10")));
            }
            attrs
        } else {
            vec![attr("color", plain("gray60")), attr("penwidth", plain("0.8"))]
        };
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(node_id(&e.from)), Vertex::N(node_id(&to))),
            attributes: attrs,
        }));
    }
    print(&report.krate, stmts)
}

/// Why Graphviz could not draw a picture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphvizError {
    #[error(
        "--format {format} needs the Graphviz `dot` program, which is not installed (install graphviz, or use --format dot)"
    )]
    Missing { format: String },
    #[error("cannot run Graphviz `dot`: {0}")]
    Run(String),
    #[error("Graphviz took over {seconds} s to lay it out; render the DOT file by hand (`dot -T{format}`)")]
    TimedOut { seconds: u64, format: String },
    /// `dot` failed: its first line of error output.
    #[error("Graphviz `dot -T{format}` failed: {message}")]
    Failed { format: String, message: String },
}

/// Runs Graphviz `dot` to turn DOT into `format` (`svg`, `png`); `Err` says what failed,
/// including when `dot` is not installed.
pub fn render_with_dot(dot_text: &str, format: &str) -> Result<Vec<u8>, GraphvizError> {
    render_with_dot_within(dot_text, format, None)
}

/// As [`render_with_dot`], giving up (and stopping `dot`) after `limit`: a graph of hundreds of
/// modules can take Graphviz many minutes. When `dot`'s ranking fails on clusters ("trouble in
/// init_rank", a known Graphviz bug), it draws again with `newrank`, which ranks them another way.
pub fn render_with_dot_within(
    dot_text: &str,
    format: &str,
    limit: Option<std::time::Duration>,
) -> Result<Vec<u8>, GraphvizError> {
    match run_dot(dot_text, format, limit, &[]) {
        Err(GraphvizError::Failed { message, .. }) if message.contains("init_rank") => {
            run_dot(dot_text, format, limit, &["-Gnewrank=true"])
        }
        other => other,
    }
}

fn run_dot(
    dot_text: &str,
    format: &str,
    limit: Option<std::time::Duration>,
    extra: &[&str],
) -> Result<Vec<u8>, GraphvizError> {
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => GraphvizError::Missing { format: format.to_owned() },
            _ => GraphvizError::Run(e.to_string()),
        })?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = dot_text.as_bytes().to_vec();
    // Feed stdin from another thread so a large picture cannot deadlock on full pipes.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let (mut stdout, mut stderr) = (child.stdout.take().expect("piped"), child.stderr.take().expect("piped"));
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut bytes).map(|_| bytes)
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut bytes);
        bytes
    });
    let start = std::time::Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| GraphvizError::Run(e.to_string()))? {
            Some(status) => break status,
            None if limit.is_some_and(|l| start.elapsed() > l) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(GraphvizError::TimedOut {
                    seconds: limit.map_or(0, |l| l.as_secs()),
                    format: format.to_owned(),
                });
            }
            // Most pictures take 20-40 ms: a fixed 20 ms poll added half of that again to each.
            // Short waits first, 20 ms once the run is long.
            None => std::thread::sleep(
                (start.elapsed() / 8)
                    .clamp(std::time::Duration::from_millis(1), std::time::Duration::from_millis(20)),
            ),
        }
    };
    let _ = writer.join();
    let stdout = out_reader.join().ok().and_then(Result::ok).unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if !status.success() {
        let stderr = String::from_utf8_lossy(&stderr);
        let message = stderr.lines().next().unwrap_or("no message").to_owned();
        return Err(GraphvizError::Failed { format: format.to_owned(), message });
    }
    Ok(stdout)
}

fn caption(report: &GraphReport) -> String {
    let drawn = report.edges.iter().filter(|e| is_drawn(report, e)).count();
    let mut parts = vec![format!("{}: {} modules, {drawn} edges", report.krate, report.modules.len())];
    let facade = report.edges.iter().filter(|e| e.facade).count();
    if facade > 0 {
        parts.push(format!("{facade} facade re-exports of the root not drawn"));
    }
    if let Some(focus) = &report.options.focus {
        parts.push(format!("around {focus}"));
    }
    if let Some(depth) = report.options.depth {
        parts.push(format!("depth {depth}"));
    }
    parts.push(if report.options.include_tests { "tests included".into() } else { "src only".into() });
    parts.push("arrow a -> b: a uses b".into());
    parts.join(", ")
}

/// Whether a picture draws the edge: facade re-exports constrain no split and would tie the
/// root to everything; test-only edges only with `--include-tests`.
fn is_drawn(report: &GraphReport, e: &crate::data::graph::GraphEdge) -> bool {
    !e.facade && (report.options.include_tests || !e.test_only)
}

/// Every cycle's cheapest breaking edges, as `(from, to)`.
fn breaking_edges(report: &GraphReport) -> BTreeSet<(&str, &str)> {
    report
        .cycles
        .iter()
        .flat_map(|c| c.breaking_edges.iter().map(|e| (e.from.as_str(), e.to.as_str())))
        .collect()
}

/// Top to bottom (users above what they use) or left to right, whichever gives a picture
/// nearer a landscape page: a wide, shallow graph reads better with its long labels stacked.
fn rankdir(report: &GraphReport, cut: &BTreeSet<(&str, &str)>) -> &'static str {
    let index: BTreeMap<&str, usize> =
        report.modules.iter().enumerate().map(|(i, m)| (m.path.as_str(), i)).collect();
    let n = report.modules.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    // Without each cycle's breaking edges the graph is acyclic, so the layering is exact.
    let counted = |e: &&crate::data::graph::GraphEdge| {
        !e.facade && !e.test_only && !cut.contains(&(e.from.as_str(), e.to.as_str()))
    };
    for e in report.edges.iter().filter(counted) {
        if let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            out[a].push(b);
        }
    }
    // Longest-path layering, cut short on cycles (bounded by n rounds).
    let mut layer = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for a in 0..n {
            for &b in &out[a] {
                if layer[a] < layer[b] + 1 && layer[b] + 1 < n {
                    layer[a] = layer[b] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let depth = layer.iter().max().map_or(1, |d| d + 1);
    let mut width = vec![0usize; depth];
    layer.iter().for_each(|l| width[*l] += 1);
    let widest = width.into_iter().max().unwrap_or(1) as f64;
    let depth = depth as f64;
    // Rough picture sizes in points: a box is about 7pt a character wide and 45pt tall, ranks
    // are 50pt apart. Choose the direction whose picture is nearest a 4:3 landscape page.
    let label = report.modules.iter().map(|m| m.path.len()).max().unwrap_or(10) as f64 * 7.0 + 30.0;
    let (tb_w, tb_h) = (widest * (label + 20.0), depth * 95.0);
    let (lr_w, lr_h) = (depth * (label + 50.0), widest * 55.0);
    let off = |w: f64, h: f64| ((w / h) / (4.0 / 3.0)).ln().abs();
    if off(lr_w, lr_h) < off(tb_w, tb_h) { "LR" } else { "TB" }
}

/// Bigger modules are darker: a blue-grey scale on the square root of the share of lines.
fn shade(lines: u32, max: u32) -> String {
    let t = (f64::from(lines) / f64::from(max)).sqrt();
    let channel = |light: f64, dark: f64| (light + (dark - light) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", channel(245.0, 120.0), channel(248.0, 160.0), channel(255.0, 215.0))
}

fn pen_width(weight: u32) -> String {
    let w = 1.0 + f64::from(weight).log2().max(0.0) * 0.6;
    format!("{:.1}", w.min(6.0))
}

fn dedup_last(attrs: &mut Vec<Attribute>) {
    let mut seen = BTreeSet::new();
    let mut kept: Vec<Attribute> = Vec::new();
    for a in attrs.drain(..).rev() {
        let key = format!("{:?}", a.0);
        if seen.insert(key) {
            kept.push(a);
        }
    }
    kept.reverse();
    *attrs = kept;
}

fn attr(key: &str, value: Id) -> Attribute {
    Attribute(Id::Plain(key.to_owned()), value)
}

fn plain(value: &str) -> Id {
    Id::Plain(value.to_owned())
}

fn quoted(value: &str) -> Id {
    quoted_id(value)
}

/// A DOT double-quoted string: graphviz-rust prints escaped ids as given, so quoting and
/// escaping are ours. A newline becomes DOT's `\n` line break.
fn quoted_id(value: &str) -> Id {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s.push('"');
    Id::Escaped(s)
}

fn node_id(path: &str) -> NodeId {
    NodeId(quoted_id(path), None)
}
