import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createBigQueryHistorySource, historyQuery } from '../../activities/warehouses/bigquery';
import type { HistoryRow, QueryHistorySource } from '../../activities/warehouses/types';
import { startBigQueryDouble, type JobRecord } from '../../servers/warehouses/bigqueryDouble';
import { readAllPages } from '../support/databases';

const CLIENT_EMAIL = 'hexmeta-reader@acme-prod.iam.gserviceaccount.com';
const WINDOW = { start: '2025-03-01T00:00:00.000Z', end: '2025-03-02T00:00:00.000Z' };
const HEX_SQL = "select * from `acme-prod.marketing.campaign_spend` where spend_date >= '2025-01-01'\n"
  + '-- Hex query metadata: {"categories": ["Marketing", "Exec"], "cell_type": "SQL", "connection": "BigQuery prod", "context": "SCHEDULED_RUN", "project_id": "e7b3c0d9-4f61-4a2e-8c17-b05d9e3f6a12", "project_name": "Campaign \\"Spring\\" ROI", "trace_id": "0c9b8a7f6e5d4c3b2a19087f6e5d4c3b", "user_email": "sam.okafor@acme.example"}';

function keyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}
const KEYS = keyPair();

function hexJob(projectId: string, jobId: string, creationTime: string): JobRecord {
  return { projectId, jobId, creationTime, query: `select * from sales.orders\n-- Hex query metadata: {"project_id": "p-${jobId}"}` };
}

const JOBS: JobRecord[] = [
  hexJob('acme-prod', 'bquxjob_01', '2025-03-01T00:00:00Z'),
  // Three jobs created in the same microsecond: paging must split them without loss.
  hexJob('acme-prod', 'bquxjob_03', '2025-03-01T05:00:00.654321Z'),
  hexJob('acme-prod', 'bquxjob_02', '2025-03-01T05:00:00.654321Z'),
  hexJob('acme-prod', 'bquxjob_04', '2025-03-01T05:00:00.654321Z'),
  { projectId: 'acme-prod', jobId: 'bquxjob_05', creationTime: '2025-03-01T09:15:00.25Z', query: HEX_SQL },
  { projectId: 'acme-prod', jobId: 'plain', creationTime: '2025-03-01T10:00:00Z', query: 'select 1' },
  { ...hexJob('acme-prod', 'load', '2025-03-01T11:00:00Z'), jobType: 'LOAD' },
  hexJob('acme-prod', 'before', '2025-02-28T23:59:59.999999Z'),
  hexJob('acme-prod', 'at-end', '2025-03-02T00:00:00Z'),
  hexJob('acme-analytics', 'bquxjob_a1', '2025-03-01T01:00:00Z'),
  hexJob('acme-analytics', 'bquxjob_a2', '2025-03-01T02:00:00Z'),
  hexJob('acme-analytics', 'bquxjob_a3', '2025-03-01T03:00:00Z'),
];

function connection(privateKey: string, projectId: string | string[] = 'acme-prod') {
  return {
    type: 'BigQuery',
    hostPort: 'bigquery.googleapis.com',
    credentials: { gcpConfig: { type: 'service_account', projectId, privateKeyId: 'key-1', privateKey, clientEmail: CLIENT_EMAIL, clientId: '1234567890' } },
  };
}

async function readAll(source: QueryHistorySource, pageSize: number): Promise<HistoryRow[]> {
  return (await readAllPages<HistoryRow>(source, WINDOW, pageSize, 50)).flat();
}

async function startDouble(options: { rowsPerResponse?: number } = {}) {
  return startBigQueryDouble({ serviceAccounts: { [CLIENT_EMAIL]: KEYS.publicKey }, location: 'US', jobs: JOBS, ...options });
}

test('sends the exact history query with named parameters for the window and keyset', async (t) => {
  const double = await startDouble();
  t.after(() => double.close());
  const source = createBigQueryHistorySource(connection(KEYS.privateKey), { queryHistory: { endpoint: double.url } });

  const first = await source.readPage(WINDOW, null, 2);
  const second = await source.readPage(WINDOW, first.next, 2);

  assert.equal(double.queries[0].project, 'acme-prod');
  assert.equal(double.queries[0].query, [
    "SELECT job_id, query, FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', creation_time, 'UTC') AS creation_time_utc",
    'FROM `acme-prod`.`region-us`.INFORMATION_SCHEMA.JOBS_BY_PROJECT',
    "WHERE job_type = 'QUERY'",
    '  AND STRPOS(query, @marker) > 0',
    '  AND creation_time >= TIMESTAMP(@window_start) AND creation_time < TIMESTAMP(@window_end)',
    'ORDER BY creation_time, job_id',
    'LIMIT 2',
  ].join('\n'));
  assert.equal(double.queries[0].location, 'US');
  assert.equal(double.queries[0].useLegacySql, false);
  assert.equal(double.queries[0].parameterMode, 'named');
  assert.deepEqual(double.queries[0].parameters, {
    marker: { type: 'STRING', value: 'Hex query metadata' },
    window_start: { type: 'STRING', value: WINDOW.start },
    window_end: { type: 'STRING', value: WINDOW.end },
  });
  assert.deepEqual(first.next, { projectIndex: 0, afterTime: '2025-03-01T05:00:00.654321Z', afterJobId: 'bquxjob_02' });

  assert.equal(double.queries[1].query, historyQuery('acme-prod', 'US', true, 2));
  assert.match(double.queries[1].query, /\n {2}AND \(creation_time > TIMESTAMP\(@after_time\) OR \(creation_time = TIMESTAMP\(@after_time\) AND job_id > @after_job_id\)\)\n/);
  assert.deepEqual(double.queries[1].parameters.after_time, { type: 'STRING', value: '2025-03-01T05:00:00.654321Z' });
  assert.deepEqual(double.queries[1].parameters.after_job_id, { type: 'STRING', value: 'bquxjob_02' });
  assert.deepEqual(second.rows.map((row) => row.queryId), ['acme-prod:bquxjob_03', 'acme-prod:bquxjob_04']);
});

test('paging with page size 2 walks every Hex job of every project exactly once', async (t) => {
  // One row per HTTP answer, so the client also has to follow getQueryResults page tokens.
  const double = await startDouble({ rowsPerResponse: 1 });
  t.after(() => double.close());
  const source = createBigQueryHistorySource(connection(KEYS.privateKey), {
    queryHistory: { endpoint: double.url, projects: ['acme-prod', 'acme-analytics'], location: 'US' },
  });

  const rows = await readAll(source, 2);
  await source.close();

  assert.deepEqual(rows.map((row) => row.queryId), [
    'acme-prod:bquxjob_01', 'acme-prod:bquxjob_02', 'acme-prod:bquxjob_03', 'acme-prod:bquxjob_04', 'acme-prod:bquxjob_05',
    'acme-analytics:bquxjob_a1', 'acme-analytics:bquxjob_a2', 'acme-analytics:bquxjob_a3',
  ]);
  assert.ok(double.resultPageRequests > 0);
  assert.deepEqual([...new Set(double.queries.map((query) => query.query.match(/FROM `([^`]+)`/)?.[1]))], ['acme-prod', 'acme-analytics']);
});

test('returns a Hex-commented statement intact with its project and creation time', async (t) => {
  const double = await startDouble();
  t.after(() => double.close());
  const source = createBigQueryHistorySource(connection(KEYS.privateKey), { queryHistory: { endpoint: double.url } });

  const rows = await readAll(source, 100);
  assert.deepEqual(rows.find((row) => row.queryId === 'acme-prod:bquxjob_05'), {
    queryId: 'acme-prod:bquxjob_05', sql: HEX_SQL, startedAt: '2025-03-01T09:15:00.250Z', defaultDatabase: 'acme-prod', defaultSchema: null,
  });
});

test('the region follows the configured location', async (t) => {
  const double = await startBigQueryDouble({ serviceAccounts: { [CLIENT_EMAIL]: KEYS.publicKey }, location: 'EU', jobs: [] });
  t.after(() => double.close());
  const source = createBigQueryHistorySource({ ...connection(KEYS.privateKey), usageLocation: 'EU' }, { queryHistory: { endpoint: double.url } });

  const page = await source.readPage(WINDOW, null, 2);
  assert.deepEqual(page, { rows: [], next: null });
  assert.match(double.queries[0].query, /FROM `acme-prod`\.`region-eu`\.INFORMATION_SCHEMA\.JOBS_BY_PROJECT/);
  assert.equal(double.queries[0].location, 'EU');
});

test('a key the service account does not own gives a clear, non-retryable error without the key', async (t) => {
  const double = await startDouble();
  t.after(() => double.close());
  const wrongKey = keyPair().privateKey;
  const source = createBigQueryHistorySource(connection(wrongKey), { queryHistory: { endpoint: double.url } });

  await assert.rejects(source.readPage(WINDOW, null, 2), (error: Error & { nonRetryable?: boolean; type?: string }) => {
    assert.match(error.message, /^BigQuery refused the credentials reading project acme-prod \(HTTP 401\): Request had invalid authentication credentials\./);
    assert.equal(error.nonRetryable, true);
    assert.equal(error.type, 'WarehouseAuthenticationError');
    const keyBody = wrongKey.split('\n')[1];
    assert.ok(!JSON.stringify({ message: error.message, stack: error.stack, error }).includes(keyBody));
    return true;
  });
  assert.equal(double.queries.length, 0);
});

test('credentials without a private key are a configuration error', () => {
  assert.throws(
    () => createBigQueryHistorySource({ credentials: { gcpConfig: { type: 'service_account', projectId: 'acme-prod', clientEmail: CLIENT_EMAIL } } }),
    /need clientEmail and privateKey/,
  );
});

test('an invalid project id is refused before any request', () => {
  assert.throws(
    () => createBigQueryHistorySource(connection(KEYS.privateKey), { queryHistory: { projects: ['acme`; DROP'] } }),
    /project id is not valid/,
  );
});
