#!/usr/bin/env bash
# Kills `terep bundle create` with SIGKILL at random moments, ROUNDS times (default 200), and
# checks the atomic-write promise: afterwards the bundle file either does not exist or is a
# complete bundle that passes `terep bundle inspect`. Leftover temporary files (.NAME.tmp-*)
# are counted and removed; they never carry the bundle's name.
#   scripts/kill-bundle-writer.sh 1000
# Needs python3 (to fill a device database with 5,000 events quickly) and a built terep.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-200}"
terep="${TEREP:-.build/debug/terep}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$terep" compile questionnaires/wellbeing.survey -o "$work/wb.json" >/dev/null
"$terep" device init --device-id laptop-k9 --interviewer "K" --device-db "$work/dev.sqlite" >/dev/null
python3 - "$work" <<'PY'
import json, sqlite3, sys
work = sys.argv[1]
compiled = open(f"{work}/wb.json", "rb").read()
h = json.loads(compiled)["hash"]
db = sqlite3.connect(f"{work}/dev.sqlite")
db.execute("INSERT INTO definition VALUES (?, 'wellbeing', '1', 11, 0, ?)", (h, compiled))
seq = 1
for i in range(50):
    iv = f"iv-{i:04d}"
    db.execute("INSERT INTO interview (id, survey_id, definition_hash, interviewer, case_ids_json, status, started_at,"
               " last_sequence, event_count) VALUES (?, 'wellbeing', ?, 'K', '{}', 'in_progress', 1, 0, 0)", (iv, h))
    for j in range(100):
        if j == 0:
            kind, body = "started", {"started": {"definition": h, "seed": i, "language": "hu", "preload": {}}}
        else:
            kind, body = "answered", {"answered": {"at": f"q{j}", "answer": {"int": j}}}
        db.execute("INSERT INTO event VALUES ('laptop-k9', ?, ?, ?, 'K', ?, ?)",
                   (seq, iv, 1000 + seq, kind, json.dumps(body, sort_keys=True)))
        seq += 1
db.execute("UPDATE device SET next_sequence = ?", (seq,))
db.commit()
PY

# Kill within 1.2× the time one full run takes, so every phase gets hit.
start=$(date +%s%N)
"$terep" bundle create --all --device-db "$work/dev.sqlite" -o "$work/timing.terepbundle" >/dev/null
full_ms=$(( ($(date +%s%N) - start) / 1000000 * 12 / 10 + 1 ))
echo "one bundle create takes ~$((full_ms * 10 / 12)) ms; killing within $full_ms ms"

complete=0; absent=0; leftovers=0
for ((i = 1; i <= rounds; i++)); do
  rm -f "$work/out.terepbundle"
  "$terep" bundle create --all --device-db "$work/dev.sqlite" -o "$work/out.terepbundle" >/dev/null 2>&1 &
  pid=$!
  delay=$(( (RANDOM * 32768 + RANDOM) % full_ms ))
  sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ -e "$work/out.terepbundle" ]]; then
    if ! "$terep" bundle inspect "$work/out.terepbundle" >/dev/null; then
      echo "round $i: a killed writer left an invalid bundle"; "$terep" bundle inspect "$work/out.terepbundle" || true
      exit 1
    fi
    complete=$((complete + 1))
  else
    absent=$((absent + 1))
  fi
  n=$(find "$work" -name '.out.terepbundle.tmp-*' | wc -l)
  leftovers=$((leftovers + n))
  find "$work" -name '.out.terepbundle.tmp-*' -delete
done
echo "$rounds rounds: $complete complete bundles, $absent killed before the rename, $leftovers temporary files left; no invalid bundle"
