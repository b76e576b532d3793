import axios, { type AxiosInstance } from 'axios';
import { logApiCall } from '../common/apiCallLog';
import { processLog, type Log } from '../common/log';
import {
  authenticationError, configurationError, readError, errorText, expectType, normalisePageSize, readMarker, redact, windowBoundMs,
} from './connectionFields';
import type { HistoryCursor, HistoryPage, HistoryRow, HistoryWindow, QueryHistorySource } from './types';

/**
 * Databricks SQL query history through the REST API `GET /api/2.0/sql/history/queries`.
 *
 * Connection keys (OpenMetadata `databricksConnection`): `hostPort` (workspace host, e.g.
 * `adb-123.4.azuredatabricks.net:443`), `authType.token` (personal access token; a top-level `token` is
 * accepted too), `connectionTimeout` (seconds, default 120).
 *
 * `options.queryHistory` (hexmeta settings):
 * - `endpoint`: base URL replacing `https://<hostPort>` (tests point it at a local double).
 * - `warehouseIds`: only read history of these SQL warehouses (default: every warehouse).
 * - `marker`: text a Hex statement contains (default `Hex query metadata`). The API cannot filter on text,
 *   so rows are filtered here; a page may therefore hold fewer rows than asked for.
 *
 * The API lists newest first; paging follows its `next_page_token`, kept in the cursor so a retried
 * activity resumes on the same page.
 */

const HISTORY_PATH = '/api/2.0/sql/history/queries';
/** The API refuses larger pages. */
const MAX_RESULTS_LIMIT = 1000;

interface QueryInfo {
  query_id?: string;
  query_text?: string;
  query_start_time_ms?: number;
  status?: string;
}

interface ListQueriesResponse {
  res?: QueryInfo[];
  next_page_token?: string;
  has_next_page?: boolean;
}

export function createDatabricksHistorySource(
  connection: Record<string, unknown>,
  options: { queryHistory?: Record<string, unknown>; log?: Log } = {},
): QueryHistorySource {
  const log = options.log ?? processLog();
  const settings = options.queryHistory ?? {};
  expectType(connection, ['Databricks'], 'Databricks');
  const token = personalAccessToken(connection);
  const http = axios.create({
    baseURL: baseUrl(connection, settings),
    timeout: positiveNumber(connection.connectionTimeout, 120) * 1000,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    // Status handling is ours so that no axios error (which carries the request headers) escapes.
    validateStatus: () => true,
  });
  const marker = readMarker(settings);
  const warehouseIds = stringList(settings.warehouseIds, 'queryHistory.warehouseIds');
  const addressSetting = typeof settings.endpoint === 'string' && settings.endpoint ? 'queryHistory.endpoint' : 'hostPort';

  return {
    dialect: 'databricks',
    async readPage(window, cursor, pageSize) {
      const params = requestParams(window, cursor, pageSize, warehouseIds);
      const body = await listQueries(http, params, token, log, addressSetting);
      const startMs = windowBoundMs(window.start, 'start');
      const endMs = windowBoundMs(window.end, 'end');
      const rows = (body.res ?? [])
        .filter((query) => typeof query.query_text === 'string' && query.query_text.includes(marker))
        // The API's time range bounds are inclusive; the window's end is exclusive.
        .filter((query) => query.query_start_time_ms === undefined
          || (query.query_start_time_ms >= startMs && query.query_start_time_ms < endMs))
        .map(toHistoryRow);
      const next = body.has_next_page && body.next_page_token ? { pageToken: body.next_page_token } : null;
      return { rows, next } satisfies HistoryPage;
    },
    async close() {
      // Plain HTTP requests: nothing stays open.
    },
  };
}

/** Builds the query string the Databricks SDKs send: nested request fields as dotted keys. */
export function requestParams(
  window: HistoryWindow,
  cursor: HistoryCursor | null,
  pageSize: number,
  warehouseIds: string[],
): URLSearchParams {
  const params = new URLSearchParams();
  params.set('filter_by.query_start_time_range.start_time_ms', String(windowBoundMs(window.start, 'start')));
  params.set('filter_by.query_start_time_range.end_time_ms', String(windowBoundMs(window.end, 'end')));
  for (const id of warehouseIds) params.append('filter_by.warehouse_ids', id);
  params.set('max_results', String(Math.min(normalisePageSize(pageSize), MAX_RESULTS_LIMIT)));
  params.set('include_metrics', 'false');
  const pageToken = cursor?.pageToken;
  if (typeof pageToken === 'string' && pageToken) params.set('page_token', pageToken);
  return params;
}

async function listQueries(http: AxiosInstance, params: URLSearchParams, token: string, log: Log, addressSetting: string): Promise<ListQueriesResponse> {
  const call = { service: 'Databricks', method: 'GET', path: `${HISTORY_PATH}?${params}`, startedAt: Date.now() };
  let response;
  try {
    response = await http.get(HISTORY_PATH, { params });
  } catch (error) {
    logApiCall(log, { ...call, status: null, errorCode: (error as { code?: string }).code ?? 'network error' });
    throw readError(`Databricks query history request failed: ${redact(errorText(error), token)}`);
  }
  logApiCall(log, { ...call, status: response.status });
  if (response.status === 401 || response.status === 403) {
    throw authenticationError(`Databricks rejected the access token (HTTP ${response.status}${apiMessage(response.data, token)})`);
  }
  if (response.status === 404) {
    // No such API under this address (a path in hostPort or the endpoint): every attempt would get the same.
    throw configurationError(`Databricks has no query history API at this address (HTTP 404${apiMessage(response.data, token)}): check ${addressSetting}`, addressSetting);
  }
  if (response.status === 400 && !/page_token/i.test(apiMessageText(response.data))) {
    // A request Databricks refuses (a parameter it does not take) is refused again; a stale page token is not
    // the settings' fault, so that one is retried as a read.
    throw configurationError(`Databricks refused the query history request (HTTP 400${apiMessage(response.data, token)})`, 'queryHistory');
  }
  if (response.status < 200 || response.status >= 300) {
    throw readError(`Databricks query history answered HTTP ${response.status}${apiMessage(response.data, token)}`);
  }
  if (!response.data || typeof response.data !== 'object') {
    throw readError('Databricks query history answered with a body that is not JSON');
  }
  return response.data as ListQueriesResponse;
}

function toHistoryRow(query: QueryInfo): HistoryRow {
  return {
    queryId: String(query.query_id ?? ''),
    sql: query.query_text ?? '',
    startedAt: typeof query.query_start_time_ms === 'number' ? new Date(query.query_start_time_ms).toISOString() : null,
    // The list API does not report the session's catalog or schema.
    defaultDatabase: null,
    defaultSchema: null,
  };
}

function personalAccessToken(connection: Record<string, unknown>): string {
  const authType = connection.authType;
  const nested = authType && typeof authType === 'object' ? (authType as Record<string, unknown>).token : undefined;
  const token = nested ?? connection.token;
  if (typeof token !== 'string' || !token) {
    throw configurationError(
      'Databricks connection needs a personal access token (authType.token); other auth types are not supported for query history',
    );
  }
  return token;
}

function baseUrl(connection: Record<string, unknown>, settings: Record<string, unknown>): string {
  if (typeof settings.endpoint === 'string' && settings.endpoint) return settings.endpoint.replace(/\/+$/, '');
  const hostPort = connection.hostPort;
  if (typeof hostPort !== 'string' || !hostPort) {
    throw configurationError('Databricks connection: missing required key "hostPort"');
  }
  const withScheme = /^https?:\/\//i.test(hostPort) ? hostPort : `https://${hostPort}`;
  return withScheme.replace(/\/+$/, '');
}

function apiMessageText(data: unknown): string {
  if (!data || typeof data !== 'object') return '';
  const { error_code: code, message } = data as Record<string, unknown>;
  return [code, message].filter((part): part is string => typeof part === 'string' && part.length > 0).join(' ');
}

function apiMessage(data: unknown, token: string): string {
  const text = apiMessageText(data);
  return text ? `: ${redact(text, token)}` : '';
}


function positiveNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw configurationError(`${name} must be a list of strings`);
}
