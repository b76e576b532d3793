import assert from 'node:assert/strict';
import { PROJECT_WRITE_CONCURRENCY } from '../../activities/ingestPage';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { Fault } from '../servers/http';
import { makeWorkspace } from '../servers/hexServer';
import { cliEnv, runCli, startWorkerProcess, type CliResult } from '../support/cli';
import { stopSuiteTemporal, suiteTemporal } from '../support/temporal';
import { HEX_TOKEN, OM_JWT, startWorld, type World } from '../support/world';

/*
 * Faults of OpenMetadata while dashboards are written (set-up failures are in setupFailures.test.ts).
 * `/v1/dashboards` serves both the run's one listing (GET) and the dashboard writes (PUT); a pass-through
 * fault takes the listing, so the faults after it land on PUTs.
 */

const TASK_QUEUE = `e2e-faults-om-${process.pid}`;
const DASHBOARDS = /\/v1\/dashboards$/;
const workspace = makeWorkspace(40, 33);
const kept = workspace.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);

let world: World;
let address: string;
let worker: ChildProcess & { output: Promise<CliResult> };

before(async () => {
  ({ address } = await suiteTemporal());
  world = await startWorld({ projects: workspace, serviceName: 'hex_faults_om' });
  worker = await startWorkerProcess(cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address }), TASK_QUEUE);
});

after(async () => {
  worker?.kill('SIGTERM');
  await worker?.output;
  await world?.close();
  await stopSuiteTemporal();
});

/** Runs one ingestion of `service` with the given faults queued on the dashboard writes. */
async function ingestWithDashboardFaults(service: string, faults: Omit<Fault, 'path'>[]) {
  world.openMetadata.injectFault({ path: DASHBOARDS, delayMs: 1, times: 1 });
  for (const fault of faults) world.openMetadata.injectFault({ path: DASHBOARDS, ...fault });
  const from = world.openMetadata.requests.length;
  const configPath = world.writeConfig((doc) => { doc.source.serviceName = service; }, `${service}.yaml`);
  const result = await runCli(['ingest', '-c', configPath, '--task-queue', TASK_QUEUE, '--json'], cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address }));
  for (const secret of [HEX_TOKEN, OM_JWT]) assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), 'secret in output');
  const dashboardPuts = world.openMetadata.requests.slice(from).filter((r) => r.method === 'PUT' && DASHBOARDS.test(r.path));
  return { result, dashboardPuts };
}

function dashboardNamesOf(service: string): string[] {
  return world.openMetadata.dashboards().filter((d: any) => d.service?.name === service).map((d: any) => d.name).sort();
}

test('OpenMetadata 500, 502, 503 and a write slower than the timeout are retried; each dashboard exists once', async (t) => {
  const service = 'hex_faults_om_5xx';
  const { result, dashboardPuts } = await ingestWithDashboardFaults(service, [
    { status: 500, body: { code: 500, message: 'Internal error' }, times: 1 },
    { status: 502, body: '<html>Bad gateway</html>', headers: { 'Content-Type': 'text/html' }, times: 1 },
    { status: 503, times: 1 },
    // Applied by the server after the client gave up (30 s): the retry must not duplicate it.
    { delayMs: 33_000, times: 1 },
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.failuresTotal, 0, JSON.stringify(summary.failures));
  assert.equal(summary.dashboardsCreated + summary.dashboardsUpdated + summary.dashboardsUnchanged, kept.length);
  assert.deepEqual(dashboardNamesOf(service), kept.map((p) => p.id).sort(), 'each dashboard once, none lost');
  // A page's dashboards are written side by side, so the faults hit several of them: each was written later.
  assert.deepEqual(dashboardPuts.slice(0, 3).map((r) => r.status).sort(), [500, 502, 503]);
  const nameOf = (r: { body: unknown }) => (r.body as { name: string }).name;
  dashboardPuts.forEach((put, i) => {
    if (put.status >= 500 || put.status === 0) {
      assert.ok(dashboardPuts.slice(i + 1).some((later) => nameOf(later) === nameOf(put) && later.status < 300), `${nameOf(put)} retried`);
    }
  });
  t.diagnostic('faults: OpenMetadata 500 x1, 502 x1, 503 x1, timeout (33 s) x1; dashboards lost 0, doubled 0');
});

test('a 400 on one dashboard is reported as its failure, the run goes on and exits 1', async (t) => {
  const service = 'hex_faults_om_400';
  const { result, dashboardPuts } = await ingestWithDashboardFaults(service, [
    { status: 400, body: { code: 400, message: 'description exceeds the allowed size' }, times: 1 },
  ]);
  assert.equal(result.code, 1, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.phase, 'done');
  assert.equal(summary.failuresTotal, 1);
  const rejected = (dashboardPuts[0].body as { name: string }).name;
  assert.match(summary.failures[0].item, new RegExp(`^${rejected}`));
  assert.match(summary.failures[0].reason, /OpenMetadata answered 400 to PUT \/dashboards: description exceeds the allowed size/);
  assert.equal(dashboardPuts.filter((r) => (r.body as { name: string }).name === rejected).length, 1, 'a 400 is not retried');
  assert.deepEqual(dashboardNamesOf(service), kept.map((p) => p.id).filter((id) => id !== rejected).sort());
  t.diagnostic('faults: OpenMetadata 400 x1; dashboards lost besides the rejected one: 0');
});

test('a 401 mid-run fails the run at once, without retries, naming the JWT', async (t) => {
  const service = 'hex_faults_om_401';
  const { result, dashboardPuts } = await ingestWithDashboardFaults(service, [
    { status: 401, body: { code: 401, message: 'Expired token!' }, times: 1 },
  ]);
  // Rejected credentials share the set-up exit code, as the token is what must change.
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr,
    /Ingestion failed: OpenMetadata rejected the JWT \(workflowConfig\.openMetadataServerConfig\.securityConfig\.jwtToken\) with 401: .*Expired token!/);
  // Writes already in flight beside the rejected one may finish; nothing is retried and nothing new starts.
  const statuses = dashboardPuts.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 401).length, 1, 'one attempt, no retry');
  assert.ok(statuses.length <= PROJECT_WRITE_CONCURRENCY, `dashboard writes: ${statuses.join(',')}`);
  assert.equal(dashboardNamesOf(service).length, statuses.filter((s) => s === 201).length);
  t.diagnostic('faults: OpenMetadata 401 x1 (run failed as expected)');
});
