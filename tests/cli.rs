//! The command-line contract: cargo subcommand use, help texts, exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("binary runs")
}

const EXAMPLE: &[&str] = &["--manifest-path", "examples/midend/Cargo.toml", "--color", "never"];

#[test]
fn cargo_subcommand_drops_its_own_name() {
    let direct = run(env!("CARGO_BIN_EXE_splitcheck"), EXAMPLE);
    let mut args = vec!["splitcheck"];
    args.extend_from_slice(EXAMPLE);
    let via_cargo = run(env!("CARGO_BIN_EXE_cargo-splitcheck"), &args);
    assert_eq!(direct.status.code(), Some(0));
    assert_eq!(via_cargo.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&direct.stdout), String::from_utf8_lossy(&via_cargo.stdout));
    assert!(String::from_utf8_lossy(&direct.stdout).contains("crate::passes::inline"));
}

#[test]
fn every_subcommand_has_help() {
    for sub in ["graph", "partition", "record", "explore"] {
        let out = run(env!("CARGO_BIN_EXE_splitcheck"), &[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{sub} --help");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Usage: splitcheck") && text.contains("[CRATE]"), "{sub}: {text}");
    }
    let out = run(env!("CARGO_BIN_EXE_splitcheck"), &["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Exit codes:") && text.contains("--manifest-path"), "{text}");
}

#[test]
fn output_is_deterministic() {
    let mut args = EXAMPLE.to_vec();
    args.extend_from_slice(&["--format", "json"]);
    let first = run(env!("CARGO_BIN_EXE_splitcheck"), &args);
    let second = run(env!("CARGO_BIN_EXE_splitcheck"), &args);
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(first.stdout, second.stdout);
    let json: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["totals"]["modules"], 28);
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = run(env!("CARGO_BIN_EXE_splitcheck"), &["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-such-flag"));
}
