#!/usr/bin/env bash
# A throwaway PostgreSQL server on a loopback port for the store's tests (and a developer's `--db`):
#   scripts/pg-test-server.sh start   # prints `export CIEM_TEST_PG='…'` (also written to DIR/env)
#   scripts/pg-test-server.sh stop    # stops the server and deletes its folder
# DIR is $CIEM_PG_DIR (default /tmp/ciem-pg-$PORT), PORT is $CIEM_PG_PORT (default 55432). Nothing is downloaded at
# run time: the Debian `postgresql` package provides the server (installed with apt-get when missing and run as root).
set -euo pipefail
port=${CIEM_PG_PORT:-55432}
dir=${CIEM_PG_DIR:-/tmp/ciem-pg-$port}

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$found" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  fi
  if [ -z "$found" ]; then
    echo "error: no PostgreSQL server under /usr/lib/postgresql: install the Debian package \`postgresql\`" >&2
    exit 1
  fi
  echo "$found"
}

# The server refuses to run as root: under root it runs as `postgres`, which owns the folder.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin password
  bin=$(bindir)
  if [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "error: a server already runs in \`$dir\`: run \`$0 stop\` first" >&2
    exit 1
  fi
  rm -rf "$dir"
  mkdir -p "$dir/data"
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown -R postgres: "$dir"
  fi
  # Local (socket) connections trust the owner, which creates the role; TCP connections need the password.
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE ciem LOGIN CREATEDB PASSWORD '$password'" -c "CREATE DATABASE ciem OWNER ciem" >/dev/null
  local cs="Host=127.0.0.1;Port=$port;Username=ciem;Password=$password;Database=ciem"
  echo "export CIEM_TEST_PG='$cs'" >"$dir/env"
  chmod 600 "$dir/env"
  echo "export CIEM_TEST_PG='$cs'"
}

stop() {
  local bin
  if [ ! -d "$dir/data" ]; then return 0; fi
  bin=$(bindir)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 3 ;;
esac
