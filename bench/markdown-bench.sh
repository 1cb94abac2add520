#!/usr/bin/env bash
# Markdown output and ingest throughput on the synthetic corpus, beside pandoc.
#   bench/markdown-bench.sh [BUILD_DIR] [DOCS] [PROVISIONS]
# Needs a Release or RelWithDebInfo build and pandoc (scripts/install-deps installs it).
set -euo pipefail
build=${1:-build}
docs=${2:-200}
provisions=${3:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bench/normkit-gen-corpus" --docs "$docs" --provisions "$provisions" --seed 1 --format xml -o "$work/xml" >/dev/null
"$build/bench/normkit-bench-markdown" "$work/xml" --rounds 3 --write-md "$work/md"
cat "$work"/md/*.md > "$work/all.md"
bytes=$(stat -c %s "$work/all.md")
if command -v pandoc >/dev/null; then
  # One pandoc run over all the Markdown at once, so process start-up does not dominate; CPU time
  # (user + system) like the figures above, since the machine may be shared.
  python3 - "$work/all.md" <<'PY'
import os, resource, subprocess, sys, time
path = sys.argv[1]
size = os.path.getsize(path)
before = resource.getrusage(resource.RUSAGE_CHILDREN)
wall = time.monotonic()
subprocess.run(["pandoc", "-f", "commonmark", "-t", "html", path, "-o", os.devnull], check=True)
wall = time.monotonic() - wall
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"pandoc -f commonmark -t html: {size / cpu / 1e6:7.1f} MB per CPU-second  ({cpu:.2f} s CPU, {wall:.2f} s wall, {size / 1e6:.1f} MB)")
PY
else
  echo "pandoc not installed: run scripts/install-deps"
fi
