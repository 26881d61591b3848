#!/usr/bin/env bash
# Regenerates everything committed under reports/ori_arc/: the recording, the trade-off report,
# the three prediction checks, and a quick recording with its own check of 2-1 (about 85
# minutes on a 2-core machine).
#   scripts/ori-arc-report.sh PATH-TO-SIGIL-LANG-CHECKOUT [--no-record]
# The checkout must be upstat-io/sigil-lang at commit 400bb1d2 (the crate is compiler/ori_arc);
# its files are only edited through splitcheck's journal and are byte-identical afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sigil=$(cd "$1" && pwd)
out="$here/reports/ori_arc"
cargo build --release --locked --manifest-path "$here/Cargo.toml"
bin="$here/target/release/splitcheck"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$sigil"
if [ "${2:-}" != "--no-record" ]; then
  "$bin" record ori_arc --workspace-fit --with-dependents --out "$out/timings.json"
  "$bin" record ori_arc --clean --out "$out/clean.json"
fi
"$bin" ori_arc --out "$out" --no-pictures >/dev/null
"$bin" apply ori_arc --candidate 2-1 --timings "$out/timings.json" --out "$scratch/2-1" --measure --clean --report "$out/checks/2-1"
"$bin" apply ori_arc --candidate 3-1 --timings "$out/timings.json" --out "$scratch/3-1" --measure --report "$out/checks/3-1"
# The facade shape of the split an earlier version ranked first: the IR and its analyses below
# the lowering, the original crate as a facade on top.
"$bin" apply ori_arc --split 'ir=crate::borrow,crate::classify,crate::drop,crate::graph,crate::ir,crate::liveness,crate::ownership,crate::rc_elim,crate::rc_insert; lower=*' \
  --timings "$out/timings.json" --out "$scratch/facade" --measure --clean --report "$out/checks/facade-ir-lower"
# The same crate priced by a quick recording (the crate and a scratch crate), and its 2-1 checked.
"$bin" record ori_arc --quick --out "$out/quick/timings.json"
"$bin" apply ori_arc --candidate 2-1 --timings "$out/quick/timings.json" --out "$scratch/quick-2-1" --measure --report "$out/checks/quick-2-1"
cp "$out/checks/2-1/prediction-check.md" "$out/prediction-check.md"
cp "$out/checks/2-1/prediction-check.json" "$out/prediction-check.json"
"$bin" ori_arc --out "$out"
