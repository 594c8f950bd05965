#!/usr/bin/env bash
# Fuzzes the bundle reader (Fuzz/FuzzBundle) with libFuzzer + ASan (a release build, -O, like
# scripts/fuzz.sh) for SECONDS (default 60), with
# the integer-limit dictionary Fuzz/bundle.dict.
#   scripts/fuzz-bundle.sh 300
# The corpus lives in fuzz-corpus/bundle (git-ignored); crashes are written as crash-* in the
# repository root. A separate scratch path keeps the instrumented build apart from .build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
# FUZZ_RUNS=N runs N inputs instead (-runs=N; e.g. the 10^7-execution runs of docs/performance.md).
limit="-max_total_time=$seconds"
if [ -n "${FUZZ_RUNS:-}" ]; then limit="-runs=$FUZZ_RUNS"; fi
scratch=.build-fuzz
corpus=fuzz-corpus/bundle

swift build -c release --scratch-path "$scratch" --product FuzzBundle \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
bin="$scratch/release/FuzzBundle"
mkdir -p "$corpus"
# Seeds (seed-*) are rewritten every run; leak checking is off for the seed writer only
# (it exits with its globals alive).
ASAN_OPTIONS=detect_leaks=0 "$bin" --write-seeds "$corpus"
# Without this, Swift's backtracer trips ASan and hides the real crash (toolchain notes §4).
export SWIFT_BACKTRACE=enable=no
# Leak detection is off: LeakSanitizer reports the lazily initialised Swift statics (Data
# constants) as leaked at exit and writes an empty crash-* file; they are not leaks.
export ASAN_OPTIONS=detect_leaks=0
# The timeout is wall time, 30 s as in scripts/fuzz.sh (a busy machine under `nice` stalls inputs).
"$bin" "$limit" -rss_limit_mb=2048 -timeout=30 -detect_leaks=0 -dict=Fuzz/bundle.dict \
  -print_final_stats=1 "$corpus"
