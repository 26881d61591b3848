#!/usr/bin/env bash
# Screenshots of a report.html in headless Chromium, to look at what a browser shows:
#   scripts/screenshot-report.sh reports/midend/report.html /tmp/shots
# writes page-01.png, page-02.png, … (1280×2000 each, top to bottom) into the output directory.
# Needs Chromium (`apt-get install -y chromium`) and ImageMagick's `convert`.
set -euo pipefail
html=$(realpath "$1")
out=${2:-screenshots}
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# The flags keep Chromium off the network and away from the machine's profile.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1280,16000 \
  --screenshot="$out/full.png" "file://$html" 2>/dev/null
# Cut the tall picture into pages and drop the empty ones below the end of the report.
convert "$out/full.png" -crop 1280x2000 +repage "$out/page-%02d.png"
for page in "$out"/page-*.png; do
  colours=$(convert "$page" -format '%k' info:)
  if [ "$colours" -le 2 ]; then rm "$page"; fi
done
rm "$out/full.png"
ls "$out"
