//! The library's error type and the exit codes the binary maps it to.
//!
//! Exit codes (documented in the README and in `--help`):
//! - `0`: success (an analysis with problems in some files still succeeds; they are reported);
//! - `1`: failure while working (cargo failed, a file could not be written, Graphviz missing), or
//!   `check` found the layering broken;
//! - `2`: bad input or usage (unknown crate, bad manifest, bad flag, invalid split);
//! - `130`: interrupted (Ctrl-C, SIGTERM) during `record`, after restoring every edited file.

use crate::workspace::WorkspaceError;

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_BAD_INPUT: u8 = 2;
pub const EXIT_INTERRUPTED: u8 = 130;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
    #[error("cannot write {path}: {source}")]
    OutputFile {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Graphviz is missing or failed; the text says which and what to do.
    #[error("{0}")]
    Graphviz(String),
    /// Cargo could not run, or failed: the command and cargo's first error line.
    #[error("`cargo {command}` {failure}")]
    Cargo { command: String, failure: String },
    /// A timed build ran past its limit (and was stopped).
    #[error("`cargo {command}` took more than {seconds} s, the limit per build (set {var} to allow more)")]
    TimeLimit { command: String, seconds: u64, var: &'static str },
    /// A file a measurement edits, reads or restores (or its journal) could not be used.
    #[error("cannot {action} {}: {source}", path.display())]
    File {
        action: &'static str,
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Another `splitcheck record` owns the crate's edit journal.
    #[error("another `splitcheck record` (pid {pid}) is running on `{krate}`")]
    Busy { krate: String, pid: u32 },
    /// A measurement has nothing to measure, or needs what the workspace does not say.
    #[error("{0}")]
    Measure(String),
    /// `check`: references break the layering, or the crate has more cycles than allowed.
    #[error("{}", layering_message(krate, *violations, *cycles_over))]
    Layering { krate: String, violations: usize, cycles_over: Option<(usize, usize)> },
    /// `check --workspace`: these crates' layerings are broken (each said above).
    #[error("the layering of {} is broken", .0.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))]
    LayeringBroken(Vec<String>),
    /// `apply` wrote the copy, but it does not compile or its tests differ.
    #[error("{0}")]
    Verify(String),
    /// Ctrl-C or SIGTERM during a recording (files restored).
    #[error("interrupted; every edited file was restored")]
    Interrupted,
}

impl Error {
    /// For `map_err` on using the file `path`: an [`Error::File`] that says what was done.
    pub fn file(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(std::io::Error) -> Error + use<> {
        let path = path.to_path_buf();
        move |source| Error::File { action, path, source }
    }

    /// For `map_err` on writing `path`: an [`Error::OutputFile`] that names it.
    pub fn output_file(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Error + use<> {
        let path = path.display().to_string();
        move |source| Error::OutputFile { path, source }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Workspace(WorkspaceError::Metadata { .. })
            | Error::Output(_)
            | Error::OutputFile { .. }
            | Error::Graphviz(_)
            | Error::Cargo { .. }
            | Error::TimeLimit { .. }
            | Error::File { .. }
            | Error::Busy { .. }
            | Error::Measure(_)
            | Error::Layering { .. }
            | Error::LayeringBroken(_)
            | Error::Verify(_) => EXIT_FAILURE,
            Error::Interrupted => EXIT_INTERRUPTED,
            Error::Workspace(_) | Error::Usage(_) => EXIT_BAD_INPUT,
        }
    }
}

fn layering_message(krate: &str, violations: usize, cycles_over: Option<(usize, usize)>) -> String {
    let mut parts = Vec::new();
    if violations > 0 {
        parts.push(format!("{violations} reference(s) break the layering of `{krate}`"));
    }
    if let Some((cycles, max)) = cycles_over {
        parts.push(format!("`{krate}` has {cycles} module cycle(s), more than --max-cycles {max}"));
    }
    parts.join("; ")
}
