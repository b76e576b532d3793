#!/usr/bin/env bash
# Starts local PostgreSQL 15, MariaDB and ClickHouse as unprivileged processes for the warehouse
# query-history tests. Idempotent: a server that already answers is left alone.
# Writes shell `export` lines for the tests to $HEXMETA_SERVICES_DIR/env.sh.
set -euo pipefail

DIR="${HEXMETA_SERVICES_DIR:-/tmp/hexmeta-services}"
PG_PORT="${PG_PORT:-55432}"
MARIADB_PORT="${MARIADB_PORT:-53306}"
CLICKHOUSE_PORT="${CLICKHOUSE_PORT:-58123}"
CLICKHOUSE_TCP_PORT="${CLICKHOUSE_TCP_PORT:-59000}"
CLICKHOUSE_INTERSERVER_PORT="${CLICKHOUSE_INTERSERVER_PORT:-59009}"
TEST_USER=hexmeta
TEST_DATABASE=hexmeta

mkdir -p "$DIR"
chmod 755 "$DIR"

# One random password per services folder, reused on every later start.
if [ ! -s "$DIR/password" ]; then
  (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$DIR/password")
fi
PASSWORD="$(cat "$DIR/password")"

wait_until() { # wait_until <description> <seconds> <command...>
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  echo "timed out waiting for $what" >&2
  return 1
}

as_postgres() { runuser -u postgres -- "$@"; }

start_postgres() {
  local bin; bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  local pgdir="$DIR/postgres"
  mkdir -p "$pgdir"
  chown postgres:postgres "$pgdir"
  if [ ! -f "$pgdir/data/PG_VERSION" ]; then
    # Local socket trusts the postgres superuser (set-up only); TCP needs a real password.
    as_postgres "$bin/initdb" -D "$pgdir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >"$pgdir/initdb.log"
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$pgdir/data" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 start -o \
      "-p $PG_PORT -k $pgdir -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" >/dev/null
  fi
  wait_until "PostgreSQL" 60 as_postgres "$bin/pg_isready" -h "$pgdir" -p "$PG_PORT"
  local psql=(as_postgres env PGOPTIONS=-cclient_min_messages=warning "$bin/psql" -h "$pgdir" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q)
  "${psql[@]}" -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$TEST_USER') THEN
    CREATE ROLE $TEST_USER LOGIN;
  END IF;
END \$\$;
ALTER ROLE $TEST_USER PASSWORD '$PASSWORD';
GRANT pg_read_all_stats TO $TEST_USER;
SQL
  # A second database shows that each statement reports the database it ran in.
  local database
  for database in "$TEST_DATABASE" "${TEST_DATABASE}_other"; do
    if [ -z "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
      "${psql[@]}" -d postgres -c "CREATE DATABASE $database OWNER $TEST_USER"
    fi
  done
  "${psql[@]}" -d "$TEST_DATABASE" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
}

mariadb_root() { mariadb --no-defaults --socket="$DIR/mariadb/mariadb.sock" -u root "$@"; }

start_mariadb() {
  local mdir="$DIR/mariadb"
  mkdir -p "$mdir"
  if [ ! -d "$mdir/data/mysql" ]; then
    mariadb-install-db --no-defaults --user=root --datadir="$mdir/data" \
      --auth-root-authentication-method=socket --skip-test-db >"$mdir/install.log" 2>&1
  fi
  if ! mariadb_root -e 'SELECT 1' >/dev/null 2>&1; then
    setsid -f /usr/sbin/mariadbd --no-defaults --user=root --datadir="$mdir/data" \
      --socket="$mdir/mariadb.sock" --pid-file="$mdir/mariadbd.pid" --port="$MARIADB_PORT" \
      --bind-address=127.0.0.1 --skip-name-resolve --log-error="$mdir/error.log" \
      --general-log=1 --log-output=TABLE >"$mdir/stdout.log" 2>&1 </dev/null
  fi
  wait_until "MariaDB" 60 mariadb_root -e 'SELECT 1'
  mariadb_root <<SQL
CREATE USER IF NOT EXISTS '$TEST_USER'@'%' IDENTIFIED BY '$PASSWORD';
ALTER USER '$TEST_USER'@'%' IDENTIFIED BY '$PASSWORD';
CREATE DATABASE IF NOT EXISTS $TEST_DATABASE;
CREATE DATABASE IF NOT EXISTS ${TEST_DATABASE}_other;
GRANT ALL ON $TEST_DATABASE.* TO '$TEST_USER'@'%';
GRANT ALL ON ${TEST_DATABASE}_other.* TO '$TEST_USER'@'%';
GRANT SELECT ON mysql.general_log TO '$TEST_USER'@'%';
SET GLOBAL general_log = 'ON';
SET GLOBAL log_output = 'TABLE';
SQL
}

clickhouse_ping() { curl -fsS "http://127.0.0.1:$CLICKHOUSE_PORT/ping"; }

write_clickhouse_config() {
  local cdir="$1"
  mkdir -p "$cdir/data/tmp" "$cdir/data/user_files" "$cdir/data/format_schemas" "$cdir/log"
  # Debian's config with every path moved into the services folder and our own ports.
  sed -e "s#/var/lib/clickhouse/#$cdir/data/#g" \
      -e "s#/var/log/clickhouse-server/#$cdir/log/#g" \
      -e "s#<http_port>8123</http_port>#<http_port>$CLICKHOUSE_PORT</http_port>#" \
      -e "s#<tcp_port>9000</tcp_port>#<tcp_port>$CLICKHOUSE_TCP_PORT</tcp_port>#" \
      -e "s#<interserver_http_port>9009</interserver_http_port>#<interserver_http_port>$CLICKHOUSE_INTERSERVER_PORT</interserver_http_port>#" \
      -e "s#<listen_host>::1</listen_host>##" \
      /etc/clickhouse-server/config.xml >"$cdir/config.xml"
  # Users are file-based in this version: the default user (local only) and the password-protected test user.
  local hash; hash="$(printf '%s' "$PASSWORD" | sha256sum | cut -d' ' -f1)"
  cat >"$cdir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>10000000000</max_memory_usage>
      <log_queries>1</log_queries>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <$TEST_USER>
      <password_sha256_hex>$hash</password_sha256_hex>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </$TEST_USER>
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors>
        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
  </quotas>
</yandex>
XML
}

start_clickhouse() {
  local cdir="$DIR/clickhouse"
  if ! clickhouse_ping >/dev/null 2>&1; then
    write_clickhouse_config "$cdir"
    # Daemon mode detaches and writes the server's own pid file (this version writes none otherwise).
    rm -f "$cdir/clickhouse-server.pid"
    (cd "$cdir" && /usr/sbin/clickhouse-server --daemon --config-file="$cdir/config.xml" \
      --pid-file="$cdir/clickhouse-server.pid" >"$cdir/log/stdout.log" 2>&1 </dev/null)
  fi
  wait_until "ClickHouse" 90 clickhouse_ping
  curl -fsS "http://127.0.0.1:$CLICKHOUSE_PORT/?user=default" --data-binary "CREATE DATABASE IF NOT EXISTS $TEST_DATABASE" >/dev/null
}

start_postgres
start_mariadb
start_clickhouse

(umask 077; cat >"$DIR/env.sh" <<ENV
export PG_HOST=127.0.0.1
export PG_PORT=$PG_PORT
export PG_USER=$TEST_USER
export PG_PASSWORD=$PASSWORD
export PG_DATABASE=$TEST_DATABASE
export MARIADB_HOST=127.0.0.1
export MARIADB_PORT=$MARIADB_PORT
export MARIADB_USER=$TEST_USER
export MARIADB_PASSWORD=$PASSWORD
export MARIADB_DATABASE=$TEST_DATABASE
export CLICKHOUSE_HOST=127.0.0.1
export CLICKHOUSE_PORT=$CLICKHOUSE_PORT
export CLICKHOUSE_USER=$TEST_USER
export CLICKHOUSE_PASSWORD=$PASSWORD
export CLICKHOUSE_DATABASE=$TEST_DATABASE
ENV
)
echo "PostgreSQL :$PG_PORT, MariaDB :$MARIADB_PORT, ClickHouse HTTP :$CLICKHOUSE_PORT are up; environment in $DIR/env.sh"
