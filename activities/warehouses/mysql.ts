import mysql from 'mysql2/promise';
import { WarehouseError } from './errors';
import type { HistoryCursor, HistoryPage, HistoryRow, HistoryWindow, QueryHistorySource } from './types';
import {
  authenticationError, configurationError, readError, CONNECTION_KEYS, rejectUnknownKeys, errorText, expectType, normalisePageSize, readHostPort,
  readMarker, readPassword, redact, requiredString, windowBoundMs,
} from './connectionFields';

/**
 * MySQL / MariaDB query history from `mysql.general_log` (needs `general_log = ON` and `log_output`
 * including `TABLE`; the user needs `SELECT` on `mysql.general_log`).
 *
 * Connection keys (OpenMetadata `mysqlConnection` / `mariaDBConnection`): `hostPort`, `username`, and the
 * password as `authType.password` (MySQL) or `password` (MariaDB).
 * `options.queryHistory`:
 * - `marker`: text a Hex statement contains (default `Hex query metadata`), filtered on the server.
 * - `trackDefaultDatabase` (default true): find the database each statement ran in from the session's
 *   `Connect` / `Init DB` / `USE` rows; one more bounded read per page.
 *
 * Only `Query` commands are read (prepared statements are logged as `Prepare`/`Execute`). The window
 * applies to `event_time` (microseconds, read in UTC). Paging is a keyset on (event_time, thread_id)
 * plus the number of rows already returned with exactly that key, so rows sharing a timestamp are
 * neither lost nor repeated.
 */

const LABEL = 'MySQL';
const DEFAULT_PORT = 3306;
/** Tag in every statement this reader sends, so the reader never reads its own statements back. */
const READER_TAG = 'hexmeta:query-history-reader';
const ACCESS_DENIED = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR']);
/** Upper bound on session rows read to find default databases for one page. */
const SESSION_EVENT_LIMIT = 1000;
const TABLE_ACCESS_DENIED = new Set(['ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR']);

export interface LogRow {
  eventTime: string;
  threadId: string;
  argument: string;
}

/** A row of the general log that sets a session's database: `Connect`, `Init DB` or a `USE` query. */
export interface SessionEvent {
  eventTime: string;
  threadId: string;
  commandType: string;
  argument: string;
}

export function createMysqlHistorySource(
  connection: Record<string, unknown>,
  options: { queryHistory?: Record<string, unknown> } = {},
): QueryHistorySource {
  expectType(connection, ['Mysql', 'MariaDB'], LABEL);
  rejectUnknownKeys(connection, knownKeys(connection.type), LABEL);
  const { host, port } = readHostPort(connection, LABEL, DEFAULT_PORT);
  const user = requiredString(connection, 'username', LABEL);
  const password = readPassword(connection, LABEL);
  const marker = readMarker(options.queryHistory);
  const trackDefaultDatabase = readTrackDefaultDatabase(options.queryHistory);
  let session: Promise<mysql.Connection> | null = null;

  async function connect(): Promise<mysql.Connection> {
    const opened = await mysql.createConnection({
      host, port, user, password,
      // Timestamps come back as text exactly as the server prints them, in UTC.
      dateStrings: true,
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      connectTimeout: 30_000,
    });
    await opened.query(`SET time_zone = '+00:00' /* ${READER_TAG} */`);
    opened.on('error', () => { session = null; });
    return opened;
  }

  async function run<T>(sql: string, values: unknown[]): Promise<T[]> {
    try {
      session ??= connect();
      const [rows] = await (await session).execute(sql, values as never[]);
      return rows as T[];
    } catch (error) {
      // Reconnect on the next call instead of reusing a session in an unknown state.
      const broken = session;
      session = null;
      broken?.then((opened) => opened.destroy()).catch(() => undefined);
      throw translateError(error, password);
    }
  }

  return {
    dialect: 'mysql',
    async readPage(window, cursor, pageSize) {
      const limit = normalisePageSize(pageSize);
      const skip = cursor ? cursorSkip(cursor) : 0;
      const { sql, values } = pageQuery(window, cursor, marker, skip + limit);
      const fetched = await run<LogRow>(sql, values);
      const page = pageFromFetched(fetched, cursor, limit);
      const databases = trackDefaultDatabase && page.rows.length
        ? resolveDefaultDatabases(page.rows, await run<SessionEvent>(...asArguments(defaultDatabaseQuery(page.rows))))
        : new Map<LogRow, string | null>();
      return {
        rows: page.rows.map((row) => toHistoryRow(row, databases.get(row) ?? null)),
        next: page.next,
      } satisfies HistoryPage;
    },
    async close() {
      const open = session;
      session = null;
      if (open) await (await open.catch(() => null))?.end().catch(() => undefined);
    },
  };
}

function readTrackDefaultDatabase(settings: Record<string, unknown> | undefined): boolean {
  const value = settings?.trackDefaultDatabase;
  if (value === undefined || value === null) return true;
  if (typeof value !== 'boolean') throw configurationError('queryHistory.trackDefaultDatabase must be true or false');
  return value;
}

/** MariaDB's schema has a top-level `password`, MySQL's an `authType`; without a type either is fine. */
function knownKeys(type: unknown): readonly string[] {
  if (typeof type === 'string' && type.toLowerCase() === 'mariadb') return CONNECTION_KEYS.MariaDB;
  if (typeof type === 'string') return CONNECTION_KEYS.Mysql;
  return [...new Set([...CONNECTION_KEYS.Mysql, ...CONNECTION_KEYS.MariaDB])];
}

function asArguments(query: { sql: string; values: unknown[] }): [string, unknown[]] {
  return [query.sql, query.values];
}

/** `2024-05-01T10:00:00.123Z` → `2024-05-01 10:00:00.123000`, the text form of a TIMESTAMP(6) in UTC. */
export function toLogTime(iso: string, name: 'start' | 'end'): string {
  return `${new Date(windowBoundMs(iso, name)).toISOString().replace('T', ' ').replace('Z', '')}000`;
}

export function pageQuery(
  window: HistoryWindow,
  cursor: HistoryCursor | null,
  marker: string,
  limit: number,
): { sql: string; values: unknown[] } {
  const values: unknown[] = [toLogTime(window.start, 'start'), toLogTime(window.end, 'end'), marker];
  let after = '';
  if (cursor) {
    const eventTime = cursorEventTime(cursor);
    const threadId = cursorThreadId(cursor);
    after = 'AND (event_time > ? OR (event_time = ? AND thread_id >= ?))';
    values.push(eventTime, eventTime, threadId);
  }
  // Prepared statements are logged as Prepare/Execute, never as Query, so this read never matches itself;
  // the tag excludes it anyway should the driver fall back to plain queries. The LIMIT is an integer we made.
  const sql = `SELECT /* ${READER_TAG} */ DATE_FORMAT(event_time, '%Y-%m-%d %H:%i:%s.%f') AS eventTime,
      CAST(thread_id AS CHAR) AS threadId, CONVERT(argument USING utf8mb4) AS argument
    FROM mysql.general_log
    WHERE command_type = 'Query' AND event_time >= ? AND event_time < ?
      AND LOCATE(?, argument) > 0 AND LOCATE('${READER_TAG}', argument) = 0
      ${after}
    ORDER BY event_time, thread_id, argument
    LIMIT ${Math.floor(limit)}`;
  return { sql, values };
}

/**
 * Drops the rows an earlier page already returned (the first `skip` rows sharing the cursor's key) and
 * computes where the next page starts. `fetched` was read with LIMIT skip + pageSize.
 */
export function pageFromFetched(
  fetched: LogRow[],
  cursor: HistoryCursor | null,
  pageSize: number,
): { rows: LogRow[]; next: HistoryCursor | null } {
  const skip = cursor ? cursorSkip(cursor) : 0;
  let dropped = 0;
  if (cursor) {
    const eventTime = cursorEventTime(cursor);
    const threadId = cursorThreadId(cursor);
    while (dropped < skip && dropped < fetched.length
      && fetched[dropped].eventTime === eventTime && fetched[dropped].threadId === threadId) dropped += 1;
  }
  const rows = fetched.slice(dropped);
  if (fetched.length < skip + pageSize || rows.length === 0) return { rows, next: null };
  const last = fetched[fetched.length - 1];
  const sameKey = fetched.filter((row) => row.eventTime === last.eventTime && row.threadId === last.threadId).length;
  return { rows, next: { eventTime: last.eventTime, threadId: last.threadId, skip: sameKey } };
}

function cursorEventTime(cursor: HistoryCursor): string {
  const value = cursor.eventTime;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/.test(value)) {
    throw configurationError(`${LABEL} history cursor is not one this reader wrote (bad "eventTime")`);
  }
  return value;
}

function cursorThreadId(cursor: HistoryCursor): string {
  const value = cursor.threadId;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw configurationError(`${LABEL} history cursor is not one this reader wrote (bad "threadId")`);
  }
  return value;
}

function cursorSkip(cursor: HistoryCursor): number {
  const value = cursor.skip;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw configurationError(`${LABEL} history cursor is not one this reader wrote (bad "skip")`);
  }
  return value;
}

/**
 * Reads the session rows that set the database of the page's threads, newest first, up to the page's last
 * statement. The connect row can precede the window, so the bound is the thread list and the LIMIT.
 */
export function defaultDatabaseQuery(rows: LogRow[]): { sql: string; values: unknown[] } {
  const threadIds = [...new Set(rows.map((row) => row.threadId))];
  const latest = rows.reduce((max, row) => (row.eventTime > max ? row.eventTime : max), rows[0].eventTime);
  const sql = `SELECT /* ${READER_TAG} */ DATE_FORMAT(event_time, '%Y-%m-%d %H:%i:%s.%f') AS eventTime,
      CAST(thread_id AS CHAR) AS threadId, command_type AS commandType,
      CONVERT(LEFT(argument, 512) USING utf8mb4) AS argument
    FROM mysql.general_log
    WHERE thread_id IN (${threadIds.map(() => '?').join(', ')}) AND event_time <= ?
      AND (command_type IN ('Connect', 'Init DB')
        OR (command_type = 'Query' AND UPPER(CONVERT(LEFT(argument, 3) USING utf8mb4)) = 'USE'))
    ORDER BY event_time DESC
    LIMIT ${SESSION_EVENT_LIMIT}`;
  return { sql, values: [...threadIds, latest] };
}

/** For each statement, the database set by the latest session event of its thread before it. */
export function resolveDefaultDatabases(rows: LogRow[], events: SessionEvent[]): Map<LogRow, string | null> {
  const byThread = new Map<string, SessionEvent[]>();
  for (const event of events) {
    if (databaseSetBy(event) === undefined) continue;
    const list = byThread.get(event.threadId) ?? [];
    list.push(event);
    byThread.set(event.threadId, list);
  }
  const result = new Map<LogRow, string | null>();
  for (const row of rows) {
    const candidates = (byThread.get(row.threadId) ?? []).filter((event) => event.eventTime <= row.eventTime);
    const latest = candidates.reduce<SessionEvent | null>(
      (best, event) => (best === null || event.eventTime > best.eventTime ? event : best), null);
    result.set(row, latest ? databaseSetBy(latest) ?? null : null);
  }
  return result;
}

/**
 * The database a session event selects: a name, null for "none", undefined when the row is not one.
 * Connect rows read `user@host on db using TCP/IP` (older MariaDB: `user@host as anonymous on db`).
 */
export function databaseSetBy(event: SessionEvent): string | null | undefined {
  if (event.commandType === 'Init DB') return event.argument.trim() || null;
  if (event.commandType === 'Connect') {
    const match = / on (\S*)(?: using .*)?$/.exec(event.argument);
    return match ? match[1] || null : undefined;
  }
  const use = /^\s*use(?:\s+|(?=`))(`(?:[^`]|``)+`|[^\s;`]+)/i.exec(event.argument);
  if (!use) return undefined;
  const name = use[1];
  return name.startsWith('`') ? name.slice(1, -1).replace(/``/g, '`') : name;
}

function toHistoryRow(row: LogRow, defaultDatabase: string | null): HistoryRow {
  return {
    // general_log has no statement id; thread and microsecond identify the execution.
    queryId: `${row.threadId}@${row.eventTime}`,
    sql: row.argument,
    startedAt: `${row.eventTime.replace(' ', 'T')}Z`,
    defaultDatabase,
    // In MySQL a database is a schema: there is no separate default schema.
    defaultSchema: null,
  };
}

function translateError(error: unknown, password: string): Error {
  if (error instanceof WarehouseError) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const message = redact(errorText(error), password);
  if (ACCESS_DENIED.has(code)) return authenticationError(`${LABEL} rejected the credentials: ${message}`);
  if (TABLE_ACCESS_DENIED.has(code)) {
    return configurationError(`${LABEL}: the user cannot read mysql.general_log (GRANT SELECT ON mysql.general_log): ${message}`);
  }
  return readError(`${LABEL} query history read failed: ${message}`);
}
