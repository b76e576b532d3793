import { Pool, type PoolConfig } from 'pg';
import { WarehouseError } from './errors';
import type { HistoryCursor, HistoryPage, HistoryRow, QueryHistorySource } from './types';
import {
  authenticationError, configurationError, readError, CONNECTION_KEYS, rejectUnknownKeys, errorText, expectType, normalisePageSize, optionalString, readHostPort,
  readMarker, readPassword, redact, requiredString,
} from './connectionFields';

/**
 * PostgreSQL query history from `pg_stat_statements`.
 *
 * Connection keys (OpenMetadata `postgresConnection`): `hostPort`, `username`, `authType.password`,
 * `database` (the database where `CREATE EXTENSION pg_stat_statements` was run; the view still lists
 * statements of every database), optional `sslMode` and `queryStatementSource` (a view or table to read
 * instead of `pg_stat_statements`, with the same columns).
 * `options.queryHistory.marker`: text a Hex statement contains (default `Hex query metadata`), filtered
 * on the server.
 *
 * What the view can and cannot tell:
 * - It keeps one entry per normalised statement, with no time of execution, so **no time window
 *   applies**: every page covers the whole view and `startedAt` is null. Reading it again later returns
 *   the same entries (lineage writes are idempotent).
 * - Statements that normalise alike share one entry carrying the first text seen, so a second Hex
 *   project running the same SQL is not visible.
 * - The user needs `pg_read_all_stats` (or superuser) to see other users' statement text.
 *
 * Paging is a keyset on (queryid, userid, dbid[, toplevel]), the view's unique key.
 */

const LABEL = 'PostgreSQL';
const DEFAULT_PORT = 5432;
/** SQLSTATE class 28: invalid authorisation specification (bad password, unknown role). */
const AUTH_SQLSTATE_PREFIX = '28';
const UNDEFINED_TABLE = '42P01';
const IDENTIFIER_PATH = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/;

interface StatementRow {
  queryid: string;
  userid: string;
  dbid: string;
  toplevel: boolean | null;
  datname: string | null;
  query: string;
}

export function createPostgresHistorySource(
  connection: Record<string, unknown>,
  options: { queryHistory?: Record<string, unknown> } = {},
): QueryHistorySource {
  expectType(connection, ['Postgres'], LABEL);
  rejectUnknownKeys(connection, CONNECTION_KEYS.Postgres, LABEL);
  const password = readPassword(connection, LABEL);
  const poolConfig = poolSettings(connection, password);
  const statementSource = readStatementSource(connection);
  const marker = readMarker(options.queryHistory);
  const database = poolConfig.database as string;
  const pool = new Pool(poolConfig);
  // An idle client that drops must not crash the worker; the next query reconnects.
  pool.on('error', () => undefined);
  let hasToplevel: Promise<boolean> | null = null;
  let closed = false;

  async function run<T extends object>(sql: string, values: unknown[]): Promise<T[]> {
    try {
      const result = await pool.query(sql, values);
      return result.rows as T[];
    } catch (error) {
      throw translateError(error, password, database, statementSource);
    }
  }

  return {
    dialect: 'postgres',
    async readPage(_window, cursor, pageSize) {
      const limit = normalisePageSize(pageSize);
      // PostgreSQL 14 added `toplevel`, which splits an entry in two; older servers lack it.
      hasToplevel ??= columnExists(pool, statementSource, 'toplevel');
      const withToplevel = await hasToplevel.catch((error) => {
        hasToplevel = null; // ask again on the next page rather than caching a failure
        throw translateError(error, password, database, statementSource);
      });
      const { sql, values } = pageQuery(statementSource, withToplevel, marker, cursor, limit);
      const rows = await run<StatementRow>(sql, values);
      return {
        rows: rows.map(toHistoryRow),
        next: rows.length < limit ? null : cursorAfter(rows[rows.length - 1], withToplevel),
      } satisfies HistoryPage;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

function poolSettings(connection: Record<string, unknown>, password: string): PoolConfig {
  const { host, port } = readHostPort(connection, LABEL, DEFAULT_PORT);
  return {
    host,
    port,
    user: requiredString(connection, 'username', LABEL),
    password,
    database: requiredString(connection, 'database', LABEL),
    ssl: sslSetting(optionalString(connection, 'sslMode', LABEL)),
    max: 1,
    connectionTimeoutMillis: 30_000,
    idleTimeoutMillis: 10_000,
    application_name: 'hexmeta-query-history',
  };
}

/** Maps OpenMetadata's libpq-style `sslMode` onto node-postgres. */
function sslSetting(mode: string | undefined): PoolConfig['ssl'] {
  switch (mode ?? 'disable') {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      throw configurationError(`${LABEL} connection: unknown sslMode "${mode}"`);
  }
}

function readStatementSource(connection: Record<string, unknown>): string {
  const source = optionalString(connection, 'queryStatementSource', LABEL) ?? 'pg_stat_statements';
  // Interpolated into SQL, so only plain (optionally qualified) identifiers are accepted.
  if (!IDENTIFIER_PATH.test(source)) {
    throw configurationError(`${LABEL} connection: "queryStatementSource" must be a plain name such as schema.view`);
  }
  return source;
}

async function columnExists(pool: Pool, source: string, column: string): Promise<boolean> {
  const result = await pool.query(`SELECT * FROM ${source} LIMIT 0`);
  return result.fields.some((field) => field.name === column);
}

export function pageQuery(
  source: string,
  withToplevel: boolean,
  marker: string,
  cursor: HistoryCursor | null,
  limit: number,
): { sql: string; values: unknown[] } {
  const key = withToplevel ? 's.queryid, s.userid, s.dbid, s.toplevel' : 's.queryid, s.userid, s.dbid';
  // The marker travels as a parameter, so this statement's own entry never contains it.
  const values: unknown[] = [marker];
  let after = '';
  if (cursor) {
    values.push(cursorText(cursor, 'queryid'), cursorText(cursor, 'userid'), cursorText(cursor, 'dbid'));
    let bound = '$2::bigint, $3::oid, $4::oid';
    if (withToplevel) {
      values.push(cursor.toplevel === true);
      bound += ', $5::boolean';
    }
    after = `AND (${key}) > (${bound})`;
  }
  values.push(limit);
  const sql = `SELECT s.queryid::text AS queryid, s.userid::text AS userid, s.dbid::text AS dbid,
      ${withToplevel ? 's.toplevel' : 'NULL::boolean'} AS toplevel, d.datname, s.query
    FROM ${source} s LEFT JOIN pg_catalog.pg_database d ON d.oid = s.dbid
    WHERE s.queryid IS NOT NULL AND strpos(s.query, $1) > 0 ${after}
    ORDER BY ${key}
    LIMIT $${values.length}`;
  return { sql, values };
}

function cursorText(cursor: HistoryCursor, key: string): string {
  const value = cursor[key];
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw configurationError(`${LABEL} history cursor is not one this reader wrote (bad "${key}")`);
  }
  return value;
}

function cursorAfter(row: StatementRow, withToplevel: boolean): HistoryCursor {
  const cursor: HistoryCursor = { queryid: row.queryid, userid: row.userid, dbid: row.dbid };
  if (withToplevel) cursor.toplevel = row.toplevel === true;
  return cursor;
}

function toHistoryRow(row: StatementRow): HistoryRow {
  return {
    queryId: `${row.dbid}:${row.userid}:${row.queryid}${row.toplevel === false ? ':nested' : ''}`,
    sql: row.query,
    // pg_stat_statements keeps no per-execution time.
    startedAt: null,
    defaultDatabase: row.datname ?? null,
    // The search_path in effect is not recorded; assuming "public" would invent lineage.
    defaultSchema: null,
  };
}

function translateError(error: unknown, password: string, database: string, source: string): Error {
  if (error instanceof WarehouseError) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const message = redact(errorText(error), password);
  if (code.startsWith(AUTH_SQLSTATE_PREFIX)) {
    return authenticationError(`${LABEL} rejected the credentials: ${message}`);
  }
  if (code === UNDEFINED_TABLE) {
    return configurationError(
      `${LABEL}: ${source} is not available in database "${database}" (run CREATE EXTENSION pg_stat_statements there): ${message}`,
    );
  }
  if (/pg_stat_statements must be loaded/i.test(message)) {
    return configurationError(`${LABEL}: ${message} (add it to shared_preload_libraries and restart)`);
  }
  return readError(`${LABEL} query history read failed: ${message}`);
}
