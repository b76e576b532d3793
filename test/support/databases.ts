import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import mysql from 'mysql2/promise';
import axios from 'axios';

/**
 * Helpers for tests against the local servers of `scripts/services/start-databases.sh`
 * (run it, then `. ${HEXMETA_SERVICES_DIR:-/tmp/hexmeta-services}/env.sh`).
 * Statements are sent through drivers, which keep SQL comments as written.
 */

export type ServiceKind = 'PG' | 'MARIADB' | 'CLICKHOUSE';

export interface ServiceEnv {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Reads PG_* / MARIADB_* / CLICKHOUSE_* from the environment, or explains how to get them. */
export function serviceEnv(kind: ServiceKind): ServiceEnv {
  const read = (name: string): string => {
    const value = process.env[`${kind}_${name}`];
    if (!value) {
      throw new Error(
        `${kind}_${name} is not set: run "bash scripts/services/start-databases.sh && . /tmp/hexmeta-services/env.sh" first`,
      );
    }
    return value;
  };
  return { host: read('HOST'), port: Number(read('PORT')), user: read('USER'), password: read('PASSWORD'), database: read('DATABASE') };
}

/** OpenMetadata connection configs, shaped as in the database connection JSON Schemas. */
export function postgresConnection(env: ServiceEnv, password = env.password): Record<string, unknown> {
  return { type: 'Postgres', hostPort: `${env.host}:${env.port}`, username: env.user, authType: { password }, database: env.database };
}

export function mariadbConnection(env: ServiceEnv, password = env.password): Record<string, unknown> {
  return { type: 'MariaDB', hostPort: `${env.host}:${env.port}`, username: env.user, password };
}

export function mysqlConnection(env: ServiceEnv, password = env.password): Record<string, unknown> {
  return { type: 'Mysql', hostPort: `${env.host}:${env.port}`, username: env.user, authType: { password } };
}

export function clickhouseConnection(env: ServiceEnv, password = env.password): Record<string, unknown> {
  return { type: 'Clickhouse', hostPort: `${env.host}:${env.port}`, username: env.user, password };
}

/** A short id that keeps one test run's tables and comments apart from earlier runs. */
export function runTag(): string {
  return randomUUID().replace(/-/g, '').slice(0, 12);
}

/** The comment Hex adds to the SQL it runs: one line, keys in alphabetical order. */
export function hexComment(projectId: string, projectName = 'Test project'): string {
  const metadata = {
    categories: ['Testing'],
    cell_type: 'SQL',
    connection: 'Local warehouse',
    context: 'SCHEDULED_RUN',
    project_id: projectId,
    project_name: projectName,
    project_url: `https://app.hex.tech/test-workspace/hex/${projectId}/draft/logic`,
    trace_id: randomUUID().replace(/-/g, ''),
    user_email: 'tester@example.com',
  };
  // Hex separates with ", " and ": " (Python's json.dumps defaults).
  const value = (item: unknown): string =>
    (Array.isArray(item) ? `[${item.map((entry) => JSON.stringify(entry)).join(', ')}]` : JSON.stringify(item));
  const json = Object.entries(metadata).map(([key, item]) => `${JSON.stringify(key)}: ${value(item)}`).join(', ');
  return `-- Hex query metadata: {${json}}`;
}

/** Hex's usual placement: the comment as the last line. */
export function withTrailingHexComment(sql: string, projectId: string): string {
  return `${sql}\n${hexComment(projectId)}`;
}

/** Placement that ClickHouse 18.16 keeps: the comment as the first line. */
export function withLeadingHexComment(sql: string, projectId: string): string {
  return `${hexComment(projectId)}\n${sql}`;
}

/** A comment that carries the marker but no parseable JSON. */
export function withMalformedHexComment(sql: string): string {
  return `${sql}\n-- Hex query metadata: {"project_id": "not closed`;
}

export async function runPostgres(env: ServiceEnv, statements: string[], database = env.database): Promise<void> {
  const client = new PgClient({ host: env.host, port: env.port, user: env.user, password: env.password, database });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Runs statements on one MariaDB session (so `USE` carries over) and returns the session's thread id. */
export async function runMariadb(env: ServiceEnv, statements: string[], database: string | undefined = env.database): Promise<string> {
  const connection = await mysql.createConnection({
    host: env.host, port: env.port, user: env.user, password: env.password, database,
  });
  try {
    const [[{ id }]] = await connection.query('SELECT CONNECTION_ID() AS id') as unknown as [[{ id: number }]];
    for (const statement of statements) await connection.query(statement);
    return String(id);
  } finally {
    await connection.end();
  }
}

/** MariaDB's clock, in the UTC ISO form of a history window bound (microseconds cut to milliseconds). */
export async function mariadbNow(env: ServiceEnv): Promise<string> {
  const connection = await mysql.createConnection({ host: env.host, port: env.port, user: env.user, password: env.password });
  try {
    const [[{ now }]] = await connection.query(
      "SELECT DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.%fZ') AS now",
    ) as unknown as [[{ now: string }]];
    // %f prints six digits; keep milliseconds.
    return now.replace(/\.(\d{3})\d{3}Z$/, '.$1Z');
  } finally {
    await connection.end();
  }
}

function clickhouseUrl(env: ServiceEnv): string {
  return `http://${env.host}:${env.port}/`;
}

/** Runs one statement over ClickHouse's HTTP interface and returns the response body. */
export async function runClickhouse(env: ServiceEnv, statement: string): Promise<string> {
  const response = await axios.post(clickhouseUrl(env), statement, {
    params: { database: env.database },
    auth: { username: env.user, password: env.password },
    responseType: 'text',
    transformResponse: (body) => body,
    validateStatus: () => true,
  });
  if (response.status !== 200) throw new Error(`ClickHouse answered HTTP ${response.status}: ${String(response.data).slice(0, 300)}`);
  return String(response.data);
}

/** Writes pending query-log entries now instead of after the flush interval. */
export async function flushClickhouseLogs(env: ServiceEnv): Promise<void> {
  await runClickhouse(env, 'SYSTEM FLUSH LOGS');
}

/** ClickHouse's clock in whole seconds, as a UTC ISO string. */
export async function clickhouseNow(env: ServiceEnv): Promise<string> {
  const seconds = Number((await runClickhouse(env, 'SELECT toUInt32(now())')).trim());
  return new Date(seconds * 1000).toISOString();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Minimal shape of a history source, so this helper does not depend on a reader's module. */
interface PagedSource {
  readPage(
    window: { start: string; end: string },
    cursor: Record<string, string | number | boolean | null> | null,
    pageSize: number,
  ): Promise<{ rows: Array<{ queryId: string; sql: string }>; next: Record<string, string | number | boolean | null> | null }>;
}

/** Follows cursors to the end of the window; every page is returned so tests can check their sizes. */
export async function readAllPages<Row extends { queryId: string; sql: string }>(
  source: PagedSource,
  window: { start: string; end: string },
  pageSize: number,
  maxPages = 10_000,
): Promise<Row[][]> {
  const pages: Row[][] = [];
  let cursor: Record<string, string | number | boolean | null> | null = null;
  do {
    // The cursor goes through JSON as it does through workflow state.
    const page = await source.readPage(window, cursor ? JSON.parse(JSON.stringify(cursor)) : null, pageSize);
    pages.push(page.rows as Row[]);
    cursor = page.next;
    if (pages.length > maxPages) throw new Error(`history did not end within ${maxPages} pages`);
  } while (cursor);
  return pages;
}

/** Every row of the window, in order, and the number of pages; no page may hold more than `pageSize` rows. */
export async function walkHistory<Row extends { queryId: string; sql: string }>(
  source: PagedSource,
  window: { start: string; end: string },
  pageSize: number,
  maxPages = 50,
): Promise<{ rows: Row[]; pages: number }> {
  const pages = await readAllPages<Row>(source, window, pageSize, maxPages);
  for (const page of pages) if (page.length > pageSize) throw new Error(`a page of ${page.length} rows, asked for ${pageSize}`);
  return { rows: pages.flat(), pages: pages.length };
}
