import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstIndex } from './sortedSearch';

/**
 * A local stand-in for Databricks' `GET /api/2.0/sql/history/queries`, speaking its JSON: query
 * parameters as the SDKs send them (`filter_by.query_start_time_range.start_time_ms`, …), answers of
 * `res[]`, `next_page_token`, `has_next_page`, newest query first, and the error bodies
 * (`error_code`, `message`) Databricks returns.
 */

export interface DatabricksQuery {
  query_id: string;
  query_text: string;
  query_start_time_ms: number;
  warehouse_id?: string;
  status?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

export interface DatabricksDouble {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

interface PageState {
  offset: number;
  filter: string;
}

export async function startDatabricksDouble(options: { token: string; queries: DatabricksQuery[] }): Promise<DatabricksDouble> {
  const requests: RecordedRequest[] = [];
  const issuedTokens = new Set<string>();
  const history = new History(options.queries);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    handle(req, res, url, options.token, history, issuedTokens);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** The queries matching one filter, newest first: `rows[lo..hi)`. */
interface Matching {
  rows: DatabricksQuery[];
  lo: number;
  hi: number;
}

/** Filters the history keeps the answer of, so that paging through one filter costs a page's worth per request. */
const CACHED_FILTERS = 16;

/**
 * The history sorted newest first once; each filter is resolved once, by binary search on the start time, and
 * its result kept while pages of it are requested.
 */
class History {
  private readonly sorted: DatabricksQuery[] | null;
  private readonly byFilter = new Map<string, Matching>();

  constructor(private readonly queries: DatabricksQuery[]) {
    const sortable = queries.every((query) => Number.isFinite(query.query_start_time_ms) && typeof query.query_id === 'string');
    // Without finite start times and string ids the order is left to the general filter and sort.
    this.sorted = sortable ? [...queries].sort(newestFirst) : null;
  }

  matching(startMs: number | null, endMs: number | null, warehouseIds: string[]): Matching {
    // Unlike the page token's filter, the key tells a bound that is not a number (NaN) from an absent one.
    const key = JSON.stringify([String(startMs), String(endMs), warehouseIds]);
    const cached = this.byFilter.get(key);
    if (cached) return cached;
    const matching = this.resolve(startMs, endMs, warehouseIds);
    if (this.byFilter.size >= CACHED_FILTERS) this.byFilter.delete(this.byFilter.keys().next().value as string);
    this.byFilter.set(key, matching);
    return matching;
  }

  private resolve(startMs: number | null, endMs: number | null, warehouseIds: string[]): Matching {
    const inWarehouses = (query: DatabricksQuery) => warehouseIds.length === 0
      || (query.warehouse_id !== undefined && warehouseIds.includes(query.warehouse_id));
    if (!this.sorted) {
      const rows = this.queries
        .filter((query) => (startMs === null || query.query_start_time_ms >= startMs)
          && (endMs === null || query.query_start_time_ms <= endMs)
          && inWarehouses(query))
        .sort((a, b) => b.query_start_time_ms - a.query_start_time_ms || a.query_id.localeCompare(b.query_id));
      return { rows, lo: 0, hi: rows.length };
    }
    if (Number.isNaN(startMs) || Number.isNaN(endMs)) return { rows: [], lo: 0, hi: 0 };
    const sorted = this.sorted;
    // Newest first: the range starts at the first query not after endMs and ends before the first one before startMs.
    const lo = endMs === null ? 0 : firstIndex(sorted, (query) => query.query_start_time_ms <= endMs);
    const hi = startMs === null ? sorted.length : firstIndex(sorted, (query) => query.query_start_time_ms < startMs);
    if (warehouseIds.length === 0) return { rows: sorted, lo, hi: Math.max(lo, hi) };
    const rows = sorted.slice(lo, Math.max(lo, hi)).filter(inWarehouses);
    return { rows, lo: 0, hi: rows.length };
  }
}

const collator = new Intl.Collator();

/** Newest first, then by query id as `localeCompare` orders it (a default collator is what it uses). */
function newestFirst(a: DatabricksQuery, b: DatabricksQuery): number {
  return b.query_start_time_ms - a.query_start_time_ms || collator.compare(a.query_id, b.query_id);
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  token: string,
  history: History,
  issuedTokens: Set<string>,
): void {
  if (url.pathname !== '/api/2.0/sql/history/queries') {
    return send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for '${req.method} ${url.pathname}'` });
  }
  if (req.method !== 'GET') {
    return send(res, 405, { error_code: 'BAD_REQUEST', message: `Method ${req.method} not allowed` });
  }
  const authorization = req.headers.authorization;
  if (!authorization || !authorization.startsWith('Bearer ')) {
    return send(res, 401, { error_code: 'UNAUTHENTICATED', message: 'Credential was not sent or was of an unsupported type for this API.' });
  }
  if (authorization.slice('Bearer '.length) !== token) {
    return send(res, 403, { error_code: '403', message: 'Invalid access token.' });
  }

  const params = url.searchParams;
  const maxResults = Number(params.get('max_results') ?? '100');
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
    return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'max_results must be between 1 and 1000' });
  }
  const startMs = optionalNumber(params.get('filter_by.query_start_time_range.start_time_ms'));
  const endMs = optionalNumber(params.get('filter_by.query_start_time_range.end_time_ms'));
  const warehouseIds = params.getAll('filter_by.warehouse_ids');
  const filter = JSON.stringify([startMs, endMs, warehouseIds]);

  let offset = 0;
  const pageToken = params.get('page_token');
  if (pageToken) {
    const state = issuedTokens.has(pageToken) ? decodeToken(pageToken) : null;
    if (!state || state.filter !== filter) {
      return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid page_token' });
    }
    offset = state.offset;
  }

  const matching = history.matching(startMs, endMs, warehouseIds);
  const count = matching.hi - matching.lo;
  const from = matching.lo + Math.min(offset, count);
  const page = matching.rows.slice(from, Math.min(matching.hi, from + maxResults));
  const hasNextPage = offset + page.length < count;
  const body: Record<string, unknown> = {
    res: page.map((query) => ({
      status: 'FINISHED',
      warehouse_id: 'warehouse-1',
      user_name: 'analyst@example.com',
      statement_type: 'SELECT',
      ...query,
      query_end_time_ms: query.query_start_time_ms + 250,
    })),
    has_next_page: hasNextPage,
  };
  if (hasNextPage) {
    const token = encodeToken({ offset: offset + page.length, filter });
    issuedTokens.add(token);
    body.next_page_token = token;
  }
  send(res, 200, body);
}

function encodeToken(state: PageState): string {
  // Real tokens contain '+' and '/', which must survive URL encoding.
  return `+/${Buffer.from(JSON.stringify(state)).toString('base64')}`;
}

function decodeToken(token: string): PageState | null {
  try {
    if (!token.startsWith('+/')) return null;
    return JSON.parse(Buffer.from(token.slice(2), 'base64').toString('utf8')) as PageState;
  } catch {
    return null;
  }
}

function optionalNumber(value: string | null): number | null {
  return value === null ? null : Number(value);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
