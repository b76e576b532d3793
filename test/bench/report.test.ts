import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dashboardWrites, failures, formatTable, formatVersionsTable, hexRequestsNeeded, lineageWrites, rateLimitFloorSeconds, staleDeletionRequests, tableRows, usageWrites,
  type BenchSettings, type RecordedCall, type RunObservation,
} from '../../bench/report';
import { activitySpanMs, peakRssBytes, rssBytes } from '../../bench/measure';

const SETTINGS: BenchSettings = {
  sizeLabel: '1k', projects: 1000, listed: 980, kept: 931, historyRows: 20000,
  hexLatencyMs: 50, omLatencyMs: 10, hexRatePerMinute: 60, clientRatePerMinute: 55,
};

const get = (path: string, status = 200): RecordedCall => ({ method: 'GET', path, status });
const put = (path: string, status = 200): RecordedCall => ({ method: 'PUT', path, status });

function observation(overrides: Partial<RunObservation> = {}): RunObservation {
  return {
    wallMs: 33_000, exitCode: 0, historyEvents: 120, historyRuns: 1, lineageMs: 10_000, hexQueries: 6_667,
    queriesRead: 6_667, edgesWritten: 3_000, edgesExisting: 0, workerPeakRssBytes: 300 * 2 ** 20,
    workerStartMs: 1_234, workerIdleRssBytes: 150 * 2 ** 20,
    hexCalls: [get('/api/v1/users/me'), ...Array.from({ length: 10 }, () => get('/api/v1/projects')), get('/api/v1/projects', 429)],
    openMetadataCalls: [get('/api/v1/system/version'), put('/api/v1/dashboards', 201), put('/api/v1/dashboards', 400), put('/api/v1/lineage')],
    ...overrides,
  };
}

test('Hex requests needed: one page per 100 listed projects plus successful other requests; 429s and repeats are not', () => {
  const w1 = observation();
  assert.equal(hexRequestsNeeded(980, w1.hexCalls), 10 + 1);
  assert.equal(hexRequestsNeeded(0, []), 1);
  assert.equal(rateLimitFloorSeconds(11, 60), 11);
  assert.equal(rateLimitFloorSeconds(101, 60), 101);
});

test('writes are told apart by kind, and only successful ones count', () => {
  const calls = observation().openMetadataCalls;
  assert.equal(dashboardWrites(calls), 1);
  assert.equal(lineageWrites(calls), 1);
  assert.equal(dashboardWrites([{ method: 'PATCH', path: '/api/v1/dashboards/abc', status: 200 }]), 1);
  assert.equal(dashboardWrites([get('/api/v1/dashboards/name/x')]), 0);
  assert.equal(dashboardWrites([put('/api/v1/dashboards/bulk')]), 1, 'a bulk write is one request');
  assert.equal(usageWrites([put('/api/v1/usage/dashboard/name/hex.p1', 201), put('/api/v1/usage/dashboard/name/hex.p2', 503), put('/api/v1/dashboards')]), 1);
});

test('the table has the same rows in the same order whatever the figures, with derived values', () => {
  const rows = tableRows(SETTINGS, observation(), observation({ wallMs: 5_500, hexCalls: [], historyEvents: null }));
  const again = tableRows(SETTINGS, observation({ wallMs: 1 }), null);
  assert.deepEqual(rows.map(([label]) => label), again.map(([label]) => label));
  const byLabel = new Map(rows.map(([label, a, b]) => [label, [a, b]]));
  assert.deepEqual(byLabel.get('wall time (s)'), ['33.0', '5.5']);
  assert.deepEqual(byLabel.get('rate-limit floor (s)'), ['11.0', '-']);
  assert.deepEqual(byLabel.get('wall time / floor'), ['3.00', '0.50']);
  assert.deepEqual(byLabel.get('Hex 429 answers'), ['1', '0']);
  assert.deepEqual(byLabel.get('history events per 1,000 projects'), ['120', '-']);
  assert.deepEqual(byLabel.get('worker peak RSS (MiB)'), ['300', '300']);
  assert.deepEqual(byLabel.get('worker start to polling (s)'), ['1.23', '1.23']);
  assert.deepEqual(byLabel.get('worker idle RSS (MiB)'), ['150', '150']);
  assert.deepEqual(byLabel.get('lineage throughput (Hex queries/s)'), ['667', '667']);
  assert.deepEqual(byLabel.get('W1 wall ÷ W2 wall'), ['-', '6.0']);
  assert.deepEqual(byLabel.get('SQL extraction, one core (queries/s)'), ['-', '-']);
  // Four calls per dashboard, one of them a lineage edge.
  assert.deepEqual(tableRows(SETTINGS, observation({ openMetadataCalls: [
    ...Array.from({ length: 931 }, () => [get('/api/v1/search/query'), put('/api/v1/usage/dashboard/name/x'), put('/api/v1/lineage'), put('/api/v1/dashboards/bulk')]).flat(),
  ] }), null).filter(([label]) => label.startsWith('OM requests per kept dashboard')).map(([, a]) => a), ['4.00', '3.00']);
  const measured = new Map(tableRows({ ...SETTINGS, extraction: { queriesPerSecond: 12345.6, slowestMs: 3.21 } }, observation(), null)
    .map(([label, a]) => [label, a]));
  assert.equal(measured.get('SQL extraction, one core (queries/s)'), '12346');
  assert.equal(measured.get('SQL extraction, slowest query (ms)'), '3.2');
  assert.equal(again.find(([label]) => label === 'wall time (s)')![2], '-');
});

test('the printed table has fixed-width columns', () => {
  const lines = formatTable(SETTINGS, observation(), observation()).split('\n');
  assert.match(lines[0], /size=1k projects=1000 listed=980 kept=931/);
  const tableLines = lines.slice(2);
  assert.ok(tableLines.length > 10);
  assert.equal(new Set(tableLines.map((line) => line.length)).size, 1);
});

test('peak RSS is read from VmHWM in kB', () => {
  assert.equal(peakRssBytes(1, () => 'Name:\tnode\nVmHWM:\t  123456 kB\nVmRSS:\t 1 kB\n'), 123456 * 1024);
  assert.equal(peakRssBytes(1, () => { throw new Error('gone'); }), null);
  assert.ok((peakRssBytes(process.pid) ?? 0) > 1024 * 1024, 'this process has a peak above 1 MiB');
  assert.equal(rssBytes(1, () => 'VmHWM:\t  9 kB\nVmRSS:\t  2048 kB\n'), 2048 * 1024);
  assert.equal(rssBytes(1, () => { throw new Error('gone'); }), null);
});

test('activity span: from the first scheduled activity of a type to the last one closed', () => {
  const at = (seconds: number) => ({ seconds, nanos: 500_000_000 });
  const events: any[] = [
    { eventId: 5, eventTime: at(100), activityTaskScheduledEventAttributes: { activityType: { name: 'ingestProjectPage' } } },
    { eventId: 6, eventTime: at(101), activityTaskCompletedEventAttributes: { scheduledEventId: 5 } },
    { eventId: 7, eventTime: at(110), activityTaskScheduledEventAttributes: { activityType: { name: 'lineageForPrefix' } } },
    { eventId: 8, eventTime: at(110), activityTaskScheduledEventAttributes: { activityType: { name: 'lineageForPrefix' } } },
    { eventId: 9, eventTime: at(115), activityTaskCompletedEventAttributes: { scheduledEventId: 8 } },
    { eventId: 10, eventTime: at(123), activityTaskFailedEventAttributes: { scheduledEventId: 7 } },
    { eventId: 11, eventTime: at(130), activityTaskScheduledEventAttributes: { activityType: { name: 'markDeletedDashboards' } } },
    { eventId: 12, eventTime: at(140), activityTaskCompletedEventAttributes: { scheduledEventId: 11 } },
  ];
  assert.equal(activitySpanMs(events, 'lineageForPrefix'), 13_000);
  assert.equal(activitySpanMs(events, 'prepareIngestion'), null);
});

test('a failed run is named under the table and no ratio is drawn from it', () => {
  const failedW1 = observation({ exitCode: 2 });
  assert.deepEqual(failures(failedW1, null), ['W1 failed: hexmeta ingest exited 2']);
  assert.deepEqual(failures(observation(), observation({ exitCode: 1 })), ['W2 failed: hexmeta ingest exited 1']);
  assert.deepEqual(failures(observation(), observation()), []);
  const ratios = ['wall time / floor', 'W1 wall ÷ W2 wall', 'OM requests per kept dashboard', 'OM requests per kept dashboard, edges apart',
    'history events per 1,000 projects', 'lineage throughput (Hex queries/s)'];
  const rows = new Map(tableRows(SETTINGS, failedW1, observation()).map(([label, a, b]) => [label, [a, b]]));
  for (const label of ratios) assert.equal(rows.get(label)![0], '-', label);
  assert.equal(rows.get('W1 wall ÷ W2 wall')![1], '-', 'nothing is compared with a failed W1');
  assert.deepEqual(rows.get('exit code'), ['2', '0']);
  assert.deepEqual(rows.get('wall time (s)'), ['33.0', '33.0'], 'measurements are still shown');
  const failedW2 = new Map(tableRows(SETTINGS, observation(), observation({ exitCode: 1 })).map(([label, a, b]) => [label, [a, b]]));
  for (const label of ratios) assert.equal(failedW2.get(label)![1], '-', label);
  assert.equal(failedW2.get('wall time / floor')![0], '3.00');
  const table = formatTable(SETTINGS, failedW1, null);
  assert.match(table, /\n\nW1 failed: hexmeta ingest exited 2: no ratios drawn from it$/);
  assert.doesNotMatch(formatTable(SETTINGS, observation(), observation()), /failed/);
});

test('versions table: list-and-delete on 1.12 against one deleteStale on 2.0, and the requests saved', () => {
  const del = (path: string): RecordedCall => ({ method: 'DELETE', path, status: 200 });
  const common = [get('/api/v1/system/version'), put('/api/v1/dashboards/bulk')];
  const v112 = observation({ openMetadataCalls: [...common, get('/api/v1/dashboards'), get('/api/v1/dashboards'), get('/api/v1/charts'), del('/api/v1/dashboards/abc')] });
  const v2 = observation({ openMetadataCalls: [...common, del('/api/v1/dashboards/deleteStale'), del('/api/v1/charts/deleteStale')] });
  assert.equal(staleDeletionRequests(v112.openMetadataCalls), 4);
  assert.equal(staleDeletionRequests(v2.openMetadataCalls), 2);
  const table = formatVersionsTable(v112, v2);
  assert.match(table, /\| W1: OpenMetadata 1\.12 against 2\.0 +\| +1\.12\.6 \| +2\.0\.7 \|/);
  assert.match(table, /\| list, delete and deleteStale requests +\| +4 \| +2 \|/);
  assert.match(table, /\| of which saved by 2\.0 \(deleteStale\) +\| +\| +2 \|/);
  assert.match(table, /\| OpenMetadata requests saved by 2\.0 +\| +\| +2 \|/);
  const failed = formatVersionsTable(v112, observation({ exitCode: 1 }));
  assert.match(failed, /\| OpenMetadata requests saved by 2\.0 +\| +\| +- \|/);
});
