#!/usr/bin/env bash
# Crash test for the terminal interviewer: ROUNDS times, start (or resume) a scripted interview
# with the real `terep` binary, kill -9 it at a random moment (between answers, or a few
# milliseconds after an answer was typed, i.e. possibly mid-commit), then check that every
# answer whose next question had appeared is in the device database and that
# `PRAGMA integrity_check` passes. All rounds share one database, as a laptop would.
#
# Usage: scripts/crash-interview.sh [ROUNDS]      (default 300; `swift test` runs 4)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-300}"
swift build --build-tests
TEREP_CRASH_ROUNDS="$rounds" swift test --skip-build --filter 'CrashTests'
