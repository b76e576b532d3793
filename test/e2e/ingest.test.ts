import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeProject, makeWorkspace, type HexProject } from '../../servers/hexServer';
import { WORKSPACE_USERS } from '../../servers/fixtures';
import { cliEnv, runCli, spawnCli, startWorkerProcess } from '../support/cli';
import { stopSuiteTemporal, suiteTemporal, temporalClient } from '../support/temporal';
import { HEX_TOKEN, OM_JWT, startWorld, type World } from '../support/world';

const SPECIAL: HexProject[] = [
  makeProject({ title: 'Résumé 📊 «Quarterly» — 売上', categories: [{ name: 'Finance', description: null }] }),
  makeProject({ title: 'v1.2 release.metrics', categories: [{ name: 'Fin.Ops', description: null }] }),
  makeProject({ title: 'He said "ship it"', description: '# Heading\n\n*markdown* with `code`' }),
  makeProject({ title: 'Scratch: try things', categories: [] }),
  makeProject({ title: 'scratchpad 2', categories: [] }),
  makeProject({ title: 'Orphan', owner: { email: 'nobody@nowhere.example' }, creator: { email: 'nobody@nowhere.example' } }),
];

function visible(projects: HexProject[]): HexProject[] {
  return projects.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);
}

const known = WORKSPACE_USERS.filter((_, i) => i % 2 === 0);

let address: string;
const projects = [...makeWorkspace(330, 7), ...SPECIAL];
const kept = visible(projects).filter((p) => !/^scratch/i.test(p.title));

before(async () => {
  ({ address } = await suiteTemporal());
});

after(async () => {
  await stopSuiteTemporal();
});

// The first ingestion and the second run (updates, soft deletes) against each OpenMetadata release hexmeta
// speaks; the worker-kill test below is about Temporal, not OpenMetadata, and runs once.
for (const omVersion of ['1.12.6', '2.0.7']) {
  const suffix = omVersion.startsWith('2.') ? '_om2' : '';
  describe(`against OpenMetadata ${omVersion}`, () => {
    let world: World;

    before(async () => {
      world = await startWorld({
        projects,
        serviceName: 'hex_e2e_main',
        openMetadata: { version: omVersion, users: known.map((email) => ({ name: email.split('@')[0], email })) },
      });
    });

    after(async () => {
      await world?.close();
    });

    test('every visible Hex project becomes one dashboard with owner and tags, through a real worker', async () => {
      assert.ok(kept.length >= 250, `workspace has ${kept.length} kept projects`);
      const configPath = world.writeConfig((doc) => {
        doc.source.sourceConfig.config.dashboardFilterPattern = { excludes: ['^scratch'] };
      });
      const env = cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address });
      const taskQueue = `e2e-main${suffix}`;
      const worker = await startWorkerProcess({ ...env, NODE_OPTIONS: '' }, taskQueue);
      let result;
      try {
        result = await runCli(['ingest', '-c', configPath, '--task-queue', taskQueue, '--json'], env);
      } finally {
        worker.kill('SIGTERM');
      }
      const workerOutput = await worker.output;
      assert.equal(result.code, 0, result.stderr);
      // A worker keeps no source maps, and says which advised V8 flags it runs without (none given here).
      assert.match(`${workerOutput.stdout}${workerOutput.stderr}`, /worker memory: V8 heap limit \d+ MiB, source maps off .*without --max-old-space-size and --max-semi-space-size/);
      const summary = JSON.parse(result.stdout);
      assert.equal(summary.phase, 'done');
      assert.equal(summary.projectsSeen, visible(projects).length);
      assert.equal(summary.projectsFiltered, visible(projects).length - kept.length);
      assert.equal(summary.dashboardsCreated, kept.length);
      assert.ok(summary.pagesRead >= 3);
      assert.equal(summary.failuresTotal, 0);

      const dashboards = world.openMetadata.dashboards().filter((d: any) => !d.deleted);
      assert.equal(dashboards.length, kept.length);
      const byName = new Map(dashboards.map((d: any) => [d.name, d]));
      for (const project of kept) {
        const dashboard: any = byName.get(project.id);
        assert.ok(dashboard, `dashboard for ${project.title}`);
        assert.equal(dashboard.displayName, project.title);
        assert.equal(dashboard.service.name, 'hex_e2e_main');
        const view = project.lastPublishedAt ? 'app' : 'hex';
        assert.equal(dashboard.sourceUrl, `${world.hex.url}/acme-analytics/${view}/${project.id}`);
        const description = project.description?.trim();
        if (description) assert.equal(dashboard.description, description);
        const email = project.owner?.email ?? project.creator?.email;
        const ownerNames = (dashboard.owners ?? []).map((o: any) => o.name);
        assert.deepEqual(ownerNames, known.includes(email!) ? [email!.split('@')[0]] : [], `owners of ${project.title}`);
        const expectedTags = [...new Set([...project.categories.map((c) => c.name), ...(project.status ? [project.status.name] : [])])]
          .map((name) => (name.includes('.') ? `HexCategories."${name}"` : `HexCategories.${name}`)).sort();
        assert.deepEqual((dashboard.tags ?? []).map((t: any) => t.tagFQN).sort(), expectedTags, `tags of ${project.title}`);
      }
      const unresolved = kept.filter((p) => !known.includes(p.owner.email)).length;
      assert.equal(summary.ownersUnresolved, unresolved);
      assert.ok(summary.warnings.some((w: any) => w.item === 'nobody@nowhere.example'));
      assert.equal(summary.warnings.filter((w: any) => w.item === 'nobody@nowhere.example').length, 1, 'one warning per unresolved e-mail');

      // Secrets never reach the workflow history or the logs.
      const { client, close } = await temporalClient(address);
      try {
        const history = JSON.stringify(await client.workflow.getHandle('hexmeta-ingestion-hex_e2e_main').fetchHistory());
        for (const secret of [HEX_TOKEN, OM_JWT]) {
          assert.ok(!history.includes(secret), 'secret in workflow history');
          assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), 'secret in CLI output');
          assert.ok(!workerOutput.stdout.includes(secret) && !workerOutput.stderr.includes(secret), 'secret in worker output');
        }
      } finally {
        await close();
      }
    });

    test('a second run updates instead of duplicating and soft-deletes dashboards of projects gone from Hex', async () => {
      const gone = kept.slice(0, 3);
      world.hex.setProjects(projects.filter((p) => !gone.includes(p)));
      const configPath = world.writeConfig((doc) => {
        doc.source.sourceConfig.config.dashboardFilterPattern = { excludes: ['^scratch'] };
      });
      const env = cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address });
      const worker = await startWorkerProcess(env, `e2e-main-2${suffix}`);
      const requestsBefore = world.openMetadata.requests.length;
      try {
        const result = await runCli(['ingest', '-c', configPath, '--task-queue', `e2e-main-2${suffix}`, '--json'], env);
        assert.equal(result.code, 0, result.stderr);
        const summary = JSON.parse(result.stdout);
        assert.equal(summary.dashboardsCreated, 0);
        // Incremental: nothing changed in Hex, so no dashboard is rewritten.
        assert.equal(summary.dashboardsUpdated, 0);
        assert.equal(summary.dashboardsUnchanged, kept.length - gone.length);
        const dashboardPuts = world.openMetadata.requests.slice(requestsBefore).filter((r) => r.method === 'PUT' && r.path.includes('/dashboards'));
        assert.deepEqual(dashboardPuts, []);
        assert.equal(summary.dashboardsMarkedDeleted, gone.length);
      } finally {
        worker.kill('SIGTERM');
        await worker.output;
      }
      const dashboards = world.openMetadata.dashboards();
      assert.equal(dashboards.length, kept.length, 'soft-deleted, not removed');
      const deleted = dashboards.filter((d: any) => d.deleted).map((d: any) => d.name).sort();
      assert.deepEqual(deleted, gone.map((p) => p.id).sort());
    });

  });
}

test('the worker killed mid-listing: a new worker finishes the run and each dashboard exists once', async () => {
  const listed = visible(makeWorkspace(900, 11)).slice(0, 650);
  const slowWorld = await startWorld({
    projects: listed,
    serviceName: 'hex_e2e_kill',
    hex: { latencyMs: 400 },
  });
  try {
    const configPath = slowWorld.writeConfig();
    const env = cliEnv({ ...slowWorld.secretsEnv, TEMPORAL_ADDRESS: address });
    const taskQueue = 'e2e-kill';
    const first = await startWorkerProcess(env, taskQueue);
    const ingest = spawnCli(['ingest', '-c', configPath, '--task-queue', taskQueue, '--json'], env);
    const pagesServed = () => slowWorld.hex.requests.filter((r) => r.path.endsWith('/projects') && r.query.limit === '100').length;
    const deadline = Date.now() + 120_000;
    while (pagesServed() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(pagesServed() >= 2, 'listing started');
    first.kill('SIGKILL');
    await first.output;
    const pagesBeforeKill = pagesServed();
    const second = await startWorkerProcess(env, taskQueue);
    try {
      const result = await ingest.output;
      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(result.stdout);
      assert.equal(summary.projectsSeen, 650);
    } finally {
      second.kill('SIGTERM');
      await second.output;
    }
    const names = slowWorld.openMetadata.dashboards().map((d: any) => d.name);
    assert.equal(names.length, 650);
    assert.equal(new Set(names).size, 650);
    // 7 pages in all; at most the page in flight at the kill is read twice. Starting over would read >= 9.
    assert.ok(pagesServed() <= 8, `pages read: ${pagesServed()} (${pagesBeforeKill} before the kill)`);
  } finally {
    await slowWorld.close();
  }
});
