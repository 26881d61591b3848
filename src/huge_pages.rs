//! Transparent huge pages off for splitcheck's own process, as they were for the builds it times.
//!
//! Owns: the process's `PR_SET_THP_DISABLE` flag (Linux). The analysis allocates and frees many
//! small strings and vectors; where the kernel backs anonymous memory with 2 MiB pages
//! (`transparent_hugepage/…/enabled = always`), each fresh page is zeroed whole. On a 2-core
//! Xeon so configured, the libc report took 2.6–3.1 s with huge pages (0.9–1.4 s of it system
//! time) and 1.75–1.8 s without (3 runs each, 2026-12-06). Children inherit the flag, so every
//! command that splitcheck times gets it back as the user had it ([`restore_in_child`]): a
//! recorded build runs as it would without splitcheck.
//! Must not: change anything but this process's flag; fail (a kernel that refuses is left as is).

use std::process::Command;

#[cfg(target_os = "linux")]
mod imp {
    use std::os::unix::process::CommandExt;
    use std::process::Command;
    use std::sync::atomic::{AtomicI32, Ordering};

    /// The flag as the process started with it; -1 until [`disable`] read it.
    static INHERITED: AtomicI32 = AtomicI32::new(-1);

    pub fn disable() {
        // SAFETY: PR_GET/SET_THP_DISABLE take integer arguments and touch no memory of ours.
        let was = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        if was < 0 {
            return;
        }
        INHERITED.store(was, Ordering::SeqCst);
        if was == 0 {
            // SAFETY: as above.
            unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
        }
    }

    pub fn inherited() -> Option<bool> {
        match INHERITED.load(Ordering::SeqCst) {
            -1 => None,
            was => Some(was != 0),
        }
    }

    pub fn restore_in_child(cmd: &mut Command) {
        if inherited() != Some(false) {
            return;
        }
        // SAFETY: the closure runs between fork and exec and makes one system call, which is
        // async-signal-safe; it allocates nothing and takes no lock.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0);
                Ok(())
            });
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::process::Command;

    pub fn disable() {}

    pub fn inherited() -> Option<bool> {
        None
    }

    pub fn restore_in_child(_cmd: &mut Command) {}
}

/// Turns transparent huge pages off for this process (Linux; elsewhere nothing). Called once,
/// first thing in `cli::main`.
pub fn disable_for_this_process() {
    imp::disable();
}

/// Whether the process started with huge pages disabled: `None` before
/// [`disable_for_this_process`] or where there is no such flag.
pub fn inherited_disabled() -> Option<bool> {
    imp::inherited()
}

/// Makes `cmd`'s process start with the flag this process started with.
pub fn restore_in_child(cmd: &mut Command) {
    imp::restore_in_child(cmd);
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The kernel's view of a process's flag: `THP_enabled:` in `/proc/<pid>/status`.
    fn thp_enabled(status: &str) -> Option<bool> {
        let line = status.lines().find(|l| l.starts_with("THP_enabled:"))?;
        Some(line.split_whitespace().nth(1)? == "1")
    }

    #[test]
    fn this_process_has_huge_pages_off_and_a_restored_child_has_them_as_inherited() {
        disable_for_this_process();
        let Some(inherited) = inherited_disabled() else {
            return; // a kernel without the flag: nothing to check
        };
        let own = std::fs::read_to_string("/proc/self/status").unwrap();
        let Some(own_enabled) = thp_enabled(&own) else {
            return; // a kernel older than the status line
        };
        assert!(!own_enabled, "splitcheck's own process still has huge pages on");
        let mut plain = Command::new("cat");
        plain.arg("/proc/self/status");
        let plain_child = String::from_utf8(plain.output().unwrap().stdout).unwrap();
        assert_eq!(thp_enabled(&plain_child), Some(false), "the flag is inherited without the restore");
        let mut restored = Command::new("cat");
        restored.arg("/proc/self/status");
        restore_in_child(&mut restored);
        let child = String::from_utf8(restored.output().unwrap().stdout).unwrap();
        assert_eq!(
            thp_enabled(&child),
            Some(!inherited),
            "a timed build must start as the user's shell would"
        );
    }
}
