import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTrinoHistorySource } from '../../activities/warehouses/trino';
import type { HistoryRow, HistoryWindow, QueryHistorySource } from '../../activities/warehouses/types';
import { TrinoDouble, type RuntimeQuery } from '../../servers/warehouses/trinoDouble';
import { walkHistory } from '../support/databases';

const WINDOW: HistoryWindow = { start: '2024-05-01T00:00:00.000Z', end: '2024-05-02T00:00:00.000Z' };
const PASSWORD = 'trino-Pa55-word!';
const comment = (project: string) => `-- Hex query metadata: {"project_id": "${project}", "context": "LOGIC"}`;
const LONG_SQL = `SELECT ${Array.from({ length: 900 }, (_, i) => `c${i}`).join(', ')}\nFROM hive.sales.orders\n${comment('p-long')}`;

const QUERIES: RuntimeQuery[] = [
  { query_id: '20240501_080000_00002_b', created: '2024-05-01T08:00:00.000Z', query: `SELECT 2\n${comment('p2')}` },
  { query_id: '20240501_080000_00001_a', created: '2024-05-01T08:00:00.000Z', query: `SELECT 1\n${comment('p1')}` },
  { query_id: '20240501_090000_00003_c', created: '2024-05-01T09:00:00.250Z', query: LONG_SQL },
  { query_id: '20240501_093000_00004_d', created: '2024-05-01T09:30:00.000Z', query: 'SELECT 4 -- not from Hex' },
  { query_id: '20240501_100000_00005_e', created: '2024-05-01T10:00:00.000Z', query: `SELECT 5\n${comment('p5')}`, state: 'FAILED' },
  { query_id: '20240501_110000_00006_f', created: '2024-05-01T11:00:00.000Z', query: `SELECT 'it''s'\n${comment('p6')}` },
  { query_id: '20240430_235959_00007_g', created: '2024-04-30T23:59:59.999Z', query: `SELECT 7\n${comment('p7')}` },
  { query_id: '20240502_000000_00008_h', created: '2024-05-02T00:00:00.000Z', query: `SELECT 8\n${comment('p8')}` },
  { query_id: '20240501_235959_00009_i', created: '2024-05-01T23:59:59.999Z', query: `SELECT 9\n${comment('p9')}` },
];
const EXPECTED = ['20240501_080000_00001_a', '20240501_080000_00002_b', '20240501_090000_00003_c',
  '20240501_110000_00006_f', '20240501_235959_00009_i'];

let double: TrinoDouble;

before(async () => {
  double = new TrinoDouble({ queries: QUERIES, credentials: { user: 'hexmeta', password: PASSWORD }, batchSize: 1 });
  await double.start();
});

after(() => double.stop());

function source(password = PASSWORD): QueryHistorySource {
  return createTrinoHistorySource({
    type: 'Trino', hostPort: double.hostPort, username: 'hexmeta', authType: { password }, catalog: 'hive',
  });
}

function walk(history: QueryHistorySource): Promise<{ rows: HistoryRow[]; pages: number }> {
  return walkHistory<HistoryRow>(history, WINDOW, 2, 20);
}

test('walks every Hex query of the window exactly once, in pages of two, following nextUri', async () => {
  double.statements.length = 0;
  const { rows, pages } = await walk(source());
  assert.deepEqual(rows.map((row) => row.queryId), EXPECTED);
  assert.equal(pages, 3);
  const byId = new Map(QUERIES.map((q) => [q.query_id, q.query]));
  for (const row of rows) assert.equal(row.sql, byId.get(row.queryId));
  assert.ok(rows[2].sql.endsWith(comment('p-long')) && rows[2].sql.length > 4000);
  assert.equal(rows[2].startedAt, '2024-05-01T09:00:00.250Z');
  assert.equal(rows[0].defaultDatabase, null);

  assert.equal(double.statements.length, 3);
  assert.equal(double.statements[0].sql, `SELECT query_id, query, to_iso8601(created) AS created_at
FROM "system"."runtime"."queries"
WHERE created >= from_iso8601_timestamp('2024-05-01T00:00:00.000Z') AND created < from_iso8601_timestamp('2024-05-02T00:00:00.000Z')
  AND state = 'FINISHED'
  AND strpos(query, 'Hex query' || ' metadata') > 0
ORDER BY created, query_id
LIMIT 2`);
  assert.ok(double.statements[1].sql.includes(`
  AND (created > from_iso8601_timestamp('2024-05-01T08:00:00.000Z') OR (created = from_iso8601_timestamp('2024-05-01T08:00:00.000Z') AND query_id > '20240501_080000_00002_b'))
ORDER BY`));
  assert.ok(double.statements[2].sql.includes(
    `(created > from_iso8601_timestamp('2024-05-01T11:00:00.000Z') OR (created = from_iso8601_timestamp('2024-05-01T11:00:00.000Z') AND query_id > '20240501_110000_00006_f'))`));
  const headers = double.statements[0].headers;
  assert.equal(headers['x-trino-user'], 'hexmeta');
  assert.equal(headers['x-trino-source'], 'hexmeta');
  assert.equal(headers['x-trino-catalog'], 'hive');
});

test('our own history statement never matches the marker filter', async () => {
  double.statements.length = 0;
  await source().readPage(WINDOW, { created: '2024-05-01T08:00:00.000Z', queryId: "it's" }, 2);
  const own = double.statements[0]?.sql ?? '';
  assert.ok(own.includes("query_id > 'it''s'"));
  assert.ok(!own.includes('Hex query metadata'));
});

test('Presto connections (top-level password, protocol) also send the X-Presto headers', async () => {
  double.statements.length = 0;
  const presto = createTrinoHistorySource({
    type: 'Presto', hostPort: double.hostPort, username: 'hexmeta', password: PASSWORD, protocol: 'http',
  });
  const page = await presto.readPage(WINDOW, null, 2);
  assert.equal(page.rows.length, 2);
  assert.equal(double.statements[0].headers['x-presto-user'], 'hexmeta');
  assert.equal(double.statements[0].headers['x-trino-user'], 'hexmeta');
});

test('a wrong password is reported clearly and without the secret', async () => {
  const secret = 'Wr0ng-Trino-Secret';
  await assert.rejects(source(secret).readPage(WINDOW, null, 2), (error: Error & { type?: string }) => {
    assert.equal(error.message, 'Trino rejected the credentials (HTTP 401)');
    assert.equal(error.type, 'WarehouseAuthenticationError');
    assert.ok(!JSON.stringify(error).includes(secret) && !String(error.stack).includes(secret));
    return true;
  });
});

test('a failing statement surfaces the coordinator error', async () => {
  const history = createTrinoHistorySource({
    type: 'Trino', hostPort: double.hostPort, username: 'hexmeta', authType: { password: PASSWORD },
    queryHistoryTable: 'system.runtime.missing',
  });
  await assert.rejects(history.readPage(WINDOW, null, 2), /Trino query history read failed: SYNTAX_ERROR: Table 'system.runtime.missing' does not exist/);
});
