//! The journal that guarantees `record` never loses a user's work.
//!
//! Before a file is edited, its original bytes are copied into the journal directory (inside
//! cargo's target directory) and an entry with its path and modification time is written, both
//! flushed to disk. Restoring writes the original bytes back, sets the original mtime, and only
//! then drops the entry, so a crash at any point leaves either the untouched file or an entry to
//! restore from. The next `splitcheck` run on the crate restores what an earlier run (killed, or
//! cut off by a power loss) left behind.

use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the journal of a target directory lives.
pub fn journal_dir(target_dir: &Path) -> PathBuf {
    target_dir.join("splitcheck-journal")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    file: PathBuf,
    /// File name of the copy of the original bytes, in the journal directory.
    backup: String,
    len: u64,
    mtime_secs: u64,
    mtime_nanos: u32,
}

#[derive(Debug)]
pub struct Journal {
    dir: PathBuf,
    entries: Vec<Entry>,
}

impl Journal {
    /// Opens (creating) the journal of `target_dir`, reading what an earlier run left.
    pub fn open(target_dir: &Path) -> io::Result<Journal> {
        let dir = journal_dir(target_dir);
        fs::create_dir_all(&dir)?;
        let entries = match fs::read(dir.join("entries.json")) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        Ok(Journal { dir, entries })
    }

    /// Files an earlier run left edited (not yet restored).
    pub fn pending(&self) -> Vec<PathBuf> {
        self.entries.iter().map(|e| e.file.clone()).collect()
    }

    /// Saves `file`'s bytes and mtime before it is edited (once per file; later calls keep the
    /// first, original copy).
    pub fn protect(&mut self, file: &Path) -> io::Result<()> {
        if self.entries.iter().any(|e| e.file == file) {
            return Ok(());
        }
        let bytes = fs::read(file)?;
        let mtime = fs::metadata(file)?.modified()?.duration_since(UNIX_EPOCH).unwrap_or_default();
        let backup = (0..)
            .map(|i| format!("{i}.orig"))
            .find(|name| !self.entries.iter().any(|e| e.backup == *name))
            .expect("an unused name");
        write_synced(&self.dir.join(&backup), &bytes)?;
        self.entries.push(Entry {
            file: file.to_path_buf(),
            backup,
            len: bytes.len() as u64,
            mtime_secs: mtime.as_secs(),
            mtime_nanos: mtime.subsec_nanos(),
        });
        self.save()
    }

    /// Restores every protected file, byte-identical and with its original mtime; returns them.
    pub fn restore_all(&mut self) -> io::Result<Vec<PathBuf>> {
        let mut restored = Vec::new();
        while let Some(entry) = self.entries.first().cloned() {
            let backup = self.dir.join(&entry.backup);
            let bytes = fs::read(&backup)?;
            let current = fs::read(&entry.file).ok();
            if current.as_deref() != Some(&bytes[..]) {
                let mut f = OpenOptions::new().write(true).truncate(true).create(true).open(&entry.file)?;
                f.write_all(&bytes)?;
                f.sync_all()?;
            }
            let f = OpenOptions::new().write(true).open(&entry.file)?;
            f.set_modified(UNIX_EPOCH + Duration::new(entry.mtime_secs, entry.mtime_nanos))?;
            self.entries.remove(0);
            self.save()?;
            let _ = fs::remove_file(backup);
            restored.push(entry.file);
        }
        Ok(restored)
    }

    fn save(&self) -> io::Result<()> {
        if self.entries.is_empty() {
            // Nothing to restore: no file, so later runs need not even open the journal.
            return match fs::remove_file(self.dir.join("entries.json")) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let bytes = serde_json::to_vec_pretty(&self.entries).map_err(io::Error::other)?;
        let tmp = self.dir.join("entries.json.tmp");
        write_synced(&tmp, &bytes)?;
        fs::rename(&tmp, self.dir.join("entries.json"))?;
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// The process id of a recording that is running on this journal, if any: its files must not
/// be restored from under it.
pub fn live_owner(target_dir: &Path) -> Option<u32> {
    let path = journal_dir(target_dir).join("owner.lock");
    let file = OpenOptions::new().read(true).write(true).open(&path).ok()?;
    // A lock the OS holds for a live process only: a killed recording leaves none behind.
    match file.try_lock() {
        Ok(()) => None,
        Err(_) => {
            let pid: u32 = fs::read_to_string(&path).ok()?.trim().parse().ok()?;
            (pid != std::process::id()).then_some(pid)
        }
    }
}

/// Marks this process as the journal's owner until the returned guard drops: an exclusive OS
/// lock on `owner.lock` (released by the OS when the process ends, however it ends), holding
/// the process id for messages.
pub fn claim(target_dir: &Path) -> io::Result<OwnerGuard> {
    fs::create_dir_all(journal_dir(target_dir))?;
    let path = journal_dir(target_dir).join("owner.lock");
    let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
    file.try_lock().map_err(|e| io::Error::new(io::ErrorKind::WouldBlock, format!("{e}")))?;
    use std::io::{Seek, Write};
    file.set_len(0)?;
    file.seek(io::SeekFrom::Start(0))?;
    file.write_all(std::process::id().to_string().as_bytes())?;
    file.sync_all()?;
    Ok(OwnerGuard { _file: file })
}

/// Holds the owner's lock; the OS releases it when this drops or the process ends.
pub struct OwnerGuard {
    _file: fs::File,
}

/// The current time as a file mtime, for `--touch mtime`.
pub fn bump_mtime(file: &Path) -> io::Result<()> {
    OpenOptions::new().write(true).open(file)?.set_modified(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restores_bytes_and_mtime_and_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.rs");
        fs::write(&file, "fn a() {}\n").unwrap();
        let old = UNIX_EPOCH + Duration::new(1_600_000_000, 123_456_789);
        OpenOptions::new().write(true).open(&file).unwrap().set_modified(old).unwrap();
        let target = dir.path().join("target");
        let mut j = Journal::open(&target).unwrap();
        j.protect(&file).unwrap();
        fs::write(&file, "fn a() { let _x = 1; }\n").unwrap();
        j.protect(&file).unwrap(); // a second protect keeps the original
        drop(j);
        // As after a kill: a new run finds the entry and restores it.
        let mut again = Journal::open(&target).unwrap();
        assert_eq!(again.pending(), vec![file.clone()]);
        assert_eq!(again.restore_all().unwrap(), vec![file.clone()]);
        assert_eq!(fs::read_to_string(&file).unwrap(), "fn a() {}\n");
        assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), old);
        assert!(Journal::open(&target).unwrap().pending().is_empty());
    }
}
