import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDatabricksHistorySource } from '../../activities/warehouses/databricks';
import type { HistoryRow, QueryHistorySource } from '../../activities/warehouses/types';
import { startDatabricksDouble, type DatabricksQuery } from '../../servers/warehouses/databricksDouble';
import { walkHistory } from '../support/databases';
import { startJsonServer } from '../../servers/http';
import type { WarehouseError } from '../../activities/warehouses/errors';

const TOKEN = 'dapi0123456789abcdef0123456789abcd';
const WINDOW = { start: '2025-03-01T00:00:00.000Z', end: '2025-03-02T00:00:00.000Z' };
const HEX_SQL = 'select region, sum(amount) as revenue from analytics.finance.fct_invoices group by 1\n'
  + '-- Hex query metadata: {"categories": ["Finance"], "cell_type": "SQL", "connection": "Databricks", "context": "SCHEDULED_RUN", "project_id": "3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73", "project_name": "Campaign \\"Spring\\" ROI – 2025", "trace_id": "4be0a1c9d27f4e6b8a53c0f19e2d7a64", "user_email": "dev.patel@acme.example"}';

function at(iso: string): number {
  return Date.parse(iso);
}

function hexQuery(id: string, iso: string, table = 'sales.orders'): DatabricksQuery {
  return { query_id: id, query_start_time_ms: at(iso), query_text: `select * from ${table}\n-- Hex query metadata: {"project_id": "p-${id}"}` };
}

const QUERIES: DatabricksQuery[] = [
  hexQuery('q1', '2025-03-01T00:00:00.000Z'),
  hexQuery('q2', '2025-03-01T06:00:00.000Z'),
  { query_id: 'q3', query_start_time_ms: at('2025-03-01T07:00:00.000Z'), query_text: HEX_SQL },
  hexQuery('q4', '2025-03-01T12:00:00.000Z'),
  hexQuery('q5', '2025-03-01T23:59:59.999Z'),
  { query_id: 'plain', query_start_time_ms: at('2025-03-01T08:00:00.000Z'), query_text: 'select 1' },
  hexQuery('before', '2025-02-28T23:59:59.999Z'),
  hexQuery('at-end', '2025-03-02T00:00:00.000Z'),
];

function readAll(source: QueryHistorySource, pageSize: number): Promise<{ rows: HistoryRow[]; pages: number }> {
  return walkHistory<HistoryRow>(source, WINDOW, pageSize);
}

test('sends the time range, page size and token, and walks every Hex row exactly once', async (t) => {
  const double = await startDatabricksDouble({ token: TOKEN, queries: QUERIES });
  t.after(() => double.close());
  const source = createDatabricksHistorySource(
    { type: 'Databricks', hostPort: 'adb-1.azuredatabricks.net:443', authType: { token: TOKEN } },
    { queryHistory: { endpoint: double.url } },
  );

  const { rows, pages } = await readAll(source, 2);
  await source.close();

  assert.deepEqual(rows.map((row) => row.queryId).sort(), ['q1', 'q2', 'q3', 'q4', 'q5']);
  assert.equal(new Set(rows.map((row) => row.queryId)).size, rows.length);
  // 7 rows match the inclusive server range (q1..q5, plain, at-end): four pages of two.
  assert.equal(pages, 4);

  const first = double.requests[0];
  assert.equal(first.method, 'GET');
  assert.equal(first.path, '/api/2.0/sql/history/queries');
  assert.equal(first.authorization, `Bearer ${TOKEN}`);
  assert.equal(first.query.get('filter_by.query_start_time_range.start_time_ms'), String(at(WINDOW.start)));
  assert.equal(first.query.get('filter_by.query_start_time_range.end_time_ms'), String(at(WINDOW.end)));
  assert.equal(first.query.get('max_results'), '2');
  assert.equal(first.query.get('include_metrics'), 'false');
  assert.equal(first.query.get('page_token'), null);
  assert.ok(double.requests.slice(1).every((request) => request.query.get('page_token')?.startsWith('+/')));
});

test('returns a Hex-commented statement intact with its start time', async (t) => {
  const double = await startDatabricksDouble({ token: TOKEN, queries: QUERIES });
  t.after(() => double.close());
  const source = createDatabricksHistorySource({ hostPort: 'unused', authType: { token: TOKEN } }, { queryHistory: { endpoint: double.url } });

  const { rows } = await readAll(source, 100);
  const row = rows.find((candidate) => candidate.queryId === 'q3');
  assert.deepEqual(row, { queryId: 'q3', sql: HEX_SQL, startedAt: '2025-03-01T07:00:00.000Z', defaultDatabase: null, defaultSchema: null });
});

test('filters by warehouse ids when configured', async (t) => {
  const double = await startDatabricksDouble({
    token: TOKEN,
    queries: [{ ...hexQuery('w1', '2025-03-01T01:00:00.000Z'), warehouse_id: 'wh-a' }, { ...hexQuery('w2', '2025-03-01T02:00:00.000Z'), warehouse_id: 'wh-b' }],
  });
  t.after(() => double.close());
  const source = createDatabricksHistorySource({ authType: { token: TOKEN } }, { queryHistory: { endpoint: double.url, warehouseIds: ['wh-b'] } });

  const { rows } = await readAll(source, 10);
  assert.deepEqual(rows.map((row) => row.queryId), ['w2']);
  assert.deepEqual(double.requests[0].query.getAll('filter_by.warehouse_ids'), ['wh-b']);
});

test('a rejected token gives a clear, non-retryable error without the token', async (t) => {
  const double = await startDatabricksDouble({ token: TOKEN, queries: QUERIES });
  t.after(() => double.close());
  const wrongToken = 'dapiWRONGWRONGWRONGWRONGWRONGWRONG';
  const source = createDatabricksHistorySource({ authType: { token: wrongToken } }, { queryHistory: { endpoint: double.url } });

  await assert.rejects(source.readPage(WINDOW, null, 2), (error: Error & { nonRetryable?: boolean }) => {
    assert.match(error.message, /Databricks rejected the access token \(HTTP 403: 403 Invalid access token\.\)/);
    assert.ok(!error.message.includes(wrongToken));
    assert.ok(!JSON.stringify(error).includes(wrongToken));
    assert.equal(error.nonRetryable, true);
    return true;
  });
});

test('an unreachable workspace gives an error without the token', async () => {
  const source = createDatabricksHistorySource({ authType: { token: TOKEN } }, { queryHistory: { endpoint: 'http://127.0.0.1:1' } });
  await assert.rejects(source.readPage(WINDOW, null, 2), (error: Error) => {
    assert.match(error.message, /Databricks query history request failed/);
    assert.ok(!error.message.includes(TOKEN));
    return true;
  });
});

test('a connection without a token is a configuration error', () => {
  assert.throws(() => createDatabricksHistorySource({ hostPort: 'adb-1.azuredatabricks.net' }), /personal access token/);
});

test('an address without the query history API is a non-retryable error naming the setting', async (t) => {
  const double = await startDatabricksDouble({ token: TOKEN, queries: QUERIES });
  t.after(() => double.close());
  const source = createDatabricksHistorySource({ authType: { token: TOKEN } }, { queryHistory: { endpoint: `${double.url}/workspace` } });
  await assert.rejects(source.readPage(WINDOW, null, 2), (error: WarehouseError) => {
    assert.match(error.message, /Databricks has no query history API at this address \(HTTP 404: ENDPOINT_NOT_FOUND .*\): check queryHistory\.endpoint/);
    assert.equal(error.setting, 'queryHistory.endpoint');
    assert.equal(error.nonRetryable, true);
    return true;
  });
});

test('a request Databricks refuses is not retried; a stale page token is', async (t) => {
  const refusing = await startJsonServer(() => ({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'filter_by.warehouse_ids is not supported' } }));
  const double = await startDatabricksDouble({ token: TOKEN, queries: QUERIES });
  t.after(() => Promise.all([refusing.close(), double.close()]));
  const refused = createDatabricksHistorySource({ authType: { token: TOKEN } }, { queryHistory: { endpoint: refusing.url } });
  await assert.rejects(refused.readPage(WINDOW, null, 2), (error: WarehouseError) => {
    assert.match(error.message, /Databricks refused the query history request \(HTTP 400: INVALID_PARAMETER_VALUE filter_by\.warehouse_ids is not supported\)/);
    assert.equal(error.nonRetryable, true);
    return true;
  });
  const stale = createDatabricksHistorySource({ authType: { token: TOKEN } }, { queryHistory: { endpoint: double.url } });
  await assert.rejects(stale.readPage(WINDOW, { pageToken: 'expired' }, 2), (error: WarehouseError) => {
    assert.match(error.message, /HTTP 400: INVALID_PARAMETER_VALUE Invalid page_token/);
    assert.equal(error.nonRetryable, false);
    return true;
  });
});
