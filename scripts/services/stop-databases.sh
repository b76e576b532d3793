#!/usr/bin/env bash
# Stops the servers started by start-databases.sh. Data stays in the services folder, so a later start
# resumes with the same users, databases and history; delete the folder to start from scratch.
set -uo pipefail

DIR="${HEXMETA_SERVICES_DIR:-/tmp/hexmeta-services}"

stop_pid_file() { # stop_pid_file <name> <pid file>
  local name="$1" pid_file="$2" pid
  [ -s "$pid_file" ] || return 0
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then echo "$name (pid $pid) did not stop" >&2; return 1; fi
    echo "stopped $name"
  fi
  rm -f "$pid_file"
}

if [ -f "$DIR/postgres/data/PG_VERSION" ]; then
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  if runuser -u postgres -- "$bin/pg_ctl" -D "$DIR/postgres/data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$DIR/postgres/data" -m fast -w stop >/dev/null && echo "stopped PostgreSQL"
  fi
fi
stop_pid_file MariaDB "$DIR/mariadb/mariadbd.pid"
stop_pid_file ClickHouse "$DIR/clickhouse/clickhouse-server.pid"
exit 0
