#!/usr/bin/env bash
# Starts (or reuses) a local PostgreSQL server for GifLab's PostgreSQL tests and prints an Npgsql connection string
# on stdout (everything else goes to stderr). Listens on 127.0.0.1 only.
#
#   GIFLAB_PG="$(scripts/pg-test-server.sh)" dotnet test tests/GifLab.Tests -c Release
#
# Strategy:
#  1. root + a Debian cluster (pg_lsclusters): start it with pg_ctlcluster if it is down, then create the role and
#     database `giflab_test` (password `giflab_test`, a throwaway local test credential) if missing.
#  2. otherwise: a throwaway cluster under ${GIFLAB_PG_DIR:-/tmp/giflab-pg-$UID} created with initdb (trust auth on
#     127.0.0.1, port ${GIFLAB_PG_PORT:-54329}), started with pg_ctl, and the database `giflab_test`.
# Exit 0 with the connection string, or exit 1 with the reason on stderr.
set -euo pipefail

log() { printf 'pg-test-server: %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

ROLE=giflab_test
DB=giflab_test
PASS=giflab_test

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" ]] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

wait_ready() { # host port
  local i
  for i in $(seq 1 60); do
    "$BIN/pg_isready" -q -h "$1" -p "$2" && return 0
    sleep 0.5
  done
  return 1
}

BIN="$(pg_bin)" || fail "no PostgreSQL server binaries found (install postgresql)"

if [[ $(id -u) -eq 0 ]] && command -v pg_lsclusters >/dev/null 2>&1 && [[ -n "$(pg_lsclusters -h 2>/dev/null)" ]]; then
  read -r VER NAME PORT STATUS _ < <(pg_lsclusters -h | head -n1)
  if [[ "$STATUS" != online* ]]; then
    log "starting Debian cluster $VER/$NAME on port $PORT"
    pg_ctlcluster "$VER" "$NAME" start >&2 || fail "pg_ctlcluster $VER $NAME start failed"
  fi
  wait_ready 127.0.0.1 "$PORT" || fail "cluster $VER/$NAME does not accept connections on 127.0.0.1:$PORT"
  psql_su() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qAtX $*"; }
  if [[ "$(psql_su "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'\"")" != 1 ]]; then
    log "creating role $ROLE"
    psql_su "-c \"CREATE ROLE $ROLE LOGIN PASSWORD '$PASS' CREATEDB\"" >&2
  fi
  if [[ "$(psql_su "-c \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"")" != 1 ]]; then
    log "creating database $DB"
    psql_su "-c \"CREATE DATABASE $DB OWNER $ROLE\"" >&2
  fi
  echo "Host=127.0.0.1;Port=$PORT;Username=$ROLE;Password=$PASS;Database=$DB"
  exit 0
fi

DIR="${GIFLAB_PG_DIR:-/tmp/giflab-pg-$(id -u)}"
PORT="${GIFLAB_PG_PORT:-54329}"
[[ $(id -u) -eq 0 ]] && fail "running as root without a Debian cluster: initdb refuses root; set GIFLAB_PG instead"
if [[ ! -f "$DIR/PG_VERSION" ]]; then
  log "initdb throwaway cluster in $DIR"
  "$BIN/initdb" -D "$DIR" -U "$ROLE" --auth=trust -E UTF8 >&2 || fail "initdb failed"
fi
if ! "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  log "starting throwaway cluster on 127.0.0.1:$PORT"
  "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off" start >&2 || fail "pg_ctl start failed (see $DIR/server.log)"
fi
wait_ready 127.0.0.1 "$PORT" || fail "throwaway cluster not ready on 127.0.0.1:$PORT"
if [[ "$("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -qAtX -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]]; then
  "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$ROLE" "$DB" >&2
fi
echo "Host=127.0.0.1;Port=$PORT;Username=$ROLE;Database=$DB"
