import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    handle(req, res, url, options, issuedTokens);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: { token: string; queries: DatabricksQuery[] },
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
  if (authorization.slice('Bearer '.length) !== options.token) {
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

  const matching = options.queries
    .filter((query) => (startMs === null || query.query_start_time_ms >= startMs)
      && (endMs === null || query.query_start_time_ms <= endMs)
      && (warehouseIds.length === 0 || (query.warehouse_id !== undefined && warehouseIds.includes(query.warehouse_id))))
    .sort((a, b) => b.query_start_time_ms - a.query_start_time_ms || a.query_id.localeCompare(b.query_id));
  const page = matching.slice(offset, offset + maxResults);
  const hasNextPage = offset + page.length < matching.length;
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
