#!/usr/bin/env bash
# Fuzzes the questionnaire compiler (Fuzz/FuzzParser) with libFuzzer + ASan for SECONDS
# (default 60):   scripts/fuzz.sh 300
# The corpus lives in fuzz-corpus/parser (git-ignored) and is seeded from the questionnaires
# and the diagnostics golden corpus; crashes are written as crash-* in the repository root.
# The instrumented build is a release build (-O: a debug build ran ~50 inputs a second) with its
# own scratch path, apart from .build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
# FUZZ_RUNS=N runs N inputs instead (-runs=N; e.g. the 10^7-execution runs of docs/performance.md).
limit="-max_total_time=$seconds"
if [ -n "${FUZZ_RUNS:-}" ]; then limit="-runs=$FUZZ_RUNS"; fi
scratch=.build-fuzz
corpus=fuzz-corpus/parser
dict=fuzz-corpus/parser.dict

swift build -c release --scratch-path "$scratch" --product FuzzParser \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
bin="$scratch/release/FuzzParser"
mkdir -p "$corpus"
if [ -z "$(ls -A "$corpus")" ]; then
  find questionnaires Tests/SurveyCompilerTests/Golden/diagnostics -name '*.survey' 2>/dev/null |
    while read -r f; do cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"; done
fi
# Keywords and punctuation of the language, so mutations build plausible sources.
: > "$dict"
for w in survey title version languages outcome complete specials include answers section question \
  grid item roster count max min note calculate end if error warn text hint label rowlabel when \
  optional nodk pii interviewer preload default maxlength pattern filter other randomize exclusive \
  fixed single multiple yesno integer decimal scale date time and or not in row option hu en dk rf \
  today answered sum any all targets period total speeder hours outcomes quota monitor each partial \
  refusal noncontact unknown ineligible where else phrase datetime now visits visit_start \
  evening_or_weekend_visits '=' '@08:00' '{' '}' '(' ')' '..' '==' '<=' '"' '@2020-01-01' '@2026-10-01T08:30' \
  '{m}' '{a:m}' '{A:m}' 'include "m.survey"'; do
  printf '"%s"\n' "$(printf '%s' "$w" | sed 's/\\/\\\\/g; s/"/\\"/g')" >> "$dict"
done
# Without this, Swift's backtracer trips ASan and hides the real crash (toolchain notes §4).
export SWIFT_BACKTRACE=enable=no
# The timeout is wall time: 30 s, since under `nice -n 19` on a busy machine one input may wait
# seconds for a core (a 5 s limit reported an input taking 0.01 s of CPU as a hang).
"$bin" "$limit" -rss_limit_mb=2048 -timeout=30 -max_len=4096 -dict="$dict" \
  -print_final_stats=1 "$corpus"
