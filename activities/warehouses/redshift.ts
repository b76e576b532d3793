import { Client, type ClientConfig } from 'pg';
import { authenticationError, configurationError, readError, errorText, readHostPort, readMarker, redact } from './connectionFields';
import type { HistoryCursor, HistoryPage, HistoryRow, HistoryWindow, QueryHistorySource } from './types';

/**
 * Redshift query history: a page of statement ids from the history table, then their full text reassembled
 * from the text table's chunks. The history tables keep only the first 4,000 characters of a statement, which
 * would cut off the trailing Hex comment of a long statement, so the text always comes from the chunks.
 *
 * Connection keys (OpenMetadata `redshiftConnection`): `hostPort` (`host:5439`), `username`,
 * `authType.password` (IAM auth is not supported here), `database` (default `dev`), `sslMode`
 * (`disable` by default, as in the schema), `sslConfig.caCertificate`.
 *
 * `options.queryHistory` (hexmeta settings):
 * - `tables`: `sys` (SYS_QUERY_HISTORY + SYS_QUERY_TEXT, default; serverless and provisioned) or
 *   `stl` (STL_QUERY + STL_QUERYTEXT; provisioned clusters only).
 * - `systemSchema`: schema holding those tables; default none, i.e. the unqualified system views
 *   (`pg_catalog`). Tests point it at a schema with look-alike tables.
 * - `marker`: text a Hex statement contains (default `Hex query metadata`). Filtered on the server, also
 *   when the marker straddles two chunks, and checked again after reassembly.
 *
 * Only successful statements are read. Paging is keyset on (start time, query id), kept in the cursor.
 */

const DEFAULT_DATABASE = 'dev';
const DEFAULT_PORT = 5439;

interface TableFamily {
  history: string;
  text: string;
  id: string;
  startTime: string;
  database: string;
  succeeded: string;
  /** Width of one text chunk; a chunk is a CHAR column, so its trailing blanks are padding or real text. */
  chunkWidth: number;
}

const TABLE_FAMILIES: Record<'sys' | 'stl', TableFamily> = {
  sys: {
    history: 'sys_query_history', text: 'sys_query_text', id: 'query_id', startTime: 'start_time',
    database: 'database_name', succeeded: "h.status = 'success'", chunkWidth: 4000,
  },
  stl: {
    history: 'stl_query', text: 'stl_querytext', id: 'query', startTime: 'starttime',
    database: 'database', succeeded: 'h.aborted = 0', chunkWidth: 200,
  },
};

interface IdRow { query_id: string; start_time: string; database_name: string | null }
interface ChunkRow { query_id: string; sequence: number; text: string | null }

export function createRedshiftHistorySource(
  connection: Record<string, unknown>,
  options: { queryHistory?: Record<string, unknown> } = {},
): QueryHistorySource {
  const settings = options.queryHistory ?? {};
  const family = TABLE_FAMILIES[tableFamilyName(settings.tables)];
  const schema = systemSchema(settings.systemSchema);
  const marker = readMarker(settings);
  const clientConfig = pgConfig(connection);
  const secret = clientConfig.password as string;
  let client: Client | null = null;

  async function connected(): Promise<Client> {
    if (client) return client;
    const fresh = new Client(clientConfig);
    // A dropped connection must not crash the worker; the next query reports it.
    fresh.on('error', () => { client = null; });
    try {
      await fresh.connect();
    } catch (error) {
      throw connectionFailure(error, secret);
    }
    client = fresh;
    return fresh;
  }

  return {
    dialect: 'redshift',
    async readPage(window, cursor, pageSize) {
      const db = await connected();
      const page = pageQuery(family, schema, marker, window, cursor, pageSize);
      const ids = await run<IdRow>(db, page.text, page.values, secret);
      if (ids.length === 0) return { rows: [], next: null };
      const chunkSql = chunkQuery(family, schema, ids.length);
      const chunks = await run<ChunkRow>(db, chunkSql, ids.map((row) => row.query_id), secret);
      const texts = reassemble(chunks, family.chunkWidth);
      const rows: HistoryRow[] = ids
        .map((row) => ({
          queryId: row.query_id,
          sql: texts.get(row.query_id) ?? '',
          startedAt: isoFromRedshift(row.start_time),
          defaultDatabase: row.database_name?.trim() || null,
          // Redshift's history does not record the session's search_path.
          defaultSchema: null,
        }))
        .filter((row) => row.sql.includes(marker));
      const last = ids[ids.length - 1];
      const next = ids.length < pageSize ? null : { startTime: last.start_time, queryId: last.query_id };
      return { rows, next } satisfies HistoryPage;
    },
    async close() {
      const open = client;
      client = null;
      if (open) await open.end();
    },
  };
}

/** The page of matching statement ids, ordered by (start time, id), after the cursor when there is one. */
export function pageQuery(
  family: TableFamily,
  schema: string,
  marker: string,
  window: HistoryWindow,
  cursor: HistoryCursor | null,
  pageSize: number,
): { text: string; values: string[] } {
  const { history, text, id, startTime, database, succeeded, chunkWidth } = family;
  const values = [redshiftTimestamp(window.start, 'start'), redshiftTimestamp(window.end, 'end'),
    `%${escapeLike(marker)}%`];
  let after = '';
  if (cursor) {
    if (typeof cursor.startTime !== 'string' || typeof cursor.queryId !== 'string') {
      throw configurationError('Redshift history cursor is malformed');
    }
    values.push(cursor.startTime, cursor.queryId);
    after = `\n  AND (h.${startTime} > $4::timestamp OR (h.${startTime} = $4::timestamp AND h.${id} > $5::bigint))`;
  }
  // Numbers are inlined: they are ours, and not every Redshift version binds LIMIT parameters.
  const limit = Math.max(1, Math.floor(pageSize));
  const straddle = marker.length - 1;
  // Our own statement carries the marker only as a bind parameter, so it never matches itself.
  const sql = `SELECT h.${id}::varchar AS query_id,
  TO_CHAR(h.${startTime}, 'YYYY-MM-DD HH24:MI:SS.US') AS start_time,
  TRIM(h.${database}) AS database_name
FROM ${schema}${history} h
WHERE h.${startTime} >= $1::timestamp AND h.${startTime} < $2::timestamp
  AND ${succeeded}
  AND h.${id} IN (
    SELECT t.${id} FROM ${schema}${text} t
    LEFT JOIN ${schema}${text} n ON n.${id} = t.${id} AND n.sequence = t.sequence + 1
    WHERE RPAD(t.text, ${chunkWidth}) || COALESCE(LEFT(n.text, ${straddle}), '') LIKE $3
  )${after}
ORDER BY h.${startTime}, h.${id}
LIMIT ${limit}`;
  return { text: sql, values };
}

/** Every text chunk of the given statements, in order (one bind parameter per id: Redshift has no arrays). */
export function chunkQuery(family: TableFamily, schema: string, idCount: number): string {
  const params = Array.from({ length: idCount }, (_, index) => `$${index + 1}::bigint`).join(', ');
  return `SELECT t.${family.id}::varchar AS query_id, t.sequence, t.text
FROM ${schema}${family.text} t
WHERE t.${family.id} IN (${params})
ORDER BY t.${family.id}, t.sequence`;
}

/** Joins each statement's chunks; inner chunks are padded back to full width because CHAR drops blanks. */
export function reassemble(chunks: ChunkRow[], chunkWidth: number): Map<string, string> {
  const grouped = new Map<string, string[]>();
  for (const chunk of chunks) {
    const parts = grouped.get(chunk.query_id) ?? [];
    parts[chunk.sequence] = chunk.text ?? '';
    grouped.set(chunk.query_id, parts);
  }
  const texts = new Map<string, string>();
  for (const [queryId, parts] of grouped) {
    const filled = Array.from(parts, (part) => part ?? '');
    const joined = filled
      .map((part, index) => (index < filled.length - 1 ? part.padEnd(chunkWidth, ' ') : part.trimEnd()))
      .join('');
    texts.set(queryId, unescapeText(joined));
  }
  return texts;
}

/** Redshift logs newlines, tabs and backslashes in statement text as two-character escapes. */
export function unescapeText(text: string): string {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\' };
  return text.replace(/\\([nrt\\])/g, (_, letter: string) => escapes[letter]);
}

async function run<Row>(db: Client, text: string, values: string[], secret: string): Promise<Row[]> {
  try {
    const result = await db.query(text, values);
    return result.rows as Row[];
  } catch (error) {
    throw readError(`Redshift query history read failed: ${redact(errorText(error), secret)}`);
  }
}

function connectionFailure(error: unknown, secret: string): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = redact(errorText(error), secret);
  // 28P01 invalid password, 28000 invalid authorization (unknown user, pg_hba rejection).
  if (code === '28P01' || code === '28000') {
    return authenticationError(`Redshift rejected the credentials: ${reason}`);
  }
  return readError(`Could not connect to Redshift: ${reason}`);
}

function pgConfig(connection: Record<string, unknown>): ClientConfig {
  const { host, port } = readHostPort(connection, 'Redshift', DEFAULT_PORT);
  const auth = connection.authType && typeof connection.authType === 'object'
    ? connection.authType as Record<string, unknown> : {};
  const password = auth.password ?? connection.password;
  if (typeof password !== 'string') {
    throw configurationError('Redshift connection needs authType.password; IAM authentication is not supported for query history');
  }
  if (typeof connection.username !== 'string' || !connection.username) {
    throw configurationError('Redshift connection needs username');
  }
  return {
    host,
    port,
    user: connection.username,
    password,
    database: typeof connection.database === 'string' && connection.database ? connection.database : DEFAULT_DATABASE,
    ssl: sslOptions(connection),
    application_name: 'hexmeta',
    connectionTimeoutMillis: 30_000,
  };
}

function sslOptions(connection: Record<string, unknown>): ClientConfig['ssl'] {
  const mode = typeof connection.sslMode === 'string' ? connection.sslMode : 'disable';
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  const config = connection.sslConfig && typeof connection.sslConfig === 'object'
    ? connection.sslConfig as Record<string, unknown> : {};
  const ca = typeof config.caCertificate === 'string' ? config.caCertificate : undefined;
  if (mode === 'require') return { rejectUnauthorized: false };
  // verify-ca checks the chain only; verify-full also checks the host name.
  return mode === 'verify-ca'
    ? { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined }
    : { rejectUnauthorized: true, ca };
}

function tableFamilyName(value: unknown): 'sys' | 'stl' {
  if (value === undefined || value === null || value === 'sys') return 'sys';
  if (value === 'stl') return 'stl';
  throw configurationError("queryHistory.tables must be 'sys' or 'stl'");
}

function systemSchema(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(value)) return `"${value}".`;
  throw configurationError('queryHistory.systemSchema must be a plain schema name');
}

/** Redshift system tables hold UTC timestamps without a zone. */
function redshiftTimestamp(iso: string, name: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw configurationError(`History window ${name} is not a date: ${iso}`);
  }
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function isoFromRedshift(value: string | null): string | null {
  if (!value) return null;
  const ms = Date.parse(`${value.replace(' ', 'T').slice(0, 23)}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
