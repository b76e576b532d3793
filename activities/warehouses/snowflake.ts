import snowflake from 'snowflake-sdk';
import {
  authenticationError, configurationError, readError, errorText, expectType, normalisePageSize, readMarker, redact,
} from './connectionFields';
import type { HistoryCursor, HistoryPage, HistoryRow, QueryHistorySource } from './types';

/**
 * Snowflake query history from `<accountUsageSchema>.QUERY_HISTORY` through the official snowflake-sdk.
 *
 * Connection keys (OpenMetadata `snowflakeConnection`): `account`, `username`, `password` or `privateKey`
 * (+ `snowflakePrivatekeyPassphrase`), `role`, `warehouse`, `queryTag`, `accountUsageSchema`.
 *
 * `options.queryHistory` (hexmeta settings):
 * - `accountUsageSchema`: schema holding QUERY_HISTORY (default: the connection's, else `SNOWFLAKE.ACCOUNT_USAGE`).
 * - `marker`: text a Hex statement contains (default `Hex query metadata`), matched server-side.
 * - `endpoint`: the SDK's `accessUrl` (e.g. `http://127.0.0.1:PORT`), used by tests.
 *
 * Paging is keyset on (START_TIME, QUERY_ID): the cursor carries the last row's start time to the
 * nanosecond as UTC text, so a resumed scan neither repeats nor skips rows that share a start time.
 */

const DEFAULT_ACCOUNT_USAGE_SCHEMA = 'SNOWFLAKE.ACCOUNT_USAGE';
/** One or two dot-separated identifiers, plain or double-quoted; anything else is refused, never quoted in. */
const SCHEMA_NAME = /^(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")(?:\.(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+"))?$/;
/** Snowflake error codes that mean the credentials were refused. */
const AUTHENTICATION_CODES = new Set(['390100', '390101', '390102', '390104', '390144', '390186', '394304']);

export function historyQuery(accountUsageSchema: string, afterCursor: boolean): string {
  return [
    'SELECT QUERY_ID, QUERY_TEXT,',
    `  TO_VARCHAR(CONVERT_TIMEZONE('UTC', START_TIME), 'YYYY-MM-DD"T"HH24:MI:SS.FF9"Z"') AS START_TIME_UTC,`,
    '  DATABASE_NAME, SCHEMA_NAME',
    `FROM ${accountUsageSchema}.QUERY_HISTORY`,
    'WHERE CONTAINS(QUERY_TEXT, ?)',
    '  AND START_TIME >= TO_TIMESTAMP_TZ(?) AND START_TIME < TO_TIMESTAMP_TZ(?)',
    ...(afterCursor
      ? ['  AND (START_TIME > TO_TIMESTAMP_TZ(?) OR (START_TIME = TO_TIMESTAMP_TZ(?) AND QUERY_ID > ?))']
      : []),
    'ORDER BY START_TIME, QUERY_ID',
    'LIMIT ?',
  ].join('\n');
}

export function createSnowflakeHistorySource(
  connection: Record<string, unknown>,
  options: { queryHistory?: Record<string, unknown> } = {},
): QueryHistorySource {
  const settings = options.queryHistory ?? {};
  expectType(connection, ['Snowflake'], 'Snowflake');
  const schema = accountUsageSchema(connection, settings);
  const marker = readMarker(settings);
  const secrets = [connection.password, connection.privateKey, connection.snowflakePrivatekeyPassphrase]
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
  const connectionOptions = sdkConnectionOptions(connection, settings);
  let open: Promise<snowflake.Connection> | null = null;

  const connect = (): Promise<snowflake.Connection> => {
    if (!open) {
      open = login(connectionOptions).catch((error: unknown) => {
        open = null;
        throw loginError(error, secrets);
      });
    }
    return open;
  };

  return {
    dialect: 'snowflake',
    async readPage(window, cursor, pageSize) {
      const limit = normalisePageSize(pageSize);
      const after = cursorPosition(cursor);
      const sqlText = historyQuery(schema, after !== null);
      const binds = [
        marker, window.start, window.end,
        ...(after ? [after.startTime, after.startTime, after.queryId] : []),
        limit,
      ];
      const rows = await execute(await connect(), sqlText, binds, secrets);
      const historyRows = rows.map(toHistoryRow);
      const last = rows[rows.length - 1];
      const next = rows.length === limit && last
        ? { startTime: String(last.START_TIME_UTC), queryId: String(last.QUERY_ID) }
        : null;
      return { rows: historyRows, next } satisfies HistoryPage;
    },
    async close() {
      if (!open) return;
      const pending = open;
      open = null;
      let connected: snowflake.Connection;
      try {
        connected = await pending;
      } catch {
        return;
      }
      await new Promise<void>((resolve) => connected.destroy(() => resolve()));
    },
  };
}

/** connectAsync reports a refused login only through its callback; its promise resolves regardless. */
function login(options: snowflake.ConnectionOptions): Promise<snowflake.Connection> {
  quietenSdkLogging();
  return new Promise((resolve, reject) => {
    snowflake.createConnection(options)
      .connectAsync((error, connection) => (error ? reject(error) : resolve(connection)))
      .catch(reject);
  });
}

let sdkLoggingQuietened = false;

/** The SDK logs every connection step at INFO to stdout; only its warnings belong in worker logs. */
function quietenSdkLogging(): void {
  if (sdkLoggingQuietened) return;
  sdkLoggingQuietened = true;
  snowflake.configure({ logLevel: 'WARN' });
}

function sdkConnectionOptions(connection: Record<string, unknown>, settings: Record<string, unknown>): snowflake.ConnectionOptions {
  const account = text(connection.account);
  const username = text(connection.username);
  if (!account || !username) {
    throw configurationError('Snowflake connection: missing required key "account" or "username"');
  }
  const privateKey = text(connection.privateKey);
  const password = text(connection.password);
  if (!privateKey && !password) {
    throw configurationError('Snowflake connection: needs "password" or "privateKey"');
  }
  const options: snowflake.ConnectionOptions = {
    account,
    username,
    application: 'hexmeta',
    ...(privateKey
      ? { authenticator: 'SNOWFLAKE_JWT', privateKey, privateKeyPass: text(connection.snowflakePrivatekeyPassphrase) }
      : { password }),
    ...(text(connection.role) ? { role: text(connection.role) } : {}),
    ...(text(connection.warehouse) ? { warehouse: text(connection.warehouse) } : {}),
    ...(text(connection.queryTag) ? { queryTag: text(connection.queryTag) } : {}),
    ...(text(settings.endpoint) ? { accessUrl: text(settings.endpoint) } : {}),
  };
  return options;
}

function accountUsageSchema(connection: Record<string, unknown>, settings: Record<string, unknown>): string {
  const schema = text(settings.accountUsageSchema) ?? text(connection.accountUsageSchema) ?? DEFAULT_ACCOUNT_USAGE_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw configurationError(`accountUsageSchema is not a schema name: ${schema}`);
  }
  return schema;
}

interface CursorPosition {
  startTime: string;
  queryId: string;
}

function cursorPosition(cursor: HistoryCursor | null): CursorPosition | null {
  if (!cursor) return null;
  const { startTime, queryId } = cursor;
  if (typeof startTime !== 'string' || typeof queryId !== 'string') {
    throw configurationError('Snowflake history cursor is malformed');
  }
  return { startTime, queryId };
}

type QueryHistoryRecord = Record<string, unknown>;

function execute(connection: snowflake.Connection, sqlText: string, binds: snowflake.Binds, secrets: string[]): Promise<QueryHistoryRecord[]> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      binds,
      complete: (error, _statement, rows) => {
        if (error) reject(readError(`Snowflake query history read failed: ${describe(error, secrets)}`));
        else resolve((rows ?? []) as QueryHistoryRecord[]);
      },
    });
  });
}

function toHistoryRow(row: QueryHistoryRecord): HistoryRow {
  const startTime = text(row.START_TIME_UTC);
  return {
    queryId: String(row.QUERY_ID),
    sql: String(row.QUERY_TEXT ?? ''),
    startedAt: startTime ? new Date(startTime).toISOString() : null,
    defaultDatabase: text(row.DATABASE_NAME) ?? null,
    defaultSchema: text(row.SCHEMA_NAME) ?? null,
  };
}

function loginError(error: unknown, secrets: string[]): Error {
  const code = error && typeof error === 'object' ? String((error as { code?: unknown }).code ?? '') : '';
  const message = `Snowflake login failed: ${describe(error, secrets)}`;
  return AUTHENTICATION_CODES.has(code) ? authenticationError(message) : readError(message);
}

/** The SDK's message and code only: its error objects also hold request data. */
function describe(error: unknown, secrets: string[]): string {
  const message = errorText(error);
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const described = code !== undefined && code !== null && code !== '' ? `${message} (code ${String(code)})` : message;
  return secrets.reduce(redact, described);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
