#!/usr/bin/env bash
# Fuzzes the bundle reader (Fuzz/FuzzBundle) with libFuzzer + ASan for SECONDS (default 60).
#   scripts/fuzz-bundle.sh 300
# The corpus lives in fuzz-corpus/bundle (git-ignored); crashes are written as crash-* in the
# repository root. A separate scratch path keeps the instrumented build apart from .build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scratch=.build-fuzz
corpus=fuzz-corpus/bundle

swift build --scratch-path "$scratch" --product FuzzBundle \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
bin="$scratch/debug/FuzzBundle"
mkdir -p "$corpus"
if [ -z "$(ls -A "$corpus")" ]; then "$bin" --write-seeds "$corpus"; fi
# Without this, Swift's backtracer trips ASan and hides the real crash (toolchain notes §4).
export SWIFT_BACKTRACE=enable=no
"$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 -print_final_stats=1 "$corpus"
