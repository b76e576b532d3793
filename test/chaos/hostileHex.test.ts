import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeProject, makeWorkspace, type HexProject } from '../../servers/hexServer';
import { seededRandom } from '../../servers/random';
import { useWorkerWorld, waitFor } from '../support/workerWorld';

/*
 * Hostile or careless answers from Hex's listing: a cursor that comes back, a project listed twice, a day-long
 * Retry-After, and a storm of transient failures. Each run ends with the right dashboards or fails loudly
 * without marking anything deleted; none loops or hangs.
 */

const TASK_QUEUE = `e2e-hostile-hex-${process.pid}`;
const PROJECTS_PATH = '/api/v1/projects';
const workspace = makeWorkspace(150, 31);
const kept = workspace.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);

const fixture = useWorkerWorld({ projects: workspace, serviceName: 'hex_hostile', taskQueue: TASK_QUEUE });

const { configFor, startIngest: ingest } = fixture;

/** Starts a run and, once its set-up has made its Hex call, has the listing's pages answered by `pages`. */
async function ingestWithPages(configPath: string, pages: { values: unknown[]; after: string | null }[]) {
  fixture.world.openMetadata.injectFault({ path: /\/v1\/services\/dashboardServices$/, delayMs: 1_500, times: 1 });
  const from = fixture.world.hex.requests.length;
  const run = ingest(configPath);
  await waitFor('the set-up Hex call', () => fixture.world.hex.requests.slice(from).some((r) => r.path === PROJECTS_PATH && r.query.limit === '1'));
  for (const page of pages) {
    fixture.world.hex.injectFault({ path: PROJECTS_PATH, status: 200, body: { values: page.values, pagination: { after: page.after, before: null } }, times: 1 });
  }
  const started = Date.now();
  return { result: await run.output, from, seconds: (Date.now() - started) / 1000 };
}

const dashboardsOf = (service: string) => fixture.world.openMetadata.dashboards().filter((d: any) => d.service?.name === service);
const pageRequests = (from: number) => fixture.world.hex.requests.slice(from).filter((r) => r.path === PROJECTS_PATH && r.query.limit === '100');

async function firstRun(service: string): Promise<string> {
  const configPath = configFor(service, (doc) => { doc.source.sourceConfig.config.markDeletedDashboards = true; });
  const first = await ingest(configPath).output;
  assert.equal(first.code, 0, first.stderr);
  assert.equal(dashboardsOf(service).length, kept.length);
  return configPath;
}

function assertNothingDeleted(service: string, omFrom: number): void {
  assert.deepEqual(dashboardsOf(service).filter((d: any) => d.deleted), [], 'nothing marked deleted');
  assert.ok(!fixture.world.openMetadata.requests.slice(omFrom).some((r) => r.method === 'DELETE'), 'no DELETE sent');
}

test('a cursor Hex gives again fails the listing at once: exit 2, a clear message, nothing marked deleted', async (t) => {
  const service = 'hex_hostile_loop';
  const configPath = await firstRun(service);
  const omFrom = fixture.world.openMetadata.requests.length;
  const same = kept.slice(0, 3);
  const { result, from, seconds } = await ingestWithPages(configPath, [{ values: same, after: 'c-loop' }, { values: same, after: 'c-loop' }]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /Hex's project listing gave a page cursor it had given before.*nothing is marked deleted/);
  assert.equal(pageRequests(from).length, 2, 'the page that repeats its cursor is the last one read');
  assertNothingDeleted(service, omFrom);
  t.diagnostic(`repeating cursor: stopped after ${pageRequests(from).length} page requests in ${seconds.toFixed(1)} s`);
});

test('a cursor loop longer than one batch of pages is caught by the workflow across batches', async (t) => {
  const service = 'hex_hostile_long_loop';
  const configPath = await firstRun(service);
  const omFrom = fixture.world.openMetadata.requests.length;
  // c1 .. c12 and round again: a batch reads at most 10 pages and sees no repeat of its own; the workflow,
  // which keeps every cursor, stops at the end of the second batch.
  const cycle = Array.from({ length: 12 }, (_, i) => ({ values: [kept[i]], after: `c${i + 1}` }));
  const { result, from } = await ingestWithPages(configPath, [...cycle, ...cycle.slice(0, 8)]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /gave a page cursor it had given before/);
  assert.equal(pageRequests(from).length, 20, 'two batches of pages, then the listing stops');
  assertNothingDeleted(service, omFrom);
  t.diagnostic('cursor loop of 12 pages: stopped after 20 pages (two batches)');
});

test('a project listed twice on one page is one warning, the last copy wins, the run succeeds', async () => {
  const service = 'hex_hostile_dup_page';
  const a = makeProject({ title: 'Duplicate first copy' });
  const aAgain = { ...a, title: 'Duplicate last copy' };
  const b = makeProject({ title: 'Single' });
  const { result } = await ingestWithPages(configFor(service), [{ values: [a, b, aAgain], after: null }]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.dashboardsCreated, 2);
  assert.equal(summary.failuresTotal, 0);
  const duplicates = summary.warnings.filter((w: any) => /listed more than once/.test(w.reason));
  assert.equal(duplicates.length, 1);
  assert.match(duplicates[0].item, new RegExp(a.id));
  const stored = new Map(dashboardsOf(service).map((d: any) => [d.name, d.displayName]));
  assert.equal(stored.size, 2);
  assert.equal(stored.get(a.id), 'Duplicate last copy');
});

test('a project listed again on a later page counts as one created dashboard', async () => {
  const service = 'hex_hostile_dup_pages';
  const [a, b, c] = [makeProject({ title: 'A' }), makeProject({ title: 'B' }), makeProject({ title: 'C' })];
  const { result } = await ingestWithPages(configFor(service), [
    { values: [a, b], after: 'p2' },
    { values: [{ ...b, title: 'B edited' }, c], after: null },
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(dashboardsOf(service).length, 3);
  assert.equal(summary.dashboardsCreated, 3, 'created counts dashboards, not requests');
  assert.equal(dashboardsOf(service).find((d: any) => d.name === b.id)!.displayName, 'B edited');
});

test("a Retry-After beyond the cap fails the run at once with Hex's message", async (t) => {
  const service = 'hex_hostile_retry_after';
  const configPath = configFor(service, (doc) => { doc.hexmeta = { hexMaxRetryAfterSeconds: 60 }; });
  fixture.world.openMetadata.injectFault({ path: /\/v1\/services\/dashboardServices$/, delayMs: 1_500, times: 1 });
  const from = fixture.world.hex.requests.length;
  const started = Date.now();
  const run = ingest(configPath);
  await waitFor('the set-up Hex call', () => fixture.world.hex.requests.slice(from).some((r) => r.path === PROJECTS_PATH && r.query.limit === '1'));
  fixture.world.hex.injectFault({ path: PROJECTS_PATH, status: 429, headers: { 'Retry-After': '86400' }, body: { reason: 'Too many requests', details: 'quota spent for today' }, times: 1 });
  const result = await run.output;
  const seconds = (Date.now() - started) / 1000;
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /Hex asked to wait 86400 s \(Retry-After\), more than the 60 s .*quota spent for today/);
  assert.ok(seconds < 30, `failed after ${seconds} s`);
  assert.equal(pageRequests(from).length, 1, 'the page was not asked again');
  t.diagnostic(`Retry-After 86400 with a 60 s cap: failed in ${seconds.toFixed(1)} s`);
});

test('30% 500s and 10% dropped connections on every Hex call (never three in a row) still give the full result', async (t) => {
  const service = 'hex_hostile_storm';
  const random = seededRandom(1313);
  let inARow = 0;
  const counts = { served: 0, errors: 0, resets: 0 };
  for (let i = 0; i < 400; i++) {
    const roll = inARow >= 2 ? 1 : random();
    if (roll < 0.3) {
      fixture.world.hex.injectFault({ status: 500, body: { reason: 'Internal error' }, times: 1 });
      counts.errors++;
      inARow++;
    } else if (roll < 0.4) {
      fixture.world.hex.injectFault({ resetConnection: true, times: 1 });
      counts.resets++;
      inARow++;
    } else {
      // A fault with neither status nor reset is served normally: it keeps the sequence's place.
      fixture.world.hex.injectFault({ times: 1 });
      counts.served++;
      inARow = 0;
    }
  }
  const started = Date.now();
  const result = await ingest(configFor(service)).output;
  const seconds = (Date.now() - started) / 1000;
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.failuresTotal, 0);
  assert.equal(summary.dashboardsCreated, kept.length);
  assert.deepEqual(dashboardsOf(service).map((d: any) => d.name).sort(), kept.map((p: HexProject) => p.id).sort());
  t.diagnostic(`Hex storm (${counts.errors} 500s, ${counts.resets} resets queued): full result in ${seconds.toFixed(1)} s`);
});
