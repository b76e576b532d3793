import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSnowflakeHistorySource, historyQuery } from '../../activities/warehouses/snowflake';
import type { HistoryRow, QueryHistorySource } from '../../activities/warehouses/types';
import { startSnowflakeDouble, type QueryHistoryEntry } from '../../servers/warehouses/snowflakeDouble';
import { readAllPages } from '../support/databases';

const USER = 'HEXMETA_READER';
const PASSWORD = 'S3cret-Pa55word!';
const WINDOW = { start: '2025-03-01T00:00:00.000Z', end: '2025-03-02T00:00:00.000Z' };
const HEX_SQL = 'SELECT o.order_id, c.segment\nFROM "SALES"."PUBLIC"."ORDERS" o JOIN "SALES"."PUBLIC"."CUSTOMERS" c ON c.id = o.customer_id\nLIMIT 100\n'
  + '-- Hex query metadata: {"categories": ["Scratchpad"], "cell_type": "SQL", "connection": "Sales DB", "context": "SCHEDULED_RUN", "project_id": "6c0e8b52-1f7d-4a93-b2e4-95d3a71f0c28", "project_name": "Order \\"Segments\\" – Q1", "trace_id": "f0e1d2c3b4a5968778695a4b3c2d1e0f", "user_email": "ops.bot@acme.example"}';

function hexEntry(queryId: string, startTime: string): QueryHistoryEntry {
  return { queryId, startTime, queryText: `select * from sales.public.orders\n-- Hex query metadata: {"project_id": "p-${queryId}"}`, databaseName: 'SALES', schemaName: 'PUBLIC' };
}

const HISTORY: QueryHistoryEntry[] = [
  hexEntry('01b2-0001', '2025-03-01T00:00:00Z'),
  // Three statements in the same microsecond: paging must split them without loss.
  hexEntry('01b2-0003', '2025-03-01T06:00:00.123456Z'),
  hexEntry('01b2-0002', '2025-03-01T06:00:00.123456Z'),
  hexEntry('01b2-0004', '2025-03-01T06:00:00.123456Z'),
  { queryId: '01b2-0005', startTime: '2025-03-01T07:30:00.5Z', queryText: HEX_SQL, databaseName: 'SALES', schemaName: null },
  hexEntry('01b2-0006', '2025-03-01T23:59:59.999999Z'),
  { queryId: '01b2-plain', startTime: '2025-03-01T08:00:00Z', queryText: 'select 1', databaseName: null, schemaName: null },
  hexEntry('01b2-before', '2025-02-28T23:59:59.999999Z'),
  hexEntry('01b2-at-end', '2025-03-02T00:00:00Z'),
];

const CONNECTION = { type: 'Snowflake', account: 'xyz1234.us-east-1', username: USER, password: PASSWORD, warehouse: 'COMPUTE_WH', role: 'SYSADMIN' };

async function readAll(source: QueryHistorySource, pageSize: number): Promise<HistoryRow[]> {
  return (await readAllPages<HistoryRow>(source, WINDOW, pageSize, 50)).flat();
}

test('sends the exact history query with bind variables for the window and keyset', async (t) => {
  const double = await startSnowflakeDouble({ username: USER, password: PASSWORD, history: HISTORY });
  t.after(() => double.close());
  const source = createSnowflakeHistorySource(CONNECTION, { queryHistory: { endpoint: double.url } });
  t.after(() => source.close());

  const first = await source.readPage(WINDOW, null, 2);
  const second = await source.readPage(WINDOW, first.next, 2);

  assert.equal(double.statements[0].sqlText, [
    'SELECT QUERY_ID, QUERY_TEXT,',
    `  TO_VARCHAR(CONVERT_TIMEZONE('UTC', START_TIME), 'YYYY-MM-DD"T"HH24:MI:SS.FF9"Z"') AS START_TIME_UTC,`,
    '  DATABASE_NAME, SCHEMA_NAME',
    'FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY',
    'WHERE CONTAINS(QUERY_TEXT, ?)',
    '  AND START_TIME >= TO_TIMESTAMP_TZ(?) AND START_TIME < TO_TIMESTAMP_TZ(?)',
    'ORDER BY START_TIME, QUERY_ID',
    'LIMIT ?',
  ].join('\n'));
  assert.deepEqual(double.statements[0].bindings, {
    1: { type: 'TEXT', value: 'Hex query metadata' },
    2: { type: 'TEXT', value: WINDOW.start },
    3: { type: 'TEXT', value: WINDOW.end },
    4: { type: 'FIXED', value: '2' },
  });
  assert.deepEqual(first.next, { startTime: '2025-03-01T06:00:00.123456000Z', queryId: '01b2-0002' });

  assert.match(double.statements[1].sqlText, /\n {2}AND \(START_TIME > TO_TIMESTAMP_TZ\(\?\) OR \(START_TIME = TO_TIMESTAMP_TZ\(\?\) AND QUERY_ID > \?\)\)\nORDER BY/);
  assert.equal(double.statements[1].sqlText, historyQuery('SNOWFLAKE.ACCOUNT_USAGE', true));
  assert.deepEqual(Object.values(double.statements[1].bindings ?? {}).map((bind) => bind.value), [
    'Hex query metadata', WINDOW.start, WINDOW.end,
    '2025-03-01T06:00:00.123456000Z', '2025-03-01T06:00:00.123456000Z', '01b2-0002', '2',
  ]);
  assert.deepEqual(second.rows.map((row) => row.queryId), ['01b2-0003', '01b2-0004']);
  // One login serves every page.
  assert.equal(double.logins.length, 1);
  assert.equal(double.logins[0].loginName, USER);
  assert.equal(double.logins[0].query.get('warehouse'), 'COMPUTE_WH');
  assert.equal(double.logins[0].query.get('roleName'), 'SYSADMIN');
});

test('paging with page size 2 walks every Hex row in the window exactly once', async (t) => {
  const double = await startSnowflakeDouble({ username: USER, password: PASSWORD, history: HISTORY });
  t.after(() => double.close());
  const source = createSnowflakeHistorySource(CONNECTION, { queryHistory: { endpoint: double.url } });

  const rows = await readAll(source, 2);
  await source.close();

  assert.deepEqual(rows.map((row) => row.queryId), ['01b2-0001', '01b2-0002', '01b2-0003', '01b2-0004', '01b2-0005', '01b2-0006']);
  assert.equal(double.sessionsClosed, 1);
});

test('returns a Hex-commented statement intact with its defaults and start time', async (t) => {
  const double = await startSnowflakeDouble({ username: USER, password: PASSWORD, history: HISTORY });
  t.after(() => double.close());
  const source = createSnowflakeHistorySource(CONNECTION, { queryHistory: { endpoint: double.url } });
  t.after(() => source.close());

  const rows = await readAll(source, 100);
  assert.deepEqual(rows.find((row) => row.queryId === '01b2-0005'), {
    queryId: '01b2-0005', sql: HEX_SQL, startedAt: '2025-03-01T07:30:00.500Z', defaultDatabase: 'SALES', defaultSchema: null,
  });
});

test('reads the configured account usage schema', async (t) => {
  const double = await startSnowflakeDouble({ username: USER, password: PASSWORD, history: HISTORY, accountUsageSchema: 'USAGE_SHARE.ACCOUNT_USAGE' });
  t.after(() => double.close());
  const source = createSnowflakeHistorySource(CONNECTION, { queryHistory: { endpoint: double.url, accountUsageSchema: 'USAGE_SHARE.ACCOUNT_USAGE' } });
  t.after(() => source.close());

  const page = await source.readPage(WINDOW, null, 100);
  assert.equal(page.rows.length, 6);
  assert.match(double.statements[0].sqlText, /\nFROM USAGE_SHARE\.ACCOUNT_USAGE\.QUERY_HISTORY\n/);
});

test('a schema that cannot be read gives the server error', async (t) => {
  const double = await startSnowflakeDouble({ username: USER, password: PASSWORD, history: HISTORY });
  t.after(() => double.close());
  const source = createSnowflakeHistorySource({ ...CONNECTION, accountUsageSchema: 'OTHER.USAGE' }, { queryHistory: { endpoint: double.url } });
  t.after(() => source.close());

  await assert.rejects(source.readPage(WINDOW, null, 2), /Snowflake query history read failed: SQL compilation error:\nSchema 'OTHER.USAGE' does not exist or not authorized\. \(code 002003\)/);
});

test('an unsafe schema name is refused before any request', () => {
  assert.throws(
    () => createSnowflakeHistorySource({ ...CONNECTION, accountUsageSchema: 'X; DROP TABLE Y' }),
    /accountUsageSchema is not a schema name/,
  );
});

test('a wrong password gives a clear, non-retryable error without the password', async (t) => {
  const double = await startSnowflakeDouble({ username: USER, password: PASSWORD, history: HISTORY });
  t.after(() => double.close());
  const wrongPassword = 'Wr0ng-Pa55word!';
  const source = createSnowflakeHistorySource({ ...CONNECTION, password: wrongPassword }, { queryHistory: { endpoint: double.url } });
  t.after(() => source.close());

  await assert.rejects(source.readPage(WINDOW, null, 2), (error: Error & { nonRetryable?: boolean; type?: string }) => {
    assert.match(error.message, /^Snowflake login failed: Incorrect username or password was specified\. \(code 390100\)$/);
    assert.equal(error.nonRetryable, true);
    assert.equal(error.type, 'WarehouseAuthenticationError');
    assert.ok(!JSON.stringify({ message: error.message, stack: error.stack, error }).includes(wrongPassword));
    return true;
  });
  assert.equal(double.statements.length, 0);
});
