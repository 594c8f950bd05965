#!/usr/bin/env bash
# Fuzzes the merge (Fuzz/FuzzMerge: fuzzed events in a correctly signed bundle, merged by
# BundleMerger into the process's one in-memory central dataset, each input's merges rolled
# back afterwards, with the merge's invariants checked) for SECONDS (default 60); FUZZ_RUNS=N
# for N inputs. Inputs may be up to 64 KiB (a bundle of several events).
#   scripts/fuzz-merge.sh 600
# The corpus is fuzz-corpus/merge; scripts/fuzz-seeded.sh builds, seeds and runs.
exec "$(dirname "$0")/fuzz-seeded.sh" FuzzMerge merge "${1:-60}" -max_len=65536
