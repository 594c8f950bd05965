#!/usr/bin/env bash
# Fuzzes the bundle reader (Fuzz/FuzzBundle) for SECONDS (default 60); FUZZ_RUNS=N for N inputs.
#   scripts/fuzz-bundle.sh 300
# The corpus is fuzz-corpus/bundle; scripts/fuzz-seeded.sh builds, seeds and runs.
exec "$(dirname "$0")/fuzz-seeded.sh" FuzzBundle bundle "${1:-60}"
