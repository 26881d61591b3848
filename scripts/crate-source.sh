#!/usr/bin/env bash
# Prints the source directory of each crates.io crate asked for, fetched as cargo fetches a
# dependency (into cargo's registry cache), one per line in the order given.
#   scripts/crate-source.sh SCRATCH-DIR 'NAME = "=VERSION"' [...]
# Each argument is a line of a [dependencies] table; SCRATCH-DIR holds the throwaway crate that
# depends on them.
set -euo pipefail
scratch=$1
shift
mkdir -p "$scratch/fetch/src"
{
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n'
  printf '%s\n' "$@"
} > "$scratch/fetch/Cargo.toml"
touch "$scratch/fetch/src/lib.rs"
names=$(printf '%s\n' "$@" | sed 's/[ =].*//' | paste -sd, -)
cargo metadata --format-version 1 --manifest-path "$scratch/fetch/Cargo.toml" |
  NAMES="$names" python3 -c 'import json,os,sys
m = json.load(sys.stdin)
for n in os.environ["NAMES"].split(","):
    print(os.path.dirname([p for p in m["packages"] if p["name"] == n][0]["manifest_path"]))'
