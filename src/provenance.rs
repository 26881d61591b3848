//! Where an analysis stands: the last git commit that touched the crate, whether its files
//! changed since, and the date (`SOURCE_DATE_EPOCH` when set, so a report can be reproduced
//! byte for byte).
//!
//! Owns: the only git and clock reads of the report pipeline. Must not: fail (no git, no
//! repository: the commit is simply unknown).

use crate::tradeoff::Provenance;
use crate::workspace::Package;
use std::path::Path;
use std::process::Command;

pub fn provenance(package: &Package) -> Provenance {
    let (git_commit, crate_commit, git_dirty) = git_state(&package.root_dir);
    Provenance {
        krate: package.name.clone(),
        version: package.version.clone(),
        edition: package.lib.edition.clone(),
        git_commit,
        crate_commit,
        git_dirty,
        date: today(),
        tool: format!("splitcheck {}", env!("CARGO_PKG_VERSION")),
    }
}

/// `HEAD`, the last commit touching `dir`, and whether `dir` has uncommitted changes.
fn git_state(dir: &Path) -> (Option<String>, Option<String>, bool) {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        (out.status.success() && !text.is_empty()).then_some(text)
    };
    let head = git(&["rev-parse", "HEAD"]);
    let last = head.as_ref().and_then(|_| git(&["log", "-1", "--format=%H", "--", "."]));
    let dirty = head.is_some() && git(&["status", "--porcelain", "--", "."]).is_some();
    (head, last, dirty)
}

/// Today (UTC) as `YYYY-MM-DD`, or the day of `SOURCE_DATE_EPOCH`.
pub fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_417), (2025, 11, 25));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
