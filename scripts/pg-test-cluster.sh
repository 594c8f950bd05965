#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for terep's tests and benchmarks, on loopback only.
#
#   eval "$(scripts/pg-test-cluster.sh start)"   # starts it; prints `export TEREP_TEST_POSTGRES_URL=…`
#   scripts/pg-test-cluster.sh stop              # stops it and removes its files
#   scripts/pg-test-cluster.sh status
#
# The cluster lives in $TEREP_PG_DIR (default: /tmp/terep-pg-test-$USER), listens on 127.0.0.1 at
# the first free port from $TEREP_PG_PORT (default 55432) and on a Unix socket in that folder, and
# trusts local connections as the database user `terep` (a test cluster: nothing else can reach it).
# initdb refuses to run as root, so as root the cluster runs as $TEREP_PG_OS_USER (default
# `postgres`, made by Debian's package) through runuser. Needs Debian's `postgresql` package
# (apt-get install postgresql); $PG_BIN overrides where its programs are.
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
DIR=${TEREP_PG_DIR:-/tmp/terep-pg-test-$(id -un)}
OS_USER=${TEREP_PG_OS_USER:-postgres}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$OS_USER" -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

url() { echo "postgres://terep@127.0.0.1:$(cat "$DIR/port")/terep_test"; }

start() {
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "pg-test-cluster: PostgreSQL's programs are not installed; run: apt-get install -y postgresql" >&2
    exit 69
  fi
  if [ -f "$DIR/data/postmaster.pid" ] && as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    echo "export TEREP_TEST_POSTGRES_URL=$(url)"
    return
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" -eq 0 ] && chown "$OS_USER" "$DIR"
  local port=${TEREP_PG_PORT:-55432} tries=0
  while ! port_free "$port"; do
    port=$((port + 1)); tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { echo "pg-test-cluster: no free port from ${TEREP_PG_PORT:-55432}" >&2; exit 75; }
  done
  echo "$port" >"$DIR/port"
  as_owner "$PG_BIN/initdb" -D "$DIR/data" -U terep -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $DIR -c max_connections=200" start >/dev/null \
    || { cat "$DIR/server.log" >&2; exit 1; }
  as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U terep terep_test
  echo "export TEREP_TEST_POSTGRES_URL=$(url)"
}

stop() {
  [ -d "$DIR" ] || return 0
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >/dev/null || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if [ -f "$DIR/port" ]; then as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" status && url; else echo "not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 64 ;;
esac
