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
#
# With TEREP_PG_SSL=on the cluster also takes TLS (ssl=on) with a self-signed certificate made at
# start by openssl (for 127.0.0.1 and localhost, valid a day; its key never leaves the folder), and
# start prints `export TEREP_TEST_POSTGRES_TLS_ROOT=…`, the certificate for a client's
# sslrootcert (sslmode=verify-full). Plain connections are still taken (the other tests use them).
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
    tls_root
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
  local options="-c listen_addresses=127.0.0.1 -p $port -k $DIR -c max_connections=200"
  if [ "${TEREP_PG_SSL:-off}" = on ]; then
    certificate
    # In postgresql.conf, not on the command line, so that ALTER SYSTEM can turn it off (a test does).
    printf "ssl = on\nssl_cert_file = '%s'\nssl_key_file = '%s'\n" "$DIR/server.crt" "$DIR/server.key" \
      | as_owner tee -a "$DIR/data/postgresql.conf" >/dev/null
  fi
  as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 -o "$options" start >/dev/null \
    || { cat "$DIR/server.log" >&2; exit 1; }
  as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U terep terep_test
  echo "export TEREP_TEST_POSTGRES_URL=$(url)"
  tls_root
}

# A self-signed certificate for the server (it is its own authority), made by the cluster's owner
# so that PostgreSQL accepts its key's owner and mode (0600).
certificate() {
  command -v openssl >/dev/null || { echo "pg-test-cluster: TEREP_PG_SSL=on needs openssl; run: apt-get install -y openssl" >&2; exit 69; }
  as_owner openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=terep-test-cluster" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -addext "basicConstraints=critical,CA:TRUE" \
    -keyout "$DIR/server.key" -out "$DIR/server.crt" >"$DIR/openssl.log" 2>&1 \
    || { cat "$DIR/openssl.log" >&2; exit 1; }
  as_owner chmod 600 "$DIR/server.key"
}

tls_root() { if [ -f "$DIR/server.crt" ]; then echo "export TEREP_TEST_POSTGRES_TLS_ROOT=$DIR/server.crt"; fi; }

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
