import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { runIngestion } from '../../client/index';
import { makeWorkspace, type HexProject } from '../../servers/hexServer';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * `hexmeta.listing: incremental`: projects latest edit first, ending at the first page whose projects are all
 * unchanged; deletions wait for a full listing.
 */

const TASK_QUEUE = 'e2e-incremental';
const SERVICE = 'hex_incremental';
const projects = makeWorkspace(420, 77).filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);

let world: World;
let worker: InProcessWorker;

before(async () => {
  world = await startWorld({ projects, serviceName: SERVICE });
  worker = await startInProcessWorker(TASK_QUEUE, world.secretsEnv);
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await stopSuiteTemporal();
});

function run(listing: 'full' | 'incremental') {
  const source = world.writeConfig((doc) => {
    doc.hexmeta = { listing, usage: false };
  }, `hex-${randomUUID()}.yaml`);
  return runIngestion({ client: worker.client, source, taskQueue: TASK_QUEUE, env: world.secretsEnv });
}

/** Project pages read since `from` (the preparation's one-project probe left out). */
const pagesSince = (from: number) => world.hex.requests.slice(from).filter((r) => r.path.endsWith('/projects') && r.query.limit === '100');

assert.equal(projects.length, 320);

test('an unchanged workspace: one page read, nothing written, deletions not checked', async () => {
  const first = await run('full');
  assert.equal(first.dashboardsCreated, projects.length);
  const hexFrom = world.hex.requests.length;
  const omFrom = world.openMetadata.requests.length;
  const summary = await run('incremental');
  const pages = pagesSince(hexFrom);
  assert.equal(pages.length, 1);
  assert.equal(pages[0].query.sortBy, 'LAST_EDITED_AT');
  assert.equal(pages[0].query.sortDirection, 'DESC');
  assert.equal(summary.listingStoppedEarly, true);
  assert.equal(summary.dashboardsUnchanged, 100);
  // Only the preparation's idempotent service and classification PUTs.
  const writes = world.openMetadata.requests.slice(omFrom).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(writes, ['PUT /api/v1/services/dashboardServices', 'PUT /api/v1/classifications']);
});

test('edits are found ahead of the first unchanged page; a removed project waits for a full listing', async () => {
  const now = Date.now();
  const edited = new Set([projects[10].id, projects[200].id, projects[319].id]);
  const removed = projects[5].id;
  const next: HexProject[] = projects
    .filter((p) => p.id !== removed)
    .map((p, i) => (edited.has(p.id) ? { ...p, title: `${p.title} (edited)`, lastEditedAt: new Date(now - i * 1000).toISOString() } : p));
  world.hex.setProjects(next);
  const hexFrom = world.hex.requests.length;
  const summary = await run('incremental');
  // Page one holds the three edits and 97 unchanged projects; page two is all unchanged and ends the listing.
  assert.equal(pagesSince(hexFrom).length, 2);
  assert.equal(summary.dashboardsUpdated, 3);
  assert.equal(summary.listingStoppedEarly, true);
  assert.equal(summary.dashboardsMarkedDeleted, 0);
  const titles = new Map(world.openMetadata.dashboards().map((d) => [d.name, d]));
  for (const id of edited) assert.match(titles.get(id)!.displayName, /\(edited\)$/);
  assert.equal(titles.get(removed)!.deleted, false);

  const full = await run('full');
  assert.equal(full.listingStoppedEarly, false);
  assert.equal(full.dashboardsMarkedDeleted, 1);
  assert.equal(world.openMetadata.dashboards().find((d) => d.name === removed)!.deleted, true);
});

test('an incremental listing that meets no unchanged page reads to the end and may mark deleted', async () => {
  const retitled = projects.filter((p) => p.id !== projects[5].id).slice(0, 120).map((p) => ({ ...p, title: `${p.title} v2`, lastEditedAt: new Date().toISOString() }));
  world.hex.setProjects(retitled);
  const summary = await run('incremental');
  assert.equal(summary.listingStoppedEarly, false);
  assert.equal(summary.dashboardsUpdated, 120);
  assert.equal(summary.dashboardsMarkedDeleted, projects.length - 1 - 120);
});
