import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAthenaHistorySource } from '../../activities/warehouses/athena';
import type { HistoryRow, HistoryWindow, QueryHistorySource } from '../../activities/warehouses/types';
import { AthenaDouble, type AthenaExecution } from '../../servers/warehouses/athenaDouble';
import { walkHistory } from '../support/databases';

const WINDOW: HistoryWindow = { start: '2024-05-01T00:00:00.000Z', end: '2024-05-02T00:00:00.000Z' };
const KEY_ID = 'AKIDEXAMPLEHEXMETA';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const REGION = 'eu-west-1';
const comment = (project: string) => `-- Hex query metadata: {"project_id": "${project}", "context": "LOGIC"}`;
const hex = (id: string, workGroup: string, submitted: string, extra: Partial<AthenaExecution> = {}): AthenaExecution => ({
  id, workGroup, submitted, query: `SELECT * FROM sales.orders -- ${id}\n${comment(`p-${id}`)}`,
  catalog: 'AwsDataCatalog', database: 'sales', ...extra,
});

const EXECUTIONS: AthenaExecution[] = [
  hex('p-new', 'primary', '2024-05-02T00:00:00.000Z'),
  hex('h5', 'primary', '2024-05-01T20:00:00.123Z'),
  { id: 'plain', workGroup: 'primary', submitted: '2024-05-01T18:00:00.000Z', query: 'SELECT 1' },
  hex('h4', 'primary', '2024-05-01T16:00:00.000Z', { query: `SELECT 'x'\n${comment('p-h4')}\n` + 'x'.repeat(5000) }),
  hex('failed', 'primary', '2024-05-01T14:00:00.000Z', { state: 'FAILED' }),
  hex('h3', 'primary', '2024-05-01T12:00:00.000Z'),
  hex('h2', 'primary', '2024-05-01T10:00:00.000Z', { database: undefined }),
  hex('h1', 'primary', '2024-05-01T08:00:00.000Z'),
  hex('old1', 'primary', '2024-04-30T23:00:00.000Z'),
  hex('old2', 'primary', '2024-04-29T23:00:00.000Z'),
  hex('a2', 'analytics', '2024-05-01T15:00:00.000Z'),
  hex('a1', 'analytics', '2024-05-01T09:00:00.000Z'),
  hex('a-old', 'analytics', '2024-04-01T09:00:00.000Z'),
  hex('other', 'elsewhere', '2024-05-01T09:00:00.000Z'),
];

let double: AthenaDouble;
let endpoint: string;

before(async () => {
  double = new AthenaDouble({ executions: EXECUTIONS, accessKeyId: KEY_ID, secretAccessKey: SECRET, region: REGION });
  endpoint = await double.start();
});

after(() => double.stop());

function source(keyId = KEY_ID, secret = SECRET): QueryHistorySource {
  return createAthenaHistorySource(
    { type: 'Athena', awsConfig: { awsAccessKeyId: keyId, awsSecretAccessKey: secret, awsRegion: REGION }, workgroup: 'primary' },
    { queryHistory: { endpoint, workGroups: ['primary', 'analytics'] } },
  );
}

function walk(history: QueryHistorySource): Promise<{ rows: HistoryRow[]; pages: number }> {
  return walkHistory<HistoryRow>(history, WINDOW, 2, 20);
}

test('walks both workgroups newest first, every Hex execution of the window exactly once', async () => {
  double.calls.length = 0;
  const history = source();
  const { rows, pages } = await walk(history);
  await history.close();
  assert.deepEqual(rows.map((row) => row.queryId), ['h5', 'h4', 'h3', 'h2', 'h1', 'a2', 'a1']);
  assert.equal(pages, 4);
  const byId = new Map(EXECUTIONS.map((execution) => [execution.id, execution.query]));
  for (const row of rows) assert.equal(row.sql, byId.get(row.queryId));
  assert.deepEqual(rows[0], {
    queryId: 'h5', sql: byId.get('h5'), startedAt: '2024-05-01T20:00:00.123Z', defaultDatabase: 'AwsDataCatalog', defaultSchema: 'sales',
  });
  assert.equal(rows[3].defaultSchema, null);

  const lists = double.calls.filter((call) => call.operation === 'ListQueryExecutions').map((call) => call.input);
  const token = (offset: number) => Buffer.from(String(offset)).toString('base64');
  assert.deepEqual(lists, [
    { WorkGroup: 'primary', MaxResults: 2 },
    { WorkGroup: 'primary', MaxResults: 1, NextToken: token(2) },
    { WorkGroup: 'primary', MaxResults: 1, NextToken: token(3) },
    { WorkGroup: 'primary', MaxResults: 2, NextToken: token(4) },
    { WorkGroup: 'primary', MaxResults: 1, NextToken: token(6) },
    { WorkGroup: 'primary', MaxResults: 2, NextToken: token(7) },
    { WorkGroup: 'analytics', MaxResults: 1 },
    { WorkGroup: 'analytics', MaxResults: 2, NextToken: token(1) },
  ]);
  const fetched = double.calls.filter((call) => call.operation === 'BatchGetQueryExecution')
    .map((call) => call.input.QueryExecutionIds);
  assert.deepEqual(fetched, [['p-new', 'h5'], ['plain'], ['h4'], ['failed', 'h3'], ['h2'], ['h1', 'old1'], ['a2'], ['a1', 'a-old']]);
  for (const call of double.calls) assert.match(call.credentialScope, /^\d{8}\/eu-west-1\/athena\/aws4_request$/);
});

test('a wrong secret key is reported clearly and without the secret', async () => {
  const wrong = 'Wr0ngSecretKeyThatMustNotLeak/1234567890';
  const history = source(KEY_ID, wrong);
  await assert.rejects(history.readPage(WINDOW, null, 2), (error: Error & { type?: string }) => {
    assert.match(error.message, /^Athena rejected the AWS credentials \(InvalidSignatureException: The request signature we calculated/);
    assert.equal(error.type, 'WarehouseAuthenticationError');
    assert.ok(!JSON.stringify(error).includes(wrong) && !String(error.stack).includes(wrong));
    return true;
  });
  await history.close();
});

test('an unknown access key is reported as an authentication error', async () => {
  const history = source('AKIDUNKNOWN', SECRET);
  await assert.rejects(history.readPage(WINDOW, null, 2), (error: Error & { type?: string }) => {
    assert.equal(error.type, 'WarehouseAuthenticationError');
    assert.match(error.message, /UnrecognizedClientException/);
    assert.ok(!error.message.includes(SECRET));
    return true;
  });
  await history.close();
});

test('a cursor naming a workgroup that is no longer configured is refused', async () => {
  await assert.rejects(source().readPage(WINDOW, { workGroup: 'gone', token: null }, 2), /does not match the configured workgroups/);
});
