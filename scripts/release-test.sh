#!/usr/bin/env bash
# Runs the terep of a release tarball as a laptop without Swift would: unpacked in a fresh
# folder, with an empty environment (PATH=/usr/bin:/bin, no LD_LIBRARY_PATH) and the Swift
# toolchain's folder hidden behind an empty directory in a private mount namespace
# (`unshare --mount`, which needs root or CAP_SYS_ADMIN: without it the test fails and says so).
#
#   scripts/release-test.sh dist/terep-0.1.0-linux-x86_64.tar.gz
#
# It checks --version and --help, compiles and checks the three questionnaires (one broken on
# purpose, for the diagnostics), simulates interviews into a new device database (SQLite,
# the device's keys), and that the man page and the completions are in the tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
tarball="$(readlink -f "${1:?usage: scripts/release-test.sh TARBALL}")"
# The toolchain's usr folder, from the real swift executable (a /usr/bin/swift symlink would give /usr).
toolchain="$(cd "$(dirname "$(readlink -f "$(command -v swift)")")/.." && pwd -P)"
[[ "$toolchain" != /usr && "$toolchain" != / ]] || { echo "$0: the Swift toolchain is installed in $toolchain itself; cannot tell its libraries from the system's" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/empty" "$work/home"
tar -xzf "$tarball" -C "$work"
root="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'terep-*')"
cp -r questionnaires "$work/home/"
printf 'survey broken {\n  title hu "x" en "x"\n  languages hu\n}\nquestion q1 integr 0..5 { text hu "?" }\n' > "$work/home/broken.survey"

for f in share/man/man1/terep.1 share/man/man1/terep.interview.1 share/bash-completion/completions/terep share/zsh/site-functions/_terep \
  share/fish/vendor_completions.d/terep.fish INSTALL; do
  [[ -s "$root/$f" ]] || { echo "release-test: $f is missing or empty in $tarball" >&2; exit 1; }
done

cat > "$work/checks.sh" <<'CHECKS'
set -euo pipefail
cd "$HOME"
fail() { echo "release-test: $*" >&2; exit 1; }
[[ -z "$(ls -A "$TOOLCHAIN")" ]] || fail "the toolchain folder $TOOLCHAIN is still visible"
terep="$ROOT/bin/terep"
version="$("$terep" --version)" || fail "terep --version failed"
[[ "$(basename "$ROOT")" == "terep-$version-"* ]] || fail "terep --version says $version, the tarball is $(basename "$ROOT")"
"$terep" --help | grep -q "compile" || fail "terep --help does not list compile"
for q in wellbeing energy stakeholders; do
  "$terep" compile "questionnaires/$q.survey" -o "$q.json" > /dev/null || fail "terep compile $q.survey failed"
  grep -q '"compiled-survey"' "$q.json" || fail "$q.json is not a compiled survey"
done
status=0
# terep check prints the diagnostics on standard output (they are what it was asked for).
"$terep" check broken.survey > broken.txt 2>&1 || status=$?
[[ $status -eq 1 ]] && grep -q "error\[" broken.txt || fail "terep check of a broken file: status $status, $(head -c 300 broken.txt)"
"$terep" simulate wellbeing.json --interviews 5 --seed 7 --device-db "$HOME/device.sqlite" > simulate.txt 2>&1 ||
  fail "terep simulate failed: $(cat simulate.txt)"
grep -q "Simulated 5 interviews" simulate.txt || fail "terep simulate said: $(cat simulate.txt)"
echo "release-test: terep $version ran without the toolchain ($TOOLCHAIN hidden): --version, --help, compile, check, simulate"
CHECKS

if ! unshare --mount true 2>/dev/null; then
  echo "release-test: cannot make a private mount namespace (unshare --mount needs root or CAP_SYS_ADMIN)," >&2
  echo "so the toolchain cannot be hidden; run this as root (CI does)." >&2
  exit 1
fi
unshare --mount bash -c '
  mount --bind "$1" "$2"
  exec env -i PATH=/usr/bin:/bin HOME="$3" LANG=C.UTF-8 ROOT="$4" TOOLCHAIN="$2" bash "$5"
' _ "$work/empty" "$toolchain" "$work/home" "$root" "$work/checks.sh"
