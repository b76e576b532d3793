import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeProject, makeWorkspace, type HexProject } from '../../servers/hexServer';
import { runCli, type CliResult } from '../support/cli';
import { temporalClient } from '../support/temporal';
import { useWorkerWorld, waitFor } from '../support/workerWorld';
import { HEX_TOKEN, OM_JWT, type World } from '../support/world';

/*
 * Faults of the Hex API during the listing, injected in the local Hex double once the set-up activity has
 * made its own Hex call, so they land on the page activity. Every run must end with each kept project
 * written exactly once (nothing lost, nothing doubled), or fail loudly without marking anything deleted.
 */

const TASK_QUEUE = `e2e-faults-hex-${process.pid}`;
const PROJECTS_PATH = '/api/v1/projects';
const workspace = makeWorkspace(160, 21);
const kept = workspace.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);

const fixture = useWorkerWorld({ projects: workspace, serviceName: 'hex_faults_hex', taskQueue: TASK_QUEUE });
const { configFor, startIngest } = fixture;
/** When the test process first saw each Hex request (index-aligned with the world's Hex requests). */
const hexArrivals: number[] = [];
let arrivalWatch: NodeJS.Timeout;

before(() => {
  arrivalWatch = setInterval(() => {
    while (hexArrivals.length < fixture.world.hex.requests.length) hexArrivals.push(Date.now());
  }, 5);
});

after(() => clearInterval(arrivalWatch));

/**
 * Starts an ingestion and, once its set-up activity has listed one project (its credential check), queues
 * the given Hex faults: the next project-list requests are the page activity's. OpenMetadata holds the
 * set-up's next write for a moment, so the faults are in place before any page is read.
 */
async function ingestWithPageFaults(configPath: string, faults: Parameters<World['hex']['injectFault']>[0][]) {
  fixture.world.openMetadata.injectFault({ path: /\/v1\/services\/dashboardServices$/, delayMs: 2_000, times: 1 });
  const from = fixture.world.hex.requests.length;
  const run = startIngest(configPath);
  await waitFor('the set-up Hex call', () => fixture.world.hex.requests.slice(from).some((r) => r.path === PROJECTS_PATH && r.query.limit === '1'));
  for (const fault of faults) fixture.world.hex.injectFault(fault);
  return { result: await run.output, from };
}

function dashboardsOf(service: string): any[] {
  return fixture.world.openMetadata.dashboards().filter((d: any) => d.service?.name === service);
}

function assertEachKeptProjectOnce(service: string, projects: HexProject[]): void {
  const names = dashboardsOf(service).map((d: any) => d.name).sort();
  assert.deepEqual(names, projects.map((p) => p.id).sort(), 'each kept project is one dashboard: none lost, none doubled');
}

function assertNoSecrets(result: CliResult): void {
  for (const secret of [HEX_TOKEN, OM_JWT]) assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), 'secret in output');
}

function pageRequests(from: number) {
  return fixture.world.hex.requests.slice(from).map((r, i) => ({ ...r, index: from + i })).filter((r) => r.path === PROJECTS_PATH && r.query.limit === '100');
}

test('a 429 with Retry-After: no Hex request arrives before it elapses, it is waited in place without spending an attempt, nothing is lost', async (t) => {
  const service = 'hex_faults_429';
  const { result, from } = await ingestWithPageFaults(configFor(service), [
    { path: PROJECTS_PATH, status: 429, headers: { 'Retry-After': '4' }, body: { reason: 'Too many requests', details: 'Too many requests' }, times: 1 },
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.failuresTotal, 0);
  assert.equal(summary.dashboardsCreated, kept.length);
  assertEachKeptProjectOnce(service, kept);
  assertNoSecrets(result);

  const limited = fixture.world.hex.requests.findIndex((r, i) => i >= from && r.status === 429);
  assert.ok(limited >= 0, 'the 429 was served');
  const next = fixture.world.hex.requests.findIndex((r, i) => i > limited);
  assert.ok(next > limited, 'a request followed the 429');
  // The arrival clock polls every 5 ms: allow that much on each side.
  const waited = hexArrivals[next] - hexArrivals[limited];
  assert.ok(waited >= 4_000 - 50, `next Hex request ${waited} ms after the 429 (Retry-After: 4)`);

  const { client, close } = await temporalClient(fixture.address);
  try {
    const history = await client.workflow.getHandle(`hexmeta-ingestion-${service}`).fetchHistory();
    const attempts = (history.events ?? []).map((e) => e.activityTaskStartedEventAttributes).filter((a) => a);
    assert.ok(attempts.length > 0);
    assert.deepEqual(attempts.filter((a) => Number(a!.attempt) > 1), [], 'expected throttling spends no activity attempt');
  } finally {
    await close();
  }
  t.diagnostic(`faults: 1 Hex 429 (Retry-After 4 s); waited ${waited} ms in place; dashboards lost 0`);
});

test('Hex 500, 502, 503 and a connection reset in a row are retried and every project is written once', async (t) => {
  const service = 'hex_faults_5xx';
  const { result, from } = await ingestWithPageFaults(configFor(service), [
    { path: PROJECTS_PATH, status: 500, body: { reason: 'Internal error' }, times: 1 },
    { path: PROJECTS_PATH, status: 502, body: '<html>Bad gateway</html>', headers: { 'Content-Type': 'text/html' }, times: 1 },
    { path: PROJECTS_PATH, status: 503, times: 1 },
    { path: PROJECTS_PATH, resetConnection: true, times: 1 },
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.failuresTotal, 0);
  assert.equal(summary.projectsSeen, kept.length);
  assert.equal(summary.dashboardsCreated, kept.length);
  assertEachKeptProjectOnce(service, kept);
  const statuses = pageRequests(from).map((r) => r.status);
  assert.deepEqual(statuses.slice(0, 5), [500, 502, 503, 0, 200], 'four faults, then the page');
  assert.equal(statuses.length, 4 + summary.pagesRead, 'one extra request per fault, no more');
  assertNoSecrets(result);
  t.diagnostic('faults: Hex 500 x1, 502 x1, 503 x1, reset x1; dashboards lost 0');
});

test('a Hex response slower than the client timeout is abandoned and the page read again', async (t) => {
  const service = 'hex_faults_slow';
  // The Hex client gives up after 30 s; this answer comes later.
  const { result, from } = await ingestWithPageFaults(configFor(service), [{ path: PROJECTS_PATH, delayMs: 33_000, times: 1 }]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.failuresTotal, 0);
  assert.equal(summary.dashboardsCreated, kept.length);
  assertEachKeptProjectOnce(service, kept);
  assert.equal(pageRequests(from).length, summary.pagesRead + 1, 'the slow page was asked twice');
  t.diagnostic('faults: Hex slow response (33 s > 30 s timeout) x1; dashboards lost 0');
});

test('one malformed project on a page is reported, the rest of the page is ingested, exit 1', async (t) => {
  const service = 'hex_faults_malformed';
  const good = Array.from({ length: 12 }, (_, i) => makeProject({ title: `Well formed ${i}` }));
  const badTitle = { ...makeProject({ title: 'x' }), title: 42 } as unknown as HexProject;
  const badId = makeProject({ id: 'a::b', title: 'Bad id' });
  fixture.world.hex.setProjects([...good.slice(0, 6), badTitle, badId, ...good.slice(6)]);
  try {
    const result = await runCli(['ingest', '-c', configFor(service), '--task-queue', TASK_QUEUE, '--json'], fixture.env());
    assert.equal(result.code, 1, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.phase, 'done');
    assert.equal(summary.projectsSeen, 14);
    assert.equal(summary.dashboardsCreated, 12);
    assert.equal(summary.failuresTotal, 2);
    const failed = summary.failures.map((f: any) => f.item).sort();
    assert.deepEqual(failed, [badTitle.id, `a::b (Bad id)`].sort());
    for (const failure of summary.failures) assert.match(failure.reason, /^malformed project from Hex: /);
    assertEachKeptProjectOnce(service, good);
  } finally {
    fixture.world.hex.setProjects(workspace);
  }
  t.diagnostic('faults: malformed projects x2 (title not a string, id with ::); good dashboards lost 0');
});

test('a page that keeps failing fails the run loudly after its retries, exit 1, and nothing is marked deleted', async (t) => {
  const service = 'hex_faults_exhausted';
  const configPath = configFor(service, (doc) => { doc.source.sourceConfig.config.markDeletedDashboards = true; });
  const first = await runCli(['ingest', '-c', configPath, '--task-queue', TASK_QUEUE, '--json'], fixture.env());
  assert.equal(first.code, 0, first.stderr);
  assertEachKeptProjectOnce(service, kept);
  const omFrom = fixture.world.openMetadata.requests.length;

  // 503 with Retry-After 1 s: each of the page activity's 10 attempts tries 5 times in place, a second apart.
  const ATTEMPTS = 10;
  const TRIES = 5;
  const { result, from } = await ingestWithPageFaults(configPath, [
    { path: PROJECTS_PATH, status: 503, headers: { 'Retry-After': '1' }, body: { reason: 'Service unavailable' }, times: ATTEMPTS * TRIES },
  ]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /Ingestion failed: Hex answered 503 to GET \/projects/);
  assert.equal(pageRequests(from).length, ATTEMPTS * TRIES, 'every attempt tried in place, then the run gave up');
  assert.ok(pageRequests(from).every((r) => r.status === 503));
  const dashboards = dashboardsOf(service);
  assert.equal(dashboards.length, kept.length);
  assert.deepEqual(dashboards.filter((d: any) => d.deleted), [], 'an incomplete listing marks nothing deleted');
  assert.ok(!fixture.world.openMetadata.requests.some((r) => r.method === 'DELETE'), 'no DELETE sent');
  const dashboardWrites = fixture.world.openMetadata.requests.slice(omFrom).filter((r) => r.method !== 'GET' && /\/v1\/dashboards(\/|$)/.test(r.path));
  assert.deepEqual(dashboardWrites, [], 'no dashboard written or deleted by the failed run');
  assertNoSecrets(result);
  t.diagnostic(`faults: Hex 503 x${ATTEMPTS * TRIES} (all tries of all attempts of one page); dashboards deleted 0, lost 0`);
});
