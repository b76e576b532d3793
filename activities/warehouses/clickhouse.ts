import { createClient, ClickHouseLogLevel } from '@clickhouse/client';
import { WarehouseError } from './errors';
import type { HistoryCursor, HistoryPage, HistoryRow, HistoryWindow, QueryHistorySource } from './types';
import {
  authenticationError, configurationError, readError, CONNECTION_KEYS, rejectUnknownKeys, errorText, expectType, normalisePageSize, optionalBoolean, readHostPort,
  readMarker, readPassword, redact, windowBoundMs,
} from './connectionFields';

/**
 * ClickHouse query history from `system.query_log` (queries are logged when the `log_queries` setting is 1),
 * read over the HTTP interface with `@clickhouse/client`.
 *
 * Connection keys (OpenMetadata `clickhouseConnection`): `hostPort` (the HTTP port, default 8123), `username`
 * (default `default`), `password`, `https` / `secure` (use HTTPS).
 * `options.queryHistory.marker`: text a Hex statement contains (default `Hex query metadata`), filtered on
 * the server.
 *
 * Works from 18.16 on: that version has no query parameters (values are written as escaped literals), logs
 * `type` as a number (2 = QueryFinish; newer versions use an enum) and has no `current_database` column, so
 * `defaultDatabase` is filled only where the column exists. 18.16 also cuts a trailing comment from the
 * logged text, so only Hex comments that are not the statement's last line survive there.
 *
 * The window applies to `event_time` (whole seconds): a row belongs to [start, end) when its second does.
 * Paging is a keyset on (event_time, query_id).
 */

const LABEL = 'ClickHouse';
const HTTP_PORT = 8123;
const HTTPS_PORT = 8443;
/** Tag in every statement this reader sends, so the reader never reads its own statements back. */
const READER_TAG = 'hexmeta:query-history-reader';
/** UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, AUTHENTICATION_FAILED. */
const AUTH_ERROR_CODES = new Set(['192', '193', '194', '516']);

/** What this server's `system.query_log` looks like; null when the table does not exist yet. */
export interface QueryLogShape {
  typeIsEnum: boolean;
  hasCurrentDatabase: boolean;
  hasIsInitialQuery: boolean;
}

interface LogRow {
  event_epoch: number | string;
  query_id: string;
  query: string;
  current_database?: string;
}

export function createClickhouseHistorySource(
  connection: Record<string, unknown>,
  options: { queryHistory?: Record<string, unknown> } = {},
): QueryHistorySource {
  expectType(connection, ['Clickhouse'], LABEL);
  rejectUnknownKeys(connection, CONNECTION_KEYS.Clickhouse, LABEL);
  const password = readPassword(connection, LABEL);
  const marker = readMarker(options.queryHistory);
  const client = createClient({
    url: serverUrl(connection),
    username: typeof connection.username === 'string' && connection.username ? connection.username : 'default',
    password,
    application: 'hexmeta-query-history',
    request_timeout: 60_000,
    // Failures are reported through our errors; the client's own log would print them a second time.
    log: { level: ClickHouseLogLevel.OFF },
  });
  let shape: Promise<QueryLogShape | null> | null = null;

  async function select<T>(sql: string): Promise<T[]> {
    try {
      const result = await client.query({ query: sql, format: 'JSON' });
      return (await result.json<T>()).data;
    } catch (error) {
      throw translateError(error, password);
    }
  }

  return {
    dialect: 'clickhouse',
    async readPage(window, cursor, pageSize) {
      const limit = normalisePageSize(pageSize);
      shape ??= readShape(select);
      const logShape = await shape.catch((error) => {
        shape = null; // ask again next time rather than caching a failure
        throw error;
      });
      // The table appears with the first flushed entry; until then there is no history.
      if (!logShape) {
        shape = null;
        return { rows: [], next: null };
      }
      const rows = await select<LogRow>(pageQuery(logShape, window, cursor, marker, limit));
      const last = rows[rows.length - 1];
      return {
        rows: rows.map(toHistoryRow),
        next: rows.length < limit ? null : { eventTime: Number(last.event_epoch), queryId: last.query_id },
      } satisfies HistoryPage;
    },
    async close() {
      await client.close();
    },
  };
}

function serverUrl(connection: Record<string, unknown>): string {
  const rawHostPort = typeof connection.hostPort === 'string' ? connection.hostPort : '';
  const secure = optionalBoolean(connection, 'https', LABEL) || optionalBoolean(connection, 'secure', LABEL)
    || /^https:\/\//i.test(rawHostPort);
  const { host, port } = readHostPort(connection, LABEL, secure ? HTTPS_PORT : HTTP_PORT);
  const hostText = host.includes(':') ? `[${host}]` : host;
  return `${secure ? 'https' : 'http'}://${hostText}:${port}`;
}

async function readShape(select: <T>(sql: string) => Promise<T[]>): Promise<QueryLogShape | null> {
  const columns = await select<{ name: string; type: string }>(
    `SELECT /* ${READER_TAG} */ name, type FROM system.columns WHERE database = 'system' AND table = 'query_log'`,
  );
  if (columns.length === 0) return null;
  const byName = new Map(columns.map((column) => [column.name, column.type]));
  return {
    typeIsEnum: (byName.get('type') ?? '').startsWith('Enum'),
    hasCurrentDatabase: byName.has('current_database'),
    hasIsInitialQuery: byName.has('is_initial_query'),
  };
}

/** Quotes a value as a ClickHouse string literal (18.16 has no query parameters). */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Whole seconds: a row's second S is in [start, end) exactly when ceil(start) <= S < ceil(end). */
export function windowSeconds(window: HistoryWindow): { start: number; end: number } {
  return {
    start: Math.ceil(windowBoundMs(window.start, 'start') / 1000),
    end: Math.ceil(windowBoundMs(window.end, 'end') / 1000),
  };
}

export function pageQuery(
  shape: QueryLogShape,
  window: HistoryWindow,
  cursor: HistoryCursor | null,
  marker: string,
  limit: number,
): string {
  const { start, end } = windowSeconds(window);
  const conditions = [
    // event_date is the partition key: bounding it keeps old partitions unread.
    `event_date >= toDate(toDateTime(${start})) AND event_date <= toDate(toDateTime(${end}))`,
    `event_time >= toDateTime(${start}) AND event_time < toDateTime(${end})`,
    shape.typeIsEnum ? `type = 'QueryFinish'` : 'type = 2',
    `position(query, ${stringLiteral(marker)}) > 0`,
    `position(query, ${stringLiteral(READER_TAG)}) = 0`,
  ];
  // Sub-queries a distributed query sends to other shards repeat its text; the initial one is enough.
  if (shape.hasIsInitialQuery) conditions.push('is_initial_query = 1');
  if (cursor) {
    const { eventTime, queryId } = cursorKey(cursor);
    conditions.push(
      `(event_time > toDateTime(${eventTime}) OR (event_time = toDateTime(${eventTime}) AND query_id > ${stringLiteral(queryId)}))`,
    );
  }
  const columns = ['toUInt32(event_time) AS event_epoch', 'query_id', 'query'];
  if (shape.hasCurrentDatabase) columns.push('current_database');
  return `SELECT /* ${READER_TAG} */ ${columns.join(', ')}
    FROM system.query_log
    WHERE ${conditions.join('\n      AND ')}
    ORDER BY event_time, query_id
    LIMIT ${Math.floor(limit)}`;
}

function cursorKey(cursor: HistoryCursor): { eventTime: number; queryId: string } {
  const { eventTime, queryId } = cursor;
  if (typeof eventTime !== 'number' || !Number.isInteger(eventTime) || eventTime < 0 || typeof queryId !== 'string') {
    throw configurationError(`${LABEL} history cursor is not one this reader wrote`);
  }
  return { eventTime, queryId };
}

function toHistoryRow(row: LogRow): HistoryRow {
  return {
    queryId: row.query_id,
    sql: row.query,
    startedAt: new Date(Number(row.event_epoch) * 1000).toISOString(),
    defaultDatabase: row.current_database || null,
    // A ClickHouse database is the only namespace level: there is no schema.
    defaultSchema: null,
  };
}

function translateError(error: unknown, password: string): Error {
  if (error instanceof WarehouseError) return error;
  const message = redact(errorText(error), password);
  const declared = (error as { code?: unknown })?.code;
  const code = typeof declared === 'string' && declared ? declared : /Code: (\d+)/.exec(message)?.[1] ?? '';
  if (AUTH_ERROR_CODES.has(code)) return authenticationError(`${LABEL} rejected the credentials: ${message}`);
  return readError(`${LABEL} query history read failed: ${message}`);
}
