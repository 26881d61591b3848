//! The Gantt picture of a candidate's clean build (`clean-<id>.svg`): one bar per compiled unit
//! (each crate's library, then its unit-test binary) over time, a tick where a library's
//! metadata was out, the critical path in red, and a dashed line at the unsplit crate's clean
//! build. Plain SVG written as text: no Graphviz needed.

use crate::data::clean::CleanProfile;
use crate::data::partition::CandidateRow;
use std::fmt::Write;

const WIDTH: f64 = 560.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 22.0;
const ROW: f64 = 18.0;
const BOTTOM: f64 = 34.0;

/// The picture of the test profile's schedule (the library's when no test binaries were
/// recorded); `None` without a clean build. The same row gives the same bytes.
pub fn clean_svg(c: &CandidateRow) -> Option<String> {
    let build = c.clean.as_ref()?;
    let (profile, what) = match &build.test {
        Some(test) => (test, "cargo test --no-run"),
        None => (&build.lib, "cargo build --lib"),
    };
    Some(draw(c, profile, what, build.cores))
}

fn draw(c: &CandidateRow, p: &CleanProfile, what: &str, cores: usize) -> String {
    let end = p.bars.iter().map(|b| b.end_s).fold(p.unsplit_s, f64::max).max(1e-3);
    let height = TOP + ROW * p.bars.len() as f64 + BOTTOM;
    let x = |t: f64| LEFT + t / end * (WIDTH - LEFT - RIGHT);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(s, "<title>Candidate {}: clean build ({what}) on {cores} cores</title>", c.id);
    let _ = writeln!(
        s,
        r#"<text x="{LEFT}" y="14">{what}, {cores} cores: {:.2} s split, {:.2} s unsplit (dashed)</text>"#,
        p.split_s, p.unsplit_s
    );
    for (i, b) in p.bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let colour = match (b.critical, b.unit) {
            (true, _) => "#c0392b",
            (false, "lib") => "#1f5fa8",
            _ => "#7fa7d6",
        };
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{} {}</text>"#,
            LEFT - 6.0,
            y + 12.0,
            escape(&b.krate),
            b.unit
        );
        let _ = writeln!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{colour}"/>"#,
            x(b.start_s),
            y + 2.0,
            (x(b.end_s) - x(b.start_s)).max(1.0),
            ROW - 5.0
        );
        if let Some(m) = b.metadata_s.filter(|&m| m < b.end_s) {
            let _ = writeln!(
                s,
                r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#fff" stroke-width="2"/>"##,
                x(m),
                y + 2.0,
                x(m),
                y + ROW - 3.0
            );
        }
    }
    let axis = TOP + ROW * p.bars.len() as f64 + 4.0;
    let _ = writeln!(
        s,
        r##"<line x1="{:.1}" y1="{TOP}" x2="{:.1}" y2="{axis}" stroke="#333" stroke-dasharray="4 3"/>"##,
        x(p.unsplit_s),
        x(p.unsplit_s)
    );
    let _ =
        writeln!(s, r##"<line x1="{LEFT}" y1="{axis}" x2="{}" y2="{axis}" stroke="#333"/>"##, WIDTH - RIGHT);
    for t in ticks(end) {
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{t:.1} s</text>"#,
            x(t),
            axis + 14.0
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{LEFT}" y="{:.1}">red: critical path; white tick: metadata out (dependents may start)</text>"#,
        axis + 28.0
    );
    s.push_str("</svg>\n");
    s
}

/// Four or five round ticks from 0 to `end`.
fn ticks(end: f64) -> Vec<f64> {
    let raw = end / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
    (0..).map(|i| i as f64 * step).take_while(|t| *t <= end + 1e-9).collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(2.0), vec![0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(ticks(7.3), vec![0.0, 2.0, 4.0, 6.0]);
    }
}
