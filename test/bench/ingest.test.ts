import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BenchFailedError, parseOptions, projectCount, runBench } from '../../bench/ingest';
import { makeWorkload } from '../../bench/workload';

function cells(table: string): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const line of table.split('\n')) {
    const parts = line.split('|').map((part) => part.trim());
    if (parts.length === 5 && parts[1] && !parts[1].startsWith('-')) rows.set(parts[1], [parts[2], parts[3]]);
  }
  return rows;
}

test('options: sizes, defaults and rejected values', () => {
  assert.deepEqual(parseOptions([]), { size: '10k', hexLatencyMs: 50, omLatencyMs: 10, hexRate: 60, clientRate: 55, workerHeapMb: 256, workerSemiSpaceMb: 4 });
  assert.equal(parseOptions(['--size', '1k', '--hex-rate', '120']).hexRate, 120);
  assert.equal(parseOptions(['--both-versions']).bothVersions, true);
  assert.equal(projectCount('50k'), 50_000);
  assert.equal(projectCount('150'), 150);
  assert.throws(() => parseOptions(['--size', 'huge']), /size must be/);
  assert.throws(() => parseOptions(['--om-latency-ms', '-3']), /must be a number/);
});

test('a small benchmark runs W1 and W2 end to end and reports what happened', { timeout: 170_000 }, async () => {
  const size = 150;
  const workload = makeWorkload(size);
  const table = await runBench({ size: String(size), hexLatencyMs: 5, omLatencyMs: 1, hexRate: 600, clientRate: 550, workerHeapMb: 256, workerSemiSpaceMb: 4 });
  const rows = cells(table);
  const value = (label: string, run: 0 | 1) => {
    const row = rows.get(label);
    assert.ok(row, `row ${label} in\n${table}`);
    return Number(row[run]);
  };
  assert.equal(value('exit code', 0), 0, table);
  assert.equal(value('exit code', 1), 0, table);
  // Every kept project becomes a dashboard, one bulk write per list page; the unchanged re-run writes none.
  assert.equal(value('of which dashboard writes', 0), 2);
  assert.equal(value('of which dashboard writes', 1), 0);
  assert.equal(value('of which usage writes', 1), 0, 'usage is reported once a day');
  assert.ok(value('OM requests per kept dashboard, edges apart', 0) < value('OM requests per kept dashboard', 0));
  assert.equal(value('Hex requests needed', 0), 3, 'two list pages and one workspace check');
  assert.ok(value('Hex requests made', 0) >= 2);
  assert.ok(value('history events', 0) > 10);
  assert.ok(value('worker peak RSS (MiB)', 0) > 50);
  assert.ok(value('worker start to polling (s)', 0) > 0);
  assert.ok(value('worker idle RSS (MiB)', 0) > 30);
  assert.ok(value('worker idle RSS (MiB)', 0) <= value('worker peak RSS (MiB)', 0));
  const hexRows = Object.values(workload.history).flat().filter((row) => row.sql.includes('-- Hex query metadata:')).length;
  assert.equal(value('Hex queries extracted', 0), hexRows);
  assert.ok(value('lineage edges written', 0) > 0);
  assert.equal(value('of which lineage writes', 0), value('lineage edges written', 0));
  assert.ok(value('lineage throughput (Hex queries/s)', 0) > 0);
  assert.ok(value('SQL extraction, one core (queries/s)', 0) > 0);
  assert.ok(value('SQL extraction, slowest query (ms)', 0) > 0);
  // W2 reads only the history recorded since W1 (less the overlap): the workload's rows lie before W1.
  assert.ok(value('history rows read by the connector', 1) < value('history rows read by the connector', 0));
  assert.equal(value('of which lineage writes', 1), 0);
  assert.match(table, /worker-heap=256MiB worker-semi-space=4MiB/);
});

test('a benchmark whose run fails rejects, names the failure, and draws no ratio from it', { timeout: 120_000 }, async () => {
  const failing = runBench({ size: '100', hexLatencyMs: 1, omLatencyMs: 1, hexRate: 600, clientRate: 550, workerHeapMb: 256, workerSemiSpaceMb: 4 }, {
    // OpenMetadata refuses the bot's token: the run ends before any write, with exit code 2.
    beforeRuns: (world) => world.openMetadata.injectFault({ path: /\/api\/v1\//, status: 401, body: { code: 401, message: 'Not Authorized! Invalid token.' }, times: 1_000_000 }),
  });
  const error = await failing.then(() => assert.fail('runBench resolved'), (e: unknown) => e);
  assert.ok(error instanceof BenchFailedError, String(error));
  assert.equal(error.message, 'W1 failed: hexmeta ingest exited 2');
  const rows = cells(error.table);
  assert.deepEqual(rows.get('exit code'), ['2', '-'], 'W2 is not run after a failed W1');
  assert.deepEqual(rows.get('wall time / floor'), ['-', '-']);
  assert.deepEqual(rows.get('OM requests per kept dashboard'), ['-', '-']);
  assert.match(error.table, /W1 failed: hexmeta ingest exited 2: no ratios drawn from it/);
});
