#!/usr/bin/env bash
# A campaign of 10^7 executions of one fuzz target's fixed binary, in segments of SEGMENT runs
# (-runs) that each end by themselves with libFuzzer's "Done N runs": a session or machine that
# stops in the middle loses only the segment under way, the record counts only finished
# segments, and running the same command again goes on where it stopped (the corpus is kept and
# grows). One line per finished segment is appended to DIR/NAME.txt (executions, CPU seconds,
# coverage); a finding (any other non-zero exit, or no "Done") stops the campaign and names its
# log; an interruption (SIGINT/SIGTERM) is noted and not counted.
#   scripts/fuzz-campaign.sh NAME BINARY CORPUS SEGMENT -- LIBFUZZER-FLAGS…
#   e.g. scripts/fuzz-campaign.sh parser-2af2488 .build-fuzz/release/FuzzParser fuzz-corpus/parser 200000 \
#          -- -max_len=4096 -dict=fuzz-corpus/parser.dict
# DIR is $FUZZ_CAMPAIGN_DIR (default fuzz-corpus/campaigns). The segments run idle-class
# (chrt -i 0, nice 19), taking only CPU nobody else wants; libFuzzer's -timeout is wall time, so
# it is 1,800 s (a starved idle-class process would otherwise "time out" on a 0.01 s input).
# The merge target also wants ASAN_OPTIONS=detect_leaks=0 (scripts/fuzz-merge.sh says why).
# A machine may not outlive a session: the records are kept in the repository, Fuzz/campaigns/
# (copied there at the end of a session, with '#' lines naming the binary's commit and build).
# To go on elsewhere: build the binary from that commit, copy the record into DIR, run the same
# command. Two processes (one per core) may run one campaign over one corpus: the second with
# FUZZ_WORKER=b writes its own record, NAME-b.txt. The campaign's count is the sum of NAME.txt
# and every NAME-X.txt (X one letter), and each worker stops after the segment that brings the
# sum to 10^7 (docs/performance.md, "Session 9").
set -uo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 NAME BINARY CORPUS SEGMENT -- LIBFUZZER-FLAGS…" >&2
  exit 64
fi
name=$1 bin=$2 corpus=$3 segment=$4
shift 4
[ "${1:-}" = "--" ] && shift
dir=${FUZZ_CAMPAIGN_DIR:-fuzz-corpus/campaigns}
mkdir -p "$dir"
worker=${FUZZ_WORKER:-}
case $worker in '' | [a-z]) ;; *)
  echo "FUZZ_WORKER must be one letter (b, c, …): the second worker's record is NAME-b.txt" >&2
  exit 64
  ;;
esac
# This worker's files: its record, its segments' logs and any crash file, apart from the others'.
own=$name${worker:+-$worker}
record=$dir/$own.txt
export SWIFT_BACKTRACE=enable=no
# Executions in the finished segments of the records given (missing ones count 0).
segment_sum() {
  cat "$@" 2>/dev/null | awk '/^segment/ { s += $4 } END { print s + 0 }'
}
# The whole campaign's: every worker's record.
campaign_total() { segment_sum "$dir/$name.txt" "$dir/$name"-?.txt; }
total=$(segment_sum "$record")
while [ "$(campaign_total)" -lt 10000000 ]; do
  # (awk, not grep -c: on a record with no segment line yet, grep -c prints 0 and fails, and the
  # fallback printed a second 0.)
  k=$(($(awk '/^segment/ { n++ } END { print n + 0 }' "$record" 2>/dev/null || echo 0) + 1))
  log=$dir/$own-segment-$k.log
  started=$(date -u +%FT%TZ)
  /usr/bin/time -v chrt -i 0 nice -n 19 "$bin" -runs="$segment" -rss_limit_mb=2048 -timeout=1800 \
    -print_final_stats=1 -artifact_prefix="$dir/$own-" "$@" "$corpus" > "$log" 2>&1
  status=$?
  if grep -q "libFuzzer: run interrupted" "$log"; then
    # SIGINT/SIGTERM (a session or machine stopping): no finding, the segment is not counted,
    # and the same command goes on with a new run of it.
    echo "interrupted in segment $k ($(date -u +%FT%TZ)): not counted" >> "$record"
    exit 0
  fi
  # libFuzzer's "Done N runs": N is at least SEGMENT (now and then one more, 100001 for
  # -runs=100000); the segment counts the N it says.
  runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
  if [ $status -ne 0 ] || [ -z "$runs" ] || [ "$runs" -lt "$segment" ]; then
    echo "STOPPED at segment $k (exit $status, $(date -u +%FT%TZ)): see $log" >> "$record"
    exit 1
  fi
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$log")
  cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+')
  total=$((total + runs))
  echo "segment $k runs $runs cpu_s $cpu started $started ended $(date -u +%FT%TZ) $cov total $total findings 0" >> "$record"
done
echo "DONE $total executions in this record, $(campaign_total) in the campaign, no finding ($(date -u +%FT%TZ))" >> "$record"
