import { maskSecrets } from '../common/scrubber';
import { Trino, BasicAuth, type ConnectionOptions, type QueryResult } from 'trino-client';
import { WarehouseError } from './errors';
import { authenticationError, configurationError, readError, readMarker } from './connectionFields';
import type { HistoryCursor, HistoryPage, HistoryRow, HistoryWindow, QueryHistorySource } from './types';

/**
 * Trino (and Presto) query history from `system.runtime.queries`, through the official `trino-client`.
 * That table lives in the coordinator's memory: it holds only recent queries (`query.max-history`), so the
 * lineage window must be read while the coordinator still remembers it.
 *
 * Connection keys (OpenMetadata `trinoConnection`): `hostPort` (`host:8080`, or a full `https://…` URL),
 * `username`, `authType.password` (basic) or `authType.jwt` (bearer), `catalog`, `verify` (`"false"` turns
 * off TLS certificate checks), `queryHistoryTable` (default `"system"."runtime"."queries"`),
 * `connectionArguments.http_scheme` (`http`/`https`; default `https` on port 443, `http` otherwise).
 * Presto connections (`prestoConnection`) are read too: top-level `password`, `protocol` (`http`/`https`),
 * and the `X-Presto-*` headers older Presto coordinators expect.
 *
 * `options.queryHistory` (hexmeta settings):
 * - `marker`: text a Hex statement contains (default `Hex query metadata`); filtered on the coordinator.
 *
 * Only FINISHED queries are read. The table records no session catalog/schema, so those stay null.
 * Paging is keyset on (created, query_id), kept in the cursor.
 */

const DEFAULT_HISTORY_TABLE = '"system"."runtime"."queries"';
const IDENTIFIER_PATH = /^(?:(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)\.){0,2}(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)$/;

export function createTrinoHistorySource(
  connection: Record<string, unknown>,
  options: { queryHistory?: Record<string, unknown> } = {},
): QueryHistorySource {
  const settings = options.queryHistory ?? {};
  const marker = readMarker(settings);
  const table = historyTable(connection.queryHistoryTable);
  const { clientOptions, user, secrets } = trinoOptions(connection);
  const trino = Trino.create(clientOptions);

  return {
    dialect: 'trino',
    async readPage(window, cursor, pageSize) {
      const limit = Math.max(1, Math.floor(pageSize));
      const sql = historyQuery(table, marker, window, cursor, limit);
      const records = await runQuery(trino, sql, user, secrets);
      const rows: HistoryRow[] = records
        .map((record) => ({
          queryId: String(record.query_id),
          sql: String(record.query ?? ''),
          startedAt: isoOrNull(record.created_at),
          defaultDatabase: null,
          defaultSchema: null,
        }));
      const last = records[records.length - 1];
      const next = records.length < limit || !last
        ? null
        : { created: String(last.created_at), queryId: String(last.query_id) };
      return { rows, next } satisfies HistoryPage;
    },
    async close() {
      // Each statement is a sequence of HTTP requests; nothing stays open.
    },
  };
}

/** The page after the cursor, ordered by (created, query_id); every value is an escaped literal. */
export function historyQuery(
  table: string,
  marker: string,
  window: HistoryWindow,
  cursor: HistoryCursor | null,
  limit: number,
): string {
  const at = (iso: string) => `from_iso8601_timestamp(${literal(isoInstant(iso))})`;
  // The marker is split in two literals so that this statement, once in the history itself, never matches.
  const half = Math.ceil(marker.length / 2);
  const markerExpr = `${literal(marker.slice(0, half))} || ${literal(marker.slice(half))}`;
  let after = '';
  if (cursor) {
    if (typeof cursor.created !== 'string' || typeof cursor.queryId !== 'string') {
      throw configurationError('Trino history cursor is malformed');
    }
    const created = at(cursor.created);
    after = `\n  AND (created > ${created} OR (created = ${created} AND query_id > ${literal(cursor.queryId)}))`;
  }
  return `SELECT query_id, query, to_iso8601(created) AS created_at
FROM ${table}
WHERE created >= ${at(window.start)} AND created < ${at(window.end)}
  AND state = 'FINISHED'
  AND strpos(query, ${markerExpr}) > 0${after}
ORDER BY created, query_id
LIMIT ${limit}`;
}

async function runQuery(
  trino: Trino,
  sql: string,
  user: string,
  secrets: string[],
): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  try {
    const results = await trino.query({ query: sql, user });
    for await (const result of results) {
      failOnError(result);
      const names = (result.columns ?? []).map((column) => column.name);
      for (const values of result.data ?? []) {
        records.push(Object.fromEntries(names.map((name, index) => [name, values[index]])));
      }
    }
  } catch (error) {
    throw describeFailure(error, secrets);
  }
  return records;
}

function failOnError(result: QueryResult): void {
  if (result.error) {
    const { errorName, message } = result.error;
    throw new TrinoQueryError(`${errorName ?? 'QUERY_FAILED'}: ${message ?? 'no message'}`);
  }
}

class TrinoQueryError extends Error {}

/** Axios errors carry the request's credentials; only the status and the server's reason are kept. */
function describeFailure(error: unknown, secrets: string[]): Error {
  if (error instanceof WarehouseError) return error;
  if (error instanceof TrinoQueryError) {
    return readError(`Trino query history read failed: ${redact(error.message, secrets)}`);
  }
  const status = (error as { response?: { status?: unknown } } | null)?.response?.status;
  if (status === 401 || status === 403) {
    return authenticationError(`Trino rejected the credentials (HTTP ${status})`);
  }
  const reason = typeof status === 'number'
    ? `HTTP ${status}`
    : redact(error instanceof Error ? error.message : String(error), secrets);
  return readError(`Trino query history request failed: ${reason}`);
}

function trinoOptions(connection: Record<string, unknown>): {
  clientOptions: ConnectionOptions; user: string; secrets: string[];
} {
  const user = connection.username;
  if (typeof user !== 'string' || !user) {
    throw configurationError('Trino connection needs username');
  }
  const auth = connection.authType && typeof connection.authType === 'object'
    ? connection.authType as Record<string, unknown> : {};
  const extraHeaders: Record<string, string> = {};
  const secrets: string[] = [];
  let basic: BasicAuth | undefined;
  // Presto connections keep the password at the top level.
  const password = typeof auth.password === 'string' ? auth.password
    : typeof connection.password === 'string' && connection.password ? connection.password : undefined;
  if (password !== undefined) {
    basic = new BasicAuth(user, password);
    secrets.push(password);
  } else if (typeof auth.jwt === 'string') {
    extraHeaders.Authorization = `Bearer ${auth.jwt}`;
    secrets.push(auth.jwt);
  } else if (Object.keys(auth).length > 0) {
    throw configurationError('Trino query history supports basic (password) and JWT authentication only');
  }
  if (connection.type === 'Presto') {
    extraHeaders['X-Presto-User'] = user;
    extraHeaders['X-Presto-Source'] = 'hexmeta';
  }
  const catalog = typeof connection.catalog === 'string' && connection.catalog ? connection.catalog : undefined;
  const clientOptions: ConnectionOptions = {
    server: serverUrl(connection),
    source: 'hexmeta',
    catalog,
    auth: basic,
    extraHeaders,
    ...(connection.verify === 'false' ? { ssl: { rejectUnauthorized: false } } : {}),
  };
  return { clientOptions, user, secrets };
}

function serverUrl(connection: Record<string, unknown>): string {
  const hostPort = connection.hostPort;
  if (typeof hostPort !== 'string' || !hostPort) {
    throw configurationError('Trino connection needs hostPort');
  }
  if (/^https?:\/\//i.test(hostPort)) return hostPort.replace(/\/+$/, '');
  const args = connection.connectionArguments && typeof connection.connectionArguments === 'object'
    ? connection.connectionArguments as Record<string, unknown> : {};
  const requested = [args.http_scheme, connection.protocol].find((value) => value === 'https' || value === 'http');
  const scheme = requested ?? (hostPort.endsWith(':443') ? 'https' : 'http');
  return `${scheme}://${hostPort}`;
}

function historyTable(value: unknown): string {
  if (value === undefined || value === null || value === '') return DEFAULT_HISTORY_TABLE;
  if (typeof value === 'string' && IDENTIFIER_PATH.test(value)) return value;
  throw configurationError('queryHistoryTable must be a table name such as "system"."runtime"."queries"');
}

function isoInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw configurationError(`History bound is not a date: ${iso}`);
  }
  return new Date(ms).toISOString();
}

function isoOrNull(value: unknown): string | null {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function redact(text: string, secrets: string[]): string {
  return maskSecrets(text, secrets);
}
