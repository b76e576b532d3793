import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Parser } from 'node-sql-parser';
import { firstIndex } from './sortedSearch';

/**
 * A local stand-in for a Trino coordinator speaking the client REST protocol: `POST /v1/statement` answers
 * QUEUED with a `nextUri`; following it runs the statement against an in-memory `system.runtime.queries`
 * and hands out `columns` + `data` a few rows per response. Only the SQL subset the history source sends is
 * understood (comparisons, AND/OR, `||`, `strpos`, `from_iso8601_timestamp`, `to_iso8601`, ORDER BY,
 * LIMIT); anything else fails the query the way Trino does, with an `error` object.
 */

export interface RuntimeQuery {
  query_id: string;
  query: string;
  /** ISO-8601 instant. */
  created: string;
  state?: string;
  user?: string;
}

export interface TrinoDoubleOptions {
  queries: RuntimeQuery[];
  /** Basic credentials the coordinator accepts; without them any request is accepted. */
  credentials?: { user: string; password: string };
  /** Rows per data response, so that clients must follow nextUri. */
  batchSize?: number;
}

export interface RecordedStatement { sql: string; headers: http.IncomingHttpHeaders }

type Value = string | number | boolean | null;
type Row = Record<string, Value>;
interface ResultSet { columns: { name: string; type: string }[]; data: Value[][] }
interface Ast { type?: string; [key: string]: unknown }

const TIMESTAMP_COLUMNS = new Set(['created']);
const COLUMN_TYPES: Record<string, string> = {
  query_id: 'varchar', state: 'varchar', user: 'varchar', query: 'varchar', created: 'timestamp(3) with time zone',
};

export class TrinoDouble {
  readonly statements: RecordedStatement[] = [];
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly results = new Map<string, ResultSet | Error>();
  private readonly table: RuntimeTable;
  private base = '';
  private counter = 0;

  constructor(private readonly options: TrinoDoubleOptions) {
    this.table = new RuntimeTable(options.queries);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    return this.base;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  get hostPort(): string {
    return this.base.replace('http://', '');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!this.authorised(req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Trino"', 'Content-Type': 'text/plain' });
      res.end('Unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', this.base);
    if (req.method === 'POST' && url.pathname === '/v1/statement') {
      const sql = Buffer.concat(chunks).toString('utf8');
      this.statements.push({ sql, headers: req.headers });
      const id = `20240501_000000_${String(++this.counter).padStart(5, '0')}_double`;
      this.results.set(id, this.execute(sql));
      this.json(res, { id, infoUri: `${this.base}/ui/query.html?${id}`, nextUri: `${this.base}/v1/statement/queued/${id}/0`, stats: stats('QUEUED') });
      return;
    }
    const page = /^\/v1\/statement\/(?:queued|executing)\/([^/]+)\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && page && this.results.has(page[1])) {
      this.json(res, this.resultPage(page[1], Number(page[2])));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('Not found');
  }

  private resultPage(id: string, offset: number): Record<string, unknown> {
    const result = this.results.get(id) as ResultSet | Error;
    if (result instanceof Error) {
      return {
        id, stats: stats('FAILED'),
        error: { message: result.message, errorCode: 1, errorName: 'SYNTAX_ERROR', errorType: 'USER_ERROR', failureInfo: { type: 'io.trino.sql.parser.ParsingException', message: result.message, suppressed: [], stack: [] } },
      };
    }
    const batch = this.options.batchSize ?? 1;
    const data = result.data.slice(offset, offset + batch);
    const more = offset + batch < result.data.length;
    return {
      id, columns: result.columns, ...(data.length ? { data } : {}), stats: stats(more ? 'RUNNING' : 'FINISHED'),
      ...(more ? { nextUri: `${this.base}/v1/statement/executing/${id}/${offset + batch}` } : {}),
    };
  }

  private authorised(header: string | undefined): boolean {
    const expected = this.options.credentials;
    if (!expected) return true;
    const encoded = Buffer.from(`${expected.user}:${expected.password}`).toString('base64');
    return header === `Basic ${encoded}`;
  }

  private json(res: http.ServerResponse, body: unknown): void {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** Runs one SELECT over system.runtime.queries; the result or the failure Trino would report. */
  private execute(sql: string): ResultSet | Error {
    try {
      const ast = new Parser().astify(sql, { database: 'trino' }) as unknown as Ast;
      const select = (Array.isArray(ast) ? ast[0] : ast) as Ast;
      const from = (select.from as Ast[] | null)?.[0];
      const tableName = [from?.db, from?.schema, from?.table].filter(Boolean).join('.');
      if (select.type !== 'select' || tableName !== 'system.runtime.queries') {
        throw new Error(`Table '${tableName || '?'}' does not exist`);
      }
      const limit = ((select.limit as Ast | null)?.value as Ast[] | undefined)?.[0]?.value;
      const limited = this.table.select(select, limit) ?? scan(this.table.rows, select, limit);
      const outputs = (select.columns as Ast[]).map((column, index) => {
        const expr = column.expr as Ast;
        const name = (column.as as string | null) ?? (expr.type === 'column_ref' ? columnName(expr) : `_col${index}`);
        const type = expr.type === 'column_ref' ? COLUMN_TYPES[columnName(expr)] ?? 'varchar' : 'varchar';
        return { name, type, expr };
      });
      const data = limited.map((row) => outputs.map(({ expr }) => render(expr, evaluate(expr, row))));
      return { columns: outputs.map(({ name, type }) => ({ name, type })), data };
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
}

/** Every row, then the WHERE, ORDER BY and LIMIT evaluated on each as Trino defines them. */
function scan(rows: Row[], select: Ast, limit: unknown): Row[] {
  const where = select.where as Ast | null;
  const kept = where ? rows.filter((row) => evaluate(where, row) === true) : [...rows];
  for (const order of [...((select.orderby as Ast[] | null) ?? [])].reverse()) {
    const direction = order.type === 'DESC' ? -1 : 1;
    kept.sort((a, b) => direction * compare(evaluate(order.expr as Ast, a), evaluate(order.expr as Ast, b)));
  }
  return typeof limit === 'number' ? kept.slice(0, limit) : kept;
}

/** Distinct WHERE filters (apart from bounds on the sort key) whose matching rows are kept. */
const CACHED_FILTERS = 32;

/**
 * `system.runtime.queries`, built once. For the statement shape the history source sends (ORDER BY created,
 * query_id; a WHERE of AND-ed terms) it answers without visiting every row: the rows are kept sorted by
 * (created, query_id), the terms that bound that key (`created >= …`, `created < …`, the keyset
 * `(created > X OR (created = X AND query_id > Y))`) become a binary search, and the other terms are evaluated
 * over every row once per distinct set of them. Any other shape, and any statement whose evaluation would fail,
 * goes through `scan`, so answers and errors stay those of the row-by-row evaluation.
 */
class RuntimeTable {
  readonly rows: Row[];
  /** The rows by (created, query_id), or null when some row has no timestamp or id to order by. */
  private readonly sorted: Row[] | null;
  private readonly filtered = new Map<string, Row[] | Error>();

  constructor(queries: RuntimeQuery[]) {
    this.rows = queries.map((q) => ({
      query_id: q.query_id, query: q.query, created: Date.parse(q.created), state: q.state ?? 'FINISHED', user: q.user ?? 'hex',
    }));
    const orderable = this.rows.every((row) => typeof row.created === 'number' && !Number.isNaN(row.created) && typeof row.query_id === 'string');
    // A stable sort on the whole key orders ties as the two stable sorts of `scan` do.
    this.sorted = orderable ? [...this.rows].sort(byKey) : null;
  }

  /** The statement's rows through the sorted index, or null when it must be evaluated row by row. */
  select(select: Ast, limit: unknown): Row[] | null {
    if (!this.sorted || !orderedByKey(select.orderby as Ast[] | null)) return null;
    const where = select.where as Ast | null;
    const bounds: Bound[] = [];
    const others: Ast[] = [];
    for (const term of where ? conjuncts(where) : []) {
      const bound = keyBound(term);
      if (bound) bounds.push(bound);
      else others.push(term);
    }
    const rows = this.matching(others);
    if (rows instanceof Error) return null;
    // The rows a bound lets through are a prefix (upper bounds) or a suffix (lower bounds) of the sorted rows.
    let from = 0;
    let to = rows.length;
    for (const bound of bounds) {
      if (bound.side === 'lower') from = Math.max(from, firstIndex(rows, (row) => above(row, bound)));
      else to = Math.min(to, firstIndex(rows, (row) => !below(row, bound)));
    }
    to = Math.max(from, to);
    if (typeof limit === 'number' && limit >= 0) return rows.slice(from, Math.min(to, from + limit));
    const kept = rows.slice(from, to);
    return typeof limit === 'number' ? kept.slice(0, limit) : kept;
  }

  /** Sorted rows for which every term is true; an Error when some row fails a term. */
  private matching(terms: Ast[]): Row[] | Error {
    const sorted = this.sorted as Row[];
    if (terms.length === 0) return sorted;
    const key = JSON.stringify(terms);
    let rows = this.filtered.get(key);
    if (!rows) {
      try {
        // Every term is evaluated on every row, as AND does, so that a term failing on some row is seen.
        rows = sorted.filter((row) => terms.map((term) => evaluate(term, row)).every((value) => value === true));
      } catch (error) {
        rows = error instanceof Error ? error : new Error(String(error));
      }
      if (this.filtered.size >= CACHED_FILTERS) this.filtered.delete(this.filtered.keys().next().value as string);
      this.filtered.set(key, rows);
    }
    return rows;
  }
}

/** A bound on the (created, query_id) key: rows after (lower) or before (upper) it, inclusive or not. */
interface Bound {
  side: 'lower' | 'upper';
  created: number;
  /** Ties on `created` are cut by query_id; undefined: every row at `created` is on the same side. */
  queryId?: string;
  inclusive: boolean;
}

function byKey(a: Row, b: Row): number {
  return compare(a.created, b.created) || compare(a.query_id, b.query_id);
}

/** ORDER BY created, query_id, both ascending. */
function orderedByKey(orderby: Ast[] | null): boolean {
  return orderby?.length === 2
    && orderby.every((order) => order.type !== 'DESC' && (order.expr as Ast).type === 'column_ref')
    && columnName(orderby[0].expr as Ast) === 'created' && columnName(orderby[1].expr as Ast) === 'query_id';
}

/** The terms of a chain of ANDs. */
function conjuncts(node: Ast): Ast[] {
  return node.type === 'binary_expr' && String(node.operator).toUpperCase() === 'AND'
    ? [...conjuncts(node.left as Ast), ...conjuncts(node.right as Ast)]
    : [node];
}

/** `created <op> constant`, or the keyset `(created > X OR (created = X AND query_id > 'id'))`, as a bound. */
function keyBound(term: Ast): Bound | null {
  if (term.type !== 'binary_expr') return null;
  if (String(term.operator).toUpperCase() === 'OR') {
    const after = columnComparison(term.left as Ast, 'created', 'number');
    const tie = term.right as Ast;
    if (!after || after.operator !== '>' || tie.type !== 'binary_expr' || String(tie.operator).toUpperCase() !== 'AND') return null;
    const same = columnComparison(tie.left as Ast, 'created', 'number');
    const id = columnComparison(tie.right as Ast, 'query_id', 'string');
    if (!same || same.operator !== '=' || same.value !== after.value || !id || id.operator !== '>') return null;
    return { side: 'lower', created: after.value as number, queryId: id.value as string, inclusive: false };
  }
  const comparison = columnComparison(term, 'created', 'number');
  if (!comparison) return null;
  const created = comparison.value as number;
  switch (comparison.operator) {
    case '>': return { side: 'lower', created, inclusive: false };
    case '>=': return { side: 'lower', created, inclusive: true };
    case '<': return { side: 'upper', created, inclusive: false };
    case '<=': return { side: 'upper', created, inclusive: true };
    default: return null;
  }
}

/** `<column> <operator> <constant>` where the constant evaluates, without error, to a value of the given type. */
function columnComparison(node: Ast, column: string, type: 'number' | 'string'): { operator: string; value: Value } | null {
  if (node.type !== 'binary_expr') return null;
  const left = node.left as Ast;
  const right = node.right as Ast;
  if (left.type !== 'column_ref' || columnName(left) !== column || mentionsColumn(right)) return null;
  let value: Value;
  try {
    value = evaluate(right, {});
  } catch {
    return null;
  }
  if (typeof value !== type || (type === 'number' && Number.isNaN(value))) return null;
  return { operator: String(node.operator), value };
}

function mentionsColumn(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if ((node as Ast).type === 'column_ref') return true;
  return Object.values(node).some(mentionsColumn);
}

/** Whether the row is past a lower bound. */
function above(row: Row, bound: Bound): boolean {
  const byCreated = compare(row.created, bound.created);
  if (byCreated !== 0 || bound.queryId === undefined) return byCreated > 0 || (byCreated === 0 && bound.inclusive);
  return compare(row.query_id, bound.queryId) > 0;
}

/** Whether the row is short of an upper bound. */
function below(row: Row, bound: Bound): boolean {
  const byCreated = compare(row.created, bound.created);
  return byCreated < 0 || (byCreated === 0 && bound.inclusive);
}

function stats(state: string): Record<string, unknown> {
  return { state, queued: state === 'QUEUED', scheduled: state !== 'QUEUED', nodes: 1, totalSplits: 0, queuedSplits: 0, runningSplits: 0, completedSplits: 0 };
}

function columnName(expr: Ast): string {
  const column = expr.column as string | { expr: { value: string } };
  return typeof column === 'string' ? column : column.expr.value;
}

function evaluate(node: Ast, row: Row): Value {
  switch (node.type) {
    case 'column_ref': {
      const name = columnName(node);
      if (!(name in row)) throw new Error(`Column '${name}' cannot be resolved`);
      return row[name];
    }
    case 'single_quote_string':
    case 'number':
    case 'bool':
      return node.value as Value;
    case 'binary_expr':
      return binary(node.operator as string, evaluate(node.left as Ast, row), evaluate(node.right as Ast, row));
    case 'function': {
      const name = ((node.name as { name: { value: string }[] }).name[0].value).toLowerCase();
      const args = ((node.args as { value: Ast[] }).value).map((arg) => evaluate(arg, row));
      return call(name, args);
    }
    default:
      throw new Error(`Unsupported expression ${node.type}`);
  }
}

function binary(operator: string, left: Value, right: Value): Value {
  switch (operator.toUpperCase()) {
    case 'AND': return left === true && right === true;
    case 'OR': return left === true || right === true;
    case '||': return `${left ?? ''}${right ?? ''}`;
    case '=': return compare(left, right) === 0;
    case '<>': case '!=': return compare(left, right) !== 0;
    case '<': return compare(left, right) < 0;
    case '<=': return compare(left, right) <= 0;
    case '>': return compare(left, right) > 0;
    case '>=': return compare(left, right) >= 0;
    default: throw new Error(`Unsupported operator ${operator}`);
  }
}

function call(name: string, args: Value[]): Value {
  switch (name) {
    case 'from_iso8601_timestamp': {
      const ms = Date.parse(String(args[0]));
      if (Number.isNaN(ms)) throw new Error(`Invalid ISO 8601 timestamp: ${args[0]}`);
      return ms;
    }
    case 'to_iso8601': return new Date(Number(args[0])).toISOString();
    case 'strpos': return String(args[0]).indexOf(String(args[1])) + 1;
    default: throw new Error(`Function '${name}' not registered`);
  }
}

function compare(left: Value, right: Value): number {
  if (typeof left !== typeof right) throw new Error(`Cannot compare ${typeof left} with ${typeof right}`);
  return left! < right! ? -1 : left! > right! ? 1 : 0;
}

/** Raw timestamp columns come back the way Trino prints them. */
function render(expr: Ast, value: Value): Value {
  if (expr.type === 'column_ref' && TIMESTAMP_COLUMNS.has(columnName(expr)) && typeof value === 'number') {
    return `${new Date(value).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
  }
  return value;
}
