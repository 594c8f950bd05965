#!/usr/bin/env bash
# Fuzzes the merge (Fuzz/FuzzMerge: fuzzed events in a correctly signed bundle, merged by
# BundleMerger into the process's one in-memory central dataset, each input's merges rolled
# back afterwards, with the merge's invariants checked)
# with libFuzzer + ASan (a release build, -O, like scripts/fuzz.sh) for SECONDS (default 60), with the
# integer-limit dictionary Fuzz/bundle.dict.
#   scripts/fuzz-merge.sh 600
# The corpus lives in fuzz-corpus/merge (git-ignored); crashes are written as crash-* in the
# repository root. A separate scratch path keeps the instrumented build apart from .build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
# FUZZ_RUNS=N runs N inputs instead (-runs=N; e.g. the 10^7-execution runs of docs/performance.md).
limit="-max_total_time=$seconds"
if [ -n "${FUZZ_RUNS:-}" ]; then limit="-runs=$FUZZ_RUNS"; fi
scratch=.build-fuzz
corpus=fuzz-corpus/merge

swift build -c release --scratch-path "$scratch" --product FuzzMerge \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
bin="$scratch/release/FuzzMerge"
mkdir -p "$corpus"
ASAN_OPTIONS=detect_leaks=0 "$bin" --write-seeds "$corpus"
# Swift's backtracer trips ASan and hides the real crash; LeakSanitizer reports lazily
# initialised statics (toolchain notes §4), so leak checking is off.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=0
# The timeout is wall time, 30 s as in scripts/fuzz.sh (a busy machine under `nice` stalls inputs).
"$bin" "$limit" -rss_limit_mb=2048 -timeout=30 -max_len=65536 -detect_leaks=0 \
  -dict=Fuzz/bundle.dict -print_final_stats=1 "$corpus"
