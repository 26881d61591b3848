//! Writing a [`SplitPlan`] into a copy of the workspace: the user's tree is only read.
//!
//! Owns: copying the workspace (without `.git`, build directories and the output directory
//! itself), then removing the files that moved, writing the new texts and copying the
//! files parts share. Must not: decide any text (that is `apply`).

use crate::apply::SplitPlan;
use crate::error::Error;
use std::path::{Path, PathBuf};

/// Copies `workspace_root` to `out` (which must not exist or be empty) and applies `plan`.
pub fn write_copy(plan: &SplitPlan, workspace_root: &Path, out: &Path) -> Result<(), Error> {
    if out.exists() {
        let empty = std::fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(Error::Usage(format!(
                "--out {}: the directory exists and is not empty; give a new one",
                out.display()
            )));
        }
    }
    let out_abs = absolute(out);
    let root_abs = absolute(workspace_root);
    if root_abs.starts_with(&out_abs) {
        return Err(Error::Usage(format!("--out {}: the workspace is inside it", out.display())));
    }
    let dest_root = out.join(&plan.original_root_in_copy);
    copy_tree(&root_abs, &dest_root, &out_abs).map_err(Error::output_file(out))?;
    for file in &plan.removes {
        let path = out.join(file);
        if path.is_file() {
            std::fs::remove_file(&path).map_err(Error::output_file(&path))?;
            remove_empty_dirs(path.parent(), out);
        }
    }
    for (from, to) in &plan.copies {
        let path = out.join(to);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(Error::output_file(dir))?;
        }
        std::fs::copy(from, &path).map_err(Error::output_file(&path))?;
    }
    for (file, text) in &plan.writes {
        let path = out.join(file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(Error::output_file(dir))?;
        }
        std::fs::write(&path, text).map_err(Error::output_file(&path))?;
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// A directory cargo marks as a build directory (`CACHEDIR.TAG`), or version control.
pub(crate) fn skipped(dir: &Path) -> bool {
    dir.file_name().is_some_and(|n| n == ".git") || dir.join("CACHEDIR.TAG").is_file()
}

fn copy_tree(from: &Path, to: &Path, out: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            if skipped(&path) || absolute(&path) == out {
                continue;
            }
            copy_tree(&path, &dest, out)?;
        } else if kind.is_symlink() {
            let target = std::fs::read_link(&path)?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&target, &dest)?;
            #[cfg(not(unix))]
            std::fs::copy(&path, &dest).map(|_| ())?;
        } else {
            std::fs::copy(&path, &dest)?;
        }
    }
    Ok(())
}

fn remove_empty_dirs(mut dir: Option<&Path>, stop: &Path) {
    while let Some(d) = dir {
        if d == stop || std::fs::remove_dir(d).is_err() {
            return;
        }
        dir = d.parent();
    }
}
