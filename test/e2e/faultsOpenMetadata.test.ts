import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Fault } from '../../servers/http';
import { makeWorkspace } from '../../servers/hexServer';
import { runCli } from '../support/cli';
import { useWorkerWorld } from '../support/workerWorld';
import { HEX_TOKEN, OM_JWT } from '../support/world';

/*
 * Faults of OpenMetadata while dashboards are written (set-up failures are in setupFailures.test.ts). A page's
 * dashboards go out in one `PUT /v1/dashboards/bulk`; a bulk request refused as a whole falls back to one
 * `PUT /v1/dashboards` per dashboard.
 */

const TASK_QUEUE = `e2e-faults-om-${process.pid}`;
const BULK = /\/v1\/dashboards\/bulk$/;
const SINGLE = /\/v1\/dashboards$/;
const workspace = makeWorkspace(40, 33);
const kept = workspace.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);

const fixture = useWorkerWorld({ projects: workspace, serviceName: 'hex_faults_om', taskQueue: TASK_QUEUE });

/**
 * Runs one ingestion of `service` with the given faults queued on the dashboard writes. `/v1/dashboards`
 * also serves the run's one listing (GET): a pass-through fault takes it, so faults on that path land on PUTs.
 */
async function ingestWithDashboardFaults(service: string, faults: Fault[]) {
  fixture.world.openMetadata.injectFault({ path: SINGLE, delayMs: 1, times: 1 });
  for (const fault of faults) fixture.world.openMetadata.injectFault(fault);
  const from = fixture.world.openMetadata.requests.length;
  const configPath = fixture.world.writeConfig((doc) => { doc.source.serviceName = service; }, `${service}.yaml`);
  const result = await runCli(['ingest', '-c', configPath, '--task-queue', TASK_QUEUE, '--json'], fixture.env());
  for (const secret of [HEX_TOKEN, OM_JWT]) assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), 'secret in output');
  const requests = fixture.world.openMetadata.requests.slice(from).filter((r) => r.method === 'PUT');
  return { result, bulkPuts: requests.filter((r) => BULK.test(r.path)), singlePuts: requests.filter((r) => SINGLE.test(r.path)) };
}

const namesIn = (r: { body: unknown }) => (r.body as { name: string }[]).map((d) => d.name);

function dashboardNamesOf(service: string): string[] {
  return fixture.world.openMetadata.dashboards().filter((d: any) => d.service?.name === service).map((d: any) => d.name).sort();
}

test('OpenMetadata 500, 502, 503 and a write slower than the timeout are retried; each dashboard exists once', async (t) => {
  const service = 'hex_faults_om_5xx';
  const { result, bulkPuts } = await ingestWithDashboardFaults(service, [
    { path: BULK, status: 500, body: { code: 500, message: 'Internal error' }, times: 1 },
    { path: BULK, status: 502, body: '<html>Bad gateway</html>', headers: { 'Content-Type': 'text/html' }, times: 1 },
    { path: BULK, status: 503, times: 1 },
    // Applied by the server after the client gave up (30 s): the retry must not duplicate it.
    { path: BULK, delayMs: 33_000, times: 1 },
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.failuresTotal, 0, JSON.stringify(summary.failures));
  assert.equal(summary.dashboardsCreated + summary.dashboardsUpdated + summary.dashboardsUnchanged, kept.length);
  assert.deepEqual(dashboardNamesOf(service), kept.map((p) => p.id).sort(), 'each dashboard once, none lost');
  assert.deepEqual(bulkPuts.slice(0, 3).map((r) => r.status), [500, 502, 503]);
  bulkPuts.forEach((put, i) => {
    if (put.status >= 500 || put.status === 0) {
      const later = bulkPuts.slice(i + 1).filter((p) => p.status === 200).flatMap(namesIn);
      for (const name of namesIn(put)) assert.ok(later.includes(name), `${name} retried`);
    }
  });
  t.diagnostic('faults: OpenMetadata 500 x1, 502 x1, 503 x1, timeout (33 s) x1 on bulk writes; dashboards lost 0, doubled 0');
});

test('a bulk write refused as a whole goes one by one; a 400 on one dashboard is its failure, the run goes on and exits 1', async (t) => {
  const service = 'hex_faults_om_400';
  const { result, bulkPuts, singlePuts } = await ingestWithDashboardFaults(service, [
    { path: BULK, status: 400, body: { code: 400, message: 'Unrecognized field "extra"' }, times: 1 },
    { path: SINGLE, status: 400, body: { code: 400, message: 'description exceeds the allowed size' }, times: 1 },
  ]);
  assert.equal(result.code, 1, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.phase, 'done');
  assert.equal(summary.failuresTotal, 1, JSON.stringify(summary.failures));
  assert.equal(bulkPuts[0].status, 400);
  const refusedBatch = namesIn(bulkPuts[0]);
  assert.deepEqual(singlePuts.map((r) => (r.body as { name: string }).name).sort(), [...refusedBatch].sort(), 'the refused batch, one by one');
  const rejected = (singlePuts.find((r) => r.status === 400)!.body as { name: string }).name;
  assert.match(summary.failures[0].item, new RegExp(`^${rejected}`));
  assert.match(summary.failures[0].reason, /OpenMetadata answered 400 to PUT \/dashboards: description exceeds the allowed size/);
  assert.equal(singlePuts.filter((r) => (r.body as { name: string }).name === rejected).length, 1, 'a 400 is not retried');
  assert.deepEqual(dashboardNamesOf(service), kept.map((p) => p.id).filter((id) => id !== rejected).sort());
  t.diagnostic(`faults: bulk 400 x1 (${refusedBatch.length} dashboards then written one by one), single 400 x1; lost besides the rejected one: 0`);
});

test('a 401 mid-run fails the run at once, without retries, naming the JWT', async (t) => {
  const service = 'hex_faults_om_401';
  const { result, bulkPuts, singlePuts } = await ingestWithDashboardFaults(service, [
    { path: BULK, status: 401, body: { code: 401, message: 'Expired token!' }, times: 1 },
  ]);
  // Rejected credentials share the set-up exit code, as the token is what must change.
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr,
    /Ingestion failed: OpenMetadata rejected the JWT \(workflowConfig\.openMetadataServerConfig\.securityConfig\.jwtToken\) with 401: .*Expired token!/);
  assert.deepEqual(bulkPuts.map((r) => r.status), [401], 'one attempt, no retry');
  assert.equal(singlePuts.length, 0, 'no write one by one after a 401');
  assert.equal(dashboardNamesOf(service).length, 0);
  t.diagnostic('faults: OpenMetadata 401 x1 (run failed as expected)');
});
