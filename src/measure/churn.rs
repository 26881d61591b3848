//! Edit probabilities from version control: lines changed per file in the last commits
//! (`git log --numstat`), an alternative to sizes as the chance an edit lands in a module.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Lines added plus deleted per file (absolute paths) over the last `commits` commits of the
/// repository holding `dir`.
pub fn lines_changed(dir: &Path, commits: u32) -> Result<BTreeMap<PathBuf, u64>, crate::git::GitError> {
    let top = crate::git::run(dir, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    // `-z`: paths as they are, NUL-terminated (without it git quotes unusual ones).
    let log = crate::git::run(
        dir,
        &["log", "-n", &commits.to_string(), "--numstat", "-z", "--format=", "--no-renames"],
    )?;
    Ok(parse_numstat(&log).into_iter().map(|(path, n)| (top.join(path), n)).fold(
        BTreeMap::new(),
        |mut acc, (path, n)| {
            *acc.entry(path).or_insert(0) += n;
            acc
        },
    ))
}

/// `added<TAB>deleted<TAB>path` records, each ended by NUL (`git log --numstat -z`; commits
/// are separated by newlines); binary files (`-`) count nothing.
pub fn parse_numstat(text: &str) -> Vec<(String, u64)> {
    text.split('\0')
        .filter_map(|record| {
            let record = record.trim_start_matches('\n');
            let mut fields = record.splitn(3, '\t');
            let added = fields.next()?.parse::<u64>().ok()?;
            let deleted = fields.next()?.parse::<u64>().ok()?;
            Some((fields.next()?.to_owned(), added + deleted))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numstat_lines() {
        let text = "3\t1\tsrc/ir/mod.rs\0-\t-\tlogo.png\0\n10\t0\tsrc/lib.rs\0\n2\t2\tsrc/we\"ird\tname.rs\0";
        assert_eq!(
            parse_numstat(text),
            vec![
                ("src/ir/mod.rs".to_owned(), 4),
                ("src/lib.rs".to_owned(), 10),
                ("src/we\"ird\tname.rs".to_owned(), 4)
            ]
        );
    }
}
