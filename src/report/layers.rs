//! `splitcheck check` for people (grouped by pair of layers, counted) and for GitHub Actions
//! (one `::error` workflow command per reference).

use crate::data::layers::LayerCheck;
use std::io::{self, Write};

/// One line per violating reference, grouped by (layer, layer above), each group counted; then
/// the cycle budget; then the verdict.
pub fn write_layer_check(c: &LayerCheck, out: &mut dyn Write) -> io::Result<()> {
    let mut groups: std::collections::BTreeMap<(&str, &str), Vec<&crate::data::layers::Violation>> =
        Default::default();
    for v in &c.violations {
        groups.entry((v.from_layer.as_str(), v.to_layer.as_str())).or_default().push(v);
    }
    for ((from, to), list) in &groups {
        writeln!(out, "layer {from} uses layer {to}: {} reference(s)", list.len())?;
        for v in list {
            writeln!(out, "  {}", line(v))?;
        }
    }
    if let Some(max) = c.max_cycles {
        let verdict = if c.cycles <= max { "within" } else { "over" };
        writeln!(out, "{} module cycle(s), {verdict} the budget of {max}", c.cycles)?;
    }
    let names: Vec<&str> = c.layers.iter().map(|l| l.name.as_str()).collect();
    if c.holds() {
        writeln!(out, "{}: the layering {} holds", c.krate, names.join(" < "))?;
    } else if !c.violations.is_empty() {
        writeln!(
            out,
            "{}: {} reference(s) break the layering {}",
            c.krate,
            c.violations.len(),
            names.join(" < ")
        )?;
    }
    Ok(())
}

/// `file:line: from uses item — layer a may not use layer b`.
fn line(v: &crate::data::layers::Violation) -> String {
    format!(
        "{}:{}: {} uses {} — layer {} may not use layer {}",
        v.file, v.line, v.from_module, v.item, v.from_layer, v.to_layer
    )
}

/// GitHub Actions workflow commands: `::error file=…,line=…::…` per reference. GitHub places
/// them by paths from the repository's root: `package_dir` is the package's directory from the
/// workspace root (`""` when they are the same).
pub fn write_layer_check_github(c: &LayerCheck, package_dir: &str, out: &mut dyn Write) -> io::Result<()> {
    for v in &c.violations {
        let file = if package_dir.is_empty() { v.file.clone() } else { format!("{package_dir}/{}", v.file) };
        writeln!(
            out,
            "::error file={file},line={},title=layering::{} uses {} — layer {} may not use layer {}",
            v.line, v.from_module, v.item, v.from_layer, v.to_layer
        )?;
    }
    if let Some(max) = c.max_cycles.filter(|max| c.cycles > *max) {
        writeln!(
            out,
            "::error title=cycles::{} has {} module cycle(s), over the budget of {max}",
            c.krate, c.cycles
        )?;
    }
    Ok(())
}
