//! The one way splitcheck runs git: the commits a report names, and the history churn reads.
//! Git is optional everywhere but `--churn`: no git (or no repository) means no commit named.

use std::path::Path;
use std::process::Command;

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {0}")]
    Run(#[source] std::io::Error),
    /// Git ran and failed: its first line of error output.
    #[error("{0}")]
    Failed(String),
}

/// `git args…` in `dir`: its standard output.
pub fn run(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().map_err(GitError::Run)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(GitError::Failed(stderr.lines().next().unwrap_or("git failed").trim().to_owned()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The first line of `git args…` in `dir`, when git succeeds and prints something.
pub fn line(dir: &Path, args: &[&str]) -> Option<String> {
    let text = run(dir, args).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The commit checked out in `dir`'s repository.
pub fn head(dir: &Path) -> Option<String> {
    line(dir, &["rev-parse", "HEAD"])
}
