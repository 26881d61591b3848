#!/usr/bin/env bash
# Regenerates reports/bench.md: splitcheck against parsing alone and against cargo-modules on the
# example, ori_arc, tokio 1.54.1, libc 0.2.191 and generated crates of 125K to 1M lines (about
# 10 minutes on a 2-core machine, most of it cargo-modules).
#   scripts/bench.sh PATH-TO-SIGIL-LANG-CHECKOUT
# The checkout must be upstat-io/sigil-lang at commit 400bb1d2 (the crate is compiler/ori_arc).
# cargo-modules is timed when it is on PATH (`cargo install cargo-modules --version 0.27.0`) or
# named by SPLITCHECK_CARGO_MODULES; Graphviz (`dot`) draws the pictures of (c'). Nothing is
# edited outside target/ and a temporary directory.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sigil=$(cd "$1" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The crates.io sources, fetched as cargo does for a dependency.
dirs=$("$here/scripts/crate-source.sh" "$scratch" 'tokio = { version = "=1.54.1", features = ["full"] }' 'libc = "=0.2.191"' | paste -sd, -)
cd "$here"
SPLITCHECK_BENCH_CRATES="$sigil/compiler/ori_arc,$dirs" SPLITCHECK_BENCH_MD="$here/reports/bench.md" \
  cargo bench --locked --bench speed
