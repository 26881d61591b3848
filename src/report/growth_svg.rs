//! The small growth plot of a candidate (`growth-<id>.svg`): its saving in both profiles as the
//! crate grows (every module's lines ×1 to ×4), the ranking profile's range over the fitted cost
//! intervals as a band, and the zero line. Plain SVG written as text: no Graphviz needed.

use crate::data::partition::CandidateRow;
use std::fmt::Write;

const WIDTH: f64 = 420.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 110.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 30.0;

/// The plot as SVG text; the same row gives the same bytes.
pub fn growth_svg(c: &CandidateRow) -> String {
    let g = &c.growth;
    let mut values: Vec<f64> = g.test_pct.iter().chain(&g.lib_pct).copied().collect();
    if let Some(range) = &g.range_pct {
        values.extend(range.iter().flat_map(|(lo, hi)| [*lo, *hi]));
    }
    values.retain(|v| v.is_finite());
    values.push(0.0);
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Round the axis out to tens of percent.
    let (lo, hi) = ((lo / 10.0).floor() * 10.0, ((hi / 10.0).ceil() * 10.0).max(lo + 10.0));
    let (x0, x1) = (g.factors.first().copied().unwrap_or(1.0), g.factors.last().copied().unwrap_or(4.0));
    let x = |f: f64| LEFT + (f - x0) / (x1 - x0).max(1e-9) * (WIDTH - LEFT - RIGHT);
    let y = |v: f64| TOP + (hi - v) / (hi - lo) * (HEIGHT - TOP - BOTTOM);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(s, "<title>Candidate {}: saving as the crate grows</title>", c.id);
    if let Some(range) = &g.range_pct {
        let mut points: Vec<String> = g.factors.iter().zip(range).map(|(f, r)| pt(x(*f), y(r.1))).collect();
        points.extend(g.factors.iter().zip(range).rev().map(|(f, r)| pt(x(*f), y(r.0))));
        let _ = writeln!(s, r##"<polygon points="{}" fill="#cfe3f7" stroke="none"/>"##, points.join(" "));
    }
    // Axes, the zero line, ticks.
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" y1="{}" x2="{}" y2="{}" stroke="#999" stroke-dasharray="4 3"/>"##,
        y(0.0),
        WIDTH - RIGHT,
        y(0.0)
    );
    let _ = writeln!(
        s,
        r##"<polyline points="{} {} {}" fill="none" stroke="#333"/>"##,
        pt(LEFT, TOP),
        pt(LEFT, HEIGHT - BOTTOM),
        pt(WIDTH - RIGHT, HEIGHT - BOTTOM)
    );
    let mut ticks = vec![lo, 0.0, hi];
    ticks.dedup();
    for v in ticks {
        let _ =
            writeln!(s, r#"<text x="{}" y="{}" text-anchor="end">{v:.0}%</text>"#, LEFT - 4.0, y(v) + 4.0);
    }
    for &f in &g.factors {
        if f.fract() == 0.0 {
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{}" text-anchor="middle">×{f:.0}</text>"#,
                x(f),
                HEIGHT - BOTTOM + 14.0
            );
        }
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">crate size (today ×1)</text>"#,
        (LEFT + WIDTH - RIGHT) / 2.0,
        HEIGHT - 4.0
    );
    for (name, pcts, colour, row) in
        [("test", &g.test_pct, "#1f5fa8", 0.0), ("lib", &g.lib_pct, "#d9822b", 1.0)]
    {
        let points: Vec<String> = g
            .factors
            .iter()
            .zip(pcts)
            .filter(|(_, v)| v.is_finite())
            .map(|(f, v)| pt(x(*f), y(*v)))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
            points.join(" ")
        );
        let ly = TOP + 12.0 + row * 16.0;
        let lx = WIDTH - RIGHT + 10.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="2"/>"#,
            ly - 4.0,
            lx + 16.0,
            ly - 4.0
        );
        let _ = writeln!(s, r#"<text x="{}" y="{ly}">{name} saving</text>"#, lx + 20.0);
    }
    if g.range_pct.is_some() {
        let ly = TOP + 44.0;
        let lx = WIDTH - RIGHT + 10.0;
        let _ = writeln!(s, r##"<rect x="{lx}" y="{}" width="16" height="8" fill="#cfe3f7"/>"##, ly - 8.0);
        let _ = writeln!(s, r#"<text x="{}" y="{ly}">fit's range</text>"#, lx + 20.0);
    }
    s.push_str("</svg>\n");
    s
}

fn pt(x: f64, y: f64) -> String {
    format!("{x:.1},{y:.1}")
}
