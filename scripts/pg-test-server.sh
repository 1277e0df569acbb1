#!/usr/bin/env bash
# A throwaway PostgreSQL server for the `postgres` feature's integration tests.
#
#   scripts/pg-test-server.sh start DIR PORT   # prints postgres://steward@127.0.0.1:PORT/steward
#   scripts/pg-test-server.sh stop DIR
#
# DIR is a scratch directory (it gets the data dir, the log and the socket); the server
# listens on 127.0.0.1:PORT only. User `steward` (superuser) is trusted without a
# password; user `steward_pw` needs the password `steward-pw-secret` (for the
# wrong-password test). As root, the server runs as the `postgres` OS user and DIR is
# given to it. The binaries come from $PG_BIN, /usr/lib/postgresql/*/bin (Debian's
# `apt-get install postgresql`) or PATH.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 2
}

find_bin() {
  if [[ -n "${PG_BIN:-}" && -x "$PG_BIN/initdb" ]]; then
    echo "$PG_BIN"
    return
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$newest" && -x "$newest/initdb" ]]; then
    echo "$newest"
    return
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  echo "error: no initdb found; expected PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install -y postgresql) or \$PG_BIN" >&2
  exit 1
}

# Run a server binary as the postgres OS user when we are root (initdb refuses root).
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cmd=${1:-}
case "$cmd" in
  start)
    [[ $# -eq 3 ]] || usage
    dir=$(realpath -m "$2")
    port=$3
    bin=$(find_bin)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres: "$dir"
    fi
    data="$dir/data"
    if [[ ! -f "$data/PG_VERSION" ]]; then
      as_pg "$bin/initdb" -D "$data" -U steward --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
      }
      # steward_pw must give its password over TCP; everyone else is trusted.
      hba="$data/pg_hba.conf"
      as_pg sh -c "{ echo 'host all steward_pw 127.0.0.1/32 scram-sha-256'; cat '$hba'; } > '$hba.new' && mv '$hba.new' '$hba'"
    fi
    as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" \
      start >/dev/null || {
      cat "$dir/server.log" >&2
      exit 1
    }
    psql_bin="$bin/psql"
    [[ -x "$psql_bin" ]] || psql_bin=psql
    q() { "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U steward "$@"; }
    if ! q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'steward'" | grep -q 1; then
      q -d postgres -c "CREATE DATABASE steward"
    fi
    q -d postgres -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_pw') THEN
          CREATE ROLE steward_pw LOGIN PASSWORD 'steward-pw-secret';
        END IF;
      END \$\$"
    echo "postgres://steward@127.0.0.1:$port/steward"
    ;;
  stop)
    [[ $# -eq 2 ]] || usage
    dir=$(realpath -m "$2")
    bin=$(find_bin)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    usage
    ;;
esac
