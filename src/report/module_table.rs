//! The module table of `splitcheck <CRATE>`: as text for people, as JSON for programs.

use crate::analysis::CrateAnalysis;
use crate::modtree::{Module, Problem, Severity, Size};
use crate::paths::relative;
use crate::workspace::{Dependent, Dependents};
use anstyle::{AnsiColor, Style};
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;

/// Version of the JSON layout below; bumped on any incompatible change.
pub const MODULES_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ModuleReport {
    pub schema_version: u32,
    #[serde(rename = "crate")]
    pub krate: CrateInfo,
    pub totals: Totals,
    pub modules: Vec<ModuleRow>,
    pub integration_tests: Vec<TestTargetRow>,
    pub dependents: DependentsRow,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CrateInfo {
    pub name: String,
    pub version: String,
    pub lib_name: String,
    pub edition: String,
    pub root_file: String,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Totals {
    pub modules: usize,
    pub files: usize,
    #[serde(flatten)]
    pub size: Size,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ModuleRow {
    pub path: String,
    pub file: String,
    pub inline: bool,
    /// `file:line:column` of the `mod` declaration.
    pub declared_at: Option<String>,
    /// First and last line of the module in `file`.
    pub span: (u32, u32),
    pub cfg: Vec<String>,
    pub test_only: bool,
    pub in_fn: Option<String>,
    pub files: Vec<String>,
    pub own: Size,
    pub subtree: Size,
    pub problems: Vec<ProblemRow>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ProblemRow {
    pub severity: Severity,
    pub location: Option<String>,
    pub message: String,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TestTargetRow {
    pub name: String,
    pub root_file: String,
    pub modules: usize,
    pub lines: u32,
    pub code: u32,
    pub tests: u32,
    pub problems: Vec<ProblemRow>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DependentsRow {
    /// `known`, `none` (no other workspace member) or `unknown`.
    pub status: &'static str,
    pub packages: Vec<Dependent>,
    pub reason: Option<String>,
}

pub fn module_report(analysis: &CrateAnalysis) -> ModuleReport {
    let base = &analysis.package.root_dir;
    let tree = &analysis.tree;
    let modules: Vec<ModuleRow> =
        tree.sorted().into_iter().map(|id| module_row(base, tree.get(id))).collect();
    let problems: Vec<&Problem> = tree.problems().map(|(_, p)| p).collect();
    let count = |s: Severity| problems.iter().filter(|p| p.severity == s).count();
    let integration_tests = analysis
        .integration_tests
        .iter()
        .map(|(target, t)| {
            let total = t.totals();
            TestTargetRow {
                name: target.name.clone(),
                root_file: relative(base, &target.src_path),
                modules: t.modules.len(),
                lines: total.src_lines + total.test_lines,
                code: total.src_code + total.test_code,
                tests: total.tests,
                problems: t.problems().map(|(_, p)| problem_row(base, p)).collect(),
            }
        })
        .collect();
    let dependents = match analysis.package.dependents.get() {
        Dependents::NoOtherMembers => DependentsRow { status: "none", packages: vec![], reason: None },
        Dependents::Known(list) => DependentsRow { status: "known", packages: list.clone(), reason: None },
        Dependents::Unknown(why) => {
            DependentsRow { status: "unknown", packages: vec![], reason: Some(why.clone()) }
        }
    };
    ModuleReport {
        schema_version: MODULES_SCHEMA_VERSION,
        krate: CrateInfo {
            name: analysis.package.name.clone(),
            version: analysis.package.version.clone(),
            lib_name: analysis.package.lib.name.clone(),
            edition: analysis.package.lib.edition.clone(),
            root_file: relative(base, &analysis.package.lib.src_path),
        },
        totals: Totals {
            modules: tree.modules.len(),
            files: tree.files().len(),
            size: tree.totals(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
        },
        modules,
        integration_tests,
        dependents,
    }
}

fn module_row(base: &Path, m: &Module) -> ModuleRow {
    ModuleRow {
        path: m.path.clone(),
        file: relative(base, &m.file),
        inline: m.inline,
        declared_at: m.decl.as_ref().map(|d| format!("{}:{}:{}", relative(base, &d.file), d.line, d.column)),
        span: m.span,
        cfg: m.cfg.clone(),
        test_only: m.test_only,
        in_fn: m.in_fn.clone(),
        files: m.files.iter().map(|f| relative(base, f)).collect(),
        own: m.own,
        subtree: m.subtree,
        problems: m.problems.iter().map(|p| problem_row(base, p)).collect(),
    }
}

fn problem_row(base: &Path, p: &Problem) -> ProblemRow {
    ProblemRow {
        severity: p.severity,
        location: p.location.as_ref().map(|l| match l.line {
            0 => relative(base, &l.file),
            _ => format!("{}:{}:{}", relative(base, &l.file), l.line, l.column),
        }),
        message: p.message.clone(),
    }
}

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();

/// Writes the human table. Colors are written as ANSI codes; the caller's stream decides whether
/// they reach the terminal (see `anstream`).
pub fn write_module_table(report: &ModuleReport, quiet: bool, out: &mut dyn Write) -> io::Result<()> {
    let k = &report.krate;
    let t = &report.totals;
    if !quiet {
        writeln!(
            out,
            "{BOLD}{} {}{BOLD:#} ({}, edition {}): {} modules in {} files, {} src lines, {} test lines, {} tests",
            k.name,
            k.version,
            k.root_file,
            k.edition,
            t.modules,
            t.files,
            t.size.src_code,
            t.size.test_code,
            t.size.tests
        )?;
        writeln!(
            out,
            "{DIM}lines are code lines (no blank or comment-only lines); Σ = module and its submodules{DIM:#}"
        )?;
        writeln!(out)?;
    }
    let headers = ["MODULE", "FILE", "SRC", "TEST", "TESTS", "Σ SRC", "Σ TEST", "Σ TESTS", "NOTES"];
    let rows: Vec<[String; 9]> = report
        .modules
        .iter()
        .map(|m| {
            let file = match (&m.declared_at, m.inline) {
                (Some(at), true) => format!("{} (inline)", trim_column(at)),
                _ => m.file.clone(),
            };
            [
                m.path.clone(),
                file,
                m.own.src_code.to_string(),
                m.own.test_code.to_string(),
                m.own.tests.to_string(),
                m.subtree.src_code.to_string(),
                m.subtree.test_code.to_string(),
                m.subtree.tests.to_string(),
                notes(m),
            ]
        })
        .collect();
    let total_row = [
        "total".to_owned(),
        format!("{} files", t.files),
        t.size.src_code.to_string(),
        t.size.test_code.to_string(),
        t.size.tests.to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ];
    let mut widths = headers.map(|h| h.chars().count());
    for row in rows.iter().chain(std::iter::once(&total_row)) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    write_row(out, &header, &widths, BOLD)?;
    for row in &rows {
        write_row(out, row, &widths, Style::new())?;
    }
    write_row(out, &total_row, &widths, BOLD)?;

    if !report.integration_tests.is_empty() {
        writeln!(out)?;
        writeln!(out, "{BOLD}integration tests{BOLD:#} (rebuilt after any change to the library)")?;
        for target in &report.integration_tests {
            writeln!(
                out,
                "  {:<24} {:<28} {:>6} code lines {:>5} tests",
                target.name, target.root_file, target.code, target.tests
            )?;
        }
    }
    if !quiet {
        writeln!(out)?;
        write_dependents(out, &report.dependents)?;
    }
    let problems: Vec<(&str, &ProblemRow)> = report
        .modules
        .iter()
        .flat_map(|m| m.problems.iter().map(move |p| (m.path.as_str(), p)))
        .chain(
            report
                .integration_tests
                .iter()
                .flat_map(|t| t.problems.iter().map(move |p| (t.name.as_str(), p))),
        )
        .collect();
    if !problems.is_empty() {
        writeln!(out)?;
        let plural = if problems.len() == 1 { "" } else { "s" };
        writeln!(
            out,
            "{BOLD}{} problem{plural}{BOLD:#} (the rest of the crate was analyzed):",
            problems.len()
        )?;
        for (module, p) in problems {
            let (style, word) = match p.severity {
                Severity::Error => (RED, "error"),
                Severity::Warning => (YELLOW, "warning"),
            };
            let at = p.location.as_deref().map(|l| format!("{l}: ")).unwrap_or_default();
            writeln!(out, "  {style}{word}{style:#}: {at}{module}: {}", p.message)?;
        }
    }
    Ok(())
}

fn write_dependents(out: &mut dyn Write, d: &DependentsRow) -> io::Result<()> {
    match d.status {
        "none" => writeln!(out, "workspace dependents: none (the crate is the workspace's only member)"),
        "unknown" => writeln!(
            out,
            "{YELLOW}workspace dependents: unknown{YELLOW:#} ({})",
            d.reason.as_deref().unwrap_or("")
        ),
        _ if d.packages.is_empty() => writeln!(out, "workspace dependents: none"),
        _ => {
            let list: Vec<String> = d
                .packages
                .iter()
                .map(|p| match p.direct.as_slice() {
                    [] => format!("{} (transitive)", p.name),
                    kinds => {
                        format!(
                            "{} ({})",
                            p.name,
                            kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join("+")
                        )
                    }
                })
                .collect();
            writeln!(out, "workspace dependents ({}): {}", list.len(), list.join(", "))
        }
    }
}

fn notes(m: &ModuleRow) -> String {
    let mut notes = Vec::new();
    if m.test_only {
        notes.push("test-only".to_owned());
    }
    notes.extend(m.cfg.iter().filter(|c| !is_plain_cfg_test(c)).cloned());
    if let Some(f) = &m.in_fn {
        notes.push(format!("in fn {f}"));
    }
    if m.files.len() > 1 {
        notes.push(format!("+{} included", m.files.len() - 1));
    }
    let errors = m.problems.iter().filter(|p| p.severity == Severity::Error).count();
    if errors > 0 {
        notes.push(format!("{errors} error{}", if errors == 1 { "" } else { "s" }));
    }
    notes.join(", ")
}

fn is_plain_cfg_test(c: &str) -> bool {
    c == "cfg(test)"
}

fn trim_column(at: &str) -> &str {
    at.rsplit_once(':').map_or(at, |(head, _)| head)
}

fn write_row(out: &mut dyn Write, cells: &[String], widths: &[usize], style: Style) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        let numeric = (2..8).contains(&i);
        let pad = w.saturating_sub(cell.chars().count());
        if i > 0 {
            line.push_str("  ");
        }
        if numeric {
            line.push_str(&" ".repeat(pad));
            line.push_str(cell);
        } else if i + 1 == cells.len() {
            line.push_str(cell);
        } else {
            line.push_str(cell);
            line.push_str(&" ".repeat(pad));
        }
    }
    writeln!(out, "{style}{}{style:#}", line.trim_end())
}
