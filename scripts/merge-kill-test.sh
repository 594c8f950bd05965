#!/usr/bin/env bash
# Kill -9 test of `terep merge`: a merge killed at any moment leaves the central dataset
# consistent (integrity ok, every bundle all-or-nothing), and running it again completes it
# to exactly the dataset of an uninterrupted merge.
#
#   scripts/merge-kill-test.sh [ROUNDS]        (default 20; needs sqlite3; builds terep in debug)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-20}"
swift build --product terep >/dev/null
terep="$PWD/.build/debug/terep"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# Three devices, two bundles each (the second overlapping the first with --all).
for d in 1 2 3; do
  "$terep" device init --device-id "lap-$d" --interviewer "I$d" --device-db "d$d.sqlite" | tail -1 >"key$d"
  "$terep" simulate "$OLDPWD/questionnaires/wellbeing.survey" --interviews 40 --device-db "d$d.sqlite" --seed "$d" >/dev/null
  "$terep" bundle create --device-db "d$d.sqlite" -o "a$d.terepbundle" >/dev/null
  "$terep" simulate "$OLDPWD/questionnaires/wellbeing.survey" --interviews 40 --device-db "d$d.sqlite" --seed "$((d + 10))" >/dev/null
  "$terep" bundle create --device-db "d$d.sqlite" --all -o "b$d.terepbundle" >/dev/null
done
bundles=(a1.terepbundle b1.terepbundle a2.terepbundle b2.terepbundle a3.terepbundle b3.terepbundle)

"$terep" central init --central empty.sqlite >/dev/null
for d in 1 2 3; do "$terep" central add-device --central empty.sqlite --device-id "lap-$d" --key "$(cat "key$d")" >/dev/null; done

# The dataset's content, independent of merge history (the bundle log is left out).
dump() {
  sqlite3 "$1" "SELECT device_id, sequence, interview_id, timestamp, interviewer, payload_json FROM event ORDER BY 1, 2;
    SELECT * FROM interview ORDER BY id; SELECT * FROM interview_device ORDER BY 1, 2;
    SELECT * FROM received_range ORDER BY 1, 2; SELECT hash FROM definition ORDER BY 1;" | sha256sum
}

cp empty.sqlite reference.sqlite
"$terep" merge --central reference.sqlite "${bundles[@]}" >/dev/null
expected="$(dump reference.sqlite)"

for ((round = 1; round <= rounds; round++)); do
  rm -f central.sqlite central.sqlite-wal central.sqlite-shm
  cp empty.sqlite central.sqlite
  "$terep" merge --central central.sqlite "${bundles[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", r / 32768 * 0.6 }')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check="$(sqlite3 central.sqlite "PRAGMA integrity_check")"
  [[ "$check" == "ok" ]] || { echo "round $round: integrity_check: $check"; exit 1; }
  # All-or-nothing: every accepted bundle's events are all there.
  partial="$(sqlite3 central.sqlite "SELECT count(*) FROM bundle b WHERE status = 'accepted' AND
    (SELECT count(*) FROM event e WHERE e.device_id = b.device_id AND e.sequence BETWEEN b.first_sequence AND b.last_sequence)
    <> b.last_sequence - b.first_sequence + 1")"
  [[ "$partial" == "0" ]] || { echo "round $round: a bundle was applied partially"; exit 1; }
  merged_before="$(sqlite3 central.sqlite "SELECT count(*) FROM event")"
  "$terep" merge --central central.sqlite "${bundles[@]}" >/dev/null
  [[ "$(dump central.sqlite)" == "$expected" ]] || { echo "round $round: re-run differs from an uninterrupted merge"; exit 1; }
  echo "round $round: killed with $merged_before events merged; re-run completed to the reference dataset"
done
echo "merge kill test: $rounds rounds passed"
