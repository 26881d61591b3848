//! The one way splitcheck runs cargo: timed and interruptible for measurements (each build
//! with a time limit, its messages in a temporary file so a build that warns a lot never
//! blocks), or to the end with its output for `apply`'s verification.
//!
//! Owns: the Ctrl-C/SIGTERM flag every measurement watches, and the time limit per build.
//! Must not: edit files (measurements edit through their journal).

use crate::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C and SIGTERM set a flag the recording loop watches: it stops cargo, restores the files
/// and exits with 130.
pub(crate) fn install_interrupt_handler() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    });
}

/// The user's cargo flags for what is built: features, and `--locked`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CargoFlags {
    /// `--features` (names as cargo takes them, `crate/feature` included).
    pub features: Vec<String>,
    pub all_features: bool,
    pub no_default_features: bool,
    pub locked: bool,
}

impl CargoFlags {
    /// The arguments for `cargo build`/`test`/`check`.
    pub fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if !self.features.is_empty() {
            args.push("--features".to_owned());
            args.push(self.features.join(","));
        }
        if self.all_features {
            args.push("--all-features".to_owned());
        }
        if self.no_default_features {
            args.push("--no-default-features".to_owned());
        }
        if self.locked {
            args.push("--locked".to_owned());
        }
        args
    }

    /// Which features were built, as a report says it.
    pub fn describe(&self) -> String {
        let base = if self.all_features {
            "all features".to_owned()
        } else if self.no_default_features {
            "no default features".to_owned()
        } else {
            "the default features".to_owned()
        };
        if self.features.is_empty() || self.all_features {
            base
        } else {
            format!("{base} and {}", self.features.join(", "))
        }
    }
}

/// Cargo for one package, as `$CARGO` (or `cargo`) runs it.
#[derive(Debug, Clone, Default)]
pub struct Cargo {
    pub manifest: PathBuf,
    pub offline: bool,
    /// `CARGO_TARGET_DIR` (a copy of the workspace builds in its own, so it never shares the
    /// user's target directory).
    pub target_dir: Option<PathBuf>,
    /// Features and `--locked`, for the commands that build.
    pub flags: CargoFlags,
}

impl Cargo {
    pub(crate) fn program() -> String {
        std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
    }

    pub(crate) fn build(&self, full: bool) -> Result<f64, Error> {
        self.timed(&["build", "--lib"], full)
    }

    pub(crate) fn test_build(&self, full: bool) -> Result<f64, Error> {
        self.timed(&["test", "--no-run"], full)
    }

    /// Rebuilds both profiles untimed after a file was restored, so the next edit's samples
    /// time only that edit.
    pub(crate) fn resync(&self) -> Result<(), Error> {
        self.build(false)?;
        self.test_build(false)?;
        Ok(())
    }

    /// Runs cargo to the end and returns whether it succeeded, its stdout and stderr
    /// interleaved as a terminal shows them, and its wall time.
    pub fn output(&self, args: &[&str]) -> Result<(bool, String, f64), Error> {
        use std::io::{Read, Seek};
        let program = Self::program();
        let shared = |e| Error::file("use", Path::new("a temporary file"))(e);
        let mut log = tempfile::tempfile().map_err(shared)?;
        let mut cmd = self.command(args);
        cmd.stdin(Stdio::null())
            .stdout(log.try_clone().map_err(shared)?)
            .stderr(log.try_clone().map_err(shared)?);
        let start = Instant::now();
        let status = cmd.status().map_err(|e| Error::Cargo {
            command: args.join(" "),
            failure: format!("cannot run ({program}): {e}"),
        })?;
        let seconds = start.elapsed().as_secs_f64();
        let mut text = String::new();
        let _ = log.seek(std::io::SeekFrom::Start(0));
        let _ = log.read_to_string(&mut text);
        Ok((status.success(), text, seconds))
    }

    /// `cargo args… --manifest-path …`, offline and in the target directory as asked.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(Self::program());
        crate::huge_pages::restore_in_child(&mut cmd);
        cmd.args(args).arg("--manifest-path").arg(&self.manifest);
        if matches!(args.first(), Some(&("build" | "test" | "check" | "bench")))
            || args.starts_with(&["nextest", "run"])
        {
            cmd.args(self.flags.args());
        }
        if self.offline {
            cmd.arg("--offline");
        }
        if let Some(dir) = &self.target_dir {
            cmd.env("CARGO_TARGET_DIR", dir);
        }
        cmd.env("CARGO_TERM_COLOR", "never");
        cmd
    }

    /// Runs cargo and returns its wall time; stops it (and fails) when interrupted or past the
    /// build time limit ([`build_limit`]). Cargo's messages go to a temporary file, read only
    /// on failure: a pipe nobody reads fills up and blocks a build that warns a lot.
    pub(crate) fn timed(&self, args: &[&str], full: bool) -> Result<f64, Error> {
        use std::io::{Read, Seek};
        if INTERRUPTED.load(Ordering::SeqCst) {
            return Err(Error::Interrupted);
        }
        let mut cmd = self.command(args);
        cmd.arg("--quiet");
        if full {
            cmd.env("CARGO_INCREMENTAL", "0");
        }
        let shared = |e| Error::file("use", Path::new("a temporary file"))(e);
        let mut log = tempfile::tempfile().map_err(shared)?;
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(log.try_clone().map_err(shared)?);
        let limit = build_limit();
        let start = Instant::now();
        let mut child = cmd.spawn().map_err(|e| Error::Cargo {
            command: args.join(" "),
            failure: format!("cannot run ({}): {e}", Self::program()),
        })?;
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| Error::Cargo {
                command: args.join(" "),
                failure: format!("cannot be waited for: {e}"),
            })? {
                break status;
            }
            if INTERRUPTED.load(Ordering::SeqCst) {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::Interrupted);
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::TimeLimit {
                    command: args.join(" "),
                    seconds: limit.as_secs(),
                    var: BUILD_LIMIT_VAR,
                });
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let seconds = start.elapsed().as_secs_f64();
        if !status.success() {
            let mut stderr = String::new();
            let _ = log.seek(std::io::SeekFrom::Start(0));
            let _ = log.read_to_string(&mut stderr);
            let first =
                stderr.lines().find(|l| l.contains("error")).unwrap_or("no message").trim().to_owned();
            return Err(Error::Cargo { command: args.join(" "), failure: format!("failed: {first}") });
        }
        Ok(seconds)
    }
}

/// The environment variable that sets the time limit per timed build, in seconds.
pub const BUILD_LIMIT_VAR: &str = "SPLITCHECK_BUILD_TIMEOUT_S";

/// How long one timed build may take: 600 s, or `SPLITCHECK_BUILD_TIMEOUT_S`.
fn build_limit() -> Duration {
    let seconds = std::env::var(BUILD_LIMIT_VAR).ok().and_then(|v| v.parse::<u64>().ok()).unwrap_or(600);
    Duration::from_secs(seconds.max(1))
}

pub(crate) fn tool_version(program: &str) -> String {
    Command::new(program)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// Whether Ctrl-C or SIGTERM was received since the handler was installed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
