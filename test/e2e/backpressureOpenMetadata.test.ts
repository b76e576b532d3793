import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { runCli } from '../support/cli';
import { temporalClient } from '../support/temporal';
import { useWorkerWorld } from '../support/workerWorld';

/*
 * OpenMetadata pushing back while dashboards and their usage are written: 429s (with Retry-After) on the bulk
 * dashboard write, then bursts of 429 and 503 (without) on the usage writes, several of which are in flight
 * at once. The worker's gate toward OpenMetadata waits, narrows and retries in place, so the run completes
 * without a single activity retry and writes every dashboard and every day of usage once.
 */

const SERVICE = 'hex_backpressure_om';
const TASK_QUEUE = `e2e-backpressure-om-${process.pid}`;
const BULK = /\/v1\/dashboards\/bulk$/;
const USAGE = /\/v1\/usage\/dashboard\//;
const CONCURRENCY = 4;
const workspace = makeWorkspace(40, 71);
const kept = workspace.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);

const fixture = useWorkerWorld({
  projects: workspace, serviceName: SERVICE, taskQueue: TASK_QUEUE, workerEnv: { HEXMETA_OPENMETADATA_CONCURRENCY: String(CONCURRENCY) },
});

/** Attempt numbers of every activity task the ingestion workflow started. */
async function activityAttempts(): Promise<number[]> {
  const { client, close } = await temporalClient(fixture.address);
  try {
    const history = await client.workflow.getHandle(`hexmeta-ingestion-${SERVICE}`).fetchHistory();
    return (history.events ?? []).flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt ?? 1] : []));
  } finally {
    await close();
  }
}

test('429 bursts with Retry-After and 503 bursts are retried in place: every dashboard once, no activity retry', async (t) => {
  const om = fixture.world.openMetadata;
  om.injectFault({ path: BULK, status: 429, headers: { 'Retry-After': '1' }, body: { code: 429, message: 'Too Many Requests' }, times: 2 });
  om.injectFault({ path: USAGE, status: 429, headers: { 'Retry-After': '1' }, body: { code: 429, message: 'Too Many Requests' }, times: 10 });
  om.injectFault({ path: USAGE, status: 503, body: { code: 503, message: 'Service Unavailable' }, times: 4 });
  const from = om.requests.length;
  const configPath = fixture.world.writeConfig(() => undefined, `${SERVICE}.yaml`);
  const started = Date.now();
  const result = await runCli(['ingest', '-c', configPath, '--task-queue', TASK_QUEUE, '--json'], fixture.env());
  const seconds = (Date.now() - started) / 1000;
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.failuresTotal, 0, JSON.stringify(summary.failures));
  assert.equal(summary.dashboardsCreated, kept.length);

  const names = om.dashboards().filter((d: any) => d.service?.name === SERVICE).map((d: any) => d.name).sort();
  assert.deepEqual(names, kept.map((p) => p.id).sort(), 'each dashboard once, none lost');
  const puts = om.requests.slice(from).filter((r) => r.method === 'PUT');
  const bulk = puts.filter((r) => BULK.test(r.path));
  assert.deepEqual(bulk.slice(0, 2).map((r) => r.status), [429, 429]);
  assert.equal(bulk.filter((r) => r.status === 200).flatMap((r) => (r.body as { name: string }[]).map((d) => d.name)).length, kept.length, 'one successful write per dashboard');
  const usage = puts.filter((r) => USAGE.test(r.path));
  assert.equal(usage.filter((r) => r.status === 429).length, 10);
  assert.equal(usage.filter((r) => r.status === 503).length, 4);
  usage.forEach((put, i) => {
    if (put.status !== 429 && put.status !== 503) return;
    assert.ok(usage.slice(i + 1).some((later) => later.path === put.path && later.status < 300), `${put.path} written after its ${put.status}`);
  });
  assert.ok(summary.usageReported >= 10, `usage reported: ${summary.usageReported}`);
  assert.equal(new Set(usage.filter((r) => r.status < 300).map((r) => r.path)).size, summary.usageReported, 'one successful usage write per dashboard');

  // In place: had any 429 or 503 reached Temporal, a task would show attempt 2 or more.
  const attempts = await activityAttempts();
  assert.ok(attempts.length > 0);
  assert.deepEqual([...new Set(attempts)], [1], `activity attempts: ${attempts.join(',')}`);
  t.diagnostic(`faults: OpenMetadata bulk 429 x2, usage 429 x10 (Retry-After 1 s), usage 503 x4; concurrency ${CONCURRENCY}; run ${seconds.toFixed(1)} s; dashboards lost 0, doubled 0`);
});
