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
  # One pandoc run over all the Markdown at once, so process start-up does not dominate.
  start=$(date +%s.%N)
  pandoc -f commonmark -t html "$work/all.md" -o /dev/null
  end=$(date +%s.%N)
  python3 -c "b=$bytes; t=$end-$start; print(f'pandoc -f commonmark -t html: {b/t/1e6:7.1f} MB/s  ({t:.3f} s on {b/1e6:.1f} MB, 1 run)')"
else
  echo "pandoc not installed: run scripts/install-deps"
fi
