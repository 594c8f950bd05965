#!/usr/bin/env bash
# The one body of scripts/fuzz-bundle.sh and scripts/fuzz-merge.sh: builds the fuzz target
# TARGET (FuzzBundle or FuzzMerge) with libFuzzer + ASan, writes its seeds into
# fuzz-corpus/CORPUS and fuzzes for SECONDS (default 60) with the integer-limit dictionary
# Fuzz/bundle.dict; any further arguments go to libFuzzer.
#   scripts/fuzz-seeded.sh FuzzMerge merge 600 -max_len=65536
# FUZZ_RUNS=N runs N inputs instead (-runs=N; e.g. the 10^7-execution runs of docs/performance.md).
# The build is a release build (-O, like scripts/fuzz.sh) with its own scratch path, apart from
# .build; the corpus is git-ignored; crashes are written as crash-* in the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz-seeded.sh TARGET CORPUS [SECONDS] [LIBFUZZER-FLAGS...]" >&2
  exit 64
fi
target="$1"
corpus="fuzz-corpus/$2"
seconds="${3:-60}"
shift $(($# < 3 ? $# : 3))
limit="-max_total_time=$seconds"
if [ -n "${FUZZ_RUNS:-}" ]; then limit="-runs=$FUZZ_RUNS"; fi
scratch=.build-fuzz

swift build -c release --scratch-path "$scratch" --product "$target" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
bin="$scratch/release/$target"
mkdir -p "$corpus"
# Without this, Swift's backtracer trips ASan and hides the real crash (toolchain notes §4).
export SWIFT_BACKTRACE=enable=no
# Leak detection is off, for the seed writer too (it exits with its globals alive):
# LeakSanitizer reports the lazily initialised Swift statics (Data constants) as leaked at exit
# and writes an empty crash-* file; they are not leaks.
export ASAN_OPTIONS=detect_leaks=0
# Seeds (seed-*) are rewritten every run.
"$bin" --write-seeds "$corpus"
# The timeout is wall time, 30 s as in scripts/fuzz.sh (a busy machine under `nice` stalls inputs).
"$bin" "$limit" -rss_limit_mb=2048 -timeout=30 -detect_leaks=0 -dict=Fuzz/bundle.dict \
  -print_final_stats=1 "$@" "$corpus"
