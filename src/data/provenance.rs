//! Where a report's numbers come from: the analyzed crate and commit, the tool and the date.

use serde::Serialize;

/// What was analyzed, when and by what; gathered by the caller (git, the clock).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Provenance {
    #[serde(rename = "crate")]
    pub krate: String,
    pub version: String,
    pub edition: String,
    /// The repository's `HEAD` commit, when the crate is in a git repository.
    pub git_commit: Option<String>,
    /// The last commit that changed a file of the crate's directory.
    pub crate_commit: Option<String>,
    /// Files of the crate differ from `HEAD`.
    pub git_dirty: bool,
    /// `YYYY-MM-DD` (UTC; `SOURCE_DATE_EPOCH` when set).
    pub date: String,
    pub tool: String,
}
