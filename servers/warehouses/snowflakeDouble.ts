import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { readJsonBody } from './jsonBody';
import { firstIndex } from './sortedSearch';

/**
 * A local stand-in for Snowflake's REST protocol as snowflake-sdk speaks it:
 * `POST /session/v1/login-request` (password login, Snowflake's failure codes), `POST /queries/v1/query-request`
 * (session token in `Authorization: Snowflake Token="…"`, JSON `rowtype` + `rowset` results or Snowflake
 * error bodies), `POST /telemetry/send` and `POST /session?delete=true`.
 *
 * It answers one statement family: SELECTs over `<schema>.QUERY_HISTORY` whose predicates are among
 * those listed in PREDICATES, with positional `?` binds. Every bind must be consumed by a known predicate,
 * so a statement the double does not understand fails instead of being answered loosely.
 */

export interface QueryHistoryEntry {
  queryId: string;
  queryText: string;
  /** UTC start time with up to nine fractional digits, e.g. `2025-03-01T06:00:00.123456Z`. */
  startTime: string;
  databaseName?: string | null;
  schemaName?: string | null;
}

export interface ReceivedStatement {
  sqlText: string;
  bindings: Record<string, { type: string; value: unknown }> | undefined;
}

export interface SnowflakeDouble {
  url: string;
  statements: ReceivedStatement[];
  logins: Array<{ loginName: unknown; accountName: unknown; query: URLSearchParams }>;
  sessionsClosed: number;
  close(): Promise<void>;
}

export interface SnowflakeDoubleOptions {
  username: string;
  password: string;
  /** Schema whose QUERY_HISTORY view exists; other names get "does not exist or not authorized". */
  accountUsageSchema?: string;
  history: QueryHistoryEntry[];
}

type Bind = { type: string; value: unknown };
type Row = QueryHistoryEntry;

type PredicateName = 'contains' | 'from' | 'before' | 'after';

/** Predicate texts the double evaluates, with the number of binds each takes. */
const PREDICATES: Array<{ name: PredicateName; pattern: RegExp; binds: number; test: (row: Row, values: string[]) => boolean }> = [
  { name: 'contains', pattern: /CONTAINS\(QUERY_TEXT, \?\)/, binds: 1, test: (row, [needle]) => row.queryText.includes(needle) },
  { name: 'from', pattern: /START_TIME >= TO_TIMESTAMP_TZ\(\?\)/, binds: 1, test: (row, [bound]) => nanos(row.startTime) >= nanos(bound) },
  { name: 'before', pattern: /START_TIME < TO_TIMESTAMP_TZ\(\?\)/, binds: 1, test: (row, [bound]) => nanos(row.startTime) < nanos(bound) },
  {
    name: 'after',
    pattern: /\(START_TIME > TO_TIMESTAMP_TZ\(\?\) OR \(START_TIME = TO_TIMESTAMP_TZ\(\?\) AND QUERY_ID > \?\)\)/,
    binds: 3,
    test: (row, [after, same, queryId]) => nanos(row.startTime) > nanos(after)
      || (nanos(row.startTime) === nanos(same) && row.queryId > queryId),
  },
];

const PROJECTIONS: Record<string, { type: string; value: (row: Row) => string | null }> = {
  QUERY_ID: { type: 'text', value: (row) => row.queryId },
  QUERY_TEXT: { type: 'text', value: (row) => row.queryText },
  DATABASE_NAME: { type: 'text', value: (row) => row.databaseName ?? null },
  SCHEMA_NAME: { type: 'text', value: (row) => row.schemaName ?? null },
  [`TO_VARCHAR(CONVERT_TIMEZONE('UTC', START_TIME), 'YYYY-MM-DD"T"HH24:MI:SS.FF9"Z"')`]: {
    type: 'text',
    value: (row) => nineDigitUtc(row.startTime),
  },
};

export async function startSnowflakeDouble(options: SnowflakeDoubleOptions): Promise<SnowflakeDouble> {
  const sessions = new Set<string>();
  const history = new History(options.history);
  const double: SnowflakeDouble = { url: '', statements: [], logins: [], sessionsClosed: 0, close: async () => {} };
  const server = createServer((req, res) => {
    readJsonBody(req).then((body) => route(req, res, body)).catch((error: unknown) => {
      send(res, 400, { success: false, code: '000400', message: `Malformed request: ${String(error)}`, data: null });
    });
  });

  function route(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/session/v1/login-request') return login(url, body, res);
    const token = /^Snowflake Token="([^"]+)"$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !sessions.has(token)) {
      return send(res, 200, { success: false, code: '390104', message: 'Session no longer exists.  New login required to access the service.', data: null });
    }
    if (req.method === 'POST' && url.pathname === '/queries/v1/query-request') return query(body, res);
    if (req.method === 'POST' && url.pathname === '/telemetry/send') return send(res, 200, { success: true, data: 'Log Received', code: null, message: null });
    if (req.method === 'POST' && url.pathname === '/session' && url.searchParams.get('delete') === 'true') {
      sessions.delete(token);
      double.sessionsClosed += 1;
      return send(res, 200, { success: true, data: null, code: null, message: null });
    }
    send(res, 404, { success: false, code: '000404', message: `No handler for ${req.method} ${url.pathname}`, data: null });
  }

  function login(url: URL, body: Record<string, unknown>, res: ServerResponse): void {
    const data = (body.data ?? {}) as Record<string, unknown>;
    double.logins.push({ loginName: data.LOGIN_NAME, accountName: data.ACCOUNT_NAME, query: url.searchParams });
    if (data.LOGIN_NAME !== options.username || data.PASSWORD !== options.password) {
      return send(res, 200, {
        data: { nextAction: 'RETRY_LOGIN', authnMethod: 'USERNAME_PASSWORD', signInOptions: {} },
        code: '390100',
        message: 'Incorrect username or password was specified.',
        success: false,
        headers: null,
      });
    }
    const sessionToken = `ver:1-hint:1-${randomUUID()}`;
    sessions.add(sessionToken);
    send(res, 200, {
      data: {
        masterToken: `ver:1-hint:1-master-${randomUUID()}`,
        token: sessionToken,
        validityInSeconds: 3600,
        masterValidityInSeconds: 14400,
        displayUserName: options.username.toUpperCase(),
        serverVersion: '9.10.0',
        firstLogin: false,
        remMeToken: null,
        remMeValidityInSeconds: 0,
        healthCheckInterval: 45,
        newClientForUpgrade: null,
        sessionId: Math.floor(Math.random() * 1e15),
        parameters: [
          { name: 'TIMEZONE', value: 'America/Los_Angeles' },
          { name: 'CLIENT_SESSION_KEEP_ALIVE', value: false },
          { name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 },
        ],
        sessionInfo: { databaseName: null, schemaName: null, warehouseName: 'COMPUTE_WH', roleName: 'SYSADMIN' },
        idToken: null,
        idTokenValidityInSeconds: 0,
        responseData: null,
        mfaToken: null,
        mfaTokenValidityInSeconds: 0,
      },
      code: null,
      message: null,
      success: true,
    });
  }

  function query(body: Record<string, unknown>, res: ServerResponse): void {
    const sqlText = String(body.sqlText ?? '');
    const bindings = body.bindings as Record<string, Bind> | undefined;
    double.statements.push({ sqlText, bindings });
    const queryId = randomUUID();
    try {
      const { rowtype, rowset } = evaluate(sqlText, bindings ?? {}, options, history);
      send(res, 200, {
        data: {
          parameters: [{ name: 'TIMEZONE', value: 'America/Los_Angeles' }],
          rowtype,
          rowset,
          total: rowset.length,
          returned: rowset.length,
          queryId,
          databaseProvider: null,
          finalDatabaseName: null,
          finalSchemaName: null,
          finalWarehouseName: 'COMPUTE_WH',
          finalRoleName: 'SYSADMIN',
          numberOfBinds: Object.keys(bindings ?? {}).length,
          arrayBindSupported: false,
          statementTypeId: 4096,
          version: 1,
          sendResultTime: Date.now(),
          queryResultFormat: 'json',
        },
        code: null,
        message: null,
        success: true,
      });
    } catch (error) {
      const failure = error as SqlFailure;
      send(res, 200, {
        data: { internalError: false, errorCode: failure.code, age: 0, sqlState: failure.sqlState, queryId, line: -1, pos: -1, type: 'COMPILATION' },
        code: failure.code,
        message: failure.message,
        success: false,
        headers: null,
      });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  double.close = () => new Promise<void>((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
  return double;
}

class SqlFailure extends Error {
  constructor(readonly code: string, readonly sqlState: string, message: string) {
    super(message);
  }
}

function evaluate(sqlText: string, bindings: Record<string, Bind>, options: SnowflakeDoubleOptions, history: History) {
  const statement = /^SELECT ([\s\S]+?)\s+FROM (\S+)\.QUERY_HISTORY\s+WHERE ([\s\S]+?)\s+ORDER BY START_TIME, QUERY_ID\s+LIMIT \?$/.exec(sqlText.trim());
  if (!statement) throw new SqlFailure('001003', '42000', 'SQL compilation error:\nstatement not supported by the test double');
  const [, selectList, schema, where] = statement;
  if (schema.toUpperCase() !== (options.accountUsageSchema ?? 'SNOWFLAKE.ACCOUNT_USAGE').toUpperCase()) {
    throw new SqlFailure('002003', '02000', `SQL compilation error:\nSchema '${schema}' does not exist or not authorized.`);
  }
  const values = bindValues(sqlText, bindings);

  // Map each `?` in the WHERE clause to its bind number, then match predicates by position.
  const whereOffset = sqlText.indexOf(where);
  const placeholderIndex = (offset: number) => (sqlText.slice(0, offset).match(/\?/g) ?? []).length;
  const consumed = new Set<number>();
  const tests: Array<(row: Row) => boolean> = [];
  const predicates = new Map<PredicateName, string[]>();
  for (const predicate of PREDICATES) {
    const match = predicate.pattern.exec(where);
    if (!match) continue;
    const first = placeholderIndex(whereOffset + match.index);
    const args = values.slice(first, first + predicate.binds);
    for (let i = 0; i < predicate.binds; i += 1) consumed.add(first + i);
    tests.push((row) => predicate.test(row, args));
    predicates.set(predicate.name, args);
  }
  const limitIndex = values.length - 1;
  consumed.add(limitIndex);
  if (consumed.size !== values.length) {
    throw new SqlFailure('001003', '42000', 'SQL compilation error:\nWHERE clause has predicates the test double does not know');
  }
  const limit = Number(values[limitIndex]);

  const columns = splitTopLevel(selectList).map((item) => {
    const aliased = /^([\s\S]+?)\s+AS\s+([A-Z_][A-Z0-9_]*)$/i.exec(item);
    const expression = aliased ? aliased[1] : item;
    const projection = PROJECTIONS[expression];
    if (!projection) throw new SqlFailure('000904', '42000', `SQL compilation error: error line 1 at position 7\ninvalid identifier '${expression}'`);
    return { name: aliased ? aliased[2].toUpperCase() : expression, ...projection };
  });

  const rows = history.select(predicates, limit) ?? options.history
    .filter((row) => tests.every((test) => test(row)))
    .sort((a, b) => (nanos(a.startTime) < nanos(b.startTime) ? -1 : nanos(a.startTime) > nanos(b.startTime) ? 1 : a.queryId < b.queryId ? -1 : a.queryId > b.queryId ? 1 : 0))
    .slice(0, limit);
  return {
    rowtype: columns.map((column) => ({
      name: column.name, database: '', schema: '', table: '', nullable: true, byteLength: 16777216,
      length: 16777216, type: column.type, scale: null, precision: null, collation: null,
    })),
    rowset: rows.map((row) => columns.map((column) => column.value(row))),
  };
}

/** Needles whose matching rows the history keeps. */
const CACHED_NEEDLES = 32;

interface Entry {
  row: Row;
  /** The start time in nanoseconds since the epoch. */
  at: bigint;
}

/**
 * QUERY_HISTORY sorted once by (START_TIME, QUERY_ID), as every statement orders it. The time predicates bound
 * that key, so a statement's rows are a range found by binary search, within the rows containing its
 * CONTAINS needle (found once per needle).
 */
class History {
  /** Null when some row's start time cannot be read: statements are then evaluated row by row. */
  private readonly sorted: Entry[] | null;
  private readonly containing = new Map<string, Entry[]>();

  constructor(rows: Row[]) {
    this.sorted = null;
    try {
      if (!rows.every((row) => typeof row.queryId === 'string' && typeof row.queryText === 'string')) return;
      this.sorted = rows.map((row) => ({ row, at: nanos(row.startTime) })).sort(
        (a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.row.queryId < b.row.queryId ? -1 : a.row.queryId > b.row.queryId ? 1 : 0),
      );
    } catch {
      // A start time that is not a timestamp fails only the statements whose evaluation reaches it.
    }
  }

  /**
   * The rows of a statement with these predicates and LIMIT, in order; null when a bind is not a timestamp
   * or the keyset's two start times differ, which the row-by-row evaluation answers.
   */
  select(predicates: Map<PredicateName, string[]>, limit: number): Row[] | null {
    if (!this.sorted) return null;
    // Tests true from the first row a bound lets in (lower) or from the first row it keeps out (upper).
    const lower: Array<(entry: Entry) => boolean> = [];
    const upper: Array<(entry: Entry) => boolean> = [];
    try {
      const from = predicates.get('from');
      if (from) {
        const bound = nanos(from[0]);
        lower.push((entry) => entry.at >= bound);
      }
      const before = predicates.get('before');
      if (before) {
        const bound = nanos(before[0]);
        upper.push((entry) => entry.at >= bound);
      }
      const after = predicates.get('after');
      if (after) {
        const bound = nanos(after[0]);
        if (nanos(after[1]) !== bound) return null;
        const queryId = after[2];
        lower.push((entry) => entry.at > bound || (entry.at === bound && entry.row.queryId > queryId));
      }
    } catch {
      return null;
    }
    const needle = predicates.get('contains')?.[0];
    const entries = needle === undefined ? this.sorted : this.containingNeedle(needle);
    let start = 0;
    let end = entries.length;
    for (const test of lower) start = Math.max(start, firstIndex(entries, test));
    for (const test of upper) end = Math.min(end, firstIndex(entries, test));
    end = Math.max(start, end);
    const range = limit >= 0 ? entries.slice(start, Math.min(end, start + limit)) : entries.slice(start, end).slice(0, limit);
    return range.map((entry) => entry.row);
  }

  private containingNeedle(needle: string): Entry[] {
    let entries = this.containing.get(needle);
    if (!entries) {
      entries = (this.sorted as Entry[]).filter((entry) => entry.row.queryText.includes(needle));
      if (this.containing.size >= CACHED_NEEDLES) this.containing.delete(this.containing.keys().next().value as string);
      this.containing.set(needle, entries);
    }
    return entries;
  }
}

function bindValues(sqlText: string, bindings: Record<string, Bind>): string[] {
  const count = (sqlText.match(/\?/g) ?? []).length;
  const values: string[] = [];
  for (let position = 1; position <= count; position += 1) {
    const bind = bindings[String(position)];
    if (!bind) throw new SqlFailure('002049', '42601', `SQL compilation error: error line 0 at position -1\nBind variable ? not set.`);
    values.push(String(bind.value));
  }
  if (Object.keys(bindings).length !== count) {
    throw new SqlFailure('002049', '42601', 'SQL compilation error:\nnumber of binds does not match placeholders');
  }
  return values;
}

function splitTopLevel(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const char of list) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '(') {
      depth += 1;
    } else if (char === ')') {
      depth -= 1;
    } else if (char === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  items.push(current.trim());
  return items.map((item) => item.replace(/\s+/g, ' '));
}

/** Nanoseconds since the epoch of an ISO-8601 UTC timestamp with up to nine fractional digits. */
function nanos(iso: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!match) throw new SqlFailure('100035', '22007', `Timestamp '${iso}' is not recognized`);
  const seconds = BigInt(Date.parse(`${match[1]}${match[3]}`) / 1000);
  return seconds * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

function nineDigitUtc(iso: string): string {
  const total = nanos(iso);
  const seconds = total / 1_000_000_000n;
  const fraction = (total % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}


function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
