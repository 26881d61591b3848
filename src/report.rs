//! Everything splitcheck prints or writes, rendered from the plain data of [`crate::data`];
//! nothing here computes numbers.
//!
//! Invariant: the same analysis gives the same bytes (sorted by module path, paths relative to the
//! package directory).

mod clean_svg;
mod dot;
mod growth_svg;
mod layers;
mod module_table;
mod partition_report;
mod timings;
mod trade_off_html;
mod trade_off_md;
mod trade_off_summary;
mod workspace_table;

pub use clean_svg::clean_svg;
pub use dot::{GraphvizError, candidate_to_dot, render_with_dot, render_with_dot_within, to_dot};
pub use growth_svg::growth_svg;
pub use layers::{write_layer_check, write_layer_check_github};
pub use module_table::{MODULES_SCHEMA_VERSION, ModuleReport, module_report, write_module_table};
pub use partition_report::{write_candidate_block, write_partition_table};
pub use timings::{write_clean_table, write_timings_table};
pub use trade_off_html::trade_off_html;
pub use trade_off_md::trade_off_markdown;
pub use trade_off_summary::write_trade_off_summary;
pub use workspace_table::{workspace_markdown, write_workspace_table};
