#!/usr/bin/env bash
# Regenerates reports/aho-corasick/: a quick recording of aho-corasick 1.1.5 from crates.io,
# its trade-off report, and the prediction check of candidate 2-1 priced by that recording
# (about 5 minutes on a 2-core machine).
#   scripts/crates-io-check.sh
# The crate's source comes from crates.io through cargo, into a temporary directory made a git
# repository (so the report can name a commit); nothing outside it is edited.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/reports/aho-corasick"
cargo build --release --locked --manifest-path "$here/Cargo.toml"
bin="$here/target/release/splitcheck"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Fetch the source as cargo does for a dependency.
src=$("$here/scripts/crate-source.sh" "$scratch" 'aho-corasick = "=1.1.5"')
cp -r "$src" "$scratch/aho-corasick"
cd "$scratch/aho-corasick"
# A fixed author and date give the same commit id on every run.
git init -q && git add -A && GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z \
  git -c user.name=splitcheck -c user.email=splitcheck@localhost commit -qm "aho-corasick 1.1.5 from crates.io"
mkdir -p "$out"
"$bin" record --quick --out "$out/timings.json"
"$bin" --out "$out" --no-pictures >/dev/null
"$bin" apply --candidate 2-1 --timings "$out/timings.json" --out "$scratch/2-1" --measure --report "$out/checks/2-1"
"$bin" --out "$out"
