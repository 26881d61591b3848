//! Names the commit splitcheck is built from (`SPLITCHECK_COMMIT`, empty outside a git
//! checkout), for the provenance of measured prediction checks.

fn main() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    println!("cargo:rerun-if-changed=.git/index");
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    // Built from changes not committed yet: the commit alone would not name this code.
    let dirty = std::process::Command::new("git")
        .args(["diff", "--quiet", "HEAD", "--", "src", "Cargo.toml", "Cargo.lock", "build.rs"])
        .status()
        .is_ok_and(|s| s.code() == Some(1));
    let commit =
        if dirty && !commit.is_empty() { format!("{commit} with uncommitted changes") } else { commit };
    println!("cargo:rustc-env=SPLITCHECK_COMMIT={commit}");
}
