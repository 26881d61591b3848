//! Everything splitcheck prints or writes, made from analysis data; nothing here computes numbers.
//!
//! Invariant: the same analysis gives the same bytes (sorted by module path, paths relative to the
//! package directory).

mod dot;
mod graph_json;
mod growth_svg;
mod module_table;
mod partition_report;
mod timings;
mod trade_off_html;
mod trade_off_md;
mod trade_off_summary;
mod workspace_table;

pub use dot::{candidate_to_dot, render_with_dot, render_with_dot_within, to_dot};
pub use graph_json::*;
pub use growth_svg::growth_svg;
pub use module_table::{ModuleReport, module_report, write_module_table};
pub use partition_report::*;
pub use timings::write_timings_table;
pub use trade_off_html::trade_off_html;
pub use trade_off_md::trade_off_markdown;
pub use trade_off_summary::write_trade_off_summary;
pub use workspace_table::{workspace_markdown, write_workspace_table};

/// Pretty JSON with a final newline: every JSON file and output of splitcheck.
pub fn pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> std::io::Result<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::from)?;
    text.push('\n');
    Ok(text)
}
